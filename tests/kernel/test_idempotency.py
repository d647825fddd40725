"""Idempotency keys: the work runs once per key, its answer is kept in the same transaction, repeats get it back."""

import hashlib
import threading
from datetime import timedelta

import pytest
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from surge.kernel import idempotency
from surge.kernel.audit import AuditEntry, record
from surge.kernel.clock import utcnow
from surge.kernel.errors import ValidationFailed
from surge.kernel.idempotency import IdempotencyKey, find, remember, run_once

SCOPE = "api:volunteers:hurricane-ida:user:7"
HASH = hashlib.sha256(b'{"name":"Ana"}').hexdigest()
OTHER_HASH = hashlib.sha256(b'{"name":"Bea"}').hexdigest()


class Counted:
    """Work that writes one audit row (standing in for the record a request creates) and counts its runs."""

    def __init__(self, answer=None, fail=False):
        self.calls = 0
        self.answer = answer or {"id": 41, "name": "Ana"}
        self.fail = fail

    def __call__(self, session):
        self.calls += 1
        record(session, actor="test", action="volunteer.created", target_type="volunteer", target_id=41)
        if self.fail:
            raise RuntimeError("the work failed after writing")
        return 201, self.answer


def audit_rows(engine):
    with Session(engine) as session:
        return session.exec(select(AuditEntry)).all()


def test_a_repeat_gets_the_first_answer_without_running_the_work(engine):
    work = Counted()
    assert run_once(engine, SCOPE, "key-1", HASH, work) == (201, {"id": 41, "name": "Ana"})
    assert run_once(engine, SCOPE, "key-1", HASH, work) == (201, {"id": 41, "name": "Ana"})
    assert work.calls == 1 and len(audit_rows(engine)) == 1
    with Session(engine) as session:
        stored = find(session, SCOPE, "key-1")
    assert (stored.status_code, stored.answer, stored.request_hash) == (201, {"id": 41, "name": "Ana"}, HASH)


def test_the_same_key_in_another_scope_is_another_request(engine):
    work = Counted()
    run_once(engine, SCOPE, "key-1", HASH, work)
    run_once(engine, "api:volunteers:hurricane-ida:user:8", "key-1", HASH, work)
    assert work.calls == 2


def test_the_same_key_with_a_different_request_is_refused(engine):
    work = Counted()
    run_once(engine, SCOPE, "key-1", HASH, work)
    with pytest.raises(ValidationFailed) as refused:
        run_once(engine, SCOPE, "key-1", OTHER_HASH, work)
    assert refused.value.status == 422 and refused.value.code == "idempotency_key_reused"
    assert refused.value.message == "This Idempotency-Key was already used for a different request."
    assert work.calls == 1


def test_failed_work_keeps_neither_its_record_nor_the_key(engine):
    with pytest.raises(RuntimeError):
        run_once(engine, SCOPE, "key-1", HASH, Counted(fail=True))
    assert audit_rows(engine) == []
    with Session(engine) as session:
        assert find(session, SCOPE, "key-1") is None
    work = Counted()
    assert run_once(engine, SCOPE, "key-1", HASH, work) == (201, {"id": 41, "name": "Ana"}) and work.calls == 1


def test_the_answer_comes_back_as_json_the_first_time_too(engine):
    status, answer = run_once(engine, SCOPE, "key-1", HASH, lambda session: (200, {"ids": (1, 2)}))
    assert (status, answer) == (200, {"ids": [1, 2]})
    assert run_once(engine, SCOPE, "key-1", HASH, lambda session: (500, None)) == (200, {"ids": [1, 2]})


def test_remember_refuses_a_key_already_kept(engine):
    with Session(engine) as session:
        remember(session, SCOPE, "key-1", HASH, 201, {"id": 1})
        with pytest.raises(IntegrityError):
            remember(session, SCOPE, "key-1", HASH, 201, {"id": 2})
        session.rollback()


def test_scope_key_and_hash_are_bounded(engine):
    with Session(engine) as session:
        for scope, key, request_hash in (("", "k", HASH), (SCOPE, "k" * 201, HASH), (SCOPE, "k", "abc")):
            with pytest.raises(ValueError):
                remember(session, scope, key, request_hash, 201, {})


def test_old_keys_are_swept(engine):
    now = utcnow()
    with Session(engine) as session:
        remember(session, SCOPE, "old", HASH, 201, {}, now=now - timedelta(days=8))
        remember(session, SCOPE, "new", HASH, 201, {}, now=now - timedelta(days=1))
        assert idempotency.sweep(session, before=now - timedelta(days=7)) == 1
        session.commit()
        assert [row.key for row in session.exec(select(IdempotencyKey))] == ["new"]


def test_two_first_requests_at_once_run_the_work_once(engine):
    """The second request arrives while the first is still working: it waits, then gets the first's answer."""
    started, release = threading.Event(), threading.Event()
    calls = []

    def slow(session):
        calls.append(threading.current_thread().name)
        record(session, actor="test", action="volunteer.created", target_type="volunteer", target_id=1)
        started.set()
        assert release.wait(10)
        return 201, {"id": 1}

    answers = {}

    def request(name):
        answers[name] = run_once(engine, SCOPE, "same-key", HASH, slow)

    first = threading.Thread(target=request, args=("first",), name="first")
    second = threading.Thread(target=request, args=("second",), name="second")
    first.start()
    assert started.wait(10)
    second.start()
    second.join(0.5)
    assert second.is_alive()  # held by the first request's claim on the key
    release.set()
    first.join(10)
    second.join(10)
    assert answers == {"first": (201, {"id": 1}), "second": (201, {"id": 1})}
    assert calls == ["first"] and len(audit_rows(engine)) == 1
