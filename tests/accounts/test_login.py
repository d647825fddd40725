from datetime import datetime, timedelta, timezone

from sqlmodel import Session, select

from surge.accounts.models import WebSession
from surge.kernel.audit import AuditEntry
from tests.conftest import PASSWORD, csrf_from


def audit_actions(engine):
    with Session(engine) as session:
        return [row.action for row in session.exec(select(AuditEntry).order_by(AuditEntry.id))]


def expire_sessions(engine):
    with Session(engine) as session:
        for row in session.exec(select(WebSession)):
            row.expires_at = datetime.now(timezone.utc) - timedelta(minutes=1)
            session.add(row)
        session.commit()


def test_login_then_home_shows_the_role_dashboard(client, make_user, login, engine):
    make_user("admin", email="boss@example.org")
    response = login("Boss@Example.org")
    assert response.status_code == 303
    assert response.headers["location"] == "/"
    cookie = response.headers["set-cookie"]
    assert "surge_session=" in cookie and "HttpOnly" in cookie and "SameSite=lax" in cookie.replace("Lax", "lax")
    home = client.get("/")
    assert home.status_code == 200
    assert "boss@example.org" in home.text
    assert "API tokens" in home.text  # admin-only section
    assert "auth.login" in audit_actions(engine)


def test_call_taker_home_hides_admin_sections(client, make_user, login):
    make_user("call_taker", email="ct@example.org")
    login("ct@example.org")
    home = client.get("/")
    assert home.status_code == 200
    assert "houston-211" in home.text
    assert "API tokens" not in home.text


def test_wrong_password_is_refused_and_audited(client, make_user, login, engine):
    make_user("partner", email="p@example.org")
    response = login("p@example.org", "wrong-password-here")
    assert response.status_code == 401
    assert "e-mail address or password is not right" in response.text
    assert "surge_session" not in response.headers.get("set-cookie", "")
    assert audit_actions(engine)[-1] == "auth.login_failed"


class FakeClock:
    """The app's clock, moved by the test: back-off and lock-out are decided without waiting or racing."""

    def __init__(self):
        self.now = datetime(2026, 11, 27, 12, 0, tzinfo=timezone.utc)

    def __call__(self):
        return self.now

    def advance(self, **delta):
        self.now += timedelta(**delta)


def test_repeated_failures_slow_down_then_lock_out(app, client, make_user, login):
    clock = app.state.clock = FakeClock()
    make_user("partner", email="p@example.org")
    statuses = [login("p@example.org", "bad-guess").status_code for _ in range(4)]
    # Three free tries, then the fourth is refused until the back-off passes.
    assert statuses == [401, 401, 401, 429]
    clock.advance(seconds=1)
    assert login("p@example.org", "bad-guess").status_code == 401  # the fourth failure: now wait two seconds
    clock.advance(seconds=1)
    waiting = login("p@example.org", PASSWORD)
    assert waiting.status_code == 429 and waiting.headers["retry-after"] == "1"
    clock.advance(seconds=2)
    assert login("p@example.org", "bad-guess").status_code == 401  # the fifth failure locks the address
    clock.advance(minutes=5)
    locked = login("p@example.org", PASSWORD)
    assert locked.status_code == 429
    assert "locked" in locked.text
    assert int(locked.headers["retry-after"]) == 600
    clock.advance(minutes=11)
    assert login("p@example.org", PASSWORD).status_code == 303


def test_login_without_csrf_token_is_refused(client, make_user):
    make_user("admin", email="a@example.org")
    client.get("/login")
    response = client.post("/login", data={"email": "a@example.org", "password": PASSWORD})
    assert response.status_code == 403
    assert "did not come from this site" in response.text


def test_login_with_a_forged_csrf_token_is_refused(client, make_user):
    make_user("admin", email="a@example.org")
    client.get("/login")
    response = client.post("/login", data={"email": "a@example.org", "password": PASSWORD, "csrf_token": "0" * 64})
    assert response.status_code == 403


def test_logout_ends_the_session(client, make_user, login, engine):
    make_user("admin", email="a@example.org")
    login("a@example.org")
    token = csrf_from(client.get("/").text)
    response = client.post("/logout", data={"csrf_token": token}, follow_redirects=False)
    assert response.status_code == 303
    with Session(engine) as session:
        assert session.exec(select(WebSession)).all() == []
    assert client.get("/api/v1/me").status_code == 401
    assert "auth.logout" in audit_actions(engine)


def test_expired_session_sends_people_back_to_log_in(client, make_user, login, engine):
    make_user("admin", email="a@example.org")
    login("a@example.org")
    expire_sessions(engine)
    page = client.get("/api/v1/audit")
    assert page.status_code == 401
    assert page.json()["error"]["code"] == "session_expired"
    login("a@example.org")
    expire_sessions(engine)
    page = client.get("/login?next=/", follow_redirects=False)
    assert "Your session has expired" in page.text


