"""Reads beside a transaction see what the transaction sees, give their answers back, and never hide a failure."""

import threading

import pytest
from sqlalchemy import func
from sqlmodel import select

from surge.kernel.audit import AuditEntry, record
from surge.kernel.db import unit_of_work
from surge.kernel.side_reads import side_by_side


def _marked(session) -> int:
    return session.exec(select(func.count()).select_from(AuditEntry).where(AuditEntry.action == "marked")).one()


def _mark(engine) -> None:
    with unit_of_work(engine) as other:
        record(other, actor="test", action="marked")


def test_both_sides_answer(engine):
    _mark(engine)
    with unit_of_work(engine) as session:
        beside, here = side_by_side(session, _marked, lambda reader: ("here", _marked(reader)))
    assert beside == 1 and here == ("here", 1)


def test_the_side_read_sees_the_transactions_snapshot_not_a_later_commit(engine):
    if engine.dialect.name != "postgresql":
        pytest.skip("SQLite reads in turn, in the caller's transaction: there is no second reader to hold back")
    _mark(engine)
    committed = threading.Event()

    def beside(reader):
        assert committed.wait(10)  # a row committed after the snapshot was shared
        return _marked(reader)

    def here(reader):
        _mark(engine)
        committed.set()
        return "done"

    with unit_of_work(engine) as session:
        _marked(session)  # the transaction has begun and holds its snapshot
        seen, _ = side_by_side(session, beside, here)
    assert seen == 1
    with unit_of_work(engine) as session:
        assert _marked(session) == 2


def test_a_failure_on_either_side_is_raised(engine):
    def fails(reader):
        raise LookupError("side failed")

    with pytest.raises(LookupError, match="side failed"):
        with unit_of_work(engine) as session:
            side_by_side(session, fails, _marked)
    with pytest.raises(LookupError, match="side failed"):
        with unit_of_work(engine) as session:
            side_by_side(session, _marked, fails)


def test_inside_a_savepoint_the_reads_run_in_turn(engine):
    _mark(engine)
    with unit_of_work(engine) as session:
        with session.begin_nested():
            threads = []
            beside, here = side_by_side(session, lambda r: threading.current_thread().name,
                                        lambda r: threads.append(threading.current_thread().name) or _marked(r))
    assert beside == threads[0] and here == 1
