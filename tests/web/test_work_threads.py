"""Blocking work runs on at most SURGE_WORK_THREADS threads a process; more requests wait on the event loop."""

from __future__ import annotations

import threading
import time

import anyio.to_thread
from starlette.testclient import TestClient

from surge.web.app import create_app


def test_blocking_work_runs_on_no_more_threads_than_the_setting(settings, engine):
    with TestClient(create_app(settings.with_(work_threads=2))) as client:
        assert client.portal.call(lambda: anyio.to_thread.current_default_thread_limiter().total_tokens) == 2
        running, most = 0, 0
        lock = threading.Lock()

        def work():
            nonlocal running, most
            with lock:
                running += 1
                most = max(most, running)
            time.sleep(0.05)
            with lock:
                running -= 1

        async def many():
            async with anyio.create_task_group() as group:
                for _ in range(6):
                    group.start_soon(anyio.to_thread.run_sync, work)

        client.portal.call(many)
        assert most == 2
