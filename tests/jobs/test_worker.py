"""`surge worker`: starts, delivers, stops cleanly on SIGTERM; refuses an unmigrated database and a second
worker on one SQLite file."""

import os
import signal
import subprocess
import sys
import time

import pytest

from surge.kernel.db import run_in_transaction
from surge.outbox import enqueue
from surge.outbox.enqueue import Notice
from surge.outbox.models import Channel
from surge.kernel.clock import utcnow
from tests.outbox.conftest import SECRET, receiver  # noqa: F401 - the fixture

ENV = {"SURGE_ENV": "test", "SURGE_SECRET_KEY": "worker-test-secret-0123456789abcdef", "SURGE_LOG_JSON": "false",
       "SURGE_OUTBOX_POLL_S": "0.2"}


def _start(database_url: str, **extra) -> subprocess.Popen:
    env = {**{k: v for k, v in os.environ.items() if not k.startswith("SURGE_")}, **ENV,
           "SURGE_DATABASE_URL": database_url, **extra}
    return subprocess.Popen([sys.executable, "-m", "surge.cli", "worker"], env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)


def _wait_for(condition, timeout=20.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.1)
    return False


def test_the_worker_delivers_and_stops_on_sigterm(database_url, engine, make_clearinghouse, receiver):  # noqa: F811
    slug = make_clearinghouse("worker-ch", delivery={"webhook_url": receiver.url, "webhook_secret": SECRET})
    row = enqueue.message_row(key="worker:1:webhook", channel=Channel.WEBHOOK, recipient=receiver.url,
                              notice=Notice(topic="test.worker", subject="", text=""), now=utcnow(),
                              clearinghouse_slug=slug)
    run_in_transaction(engine, lambda s: enqueue.write(s, [row]))
    worker = _start(database_url)
    try:
        assert _wait_for(lambda: receiver.keys() == ["worker:1:webhook"]), worker.stderr.read()
        if database_url.startswith("sqlite"):
            second = _start(database_url)
            out, err = second.communicate(timeout=30)
            assert second.returncode == 1
            assert "another worker already delivers for this SQLite database" in err
        worker.send_signal(signal.SIGTERM)
        out, err = worker.communicate(timeout=30)
    finally:
        worker.kill()
    assert worker.returncode == 0, err
    assert "Surge worker: outbox every 0.2 s, e-mail off (SURGE_SMTP_HOST unset)" in out
    assert "Surge worker stopped" in out
    assert receiver.keys() == ["worker:1:webhook"]  # once


def test_the_worker_refuses_an_unmigrated_database(tmp_path):
    worker = _start(f"sqlite:///{tmp_path / 'empty.db'}")
    out, err = worker.communicate(timeout=60)
    assert worker.returncode == 1
    assert "will not deliver from this database" in err and "surge db upgrade" in err


def test_the_app_factory_starts_no_scheduler(client):
    import threading

    assert not [t for t in threading.enumerate() if "APScheduler" in t.name or "apscheduler" in t.name.lower()]


def test_a_second_embedded_worker_on_sqlite_is_skipped(tmp_path):
    from surge.jobs.single import AlreadyRunning, SingleWorker

    url = f"sqlite:///{tmp_path / 'one.db'}"
    first = SingleWorker(url)
    first.acquire()
    try:
        with pytest.raises(AlreadyRunning):
            SingleWorker(url).acquire()
    finally:
        first.release()
    SingleWorker(url).acquire()  # free again once the first let go
    assert SingleWorker("postgresql+psycopg://u@h/db").path is None
