"""The `surge` command line."""

from __future__ import annotations

import argparse
import getpass
import sys

from surge.settings import Settings, SettingsError


def cmd_serve(args, settings: Settings) -> int:
    from surge.serving import serve

    if args.workers < 1:
        raise CliError("--workers must be at least 1", exit_code=2)
    host, port = args.host or settings.host, args.port or settings.port
    print(f"Starting Surge on http://{host}:{port}", flush=True)
    try:
        serve(settings, host=host, port=port, workers=args.workers)
    except OSError as exc:
        raise CliError(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from None
    return 0


def cmd_db_upgrade(args, settings: Settings) -> int:
    from surge.migrate import upgrade

    upgrade(settings.database_url, args.revision)
    print(f"database upgraded to {args.revision}")
    return 0


def cmd_demo(args, settings: Settings) -> int:
    from surge.db import make_engine
    from surge.demo import load_demo

    if settings.is_production:
        raise CliError("the demo network is not for production (SURGE_ENV=production)", exit_code=2)
    engine = make_engine(settings.database_url)
    try:
        report = load_demo(engine, settings)
    finally:
        engine.dispose()
    print("Demo network loaded.")
    if report.logins:
        print("Demo logins (e-mail / password):")
        for role, email, password in report.logins:
            print(f"  {role:<18} {email:<32} {password}")
    if report.api_token:
        print(f"Demo API token (admin): {report.api_token}")
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


def _validated(model, data: dict):
    from surge.errors import ApiError
    from surge.validation import validate

    try:
        return validate(model, data)
    except ApiError as exc:
        details = "; ".join(f"{name.removesuffix('_slug')}: {text}" for name, text in exc.fields.items())
        raise CliError(f"{exc.message} {details}".strip(), exit_code=2) from None


def _in_transaction(settings: Settings, work):
    from surge.db import make_engine, unit_of_work
    from surge.errors import ApiError

    engine = make_engine(settings.database_url)
    try:
        with unit_of_work(engine) as session:
            return work(session)
    except ApiError as exc:
        raise CliError(exc.message % exc.params if exc.params else exc.message, exit_code=2) from None
    finally:
        engine.dispose()


def cmd_user_create(args, settings: Settings) -> int:
    from surge.accounts.models import UserIn
    from surge.accounts.users import create_user

    data = _validated(UserIn, {
        "email": args.email, "display_name": args.name or "", "role": args.role,
        "center_slug": args.center, "clearinghouse_slug": args.clearinghouse, "password": _read_password(args),
    })
    user = _in_transaction(settings, lambda session: create_user(session, data=data, actor="system:cli"))
    print(f"created user {user.email} ({user.role})")
    return 0


def cmd_token_create(args, settings: Settings) -> int:
    from surge.accounts.models import ApiTokenIn
    from surge.accounts.tokens import create_token

    data = _validated(ApiTokenIn, {"name": args.name, "role": args.role, "center_slug": args.center,
                                   "clearinghouse_slug": args.clearinghouse})
    _token, plaintext = _in_transaction(settings, lambda session: create_token(session, data=data, actor="system:cli"))
    print(f"created API token {data.name!r} ({data.role.value}); it is shown only once:")
    print(plaintext)
    return 0


def cmd_token_list(args, settings: Settings) -> int:
    from surge.accounts.tokens import list_tokens

    def rows(session):
        return [(t.prefix, t.name, t.role, t.center_slug or t.clearinghouse_slug or "",
                 "revoked" if t.revoked_at else "live") for t in list_tokens(session)]

    for prefix, name, role, tie, state in _in_transaction(settings, rows):
        print(f"{prefix}…  {state:<7}  {role:<18} {tie:<24} {name}")
    return 0


def cmd_token_revoke(args, settings: Settings) -> int:
    from datetime import datetime, timezone

    from surge.accounts.tokens import revoke

    token = _in_transaction(settings, lambda session: revoke(session, prefix=args.prefix, actor="system:cli",
                                                             now=datetime.now(timezone.utc)))
    print(f"revoked API token {token.name!r}")
    return 0


def cmd_geo_locate(args, settings: Settings) -> int:
    import json

    from surge.errors import ApiError
    from surge.geography import locate

    try:
        location = locate(zip=args.zip, county=args.county, lat=args.lat, lon=args.lon)
    except ApiError as exc:
        reasons = "; ".join(f"{name}: {text}" for name, text in exc.fields.items())
        message = exc.message % exc.params if exc.params else exc.message
        raise CliError(f"{message} {reasons}".strip(), exit_code=1 if exc.status == 404 else 2) from None
    print(json.dumps(location.to_dict(), indent=2))
    return 0


def _add_tie_options(parser) -> None:
    from surge.accounts.roles import Role

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
