"""Geometry work in a few worker processes that can be stopped, away from the shared thread pool.

GEOS cannot be interrupted from a Python thread, and a thread that is busy
with a shape keeps a slot of the pool that every other request needs. So each
geometry job runs in a worker process: at most `workers` jobs run at once,
at most `queue` more wait, and anything beyond that is told to come back
later. A job whose client leaves, that overruns its time limit, or that is
still running at shutdown has its process killed; a fresh one replaces it on
the next job.

Workers are forked from the server once the geography is loaded, so they
share its boundaries and index and start in milliseconds.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import signal
import stat
from multiprocessing.connection import Connection
from typing import Any, Callable

import anyio
from starlette.requests import Request

from surge.kernel.errors import ApiError
from surge.kernel.i18n import N_

log = logging.getLogger("surge.geometry")
RETRY_AFTER_SECONDS = 5


class Busy(ApiError):
    status, code = 503, "busy"


class TooSlow(ApiError):
    status, code = 422, "too_complex"


def _busy() -> Busy:
    return Busy(N_("The service is busy working out other areas. Please try again in a few seconds."),
                params={"seconds": RETRY_AFTER_SECONDS})


def _close_inherited_sockets(keep: int) -> None:
    """Let go of the server's sockets (listener, clients, database), so only the server holds them."""
    try:
        descriptors = [int(name) for name in os.listdir("/proc/self/fd")]
    except OSError:  # no /proc: nothing to do safely
        return
    for fd in descriptors:
        try:
            if fd != keep and fd > 2 and stat.S_ISSOCK(os.fstat(fd).st_mode):
                os.close(fd)
        except OSError:
            pass


def _serve(conn: Connection) -> None:
    """A worker's loop: run each job sent, send back its result or its error."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the server decides when workers stop
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    _close_inherited_sockets(keep=conn.fileno())
    while True:
        try:
            work, args, kwargs = conn.recv()
        except (EOFError, OSError):  # the server closed its end or died: stop too
            return
        try:
            answer = (True, work(*args, **kwargs))
        except Exception as exc:  # sent back whole, raised again in the server
            answer = (False, exc)
        conn.send(answer)


class _Worker:
    def __init__(self) -> None:
        context = multiprocessing.get_context("fork")
        self.conn, child = context.Pipe()
        self.process = context.Process(target=_serve, args=(child,), name="surge-geometry", daemon=True)
        self.process.start()
        child.close()

    def stop(self) -> None:
        if self.process.is_alive():
            os.kill(self.process.pid, signal.SIGKILL)

    def kill(self) -> None:
        self.stop()
        self.process.join(1)
        self.conn.close()


class GeometryWorkers:
    """Runs geometry jobs in worker processes with bounded concurrency, a queue limit and a time limit."""

    def __init__(self, *, workers: int, queue: int, time_limit: float, prepare: Callable[[], Any] | None = None):
        self.workers, self.queue, self.time_limit = workers, queue, time_limit
        self._prepare = prepare
        self._prepared = False
        self._idle: list[_Worker] = []
        self._busy: set[_Worker] = set()
        self._slots = anyio.Semaphore(workers)
        self._waiting = 0
        self._closed = False

    async def run(self, work: Callable[..., Any], /, *args, **kwargs) -> Any:
        """`work(*args, **kwargs)` in a worker; cancelling the caller kills the job."""
        if self._closed or self._waiting >= self.workers + self.queue:
            raise _busy()
        self._waiting += 1
        try:
            async with self._slots:
                worker = await self._take()
                try:
                    with anyio.move_on_after(self.time_limit) as timer:
                        ok, result = await self._ask(worker, work, args, kwargs)
                except BaseException:
                    worker.kill()  # cancelled (client gone, shutdown) in the middle of a job
                    self._busy.discard(worker)
                    raise
                if timer.cancelled_caught:
                    worker.kill()
                    self._busy.discard(worker)
                    log.warning("geometry job stopped after %s s", self.time_limit)
                    raise TooSlow(N_("The shape is too complex: working it out took too long. Simplify it and try again."))
                self._busy.discard(worker)
                self._idle.append(worker)
        finally:
            self._waiting -= 1
        if ok:
            return result
        raise result

    async def _take(self) -> _Worker:
        if self._closed:
            raise _busy()
        if not self._prepared and self._prepare is not None:
            # Forked workers inherit what is loaded: load it once here, never while a fork happens.
            await anyio.to_thread.run_sync(self._prepare)
        self._prepared = True
        while self._idle:
            worker = self._idle.pop()
            if worker.process.is_alive():
                break
            worker.kill()
        else:
            worker = _Worker()
        self._busy.add(worker)
        return worker

    async def _ask(self, worker: _Worker, work, args, kwargs):
        worker.conn.send((work, args, kwargs))
        while not worker.conn.poll():
            await anyio.wait_readable(worker.conn.fileno())
        try:
            return worker.conn.recv()
        except EOFError:  # the worker died (out of memory, killed from outside)
            worker.kill()
            raise _busy() from None

    def close(self) -> None:
        """Stop every worker now, busy or idle; later jobs are refused."""
        self._closed = True
        for worker in self._idle:
            worker.kill()
        self._idle.clear()
        for worker in self._busy:
            worker.stop()  # its caller wakes on the closed pipe, answers 503 and cleans up


CLIENT_GONE = object()


async def run_for_client(request: Request, work: Callable[..., Any], /, *args, **kwargs) -> Any:
    """Run `work` in the app's geometry workers; stop it if the client disconnects (then CLIENT_GONE)."""
    workers: GeometryWorkers = request.app.state.geometry_workers
    outcome: list[Any] = []

    async def stop_when_gone(scope: anyio.CancelScope) -> None:
        # The body has been read: the next message can only be the disconnect.
        while (await request.receive())["type"] != "http.disconnect":
            pass
        scope.cancel()

    failure: list[Exception] = []
    async with anyio.create_task_group() as group:
        group.start_soon(stop_when_gone, group.cancel_scope)
        try:
            outcome.append(await workers.run(work, *args, **kwargs))
        except Exception as exc:  # raised below, outside the group, so it is not wrapped in an ExceptionGroup
            failure.append(exc)
        group.cancel_scope.cancel()
    if failure:
        raise failure[0]
    return outcome[0] if outcome else CLIENT_GONE
