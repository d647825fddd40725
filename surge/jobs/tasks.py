"""What the scheduler runs. Each job is idempotent (running it twice does no harm) and logs one line
when it did something, nothing when it did not."""

from __future__ import annotations

import time
from datetime import timedelta

import structlog
from sqlalchemy.engine import Engine

from surge.accounts.web_sessions import sweep_expired
from surge.briefs import production, runs
from surge.incidents import rematch_marks
from surge.intake import follow_ups, referral_deadlines, rematch
from surge.jobs import metrics
from surge.kernel.clock import Clock
from surge.kernel.db import run_in_transaction
from surge.kernel.idempotency import sweep as sweep_idempotency
from surge.outbox.delivery import Deliverer, Report
from surge.routing.decision_log import prune as prune_decisions

log = structlog.get_logger("surge.jobs")
# How long one run of the re-match works through batches: a pass of a hundred thousand fits, and a larger one
# goes on at the next run, so the job never holds a scheduler thread for long.
REMATCH_BUDGET_S = 30.0


def deliver_outbox(deliverer: Deliverer) -> int:
    """Runs until no due message is left (or a run comes back short), so a backlog drains between polls."""
    total = Report()
    while True:
        report = deliverer.run_once()
        metrics.count(report)
        total.counts.update(report.counts)
        # A full batch that all went suggests more are waiting; anything else waits for the next poll.
        if report.total("sent") < deliverer.policy.batch_size:
            break
    if total.total():
        log.info("outbox_delivered", sent=total.total("sent"), failed=total.total("failed"), dead=total.total("dead"))
    return total.total()


def sweep_sessions(engine: Engine, *, clock: Clock, idle_timeout: int) -> int:
    removed = run_in_transaction(engine, sweep_expired, now=clock(), idle_timeout=idle_timeout)
    if removed:
        log.info("web_sessions_swept", removed=removed)
    return removed


def prune_route_decisions(engine: Engine, *, clock: Clock, retention_days: int) -> int:
    removed = run_in_transaction(engine, prune_decisions, before=clock() - timedelta(days=retention_days))
    if removed:
        log.info("route_decisions_pruned", removed=removed, retention_days=retention_days)
    return removed


def sweep_idempotency_keys(engine: Engine, *, clock: Clock, retention_days: int) -> int:
    removed = run_in_transaction(engine, sweep_idempotency, before=clock() - timedelta(days=retention_days))
    if removed:
        log.info("idempotency_keys_swept", removed=removed, retention_days=retention_days)
    return removed


def referral_deadlines_run(engine: Engine, *, clock: Clock, release_days: int, limit: int) -> dict[str, int]:
    """Reminders, escalations and stale releases, each in its own transaction so one failing leaves the others."""
    now = clock()
    done = {"reminded": run_in_transaction(engine, referral_deadlines.remind, now=now, limit=limit),
            "escalated": run_in_transaction(engine, referral_deadlines.escalate_overdue, now=now, limit=limit),
            "released": run_in_transaction(engine, referral_deadlines.release_stale, now=now, days=release_days,
                                           limit=limit)}
    if any(done.values()):
        log.info("referral_deadlines", **done)
    return done


def rematch_reserve(engine: Engine, *, clock: Clock, limit: int = rematch.BATCH,
                    budget_s: float = REMATCH_BUDGET_S) -> int:
    """Batches of `limit` people, each in a transaction of its own, until the passes are through or the budget is
    spent (a batch under way is finished); what is left waits for the next run."""
    seen, began = 0, time.monotonic()
    while True:
        looked = run_in_transaction(engine, rematch.run_pending, now=clock(), limit=limit)
        seen += looked
        if looked < limit or time.monotonic() - began >= budget_s:
            break
    if seen:
        log.info("reserve_rematched", people=seen)
    return seen


def request_rematch_as_places_free(engine: Engine, *, clock: Clock) -> int:
    asked = run_in_transaction(engine, rematch_marks.request_every_active, now=clock())
    if asked:
        log.info("reserve_rematch_requested", incidents=asked)
    return asked


def send_follow_ups(engine: Engine, *, clock: Clock, days: int, base_url: str, limit: int) -> int:
    asked = run_in_transaction(engine, follow_ups.send_due, now=clock(), days=days, base_url=base_url, limit=limit)
    if asked:
        log.info("follow_ups_sent", people=asked)
    return asked


def produce_briefs(engine: Engine, *, clock: Clock, thresholds: production.Thresholds, limit: int) -> int:
    """Every brief due now; a second scheduler running the same minute finds the periods claimed and skips them."""
    now = clock()
    produced = runs.produce_due(engine, now=now, until=now, thresholds=thresholds, limit=limit)
    if produced:
        log.info("briefs_produced", briefs=[f"{item.incident_slug}#{item.number}" for item in produced])
    return len(produced)
