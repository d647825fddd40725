"""Log-in limits as people meet them: per (account, address), per address, the messages, the audit trail."""

import json

import pytest
from sqlmodel import Session, select
from starlette.testclient import TestClient

from surge.accounts.models import LoginThrottle
from surge.kernel.audit import AuditEntry
from surge.web.app import create_app
from tests.accounts.test_login import FakeClock
from tests.conftest import PASSWORD, csrf_from

STRANGER, OWNER = "198.51.100.9", "203.0.113.7"


def browser(app, address: str) -> TestClient:
    return TestClient(app, client=(address, 50000))


def post_login(client: TestClient, email: str, password: str = "bad-guess-here", **extra):
    token = csrf_from(client.get("/login").text)
    return client.post("/login", data={"email": email, "password": password, "csrf_token": token, **extra},
                       follow_redirects=False)


def audit_rows(engine, action: str) -> list[AuditEntry]:
    with Session(engine) as session:
        return list(session.exec(select(AuditEntry).where(AuditEntry.action == action).order_by(AuditEntry.id)))


def fail_until_locked(client, clock, email, times=5):
    responses = []
    for _ in range(times):
        responses.append(post_login(client, email))
        clock.advance(seconds=30)  # past any back-off
    return responses


def test_a_strangers_failures_never_lock_the_owner_out_from_elsewhere(app, make_user):
    clock = app.state.clock = FakeClock()
    make_user("admin", email="boss@example.org")
    stranger = browser(app, STRANGER)
    statuses = [r.status_code for r in fail_until_locked(stranger, clock, "boss@example.org")]
    assert statuses == [401] * 5
    refused = post_login(stranger, "boss@example.org", PASSWORD)  # even the right password, from there
    assert refused.status_code == 429
    assert "locked from your connection for 15 minutes" in refused.text
    assert 0 < int(refused.headers["retry-after"]) <= 900
    owner = post_login(browser(app, OWNER), "boss@example.org", PASSWORD)
    assert owner.status_code == 303


def test_the_last_try_is_warned_and_the_lock_names_whom_to_ask(app, make_user):
    clock = app.state.clock = FakeClock()
    make_user("partner", email="p@example.org")
    responses = fail_until_locked(browser(app, STRANGER), clock, "p@example.org")
    assert "One more failed try" not in responses[2].text
    assert "One more failed try locks this account from your connection for 15 minutes." in responses[3].text
    assert "locked from your connection for 15 minutes" in responses[4].text
    assert "center&#39;s supervisor or the network administrator" in responses[4].text


def test_one_address_cannot_guess_across_many_accounts(settings, engine, make_user):
    app = create_app(settings.with_(login_address_max_failures=4))
    clock = app.state.clock = FakeClock()
    make_user("partner", email="p@example.org")
    sprayer = browser(app, STRANGER)
    assert [post_login(sprayer, f"user{i}@example.org").status_code for i in range(4)] == [401] * 4
    paused = post_login(sprayer, "p@example.org", PASSWORD)
    assert paused.status_code == 429
    assert "Log-in from it is paused for 15 minutes" in paused.text
    assert post_login(browser(app, OWNER), "p@example.org", PASSWORD).status_code == 303
    clock.advance(minutes=16)
    assert post_login(sprayer, "p@example.org", PASSWORD).status_code == 303


def test_a_short_wait_is_said_in_the_right_plural_form(app, client, make_user):
    app.state.clock = FakeClock()
    make_user("partner", email="p@example.org")
    for _ in range(3):
        post_login(client, "p@example.org")
    slowed = post_login(client, "p@example.org")
    assert slowed.status_code == 429 and slowed.headers["retry-after"] == "1"
    assert "Wait 1 second and try again." in slowed.text
    client.get("/login?lang=es", headers={"sec-fetch-site": "same-origin"})  # the switcher's own link
    assert "Espere 1 segundo e inténtelo de nuevo." in post_login(client, "p@example.org").text


def test_an_empty_form_gets_field_messages_and_counts_nothing(client, engine):
    response = post_login(client, " ", "")
    assert response.status_code == 422
    assert "Enter your e-mail address." in response.text and "Enter your password." in response.text
    assert 'aria-invalid="true"' in response.text
    with Session(engine) as session:
        assert session.exec(select(LoginThrottle)).all() == []
    assert audit_rows(engine, "auth.login_failed") == []


def test_signed_in_callers_are_rate_limited_on_login_too(settings, engine, make_user):
    make_user("partner", email="p@example.org")
    with browser(create_app(settings.with_(public_form_posts_per_minute=3)), OWNER) as client:
        assert post_login(client, "p@example.org", PASSWORD).status_code == 303
        token = csrf_from(client.get("/").text)
        statuses = [client.post("/login", data={"email": f"x{i}@example.org", "password": "guess-guess",
                                                "csrf_token": token}).status_code for i in range(3)]
    assert statuses == [401, 401, 429]
    [limited] = audit_rows(engine, "auth.login_rate_limited")
    assert json.loads(limited.diff) == {"address": OWNER}


