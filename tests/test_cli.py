"""The `surge` command, run in-process through main(argv) against the test database.

One test runs the real console script as a process, to prove the entry point itself works.
"""

import json
import os
import subprocess
import sys

import pytest
from sqlmodel import Session, select

from surge.accounts.models import User
from surge.kernel.audit import AuditEntry


def test_user_create_reads_the_password_from_stdin(surge, engine, make_center):
    make_center("houston-211")
    result = surge("user", "create", "--email", "Sup@Example.org", "--role", "supervisor", "--center", "houston-211",
                   "--password-stdin", stdin="a-long-enough-password\n")
    assert result.returncode == 0, result.stderr
    with Session(engine) as session:
        user = session.exec(select(User)).one()
    assert (user.email, user.role, user.center_slug) == ("sup@example.org", "supervisor", "houston-211")
    assert user.password_hash.startswith("$argon2id$")
    with Session(engine) as session:
        entry = session.exec(select(AuditEntry).where(AuditEntry.action == "user.create")).one()
    assert entry.actor == "system:cli"
    assert json.loads(entry.diff) == {"email": "sup@example.org", "role": "supervisor", "center": "houston-211",
                                      "clearinghouse": None}


def test_user_create_refuses_a_center_role_without_a_center(surge, engine):
    result = surge("user", "create", "--email", "a@example.org", "--role", "call_taker", "--password-stdin",
                   stdin="a-long-enough-password\n")
    assert result.returncode == 2
    assert "tied to a center" in result.stderr
    with Session(engine) as session:
        assert session.exec(select(User)).all() == []


def test_user_create_refuses_a_short_password_and_a_duplicate(surge):
    short = surge("user", "create", "--email", "a@example.org", "--role", "admin", "--password-stdin", stdin="short\n")
    assert short.returncode == 2 and "12 characters" in short.stderr
    ok = surge("user", "create", "--email", "a@example.org", "--role", "admin", "--password-stdin",
               stdin="a-long-enough-password\n")
    assert ok.returncode == 0
    again = surge("user", "create", "--email", "a@example.org", "--role", "admin", "--password-stdin",
                  stdin="a-long-enough-password\n")
    assert again.returncode == 2 and "already exists" in again.stderr


def test_token_create_prints_a_working_token_last(surge, client):
    result = surge("token", "create", "--name", "County EOC", "--role", "emergency_manager")
    assert result.returncode == 0, result.stderr
    token = result.stdout.strip().splitlines()[-1]
    response = client.get("/api/v1/me", headers={"authorization": f"Bearer {token}"})
    assert response.json()["role"] == "emergency_manager"


def test_demo_is_idempotent_and_its_logins_work(surge, client, login, monkeypatch, engine):
    monkeypatch.setenv("SURGE_ENV", "development")
    first = surge("demo")
    second = surge("demo")
    assert first.returncode == 0 and second.returncode == 0, first.stderr
    assert first.stdout == second.stdout
    for role in ("admin", "emergency_manager", "supervisor", "call_taker", "clearinghouse", "partner"):
        assert role in first.stdout
    tokens = {line.split(":")[0]: line.split()[-1] for line in first.stdout.splitlines() if "API token" in line}
    admin = tokens["Demo API token (admin)"]
    phone = tokens["Demo API token (phone system of houston-211)"]
    assert client.get("/api/v1/audit", headers={"authorization": f"Bearer {admin}"}).status_code == 200
    assert client.get("/api/v1/audit", headers={"authorization": f"Bearer {phone}"}).status_code == 403
    routed = client.get("/api/v1/route?zip=77002", headers={"authorization": f"Bearer {phone}"})
    assert routed.status_code == 200 and routed.json()["home"] == "houston-211"
    incidents = client.get("/api/v1/incidents", headers={"authorization": f"Bearer {admin}"}).json()["incidents"]
    assert [(i["slug"], i["status"], i["exercise"]) for i in incidents] == [("gulf-hurricane-exercise", "active", True)]
    assert login("em@surge.example", "surge-demo-2026").status_code == 303
    _the_demo_exercise_has_people(engine)
    _the_demo_exercise_has_briefs_and_subscribers(engine)


def _the_demo_exercise_has_briefs_and_subscribers(engine):
    from surge.briefs.models import Brief
    from surge.briefs.subscription_models import BriefSubscription
    from surge.outbox.models import OutboxMessage

    with Session(engine) as session:
        briefs = session.exec(select(Brief.number, Brief.kind).order_by(Brief.number)).all()
        subscribed = session.exec(select(BriefSubscription.email).order_by(BriefSubscription.id)).all()
        mailed = session.exec(select(OutboxMessage.recipient).where(OutboxMessage.topic == "brief.produced")).all()
    assert briefs == [(n, "scheduled") for n in (1, 2, 3, 4)]  # once, however often loaded
    assert subscribed == ["eoc-duty@example.org", "partner@surge.example"]
    assert sorted(mailed) == sorted(["eoc-duty@example.org", "partner@surge.example"] * 4)


