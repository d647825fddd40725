"""The scheduler and its jobs, built from the settings; the caller chooses where it runs."""

from __future__ import annotations

import logging

from apscheduler.schedulers.background import BackgroundScheduler
from sqlalchemy.engine import Engine

from surge.briefs.production import Thresholds
from surge.jobs import tasks
from surge.kernel.clock import Clock, utcnow
from surge.kernel.settings import Settings
from surge.outbox.delivery import Deliverer, Policy
from surge.outbox.smtp import SmtpConfig

SESSION_SWEEP_MINUTES = 15
DECISION_PRUNE_HOURS = 6
IDEMPOTENCY_SWEEP_HOURS = 1
PLACES_FREE_HOURS = 1
REFERRAL_BATCH = 500  # referrals one run of a deadline or follow-up job handles at most


def make_deliverer(settings: Settings, engine: Engine, *, clock: Clock = utcnow) -> Deliverer:
    return Deliverer(engine, policy=Policy.from_settings(settings),
                     smtp=SmtpConfig.from_settings(settings) if settings.email_enabled else None,
                     webhook_timeout=settings.webhook_timeout_s, clock=clock)


def build_scheduler(settings: Settings, engine: Engine, deliverer: Deliverer, *,
                    clock: Clock = utcnow) -> BackgroundScheduler:
    """A scheduler (not started) holding every job. One instance of each job at a time; a run missed
    while the previous one was still going is folded into the next (coalesce), never queued up."""
    # APScheduler logs two lines per run of every job at INFO: thousands a day of the outbox poll alone.
    # Our jobs log one line when they did something; the scheduler's own lines are kept for warnings.
    logging.getLogger("apscheduler").setLevel(logging.WARNING)
    scheduler = BackgroundScheduler(timezone="UTC")
    once = {"max_instances": 1, "coalesce": True, "misfire_grace_time": 60, "next_run_time": utcnow()}
    scheduler.add_job(tasks.deliver_outbox, "interval", seconds=settings.outbox_poll_s, args=[deliverer],
                      id="outbox_delivery", **once)
    scheduler.add_job(tasks.sweep_sessions, "interval", minutes=SESSION_SWEEP_MINUTES, args=[engine],
                      kwargs={"clock": clock, "idle_timeout": settings.session_idle_timeout}, id="web_session_sweep",
                      **once)
    scheduler.add_job(tasks.prune_route_decisions, "interval", hours=DECISION_PRUNE_HOURS, args=[engine],
                      kwargs={"clock": clock, "retention_days": settings.route_decision_retention_days},
                      id="route_decision_prune", **once)
    scheduler.add_job(tasks.sweep_idempotency_keys, "interval", hours=IDEMPOTENCY_SWEEP_HOURS, args=[engine],
                      kwargs={"clock": clock, "retention_days": settings.idempotency_retention_days},
                      id="idempotency_key_sweep", **once)
    scheduler.add_job(tasks.referral_deadlines_run, "interval", minutes=1, args=[engine],
                      kwargs={"clock": clock, "release_days": settings.referral_release_days,
                              "limit": REFERRAL_BATCH}, id="referral_deadlines", **once)
    scheduler.add_job(tasks.rematch_reserve, "interval", minutes=1, args=[engine], kwargs={"clock": clock},
                      id="reserve_rematch", **once)
    # A day's places free again as referrals age out of the day: the reserve is looked at again every hour.
    scheduler.add_job(tasks.request_rematch_as_places_free, "interval", hours=PLACES_FREE_HOURS, args=[engine],
                      kwargs={"clock": clock}, id="reserve_rematch_request", **once)
    scheduler.add_job(tasks.send_follow_ups, "interval", minutes=15, args=[engine],
                      kwargs={"clock": clock, "days": settings.follow_up_days, "base_url": settings.public_url,
                              "limit": REFERRAL_BATCH}, id="follow_ups", **once)
    scheduler.add_job(tasks.produce_briefs, "interval", minutes=1, args=[engine],
                      kwargs={"clock": clock, "limit": settings.brief_catch_up_limit,
                              "thresholds": Thresholds(short_abandon_s=settings.short_abandon_s,
                                                       service_level_s=settings.service_level_s,
                                                       public_url=settings.public_url)},
                      id="situation_briefs", **once)
    return scheduler
