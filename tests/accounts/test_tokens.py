from sqlmodel import Session, select

from surge.accounts.models import ApiToken


def test_request_without_a_token_gets_401_with_the_error_body(client):
    response = client.get("/api/v1/audit")
    assert response.status_code == 401
    body = response.json()
    assert set(body["error"]) == {"code", "message", "fields"}
    assert response.headers["www-authenticate"] == "Bearer"


def test_unknown_token_gets_401(client):
    response = client.get("/api/v1/me", headers={"authorization": "Bearer surge_not-a-real-token"})
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "invalid_token"


def test_token_with_the_wrong_role_gets_403(client, make_token):
    token = make_token(role="partner")
    response = client.get("/api/v1/audit", headers={"authorization": f"Bearer {token}"})
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "forbidden"


def test_token_carries_its_role_and_scope(client, make_token):
    token = make_token(role="call_taker", name="IVR", center="houston-211")
    response = client.get("/api/v1/me", headers={"authorization": f"Bearer {token}"})
    assert response.status_code == 200
    assert response.json() == {"kind": "token", "name": "IVR", "role": "call_taker", "center": "houston-211",
                               "clearinghouse": None}


def test_admin_token_reads_the_audit_log(client, make_token):
    token = make_token(role="admin")
    response = client.get("/api/v1/audit?limit=5", headers={"authorization": f"Bearer {token}"})
    assert response.status_code == 200
    assert response.json()["entries"][0]["action"] == "token.create"


def test_bad_limit_names_the_field(client, make_token):
    token = make_token(role="admin")
    response = client.get("/api/v1/audit?limit=abc", headers={"authorization": f"Bearer {token}"})
    assert response.status_code == 422
    assert "limit" in response.json()["error"]["fields"]


def test_only_the_hash_is_stored(engine, make_token):
    plaintext = make_token()
    with Session(engine) as session:
        stored = session.exec(select(ApiToken)).one()
    assert plaintext not in (stored.token_hash, stored.prefix)
    assert len(stored.token_hash) == 64


def test_browser_session_needs_a_csrf_header_for_unsafe_api_calls(client, make_user, login):
    # No unsafe API routes exist yet besides those later issues add; the rule is enforced in `require`.
    from starlette.requests import Request

    from surge.kernel.errors import Forbidden
    from surge.web.infra.auth import Principal, require

    scope = {"type": "http", "method": "POST", "path": "/api/v1/anything", "headers": [], "query_string": b"",
             "state": {"user": Principal("user", 1, "a", "admin", None, None, email="a@x.org"),
                       "csrf_token": "expected", "auth_error": None, "session_expired": False}}
    request = Request(scope)
    try:
        require(request)
    except Forbidden as exc:
        assert exc.code == "csrf_failed"
    else:
        raise AssertionError("an unsafe API call with a session cookie and no CSRF header was allowed")


def test_api_answers_set_no_cookies(client, make_token):
    token = make_token(role="partner")
    response = client.get("/api/v1/me", headers={"authorization": f"Bearer {token}"})
    assert response.status_code == 200
    assert "set-cookie" not in response.headers


def test_revoking_by_a_too_short_prefix_says_so_and_revokes_nothing(engine, make_token, client):
    import pytest

    from surge.accounts.tokens import revoke
    from surge.kernel.db import run_in_transaction
    from surge.kernel.errors import ValidationFailed
    from tests.conftest import TEST_ACTOR

    token = make_token(role="partner")
    with pytest.raises(ValidationFailed) as refused:
        run_in_transaction(engine, revoke, prefix=token[:8], actor=TEST_ACTOR)
    assert "too short" in refused.value.message and refused.value.params["count"] == 10
    assert client.get("/api/v1/me", headers={"authorization": f"Bearer {token}"}).status_code == 200


def test_a_bearer_token_wins_over_a_session_cookie_and_a_bad_one_is_not_rescued_by_it(client, make_token, make_user,
                                                                                     login):
    make_user("admin", email="admin@example.org")
    assert login("admin@example.org").status_code == 303
    assert client.get("/api/v1/me").json()["kind"] == "user"  # the session alone
    partner = make_token(role="partner", name="feed")
    both = client.get("/api/v1/me", headers={"authorization": f"Bearer {partner}"})
    assert both.status_code == 200 and both.json()["kind"] == "token" and both.json()["role"] == "partner"
    assert client.get("/api/v1/audit", headers={"authorization": f"Bearer {partner}"}).status_code == 403
    forged = client.get("/api/v1/audit", headers={"authorization": "Bearer surge_not-a-real-token"})
    assert forged.status_code == 401 and forged.json()["error"]["code"] == "invalid_token"
