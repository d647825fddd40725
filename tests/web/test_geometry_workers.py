"""Geometry workers: real processes that can be stopped, with bounded concurrency."""

import os
import threading
import time

import anyio
import pytest

from surge.kernel.errors import ValidationFailed
from surge.web.infra.geometry_workers import Busy, GeometryWorkers, TooSlow


def sleep_then_answer(seconds: float) -> int:
    time.sleep(seconds)
    return os.getpid()


def refuse() -> None:
    raise ValidationFailed("no", code="too_complex")


def pool(**overrides) -> GeometryWorkers:
    return GeometryWorkers(**{"workers": 1, "queue": 1, "time_limit": 30.0, **overrides})


def run(main) -> None:
    """anyio.run in a thread of its own: other tests may leave an event loop set on this one."""
    failure = []

    def target():
        try:
            anyio.run(main)
        except BaseException as exc:
            failure.append(exc)

    thread = threading.Thread(target=target)
    thread.start()
    thread.join()
    if failure:
        raise failure[0]


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def test_a_job_runs_in_another_process_and_errors_come_back_whole():
    async def main():
        workers = pool()
        try:
            assert await workers.run(sleep_then_answer, 0) != os.getpid()
            with pytest.raises(ValidationFailed) as caught:
                await workers.run(refuse)
            assert caught.value.code == "too_complex" and caught.value.status == 422
        finally:
            workers.close()
    run(main)


def test_a_cancelled_job_is_stopped_at_once():
    async def main():
        workers = pool()
        try:
            first = await workers.run(sleep_then_answer, 0)
            started = time.monotonic()
            with anyio.move_on_after(0.3):  # as when the client disconnects
                await workers.run(sleep_then_answer, 60)
            assert time.monotonic() - started < 5
            assert not alive(first)  # the worker running the job was killed
            assert await workers.run(sleep_then_answer, 0) != first  # and replaced
        finally:
            workers.close()
    run(main)


def test_a_job_past_the_time_limit_is_stopped_and_refused():
    async def main():
        workers = pool(time_limit=0.5)
        try:
            with pytest.raises(TooSlow) as caught:
                await workers.run(sleep_then_answer, 60)
            assert caught.value.status == 422 and caught.value.code == "too_complex"
        finally:
            workers.close()
    run(main)


def test_a_full_queue_answers_busy_and_closing_stops_running_jobs():
    async def main():
        workers = pool(queue=1)
        outcomes = []

        async def job():
            try:
                outcomes.append(await workers.run(sleep_then_answer, 60))
            except Exception as exc:
                outcomes.append(exc)

        async with anyio.create_task_group() as group:
            group.start_soon(job)
            group.start_soon(job)
            await anyio.sleep(0.3)
            with pytest.raises(Busy) as caught:
                await workers.run(sleep_then_answer, 0)
            assert caught.value.status == 503 and caught.value.params["seconds"] > 0
            started = time.monotonic()
            workers.close()  # as at shutdown
        assert time.monotonic() - started < 5
        assert len(outcomes) == 2 and not any(isinstance(o, int) for o in outcomes)
        with pytest.raises(Busy):
            await workers.run(sleep_then_answer, 0)
    run(main)
