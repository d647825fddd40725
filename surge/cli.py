"""The `surge` command line."""

from __future__ import annotations

import argparse
import getpass
import os
import sys

from surge.kernel.settings import Settings, SettingsError


def _check_database(settings: Settings, doing: str = "serve") -> None:
    """Refuse to serve an unmigrated database, or in production one holding demo data."""
    from surge.kernel.db import make_engine
    from surge.web.infra.startup_checks import refusal

    engine = make_engine(settings.database_url)
    try:
        problem = refusal(settings, engine)
    finally:
        engine.dispose()
    if problem:
        raise CliError(f"will not {doing} this database: {problem}")


def cmd_serve(args, settings: Settings) -> int:
    from surge.kernel.settings import GENERATE_SECRET
    from surge.web.serving import serve

    if args.workers < 1:
        raise CliError("--workers must be at least 1", exit_code=2)
    _check_database(settings)
    if settings.uses_development_secret:
        print("surge: warning: serving with a development SURGE_SECRET_KEY; anyone who knows it can forge "
              f"sessions. Set a random one for real use: {GENERATE_SECRET}", file=sys.stderr, flush=True)
    host, port = args.host or settings.host, args.port or settings.port
    print(f"Starting Surge on http://{host}:{port}", flush=True)
    try:
        serve(settings, host=host, port=port, workers=args.workers)
    except OSError as exc:
        raise CliError(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from None
    return 0


def cmd_worker(args, settings: Settings) -> int:
    from surge.jobs.runner import run_until_stopped
    from surge.jobs.single import AlreadyRunning

    _check_database(settings, "deliver from")
    email = f"e-mail through {settings.smtp_host}" if settings.email_enabled else "e-mail off (SURGE_SMTP_HOST unset)"
    print(f"Surge worker: outbox every {settings.outbox_poll_s:g} s, {email}; stop with Ctrl-C or SIGTERM",
          flush=True)
    try:
        run_until_stopped(settings)
    except AlreadyRunning as exc:
        raise CliError(str(exc)) from None
    print("Surge worker stopped", flush=True)
    return 0


def cmd_db_upgrade(args, settings: Settings) -> int:
    from surge.schema import upgrade

    upgrade(settings.database_url, args.revision)
    print(f"database upgraded to {args.revision}")
    return 0


def cmd_demo(args, settings: Settings) -> int:
    from surge.briefs.production import Thresholds
    from surge.demo import load_demo

    if settings.env != "development":
        # Demo logins and the demo token are public: they belong on a developer's own database only.
        raise CliError(f"the demo network loads only with SURGE_ENV=development (now {settings.env})", exit_code=2)
    report = _in_transaction(settings, load_demo, secret_key=settings.secret,
                             thresholds=Thresholds(short_abandon_s=settings.short_abandon_s,
                                                   service_level_s=settings.service_level_s,
                                                   public_url=settings.public_url))
    print("Demo network loaded.")
    if report.logins:
        print("Demo logins (e-mail / password):")
        for role, email, password in report.logins:
            print(f"  {role:<18} {email:<32} {password}")
    if report.api_token:
        print(f"Demo API token (admin): {report.api_token}")
    if report.phone_token:
        print(f"Demo API token (phone system of houston-211): {report.phone_token}")
    return 0


def _read_password(args) -> str:
    if args.password_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    if not sys.stdin.isatty():
        raise CliError("no terminal to ask for the password on; pass --password-stdin", exit_code=2)
    first = getpass.getpass("Password: ")
    if first != getpass.getpass("Password again: "):
        raise CliError("the two passwords differ", exit_code=2)
    return first


def _problem(exc) -> str:
    """An ApiError as one line: its message, then each field at fault."""
    message = exc.message % exc.params if exc.params else exc.message
    details = "; ".join(f"{name.removesuffix('_slug')}: {text}" for name, text in exc.fields.items())
    return f"{message} {details}".strip()


def _validated(model, data: dict):
    from surge.kernel.errors import ApiError
    from surge.kernel.validation import validate

    try:
        return validate(model, data)
    except ApiError as exc:
        raise CliError(_problem(exc), exit_code=2) from None


def _in_transaction(settings: Settings, work, /, **kwargs):
    """The CLI's one transaction edge: `work(session, **kwargs)` as the operator (system:cli)."""
    from surge.kernel.db import make_engine, run_in_transaction
    from surge.kernel.errors import ApiError

    engine = make_engine(settings.database_url)
    try:
        return run_in_transaction(engine, work, **kwargs)
    except ApiError as exc:
        raise CliError(_problem(exc), exit_code=2) from None
    finally:
        engine.dispose()


def _operator():
    from surge.access.principal import system

    return system("cli")


def cmd_user_create(args, settings: Settings) -> int:
    from surge.accounts.models import UserIn
    from surge.accounts.users import create_user

    data = _validated(UserIn, {
        "email": args.email, "display_name": args.name or "", "role": args.role,
        "center_slug": args.center, "clearinghouse_slug": args.clearinghouse, "password": _read_password(args),
    })
    _in_transaction(settings, create_user, data=data, actor=_operator())
    print(f"created user {data.email} ({data.role.value})")
    return 0


def cmd_user_unlock(args, settings: Settings) -> int:
    from surge.accounts.models import normal_email
    from surge.accounts.throttle import unlock

    cleared = _in_transaction(settings, unlock, email=args.email, actor=_operator())
    email = normal_email(args.email)
    print(f"unlocked log-in for {email}" if cleared else f"{email} had no log-in lock or count; nothing to do")
    return 0


def cmd_audit_prune(args, settings: Settings) -> int:
    from datetime import timedelta

    from surge.accounts.login import prune
    from surge.kernel.clock import utcnow
    from surge.routing.decision_log import prune as prune_decisions

    removed = _in_transaction(settings, prune, now=utcnow(),
                              retention=timedelta(days=settings.login_audit_retention_days),
                              lockout=timedelta(seconds=settings.login_lockout_seconds), actor=_operator())
    print(f"pruned {removed['audit']} log-in audit rows older than {settings.login_audit_retention_days} days "
          f"and {removed['throttle']} idle throttle rows")
    decisions = _in_transaction(settings, prune_decisions,
                                before=utcnow() - timedelta(days=settings.route_decision_retention_days))
    print(f"pruned {decisions} routing decisions older than {settings.route_decision_retention_days} days")
    return 0


def cmd_token_create(args, settings: Settings) -> int:
    from surge.accounts.models import ApiTokenIn
    from surge.accounts.tokens import create_token

    data = _validated(ApiTokenIn, {"name": args.name, "role": args.role, "center_slug": args.center,
                                   "clearinghouse_slug": args.clearinghouse})
    plaintext = _in_transaction(settings, create_token, data=data, actor=_operator())
    print(f"created API token {data.name!r} ({data.role.value}); it is shown only once:")
    print(plaintext)
    return 0


def cmd_token_list(args, settings: Settings) -> int:
    from surge.accounts.tokens import list_tokens

    print(f"{'PREFIX':<13}  {'STATE':<7}  {'ROLE':<18} {'TIED TO':<24} NAME")
    for token in _in_transaction(settings, list_tokens, actor=_operator()):
        state = "revoked" if token.revoked_at else "live"
        print(f"{token.prefix}…  {state:<7}  {token.role:<18} {token.tie:<24} {token.name}")
    return 0


def cmd_token_revoke(args, settings: Settings) -> int:
    from surge.accounts.tokens import revoke

    token = _in_transaction(settings, revoke, prefix=args.prefix, actor=_operator())
    print(f"revoked API token {token.name!r}")
    return 0


def cmd_geo_locate(args, settings: Settings) -> int:
    import json

    from surge.kernel.errors import ApiError
    from surge.locations.lookups import locate
    from surge.kernel.validation import validate
    from surge.locations.models import LocateIn

    query = {name: value for name, value in (("zip", args.zip), ("county", args.county), ("lat", args.lat),
                                             ("lon", args.lon)) if value is not None}
    try:
        location = locate(validate(LocateIn, query))
    except ApiError as exc:
        raise CliError(_problem(exc), exit_code=1 if exc.status == 404 else 2) from None
    print(json.dumps(location.model_dump(mode="json"), indent=2))
    return 0


def cmd_routing_table(args, settings: Settings) -> int:
    from pathlib import Path

    from surge.kernel.clock import utcnow
    from surge.routing import exports
    from surge.routing.table import scheduled_table
    from surge.web.api.routing_table import TableQuery

    query = _validated(TableQuery, {name: value for name, value in (("state", args.state), ("at", args.at))
                                    if value is not None})
    table = _in_transaction(settings, scheduled_table, state=query.state, at=query.at or utcnow(),
                            national_fallback=settings.national_fallback, actor=_operator())
    try:
        if args.format == "kamailio":
            folder = Path(args.output or "surge-kamailio").resolve()
            for name, text in exports.kamailio_files(table, directory=str(folder)).items():
                (folder / name).parent.mkdir(parents=True, exist_ok=True)
                (folder / name).write_text(text)
            print(f"wrote the Kamailio files for {len(table.rows)} ZIP codes to {folder}; check them with: "
                  f"kamailio -c -f {folder / 'kamailio.cfg'}", file=sys.stderr)
            return 0
        chunks = {"csv": lambda: exports.csv_chunks(table), "json": lambda: [exports.to_json(table), "\n"],
                  "asterisk": lambda: [exports.asterisk_dialplan(table)]}[args.format]()
        if args.output:
            with open(args.output, "w", encoding="utf-8", newline="") as handle:
                handle.writelines(chunks)
            print(f"wrote {len(table.rows)} ZIP codes to {args.output}", file=sys.stderr)
        else:
            sys.stdout.writelines(chunks)
    except OSError as exc:
        raise CliError(f"cannot write {exc.filename or args.output}: {exc.strerror or exc}") from None
PROGRESS_FROM_BYTES = 256 * 1024  # smaller files import in a blink: no progress line


def _import_report(report, *, shown: int) -> None:
    from surge.calls.imports import KEEP_REJECTED

    print(f"read {report.lines:,} lines: {report.received:,} call events, {report.skipped:,} other lines skipped")
    print(f"stored {report.stored:,}, already stored {report.duplicates:,}, rejected {report.rejected:,}")
    if report.rejected:
        more = f" (the first {shown} of {report.rejected:,})" if report.rejected > shown else ""
        print(f"rejected lines{more}:")
        for rejection in report.first_rejected[:KEEP_REJECTED]:
            problems = "; ".join(f"{name}: {text}" for name, text in rejection.fields.items())
            print(f"  line {rejection.index}: {problems}")


def cmd_calls_import(args, settings: Settings) -> int:
    from surge.calls.imports import import_file
    from surge.kernel.db import make_engine
    from surge.kernel.errors import ApiError

    try:
        stream = open(args.file, "rb")  # bytes: each line is decoded alone, so a bad byte costs one line
        total = os.fstat(stream.fileno()).st_size
    except OSError as exc:
        raise CliError(f"cannot read {args.file}: {exc.strerror or exc}") from None
    show_progress = total >= PROGRESS_FROM_BYTES

    def progress(lines: int, consumed: int) -> None:
        if show_progress:
            print(f"\r{lines:,} lines read ({consumed * 100 // max(total, 1)} %)", end="", file=sys.stderr,
                  flush=True)

    engine = make_engine(settings.database_url)
    try:
        report = import_file(engine, stream, fmt=args.format, center=args.center, actor=_operator(),
                             progress=progress)
    except ApiError as exc:
        raise CliError(_problem(exc)) from None
    except IsADirectoryError:
        raise CliError(f"cannot read {args.file}: it is a directory") from None
    finally:
        if show_progress:
            print(file=sys.stderr)
        stream.close()
        engine.dispose()
    _import_report(report, shown=len(report.first_rejected))
    if report.received and not (report.stored or report.duplicates):
        raise CliError("no line of the file held a usable call event")
    return 0


def _open_upload(path: str):
    """The file to import, opened for reading, and its size; an unreadable one is a usage error (exit 2)."""
    try:
        stream = open(path, "rb")
        return stream, os.fstat(stream.fileno()).st_size
    except IsADirectoryError:
        raise CliError(f"cannot read {path}: it is a directory", exit_code=2) from None
    except OSError as exc:
        raise CliError(f"cannot read {path}: {exc.strerror or exc}", exit_code=2) from None


def cmd_fema_import(args, settings: Settings) -> int:
    from surge.alerts.fema import MAX_FILE_BYTES, import_csv

    stream, size = _open_upload(args.file)
    with stream:
        if size > MAX_FILE_BYTES:
            raise CliError(f"{args.file} is {size:,} bytes, over the limit of {MAX_FILE_BYTES:,}", exit_code=2)
        report = _in_transaction(settings, import_csv, stream=stream, actor=_operator())
    print(f"read {report.read:,}, stored {report.stored:,}, updated {report.updated:,}, "
          f"duplicated {report.duplicated:,}, rejected {report.rejected:,}")
    if report.rejected:
        shown = len(report.reasons)
        more = f" (the first {shown} of {report.rejected:,})" if report.rejected > shown else ""
        print(f"rejected rows{more}:")
        for reason in report.reasons:
            print(f"  {reason}")
    return 0


NEEDS_PROGRESS_EVERY = 1000  # rows between progress lines


def _needs_mapping(path: str):
    import json

    from surge.needs.mapping import ImportMapping

    try:
        with open(path, "rb") as handle:
            raw = handle.read(64_001)
    except OSError as exc:
        raise CliError(f"cannot read {path}: {exc.strerror or exc}", exit_code=2) from None
    if len(raw) > 64_000:
        raise CliError(f"{path} is over 64,000 bytes: a mapping is far smaller", exit_code=2)
    try:
        data = json.loads(raw.decode("utf-8-sig"))
    except ValueError as exc:
        raise CliError(f"{path} is not UTF-8 JSON: {exc}", exit_code=2) from None
    return _validated(ImportMapping, data)


def cmd_needs_import(args, settings: Settings) -> int:
    from surge.kernel.clock import utcnow
    from surge.kernel.i18n import translate
    from surge.needs.imports import import_csv

    mapping = _needs_mapping(args.mapping)
    stream, size = _open_upload(args.file)

    def progress(rows: int) -> None:
        print(f"{rows:,} rows read", file=sys.stderr, flush=True)

    with stream:
        if size > settings.needs_import_max_bytes:
            raise CliError(f"{args.file} is {size:,} bytes, over the limit of {settings.needs_import_max_bytes:,} "
                           "(SURGE_NEEDS_IMPORT_MAX_BYTES)", exit_code=2)
        report = _in_transaction(settings, import_csv, incident_slug=args.incident, center_slug=args.center,
                                 mapping=mapping, stream=stream, actor=_operator(), now=utcnow(),
                                 max_bytes=settings.needs_import_max_bytes, progress=progress,
                                 progress_every=NEEDS_PROGRESS_EVERY)
    print(f"read {report.read:,}, stored {report.stored:,}, duplicates {report.duplicates:,}, "
          f"rejected {report.rejected:,} (batch {report.batch})")
    if report.rejected:
        shown = report.rejections[:20]
        more = f" (the first {len(shown)} of {report.rejected:,})" if report.rejected > len(shown) else ""
        print(f"rejected rows{more}:")
        for rejection in shown:
            print(f"  line {rejection.line}: {translate('en', rejection.message, **rejection.params)}")


def _until(value: str):
    from datetime import datetime, timezone

    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise CliError(f"--until {value!r} is not an ISO 8601 date or time, such as 2026-11-28T07:00-06:00",
                       exit_code=2) from None
    return moment.replace(tzinfo=timezone.utc) if moment.tzinfo is None else moment


def cmd_briefs_catch_up(args, settings: Settings) -> int:
    from surge.briefs.production import Thresholds
    from surge.briefs.runs import produce_due
    from surge.kernel.clock import utcnow
    from surge.kernel.db import make_engine

    now = utcnow()
    until = _until(args.until)
    if until > now:
        print(f"periods end by now at the latest ({now.isoformat(timespec='seconds')}): a period still running "
              "has no brief yet", file=sys.stderr)
        until = now
    engine = make_engine(settings.database_url)
    try:
        produced = produce_due(engine, now=now, until=until, limit=settings.brief_catch_up_limit,
                               thresholds=Thresholds(short_abandon_s=settings.short_abandon_s,
                                                     service_level_s=settings.service_level_s,
                                                     public_url=settings.public_url))
    finally:
        engine.dispose()
    for brief in produced:
        print(f"{brief.incident_slug} brief {brief.number} ({brief.version}): "
              f"{brief.period_start.isoformat()} to {brief.period_end.isoformat()}")
    print(f"produced {len(produced)} brief{'' if len(produced) == 1 else 's'}")
    return 0


def _add_tie_options(parser) -> None:
    from surge.access.roles import Role

    parser.add_argument("--role", required=True, choices=[role.value for role in Role])
    parser.add_argument("--center", help="center slug (supervisor, call_taker)")
    parser.add_argument("--clearinghouse", help="clearinghouse slug (clearinghouse)")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="surge", description="Disaster-mode surge coordination for 2-1-1 networks")
    sub = parser.add_subparsers(dest="command", required=True)

    serve = sub.add_parser("serve", help="serve the app with uvicorn")
    serve.add_argument("--host")
    serve.add_argument("--port", type=int)
    serve.add_argument("--workers", type=int, default=1)
    serve.set_defaults(handler=cmd_serve)

    sub.add_parser("worker", help="deliver the outbox and run the scheduled jobs, in the foreground (several "
                   "may run on PostgreSQL; one on SQLite)").set_defaults(handler=cmd_worker)

    db = sub.add_parser("db", help="database maintenance").add_subparsers(dest="db_command", required=True)
    up = db.add_parser("upgrade", help="run the migrations to head")
    up.add_argument("revision", nargs="?", default="head")
    up.set_defaults(handler=cmd_db_upgrade)

    user = sub.add_parser("user", help="manage users").add_subparsers(dest="user_command", required=True)
    user_create = user.add_parser("create", help="create a user (asks for the password)")
    user_create.add_argument("--email", required=True)
    user_create.add_argument("--name", help="display name")
    _add_tie_options(user_create)
    user_create.add_argument("--password-stdin", action="store_true", help="read the password from standard input")
    user_create.set_defaults(handler=cmd_user_create)
    user_unlock = user.add_parser("unlock", help="lift every log-in lock and count on an account (audited)")
    user_unlock.add_argument("email")
    user_unlock.set_defaults(handler=cmd_user_unlock)

    audit = sub.add_parser("audit", help="audit log maintenance").add_subparsers(dest="audit_command", required=True)
    audit.add_parser("prune", help="delete log-in attempt rows past SURGE_LOGIN_AUDIT_RETENTION_DAYS and routing decisions past "
                     "SURGE_ROUTE_DECISION_RETENTION_DAYS (idempotent)"
                     ).set_defaults(handler=cmd_audit_prune)

    token = sub.add_parser("token", help="manage API tokens").add_subparsers(dest="token_command", required=True)
    token_create = token.add_parser("create", help="create an API bearer token; printed once, as the last line")
    token_create.add_argument("--name", required=True)
    _add_tie_options(token_create)
    token_create.set_defaults(handler=cmd_token_create)
    token.add_parser("list", help="list API tokens by the prefix shown at creation").set_defaults(handler=cmd_token_list)
    token_revoke = token.add_parser("revoke", help="revoke the API token that starts with PREFIX")
    token_revoke.add_argument("prefix")
    token_revoke.set_defaults(handler=cmd_token_revoke)

    geo = sub.add_parser("geo", help="geography").add_subparsers(dest="geo_command", required=True)
    geo_locate = geo.add_parser("locate", help="print the location JSON for a ZIP code, county or point")
    where = geo_locate.add_mutually_exclusive_group(required=True)
    where.add_argument("--zip")
    where.add_argument("--county", help="5-digit county FIPS code")
    where.add_argument("--lat", help="latitude (with --lon)")
    geo_locate.add_argument("--lon", help="longitude (with --lat)")
    geo_locate.set_defaults(handler=cmd_geo_locate)

    table = sub.add_parser("routing-table", help="write the routing table (by schedules) for phone systems")
    table.add_argument("--state", help="USPS code (TX) or two-digit FIPS code (48); every state when left out")
    table.add_argument("--at", help="ISO 8601 time with its UTC offset; now when left out")
    table.add_argument("--format", choices=["csv", "json", "kamailio", "asterisk"], default="csv")
    table.add_argument("--output", help="file to write (standard output when left out); for kamailio, the "
                       "directory (default ./surge-kamailio), whose absolute path kamailio.cfg names")
    table.set_defaults(handler=cmd_routing_table)
    calls = sub.add_parser("calls", help="call events").add_subparsers(dest="calls_command", required=True)
    calls_import = calls.add_parser("import", help="import a center's call events from a CSV file or an Asterisk "
                                    "queue_log (idempotent; bad lines are reported, the rest imported)")
    calls_import.add_argument("--format", required=True, choices=["csv", "queue_log"])
    calls_import.add_argument("--center", required=True, help="slug of the center the calls came to")
    calls_import.add_argument("file")
    calls_import.set_defaults(handler=cmd_calls_import)

    fema = sub.add_parser("fema", help="FEMA disaster declarations").add_subparsers(dest="fema_command", required=True)
    fema_import = fema.add_parser("import", help="import OpenFEMA DisasterDeclarationsSummaries rows from a CSV file "
                                  "(re-importing stores nothing twice)")
    fema_import.add_argument("file", help="the CSV file, UTF-8")
    fema_import.set_defaults(handler=cmd_fema_import)

    needs = sub.add_parser("needs", help="people's needs logged on incidents").add_subparsers(
        dest="needs_command", required=True)
    needs_import = needs.add_parser("import", help="import need reports from a center's I&R export (CSV, UTF-8); "
                                    "bad rows are reported, the rest stored; a record id stored before is a duplicate")
    needs_import.add_argument("--incident", required=True, help="slug of the active or demobilizing incident")
    needs_import.add_argument("--center", required=True, help="slug of the center whose export it is")
    needs_import.add_argument("--mapping", required=True, help="JSON file: the columns and what their values mean")
    needs_import.add_argument("file", help="the CSV file")
    needs_import.set_defaults(handler=cmd_needs_import)
    briefs = sub.add_parser("briefs", help="situation briefs").add_subparsers(dest="briefs_command", required=True)
    catch_up = briefs.add_parser("catch-up", help="produce every scheduled brief due by --until that is missing "
                                 "(idempotent: a second run produces nothing new)")
    catch_up.add_argument("--until", required=True, help="ISO 8601 date or time (UTC when it has no offset); "
                          "periods ending by then, and by now at the latest")
    catch_up.set_defaults(handler=cmd_briefs_catch_up)

    demo = sub.add_parser("demo", help="load the demo network (idempotent)")
    demo.set_defaults(handler=cmd_demo)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        settings = Settings.from_env()
    except SettingsError as exc:
        print(f"surge: {exc}", file=sys.stderr)
        return 2
    from surge.accounts.passwords import use_fast_hashing

    use_fast_hashing(settings.fast_password_hashing)
    from sqlalchemy import make_url
    from sqlalchemy.exc import OperationalError

    try:
        return args.handler(args, settings) or 0
    except CliError as exc:
        print(f"surge: {exc}", file=sys.stderr)
        return exc.exit_code
    except OperationalError as exc:
        where = make_url(settings.database_url).render_as_string(hide_password=True)
        print(f"surge: cannot use the database at {where}: {exc.orig}", file=sys.stderr)
        return 1


class CliError(Exception):
    def __init__(self, message: str, exit_code: int = 1):
        super().__init__(message)
        self.exit_code = exit_code


if __name__ == "__main__":
    sys.exit(main())