def _the_demo_exercise_has_people(engine):
    from sqlalchemy import func

    from surge.demo_intake import OFFERS, VOLUNTEERS
    from surge.intake.models import Donation, Referral, Volunteer

    with Session(engine) as session:
        volunteers = dict(session.exec(select(Volunteer.status, func.count()).group_by(Volunteer.status)).all())
        offers = dict(session.exec(select(Donation.status, func.count()).group_by(Donation.status)).all())
        referred = dict(session.exec(select(Referral.state, func.count()).group_by(Referral.state)).all())
    assert sum(volunteers.values()) == VOLUNTEERS and sum(offers.values()) == OFFERS  # once, however often loaded
    assert volunteers["matched"] and volunteers["reserve"] and offers["matched"] and offers["on_file"]
    assert all(referred.get(state) for state in ("sent", "acknowledged", "accepted", "declined", "fulfilled"))


def test_the_console_script_runs_as_a_process():
    """The installed `surge` entry point itself; everything else runs in-process."""
    script = os.path.join(os.path.dirname(sys.executable), "surge")
    env = {k: v for k, v in os.environ.items() if not k.startswith("SURGE_")}
    env["SURGE_ENV"] = "production"
    result = subprocess.run([script, "db", "upgrade"], capture_output=True, text=True, env=env, timeout=60)
    assert result.returncode == 2
    assert "SURGE_SECRET_KEY" in result.stderr
    assert subprocess.run([script, "--help"], capture_output=True, text=True, timeout=60).returncode == 0


def test_token_list_and_revoke(surge, client, make_center):
    make_center("houston-211")
    token = surge("token", "create", "--name", "Old IVR", "--role", "call_taker", "--center", "houston-211").stdout.split()[-1]
    listed = surge("token", "list")
    assert "Old IVR" in listed.stdout and "live" in listed.stdout and token not in listed.stdout
    short = surge("token", "revoke", "surge_")
    assert short.returncode == 2 and "too short" in short.stderr and "at least 10 characters" in short.stderr
    revoked = surge("token", "revoke", token[:14])
    assert revoked.returncode == 0, revoked.stderr
    assert client.get("/api/v1/me", headers={"authorization": f"Bearer {token}"}).status_code == 401
    assert "revoked" in surge("token", "list").stdout
    assert surge("token", "revoke", token[:14]).returncode == 2


def test_unreachable_database_is_explained_without_a_trace(surge, monkeypatch):
    monkeypatch.setenv("SURGE_DATABASE_URL", "postgresql+psycopg://postgres:hunter2@127.0.0.1:1/nowhere")
    result = surge("db", "upgrade")
    assert result.returncode == 1
    assert "cannot use the database" in result.stderr
    assert "hunter2" not in result.stderr and "Traceback" not in result.stderr


STRONG_SECRET = "Zq8vN2kR7xT4mW9pL3sH6dF1gJ5bC0yE-uA_oI"


def _production(monkeypatch, secret=STRONG_SECRET):
    monkeypatch.setenv("SURGE_ENV", "production")
    monkeypatch.setenv("SURGE_SECRET_KEY", secret)
    monkeypatch.delenv("SURGE_FAST_PASSWORD_HASHING", raising=False)


def test_token_list_has_a_header_row(surge):
    surge("token", "create", "--name", "Phones", "--role", "partner")
    lines = surge("token", "list").stdout.splitlines()
    assert lines[0].split() == ["PREFIX", "STATE", "ROLE", "TIED", "TO", "NAME"]
    assert "Phones" in lines[1]


@pytest.mark.parametrize("env", ["test", "production"])
def test_demo_loads_only_in_development(surge, engine, monkeypatch, env):
    if env == "production":
        _production(monkeypatch)
    else:
        monkeypatch.setenv("SURGE_ENV", env)
    result = surge("demo")
    assert result.returncode == 2 and "SURGE_ENV=development" in result.stderr
    with Session(engine) as session:
        assert session.exec(select(User)).all() == []


def test_production_refuses_to_serve_a_database_holding_demo_data(surge, monkeypatch, settings):
    from starlette.testclient import TestClient

    from surge.web.app import StartRefused, create_app

    monkeypatch.setenv("SURGE_ENV", "development")
    prefixes = [line.split()[-1][:12] for line in surge("demo").stdout.splitlines() if "API token" in line]
    _production(monkeypatch)
    refused = surge("serve", "--port", "1")
    assert refused.returncode == 1
    assert "demo" in refused.stderr and "admin@surge.example" in refused.stderr
    assert any(f"surge token revoke {prefix}" in refused.stderr for prefix in prefixes)
    assert len(refused.stderr.strip().splitlines()) == 1
    production = settings.with_(env="production", secret_key=STRONG_SECRET, fast_password_hashing=False,
                                allowed_hosts="testserver")
    with pytest.raises(StartRefused, match="admin@surge.example"):
        with TestClient(create_app(production)):
            pass


@pytest.mark.parametrize("secret", ["a" * 32, " " * 40, "ab" * 24, "0123456789" * 4, "x" * 31 + "y",
                                    "  " + STRONG_SECRET, "aabbccddee" * 4])