def test_next_only_follows_local_paths(client, make_user):
    make_user("admin", email="a@example.org")
    token = csrf_from(client.get("/login").text)
    response = client.post("/login", data={"email": "a@example.org", "password": PASSWORD, "csrf_token": token,
                                           "next": "https://evil.example/steal"}, follow_redirects=False)
    assert response.headers["location"] == "/"


def test_script_in_the_email_field_comes_back_escaped(client):
    token = csrf_from(client.get("/login").text)
    response = client.post("/login", data={"email": "<script>alert(1)</script>", "password": "x", "csrf_token": token})
    assert response.status_code == 401
    assert "<script>alert(1)</script>" not in response.text
    assert "&lt;script&gt;" in response.text


def test_malformed_form_body_gets_a_clear_400(client):
    client.get("/login")
    response = client.post("/login", content=b"--broken\r\n\xff", headers={"content-type": "multipart/form-data"})
    assert response.status_code == 400
    assert "could not be read" in response.text


def test_wrong_content_type_on_a_form_gets_415(client):
    response = client.post("/login", content=b'{"email": "a"}', headers={"content-type": "application/json", "accept": "text/html"})
    assert response.status_code == 415


def test_public_form_posts_are_rate_limited_per_address(settings, engine):
    from starlette.testclient import TestClient

    from surge.web.app import create_app

    with TestClient(create_app(settings.with_(public_form_posts_per_minute=3))) as client:
        token = csrf_from(client.get("/login").text)
        responses = [client.post("/login", data={"email": f"x{i}@example.org", "password": "nope", "csrf_token": token})
                     for i in range(4)]
    assert [r.status_code for r in responses] == [401, 401, 401, 429]
    assert "Too many submissions" in responses[-1].text
    assert 0 < int(responses[-1].headers["retry-after"]) <= 61


def test_the_window_forgets_old_hits():
    import time

    from surge.web.infra.rate_limit import RateLimits

    limits = RateLimits("memory://")
    assert limits.hit("form", 2, "a", seconds=1) == 0 and limits.hit("form", 2, "a", seconds=1) == 0
    assert 0 < limits.hit("form", 2, "a", seconds=1) <= 1
    assert limits.hit("form", 2, "b", seconds=1) == 0
    time.sleep(1.05)
    assert limits.hit("form", 2, "a", seconds=1) == 0


def test_production_cookies_are_secure(settings, engine, make_user):
    from starlette.testclient import TestClient

    from surge.web.app import create_app

    make_user("admin", email="a@example.org")
    production = settings.with_(env="production", fast_password_hashing=False, allowed_hosts="testserver")
    with TestClient(create_app(production), base_url="https://testserver") as client:
        page = client.get("/login?lang=es")
        assert all("Secure" in cookie for cookie in page.headers.get_list("set-cookie"))
        assert "max-age=63072000" in page.headers["strict-transport-security"]
        token = csrf_from(page.text)
        response = client.post("/login", data={"email": "a@example.org", "password": PASSWORD, "csrf_token": token},
                               follow_redirects=False)
        assert "Secure" in response.headers["set-cookie"]


def test_posting_a_form_after_the_session_expired_leads_back_to_log_in(client, make_user, login, engine):
    make_user("admin", email="a@example.org")
    login("a@example.org")
    token = csrf_from(client.get("/").text)
    expire_sessions(engine)
    response = client.post("/logout", data={"csrf_token": token}, follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == "/login?next=%2F&expired=1"


def test_an_oversized_form_gets_413_not_a_form_error(client):
    token = csrf_from(client.get("/login").text)
    response = client.post("/login", data={"email": "a" * 1_200_000, "password": "x", "csrf_token": token},
                           headers={"accept": "text/html"})
    assert response.status_code == 413
    assert "too large" in response.text


def test_an_oversized_form_without_a_length_is_stopped_while_streaming(client):
    token = csrf_from(client.get("/login").text)

    def chunks():
        yield f"csrf_token={token}&email=".encode()
        for _ in range(200):
            yield b"a" * 10_000

    response = client.post("/login", content=chunks(), headers={"content-type": "application/x-www-form-urlencoded"})
    assert response.status_code == 413


def test_logging_in_again_replaces_the_old_session(client, make_user, login, engine):
    make_user("admin", email="a@example.org")
    make_user("partner", email="p@example.org")
    login("a@example.org")
    token = csrf_from(client.get("/").text)
    response = client.post("/login", data={"email": "p@example.org", "password": PASSWORD, "csrf_token": token},
                           follow_redirects=False)
    assert response.status_code == 303
    with Session(engine) as session:
        assert len(session.exec(select(WebSession)).all()) == 1
    assert client.get("/api/v1/me").json()["role"] == "partner"
