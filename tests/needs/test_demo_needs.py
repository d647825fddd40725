"""The demo's need reports: a few hundred on the exercise, over its counties and the last days, loaded once."""

from datetime import timedelta

from sqlmodel import select

from surge.access.principal import system
from surge.demo_needs import DAYS, REPORTS, load_need_reports
from surge.demo_network import EXERCISE, load_exercise, load_network
from surge.kernel.clock import utcnow
from surge.kernel.db import run_in_transaction, unit_of_work
from surge.needs.models import NeedReport
from surge.needs.summaries import summarise

ACTOR = system("demo")


def test_the_demo_logs_a_few_hundred_needs_once(engine):
    run_in_transaction(engine, load_network, actor=ACTOR)
    run_in_transaction(engine, load_exercise, actor=ACTOR, now=utcnow())
    now = utcnow()
    assert run_in_transaction(engine, load_need_reports, actor=ACTOR, now=now) == REPORTS
    assert run_in_transaction(engine, load_need_reports, actor=ACTOR, now=now) == REPORTS  # again: nothing added
    found = run_in_transaction(engine, summarise, incident_id=EXERCISE["slug"])
    assert found.overall.total == REPORTS and 0 < found.overall.unmet < found.overall.met
    assert set(found.by_county) == set(EXERCISE["area"]["counties"])
    assert len(found.overall.unmet_by_reason) == 5
    with unit_of_work(engine) as session:
        times = session.exec(select(NeedReport.logged_at)).all()
    assert all(now - timedelta(days=DAYS) <= moment <= now for moment in times)
