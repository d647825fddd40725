"""One-time form tokens: signed, bound to their form and their time; the nonce keys the submission, so it counts once."""

from datetime import timedelta

import pytest
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.responses import JSONResponse
from starlette.routing import Route
from starlette.testclient import TestClient

from surge.kernel.clock import utcnow
from surge.kernel.errors import BadRequest
from surge.kernel.idempotency import run_once
from surge.kernel.settings import Settings
from surge.web.infra import form_tokens
from surge.web.infra.error_handlers import exception_handlers
from surge.web.infra.idempotency_header import idempotency_key, request_hash
from surge.web.infra.middleware import LanguageMiddleware
from tests.conftest import TEST_SECRET

NOW = utcnow()


def test_a_token_gives_back_its_nonce_and_each_token_is_new():
    token = form_tokens.issue(TEST_SECRET, "volunteer", NOW)
    assert len(token) <= 120 and all(c.isalnum() or c in "-_." for c in token)
    nonce = form_tokens.verify(TEST_SECRET, token, "volunteer", NOW + timedelta(hours=11))
    assert len(nonce) == 22
    other = form_tokens.issue(TEST_SECRET, "volunteer", NOW)
    assert other != token and form_tokens.verify(TEST_SECRET, other, "volunteer", NOW) != nonce


def test_the_settings_sign_as_their_secret():
    settings = Settings(secret_key=TEST_SECRET)
    token = form_tokens.issue(settings, "donation", NOW)
    assert form_tokens.verify(TEST_SECRET, token, "donation", NOW) == form_tokens.verify(settings, token, "donation", NOW)


def _refused(token, purpose="volunteer", now=NOW, secret=TEST_SECRET):
    with pytest.raises(BadRequest) as refused:
        form_tokens.verify(secret, token, purpose, now)
    assert refused.value.status == 400 and refused.value.code == "form_token_invalid"
    assert refused.value.message == "This form has expired or was changed. Reload the page and try again."


def test_forged_changed_foreign_and_expired_tokens_are_refused():
    token = form_tokens.issue(TEST_SECRET, "volunteer", NOW)
    payload, signature = token.split(".")
    _refused(token, purpose="donation")  # another form's token
    _refused(token, secret="another-secret-that-is-long-enough-0123456789")
    _refused(token, now=NOW + timedelta(hours=12, seconds=1))
    _refused(token, now=NOW - timedelta(minutes=6))  # issued in the future
    flipped = ("A" if payload[0] != "A" else "B") + payload[1:]
    _refused(f"{flipped}.{signature}")
    _refused(f"{payload}.{signature[:-2]}")
    for junk in ("", None, "no-dot", "a.b.c", "é.é", "!!!.???", token + "x", 42):
        _refused(junk)


def test_a_shorter_max_age_is_honoured():
    token = form_tokens.issue(TEST_SECRET, "volunteer", NOW)
    with pytest.raises(BadRequest):
        form_tokens.verify(TEST_SECRET, token, "volunteer", NOW + timedelta(minutes=31), max_age=timedelta(minutes=30))


def test_a_double_submit_of_one_form_creates_one_record(engine):
    """The nonce is the idempotency key: the second post gets the first answer, and the work ran once."""
    token = form_tokens.issue(TEST_SECRET, "volunteer", NOW)
    body = {"name": "Ana", "skills": ["muck_out"]}
    calls = []

    def create_volunteer(session):
        calls.append(1)
        return 201, {"volunteer": len(calls)}

    answers = []
    for _ in range(2):
        nonce = form_tokens.verify(TEST_SECRET, token, "volunteer", utcnow())
        answers.append(run_once(engine, "form:volunteer", nonce, request_hash("POST", "/volunteer", body),
                                create_volunteer))
    assert answers == [(201, {"volunteer": 1})] * 2 and len(calls) == 1
    # A fresh page (a new token) is a new submission.
    fresh = form_tokens.verify(TEST_SECRET, form_tokens.issue(TEST_SECRET, "volunteer", NOW), "volunteer", NOW)
    run_once(engine, "form:volunteer", fresh, request_hash("POST", "/volunteer", body), create_volunteer)
    assert len(calls) == 2


def _echo_app():
    async def echo(request):
        return JSONResponse({"key": idempotency_key(request, required=request.query_params.get("required") == "1")})

    async def form(request):
        form_tokens.verify(TEST_SECRET, request.query_params.get("token"), "volunteer", utcnow())
        return JSONResponse({})

    return Starlette(routes=[Route("/echo", echo, methods=["POST"]), Route("/form", form, methods=["POST"])],
                     middleware=[Middleware(LanguageMiddleware, secure=False)], exception_handlers=exception_handlers())


def test_the_header_is_read_and_checked():
    client = TestClient(_echo_app(), headers={"accept": "application/json"})
    assert client.post("/echo").json() == {"key": None}
    assert client.post("/echo", headers={"Idempotency-Key": "b1f0-7c"}).json() == {"key": "b1f0-7c"}
    assert client.post("/echo", headers={"Idempotency-Key": "k" * 200}).json() == {"key": "k" * 200}
    missing = client.post("/echo?required=1")
    assert missing.status_code == 400 and missing.json()["error"]["code"] == "idempotency_key_missing"
    for bad in ("k" * 201, "tab\there", "caf\xe9"):
        answer = client.post("/echo", headers=[("Idempotency-Key", bad.encode("latin-1"))])
        assert answer.status_code == 400 and answer.json()["error"]["code"] == "idempotency_key_invalid"
    twice = client.post("/echo", headers=[("Idempotency-Key", "a"), ("Idempotency-Key", "b")])
    assert twice.status_code == 400


def test_the_refusals_are_in_the_readers_language():
    client = TestClient(_echo_app(), headers={"accept": "application/json"})
    expired = client.post("/form?token=forged.token", headers={"accept-language": "es"})
    assert expired.status_code == 400 and "Vuelva a cargar la página" in expired.json()["error"]["message"]
    bad_key = client.post("/echo", headers={"Idempotency-Key": "", "accept-language": "es"})
    assert bad_key.status_code == 400 and "Idempotency-Key" in bad_key.json()["error"]["message"]


def test_the_request_hash_is_canonical():
    one = request_hash("post", "/api/v1/volunteers", {"b": 1, "a": [1, "é"]})
    assert one == request_hash("POST", "/api/v1/volunteers", {"a": [1, "é"], "b": 1}) and len(one) == 64
    assert one != request_hash("POST", "/api/v1/volunteers", {"a": [1, "e"], "b": 1})
    assert one != request_hash("POST", "/api/v1/donations", {"a": [1, "é"], "b": 1})
