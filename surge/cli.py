"""The `surge` command line."""

from __future__ import annotations

import argparse
import sys

from surge.settings import Settings, SettingsError


def cmd_serve(args, settings: Settings) -> int:
    import uvicorn

    from surge.logs import configure_logging

    configure_logging(settings)
    uvicorn.run(
        "surge.app:create_app",
        factory=True,
        host=args.host or settings.host,
        port=args.port or settings.port,
        workers=args.workers,
        proxy_headers=True,
        log_config=None,
        access_log=False,
    )
    return 0


def cmd_db_upgrade(args, settings: Settings) -> int:
    from surge.migrate import upgrade

    upgrade(settings.database_url, args.revision)
    print(f"database upgraded to {args.revision}")
    return 0


def cmd_demo(args, settings: Settings) -> int:
    from surge.db import make_engine
    from surge.demo import load_demo

    engine = make_engine(settings.database_url)
    report = load_demo(engine)
    engine.dispose()
    print("Demo network loaded.")
    if report.logins:
        print("Demo logins (e-mail / password):")
        for role, email, password in report.logins:
            print(f"  {role:<18} {email:<32} {password}")
    if report.api_token:
        print(f"Demo API token (admin): {report.api_token}")
    return 0


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
    try:
        return args.handler(args, settings) or 0
    except CliError as exc:
        print(f"surge: {exc}", file=sys.stderr)
        return exc.exit_code


class CliError(Exception):
    def __init__(self, message: str, exit_code: int = 1):
        super().__init__(message)
        self.exit_code = exit_code


if __name__ == "__main__":
    sys.exit(main())
