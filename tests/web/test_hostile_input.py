"""Whatever a client sends, the answer is a clear 4xx: never a 500, never a half-written record."""

import json

import pytest
from sqlmodel import Session, select

from surge.kernel.audit import AuditEntry
from tests.conftest import csrf_from

HOUSTON_BOX = {"type": "Polygon", "coordinates": [[[-95.5, 29.6], [-95.2, 29.6], [-95.2, 29.9], [-95.5, 29.9], [-95.5, 29.6]]]}


@pytest.fixture
def admin_headers(make_token):
    return {"authorization": f"Bearer {make_token(role='admin')}"}


@pytest.mark.parametrize("query,field", [
    ("zip=77002&zip=77003", "zip"),
    ("county=48201&county=48201", "county"),
    ("lat=29.7&lat=29.8&lon=-95.3", "lat"),
    ("lat=nan&lon=-95.3", "lat"),
    ("lat=inf&lon=-95.3", "lat"),
    ("lat=２９.７&lon=-95.3", "lat"),  # full-width digits
    ("zip=７７００２", "zip"),
    ("lat=29.7", "lon"),  # the missing half of the pair is the one named
    ("lon=-95.3", "lat"),
    ("lat=" + "9" * 400 + "&lon=-95.3", "lat"),
    ("zip=77002&lat=29.7&lon=-95.3", "lat"),
    ("zip=%00", "zip"),
])
def test_locate_refuses_each_malformed_query_naming_the_field(client, query, field):
    response = client.get(f"/api/v1/geo/locate?{query}")
    assert response.status_code == 422, response.text
    assert field in response.json()["error"]["fields"]


@pytest.mark.parametrize("query", ["geometry=yes", "geometry=1&geometry=0", "geometry=%00"])
def test_county_refuses_unknown_flag_values(client, query):
    response = client.get(f"/api/v1/geo/counties/48201?{query}")
    assert response.status_code == 422
    assert "geometry" in response.json()["error"]["fields"]


@pytest.mark.parametrize("limit", ["²", "１０", "-1", "0", "501", "1" * 4400, "1.5", "ten"])
def test_audit_limit_refuses_what_is_not_a_small_whole_number(client, admin_headers, limit):
    response = client.get("/api/v1/audit", params={"limit": limit}, headers=admin_headers)
    assert response.status_code == 422
    assert response.json()["error"]["fields"]["limit"] == "Use a whole number from 1 to 500."


def test_audit_limit_given_twice_is_refused(client, admin_headers):
    response = client.get("/api/v1/audit?limit=5&limit=6", headers=admin_headers)
    assert response.status_code == 422
    assert response.json()["error"]["fields"]["limit"] == "Give this parameter only once."


def _post_json(client, headers, raw: bytes):
    return client.post("/api/v1/geo/coverage", content=raw, headers={**headers, "content-type": "application/json"})


def test_json_nested_100000_deep_is_a_400(client, admin_headers):
    response = _post_json(client, admin_headers, b"[" * 100_000 + b"]" * 100_000)
    assert response.status_code == 400
    assert "nested too deeply" in response.json()["error"]["message"]


def test_an_integer_of_5000_digits_is_a_400(client, admin_headers):
    body = b'{"type": "Polygon", "coordinates": [[[' + b"1" * 5000 + b', 29], [1, 2], [3, 4], [1, 29]]]}'
    response = _post_json(client, admin_headers, body)
    assert response.status_code == 400
    assert "number too long" in response.json()["error"]["message"]


def test_a_400_digit_coordinate_is_a_422(client, admin_headers):
    huge = "9" * 400
    body = f'{{"type": "Polygon", "coordinates": [[[{huge}.5, 29], [-95, 29], [-95, 30], [{huge}.5, 29]]]}}'
    response = _post_json(client, admin_headers, body.encode())
    assert response.status_code == 422
    assert response.json()["error"]["fields"]


@pytest.mark.parametrize("escape", ["\\ud800", "\\udfff", "\\u0000"])
def test_lone_surrogates_and_nul_in_json_are_a_400(client, admin_headers, escape):
    body = ('{"type": "Polyg' + escape + 'on", "coordinates": []}').encode()
    response = _post_json(client, admin_headers, body)
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "bad_encoding"


def test_a_surrogate_pair_is_ordinary_text(client, admin_headers):
    feature = {"type": "Feature", "properties": {"name": "\U0001F30A"}, "geometry": HOUSTON_BOX}
    response = _post_json(client, admin_headers, json.dumps(feature).encode())  # ensure_ascii: \ud83c\udf0a
    assert response.status_code == 200


def test_a_non_ascii_csrf_token_in_a_form_is_a_403(client):
    client.get("/login")
    response = client.post("/login", data={"email": "a@example.org", "password": "x", "csrf_token": "é" * 64})
    assert response.status_code == 403


def test_a_non_ascii_csrf_header_is_a_403(client, make_user, login):
    make_user("admin", email="a@example.org")
    login("a@example.org")
    response = client.post("/api/v1/geo/coverage", json=HOUSTON_BOX,
                           headers={"x-csrf-token": "ñ".encode() * 32})
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "csrf_failed"


def test_a_nul_in_a_form_field_is_refused_and_nothing_is_written(client, engine):
    token = csrf_from(client.get("/login").text)
    response = client.post("/login", data={"email": "a\x00@example.org", "password": "whatever-it-is",
                                           "csrf_token": token})
    assert response.status_code == 400
    with Session(engine) as session:
        assert session.exec(select(AuditEntry)).all() == []


def test_the_longest_e_mail_address_can_fail_and_then_log_in(client, make_user, login, engine):
    """320 characters: the audit log must hold it (it once could not, on PostgreSQL)."""
    email = "a" * 64 + "@" + "b" * 63 + "." + "c" * 63 + "." + "d" * 63 + "." + "e" * 59 + ".org"
    assert len(email) == 320
    make_user("admin", email=email)
    assert login(email, "a-wrong-password").status_code == 401
    assert login(email).status_code == 303
    with Session(engine) as session:
        actions = [(row.action, row.target_id) for row in session.exec(select(AuditEntry).order_by(AuditEntry.id))]
    assert ("auth.login_failed", email) in actions
