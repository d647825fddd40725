"""Serving with uvicorn: one process, or several workers sharing one listening socket."""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import tempfile

import structlog
import uvicorn
from prometheus_client import values as prometheus_values
from uvicorn.supervisors import Multiprocess

from surge.jobs import runner
from surge.jobs.single import AlreadyRunning
from surge.kernel.logs import configure_logging
from surge.kernel.settings import Settings
from surge.web.app import create_app
from surge.web.worker_sockets import PortOfEachWorker, tcp_socket
from surge.web.infra.metrics import MULTIPROCESS_DIR_VARIABLE


WORKER_HEALTHCHECK_SECONDS = 60


def create_served_app():
    """The factory each worker process calls: settings and logging are set up per process."""
    settings = Settings.from_env()
    configure_logging(settings)
    return create_app(settings)


class _TcpConfig(uvicorn.Config):
    def bind_socket(self) -> socket.socket:
        return tcp_socket(self.host, self.port)


def _listening_sockets(config: uvicorn.Config) -> list:
    """What the supervisor hands its workers: a socket of their own each where the system spreads connections
    over them, else one shared socket. Either way the port is tried here first, so a port in use fails at once."""
    if not PortOfEachWorker.supported():
        return [config.bind_socket()]
    tcp_socket(config.host, config.port, reuse_port=True).close()
    return [PortOfEachWorker(config.host, config.port)]


@contextlib.contextmanager
def shared_metrics_directory():
    """A fresh directory where every worker writes its metrics, removed when the server stops.

    Set in the environment before the workers start, so prometheus_client in each of them
    writes there and /metrics can add all the workers up.
    """
    directory = tempfile.mkdtemp(prefix="surge-metrics-")
    previous = os.environ.get(MULTIPROCESS_DIR_VARIABLE)
    os.environ[MULTIPROCESS_DIR_VARIABLE] = directory
    # prometheus_client picks file-backed values when it is imported; this process imported it before
    # the directory existed, so pick again: the embedded worker's counters must land in the files too.
    prometheus_values.ValueClass = prometheus_values.get_value_class()
    try:
        yield directory
    finally:
        if previous is None:
            os.environ.pop(MULTIPROCESS_DIR_VARIABLE, None)
        else:
            os.environ[MULTIPROCESS_DIR_VARIABLE] = previous
        prometheus_values.ValueClass = prometheus_values.get_value_class()
        shutil.rmtree(directory, ignore_errors=True)


@contextlib.contextmanager
def embedded_worker(settings: Settings):
    """The delivery worker and scheduled jobs on a thread of this process, the one that supervises the
    server's workers, so they run once however many workers serve. Skipped when SURGE_EMBEDDED_WORKER is
    false (a separate `surge worker` runs them) or when another worker already holds a SQLite database."""
    if not settings.embedded_worker:
        yield None
        return
    try:
        worker = runner.start(settings)
    except AlreadyRunning as exc:
        structlog.get_logger("surge.jobs").warning("embedded_worker_not_started", reason=str(exc))
        yield None
        return
    try:
        yield worker
    finally:
        worker.stop()


def serve(settings: Settings, *, host: str, port: int, workers: int,
          app_factory: str = "surge.web.serving:create_served_app") -> None:
    """Serve Surge (or, for a benchmark's baseline, another app factory on the very same serving)."""
    configure_logging(settings)
    config = _TcpConfig(
        app_factory,
        factory=True,
        host=host,
        port=port,
        workers=workers,
        # Forwarded addresses are read by our own ClientAddressMiddleware, only from SURGE_TRUSTED_PROXIES.
        proxy_headers=False,
        log_config=None,
        access_log=False,
        # A worker starting on a loaded machine (imports, the first database check) can take longer than
        # uvicorn's 5 s to answer its supervisor; killed and restarted each time, it would never start.
        timeout_worker_healthcheck=WORKER_HEALTHCHECK_SECONDS,
    )
    shared = workers > 1 or settings.embedded_worker  # the worker's counters reach /metrics through the files
    with shared_metrics_directory() if shared else contextlib.nullcontext():
        sockets = _listening_sockets(config) if workers > 1 else None
        with embedded_worker(settings):
            if workers > 1:
                Multiprocess(config, sockets=sockets).run()
            else:
                uvicorn.Server(config).run()
