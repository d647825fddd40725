"""The demo network: loaded by `surge demo`, safe to run again and again."""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass, field

from sqlmodel import Session, or_, select

from surge.accounts import tokens
from surge.access.principal import system
from surge.accounts.models import ApiToken, ApiTokenIn, User, UserIn
from surge.access.roles import Role
from surge.accounts.tokens import PREFIX
from surge.accounts.users import create_user, find_by_email
from surge.briefs.demo import load_briefs
from surge.briefs.production import Thresholds
from surge.calls.demo_day import generate_day
from surge.demo_intake import load_intake
from surge.demo_needs import load_need_reports
from surge.demo_network import EXERCISE, load_clearinghouses, load_exercise, load_needs, load_network
from surge.kernel.clock import utcnow
from surge.kernel.validation import validate

DEMO_PASSWORD = "surge-demo-2026"
DEMO_ACTOR = system("demo")
DEMO_TOKEN_NAME = "Demo integration (admin)"
# Demo data is recognisable by these marks, so production can refuse a database that holds it.
DEMO_EMAIL_DOMAIN = "@surge.example"
DEMO_TOKEN_PREFIX = PREFIX + "demo_"
PARTNER_EMAIL = "partner@surge.example"

# One person per role, on real Gulf-coast places: the Houston/Harris County 2-1-1 center and a
# Louisiana volunteer and donations clearinghouse.
DEMO_USERS = [
    (Role.ADMIN, "admin@surge.example", "Avery Admin", None, None),
    (Role.EMERGENCY_MANAGER, "em@surge.example", "Emery Manager", None, None),
    (Role.SUPERVISOR, "supervisor@surge.example", "Sam Supervisor", "houston-211", None),
    (Role.CALL_TAKER, "calltaker@surge.example", "Cal Taker", "houston-211", None),
    (Role.CLEARINGHOUSE, "clearinghouse@surge.example", "Clara House", None, "volunteer-louisiana"),
    (Role.PARTNER, PARTNER_EMAIL, "Pat Partner", None, None),
]


PHONE_TOKEN_NAME = "Demo phone system (houston-211)"


@dataclass
class DemoReport:
    logins: list[tuple[str, str, str]] = field(default_factory=list)  # (role, email, password)
    api_token: str | None = None
    phone_token: str | None = None


def demo_token(secret_key: str, purpose: bytes = b"surge-demo-token") -> str:
    """The same demo token on every run, so `make run` can always print it (only its hash is stored)."""
    return PREFIX + "demo_" + hmac.new(secret_key.encode(), purpose, hashlib.sha256).hexdigest()[:32]


def _ensure_token(session: Session, plaintext: str, body: dict) -> str:
    if not tokens.exists(session, plaintext=plaintext):
        tokens.store_token(session, data=validate(ApiTokenIn, body), plaintext=plaintext, actor=DEMO_ACTOR)
    return plaintext


def load_demo(session: Session, *, secret_key: str, thresholds: Thresholds | None = None) -> DemoReport:
    report = DemoReport()
    centers = load_network(session, actor=DEMO_ACTOR)
    load_clearinghouses(session, actor=DEMO_ACTOR)  # before the exercise, whose activation links them
    load_exercise(session, actor=DEMO_ACTOR, now=utcnow())
    load_needs(session, actor=DEMO_ACTOR, now=utcnow())
    load_intake(session, actor=DEMO_ACTOR, now=utcnow())
    load_need_reports(session, actor=DEMO_ACTOR, now=utcnow())
    generate_day(session, centers=centers, day_end=utcnow())
    for role, email, name, center, clearinghouse in DEMO_USERS:
        if find_by_email(session, email=email) is None:
            data = validate(UserIn, {"email": email, "display_name": name, "password": DEMO_PASSWORD,
                                     "role": role.value, "center_slug": center, "clearinghouse_slug": clearinghouse})
            create_user(session, data=data, actor=DEMO_ACTOR)
        report.logins.append((role.value, email, DEMO_PASSWORD))
    # After the partner exists, so that it is subscribed to the exercise's briefs.
    load_briefs(session, slug=EXERCISE["slug"], partner_email=PARTNER_EMAIL, actor=DEMO_ACTOR, now=utcnow(),
                thresholds=thresholds or Thresholds(short_abandon_s=5, service_level_s=60))
    report.api_token = _ensure_token(session, demo_token(secret_key),
                                     {"name": DEMO_TOKEN_NAME, "role": Role.ADMIN.value})
    # What Houston's phone system would use: it may post Houston's status and calls, and ask routes.
    report.phone_token = _ensure_token(session, demo_token(secret_key, b"surge-demo-phone-token"),
                                       {"name": PHONE_TOKEN_NAME, "role": Role.PHONE_SYSTEM.value,
                                        "center_slug": "houston-211"})
    return report


def leftovers(session: Session) -> str | None:
    """What demo data this database still holds, in one line naming what to remove, or None.

    The demo password and token are public, so a production server refuses such a database.
    """
    users = session.exec(select(User.email).where(User.email.endswith(DEMO_EMAIL_DOMAIN), User.is_active)
                         .order_by(User.email)).all()
    demo_tokens = session.exec(select(ApiToken.prefix).where(
        ApiToken.revoked_at.is_(None),
        or_(ApiToken.name == DEMO_TOKEN_NAME, ApiToken.prefix.startswith(DEMO_TOKEN_PREFIX)),
    ).order_by(ApiToken.prefix)).all()
    found = []
    if users:
        found.append(f"demo users {', '.join(users)} (delete them)")
    if demo_tokens:
        found.append("demo API tokens " + ", ".join(demo_tokens)
                     + f" (run `surge token revoke {demo_tokens[0]}` for each)")
    return "; ".join(found) or None
