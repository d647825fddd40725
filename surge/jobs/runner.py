"""Running the worker: in the foreground for `surge worker`, or in the background inside `surge serve`."""

from __future__ import annotations

import signal
import threading
from dataclasses import dataclass

import structlog

from surge.jobs.scheduler import build_scheduler, make_deliverer
from surge.jobs.single import SingleWorker
from surge.kernel.db import make_engine
from surge.kernel.settings import Settings

log = structlog.get_logger("surge.jobs")


@dataclass
class Worker:
    """A started scheduler with what it owns; `stop()` waits for the running job, then lets go of all."""

    scheduler: object
    deliverer: object
    engine: object
    lock: SingleWorker

    def stop(self) -> None:
        self.scheduler.shutdown(wait=True)
        self.deliverer.close()
        self.engine.dispose()
        self.lock.release()
        log.info("worker_stopped")


def start(settings: Settings) -> Worker:
    """Start the jobs on a thread of this process. Raises AlreadyRunning for a second worker on SQLite."""
    lock = SingleWorker(settings.database_url)
    lock.acquire()
    engine = make_engine(settings.database_url)
    deliverer = make_deliverer(settings, engine)
    scheduler = build_scheduler(settings, engine, deliverer)
    scheduler.start()
    log.info("worker_started", email="on" if settings.email_enabled else "off (SURGE_SMTP_HOST unset)",
             poll_s=settings.outbox_poll_s)
    return Worker(scheduler, deliverer, engine, lock)


def run_until_stopped(settings: Settings, stop: threading.Event | None = None) -> None:
    """`surge worker`: run until SIGTERM or SIGINT (or `stop` is set), then finish the running job and exit."""
    stop = stop or threading.Event()
    worker = start(settings)
    if threading.current_thread() is threading.main_thread():
        for number in (signal.SIGTERM, signal.SIGINT):
            signal.signal(number, lambda *_: stop.set())
    try:
        while not stop.wait(1):
            pass
    finally:
        worker.stop()