def test_production_refuses_weak_secrets_and_says_how_to_make_one(surge, monkeypatch, secret):
    _production(monkeypatch, secret)
    result = surge("token", "list")
    assert result.returncode == 2
    assert "SURGE_SECRET_KEY" in result.stderr and "secrets.token_urlsafe(48)" in result.stderr
    assert secret not in result.stderr


def test_production_accepts_a_generated_secret(surge, monkeypatch):
    import secrets

    _production(monkeypatch, secrets.token_urlsafe(48))
    assert surge("token", "list").returncode == 0
    _production(monkeypatch, secrets.token_hex(16))
    assert surge("token", "list").returncode == 0


def test_serve_refuses_an_unmigrated_database(surge, monkeypatch, tmp_path):
    monkeypatch.setenv("SURGE_DATABASE_URL", f"sqlite:///{tmp_path / 'empty.db'}")
    result = surge("serve", "--port", "1")
    assert result.returncode == 1
    assert "surge db upgrade" in result.stderr and "Traceback" not in result.stderr


@pytest.mark.parametrize("url", ["not a url", "nosuchdialect://x/y", "postgresql+nosuchdriver://h/db"])
def test_a_garbage_database_url_gets_one_line(surge, monkeypatch, url):
    monkeypatch.setenv("SURGE_DATABASE_URL", url)
    result = surge("db", "upgrade")
    assert result.returncode == 2
    assert result.stderr.startswith("surge: SURGE_DATABASE_URL: not a usable database URL")
    assert len(result.stderr.strip().splitlines()) == 1


def test_a_bad_allowed_hosts_pattern_is_named(surge, monkeypatch):
    monkeypatch.setenv("SURGE_ALLOWED_HOSTS", "surge.example.org, api.*.example.org")
    result = surge("token", "list")
    assert result.returncode == 2
    assert result.stderr.startswith("surge: SURGE_ALLOWED_HOSTS: 'api.*.example.org'")
def _lock(engine, email, address="198.51.100.9"):
    from datetime import timedelta

    from surge.accounts import throttle
    from surge.kernel.clock import utcnow
    from surge.kernel.db import run_in_transaction

    policy = throttle.Policy(max_failures=2, lockout=timedelta(minutes=15))
    now = utcnow()
    for step in range(3):
        verdict = run_in_transaction(engine, throttle.claim, email=email, address=address,
                                     now=now + timedelta(minutes=step), policy=policy)
    return verdict


def test_user_unlock_lifts_the_lock_and_is_audited(surge, engine):
    from surge.accounts.models import LoginThrottle

    assert _lock(engine, "boss@example.org").reason == "locked"
    result = surge("user", "unlock", "Boss@Example.org")
    assert result.returncode == 0, result.stderr
    assert "unlocked log-in for boss@example.org" in result.stdout
    with Session(engine) as session:
        assert session.exec(select(LoginThrottle)).all() == []
        entry = session.exec(select(AuditEntry).where(AuditEntry.action == "user.unlock")).one()
    assert (entry.actor, entry.target_id, json.loads(entry.diff)) == ("system:cli", "boss@example.org", {"cleared": 1})
    assert _lock(engine, "boss@example.org").reason == "locked"  # the lock is a fresh start, counted again
    again = surge("user", "unlock", "nobody@example.org")
    assert again.returncode == 0 and "nothing to do" in again.stdout


def test_audit_prune_removes_old_attempt_rows_only_and_is_idempotent(surge, engine):
    from datetime import timedelta

    from surge.kernel import audit
    from surge.kernel.clock import utcnow
    from surge.kernel.db import run_in_transaction

    long_ago = utcnow() - timedelta(days=91)
    for now, action in [(long_ago, "auth.login_failed"), (long_ago, "auth.login_refused"),
                        (utcnow(), "auth.login_failed")]:
        run_in_transaction(engine, audit.record_repeated, actor="anonymous", action=action, now=now,
                           window=timedelta(minutes=10), diff={"address": "198.51.100.9"})
    run_in_transaction(engine, audit.record, actor="system:cli", action="user.create")  # a state change: kept
    _lock(engine, "boss@example.org")  # a live lock: kept
    from surge.routing.decision_log import RouteDecision

    with Session(engine) as session:
        for id, when in [("old", long_ago), ("new", utcnow())]:
            session.add(RouteDecision(id=id, decided_at=when, at=when, county_fips="48201"))
        session.commit()
    first = surge("audit", "prune")
    assert first.returncode == 0, first.stderr
    assert "pruned 2 log-in audit rows older than 90 days" in first.stdout
    assert "pruned 1 routing decisions older than 90 days" in first.stdout
    with Session(engine) as session:
        assert [row.id for row in session.exec(select(RouteDecision))] == ["new"]
    with Session(engine) as session:
        left = sorted(row.action for row in session.exec(select(AuditEntry)))
    assert left == ["audit.prune", "auth.login_failed", "user.create"]
    second = surge("audit", "prune")
    assert "pruned 0 log-in audit rows" in second.stdout and "0 idle throttle rows" in second.stdout