def test_a_stale_log_in_form_in_a_second_tab_leads_home(client, make_user):
    make_user("partner", email="p@example.org")
    stale_token = csrf_from(client.get("/login").text)
    assert post_login(client, "p@example.org", PASSWORD).status_code == 303  # the first tab logs in
    second_tab = client.post("/login", data={"email": "p@example.org", "password": PASSWORD,
                                             "csrf_token": stale_token}, follow_redirects=False)
    assert second_tab.status_code == 303 and second_tab.headers["location"] == "/"


def test_an_api_caller_without_a_token_is_told_to_send_one(client):
    response = client.get("/api/v1/me")
    assert response.status_code == 401
    assert "Authorization header: Bearer" in response.json()["error"]["message"]
    assert "log in" not in response.json()["error"]["message"].lower()


def test_when_every_hashing_slot_is_busy_log_in_gets_503_with_retry_after(settings, engine, make_user):
    app = create_app(settings.with_(password_hashing_slots=1))
    make_user("partner", email="p@example.org")
    client = browser(app, OWNER)
    token = csrf_from(client.get("/login").text)
    with app.state.hashing_gate.slot():  # another log-in is hashing
        busy = client.post("/login", data={"email": "p@example.org", "password": PASSWORD, "csrf_token": token},
                           follow_redirects=False)
    assert busy.status_code == 503 and busy.headers["retry-after"] == "2"
    assert "Wait 2 seconds and try again." in busy.text
    assert [json.loads(row.diff) for row in audit_rows(engine, "auth.login_busy")] == [{"address": OWNER}]
    with Session(engine) as session:
        assert session.exec(select(LoginThrottle)).all() == []  # nothing counted against the user
    assert post_login(client, "p@example.org", PASSWORD).status_code == 303


def test_every_attempt_is_audited_and_a_flood_becomes_one_counted_row(settings, engine, make_user):
    app = create_app(settings.with_(public_form_posts_per_minute=1000))
    clock = app.state.clock = FakeClock()
    make_user("partner", email="p@example.org")
    attacker = browser(app, STRANGER)
    fail_until_locked(attacker, clock, "p@example.org")
    for _ in range(40):
        assert post_login(attacker, "p@example.org").status_code == 429
    assert post_login(browser(app, OWNER), "p@example.org", PASSWORD).status_code == 303
    failed = audit_rows(engine, "auth.login_failed")
    assert sum(row.count for row in failed) == 5
    assert {json.loads(row.diff)["address"] for row in failed} == {STRANGER}
    [refused] = audit_rows(engine, "auth.login_refused")
    assert refused.count == 40 and refused.target_id == "p@example.org"
    assert json.loads(refused.diff) == {"address": STRANGER, "reason": "locked"}
    [success] = audit_rows(engine, "auth.login")
    assert json.loads(success.diff) == {"address": OWNER}


@pytest.mark.parametrize("language", ["en", "es"])
def test_lock_messages_are_translated(app, make_user, language):
    clock = app.state.clock = FakeClock()
    make_user("partner", email="p@example.org")
    client = browser(app, STRANGER)
    client.get(f"/login?lang={language}", headers={"sec-fetch-site": "same-origin"})  # the switcher
    locked = fail_until_locked(client, clock, "p@example.org")[-1].text
    expected = {"en": "15 minutes", "es": "15 minutos"}[language]
    assert expected in locked


def test_a_successful_log_in_gives_its_count_back_to_the_address(settings, engine, make_user):
    app = create_app(settings.with_(login_address_max_failures=3))
    app.state.clock = FakeClock()
    make_user("partner", email="p@example.org")
    office = browser(app, OWNER)  # colleagues behind one address, mostly typing the right password
    assert post_login(office, "typo@example.org").status_code == 401
    assert [post_login(office, "p@example.org", PASSWORD).status_code for _ in range(4)] == [303] * 4
    assert post_login(office, "other@example.org").status_code == 401
    assert post_login(office, "p@example.org", PASSWORD).status_code == 303  # two failures of three: still open


def test_an_ipv6_subscriber_cannot_dodge_limits_by_moving_within_its_64(app, engine, make_user):
    clock = app.state.clock = FakeClock()
    make_user("partner", email="p@example.org")
    for host in range(1, 6):  # a fresh address for every guess, all in 2001:db8:1:2::/64
        post_login(browser(app, f"2001:db8:1:2::{host}"), "p@example.org")
        clock.advance(seconds=30)
    assert post_login(browser(app, "2001:db8:1:2::99"), "p@example.org", PASSWORD).status_code == 429
    assert post_login(browser(app, "2001:db8:1:3::1"), "p@example.org", PASSWORD).status_code == 303
    addresses = {json.loads(row.diff)["address"] for row in audit_rows(engine, "auth.login_failed")}
    assert addresses == {f"2001:db8:1:2::{host}" for host in range(1, 6)}  # the audit keeps the full address
