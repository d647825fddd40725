"""The scheduled jobs: what is scheduled, and that each job does its work once and is safe to repeat."""

import logging
from datetime import timedelta

from sqlmodel import select

from surge.accounts import web_sessions
from surge.accounts.models import WebSession
from surge.jobs import tasks
from surge.jobs.scheduler import build_scheduler, make_deliverer
from surge.kernel.clock import utcnow
from surge.kernel.db import run_in_transaction
from surge.kernel.idempotency import IdempotencyKey, remember
from surge.routing.decision_log import RouteDecision
from surge.web.serving import embedded_worker
from tests.outbox.conftest import receiver  # noqa: F401 - the fixture


def test_the_scheduler_holds_each_job_once_never_overlapping(settings, engine):
    deliverer = make_deliverer(settings, engine)
    try:
        scheduler = build_scheduler(settings, engine, deliverer)
        jobs = {job.id: job for job in scheduler.get_jobs()}
        assert set(jobs) == {"outbox_delivery", "web_session_sweep", "route_decision_prune",
                             "idempotency_key_sweep", "referral_deadlines", "reserve_rematch", "follow_ups",
                             "situation_briefs", "reserve_rematch_request"}
        assert all(job.max_instances == 1 and job.coalesce for job in jobs.values())
        assert jobs["outbox_delivery"].trigger.interval == timedelta(seconds=settings.outbox_poll_s)
        assert deliverer.smtp is None  # SURGE_SMTP_HOST unset: e-mail is not delivered
        # Two lines per run of every job would flood the log: the scheduler speaks only of trouble.
        assert not logging.getLogger("apscheduler.executors.default").isEnabledFor(logging.INFO)
    finally:
        deliverer.close()


def test_expired_and_idle_sessions_are_swept(engine, make_user):
    user = make_user("admin")
    now = utcnow()

    def sessions(session):
        fresh = web_sessions.start(session, user=user, now=now, max_age=3600)
        web_sessions.start(session, user=user, now=now - timedelta(hours=2), max_age=3600)  # expired
        idle = web_sessions.start(session, user=user, now=now - timedelta(minutes=40), max_age=3600)  # idle
        return fresh, idle

    run_in_transaction(engine, sessions)
    assert tasks.sweep_sessions(engine, clock=lambda: now, idle_timeout=1800) == 2
    assert tasks.sweep_sessions(engine, clock=lambda: now, idle_timeout=1800) == 0  # idempotent
    left = run_in_transaction(engine, lambda s: s.exec(select(WebSession)).all())
    assert len(left) == 1 and left[0].created_at == now


def test_old_route_decisions_are_pruned(engine):
    now = utcnow()

    def decisions(session):
        for name, age in (("old", 100), ("new", 1)):
            at = now - timedelta(days=age)
            session.add(RouteDecision(id=name, decided_at=at, at=at, county_fips="48201"))

    run_in_transaction(engine, decisions)
    assert tasks.prune_route_decisions(engine, clock=lambda: now, retention_days=90) == 1
    assert tasks.prune_route_decisions(engine, clock=lambda: now, retention_days=90) == 0
    assert [d.id for d in run_in_transaction(engine, lambda s: s.exec(select(RouteDecision)).all())] == ["new"]


def test_idempotency_keys_past_their_retention_are_swept(engine):
    now = utcnow()

    def keys(session):
        for name, age in (("old", 8), ("new", 6)):
            remember(session, "form:volunteer", name, "0" * 64, 201, {"id": name}, now=now - timedelta(days=age))

    run_in_transaction(engine, keys)
    assert tasks.sweep_idempotency_keys(engine, clock=lambda: now, retention_days=7) == 1
    assert tasks.sweep_idempotency_keys(engine, clock=lambda: now, retention_days=7) == 0
    assert [k.key for k in run_in_transaction(engine, lambda s: s.exec(select(IdempotencyKey)).all())] == ["new"]


def test_serve_embeds_one_worker_unless_told_not_to(settings, engine):
    with embedded_worker(settings.with_(embedded_worker=False)) as worker:
        assert worker is None
    with embedded_worker(settings) as worker:
        assert worker.scheduler.running
        if settings.database_url.startswith("sqlite"):
            with embedded_worker(settings) as second:  # the file is taken: the second one stands aside
                assert second is None
    assert not worker.scheduler.running


def test_a_backlog_drains_in_one_job_run_and_is_logged_once(engine, settings, make_clearinghouse, receiver, capsys):  # noqa: F811
    from tests.outbox.conftest import SECRET, enqueue_webhooks

    slug = make_clearinghouse("drain-ch", delivery={"webhook_url": receiver.url, "webhook_secret": SECRET})
    enqueue_webhooks(engine, slug=slug, url=receiver.url, count=25, now=utcnow())
    from prometheus_client import REGISTRY

    def sent_count():
        return REGISTRY.get_sample_value("surge_outbox_deliveries_total", {"channel": "webhook", "outcome": "sent"}) or 0

    before = sent_count()
    deliverer = make_deliverer(settings.with_(outbox_batch_size=10), engine)
    try:
        capsys.readouterr()
        assert tasks.deliver_outbox(deliverer) == 25
        assert sent_count() - before == 25  # counted for /metrics
        assert tasks.deliver_outbox(deliverer) == 0
    finally:
        deliverer.close()
    assert len(receiver.received) == 25
    assert capsys.readouterr().out.count("outbox_delivered") == 1
