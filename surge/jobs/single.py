"""One worker per SQLite file: a lock file beside the database, held while the worker runs.

SQLite has no row locks for `SKIP LOCKED`, so two workers on one file could both send a message. The
lock is an advisory `flock`, released by the kernel when the process ends, however it ends.
"""

from __future__ import annotations

import fcntl
import os

from sqlalchemy import make_url


class AlreadyRunning(RuntimeError):
    pass


def lock_path(database_url: str) -> str | None:
    """Where the lock lives, or None when the database needs none (PostgreSQL, or SQLite in memory)."""
    url = make_url(database_url)
    if url.get_backend_name() != "sqlite" or not url.database or url.database == ":memory:":
        return None
    return os.path.abspath(url.database) + ".worker-lock"


class SingleWorker:
    def __init__(self, database_url: str):
        self.path = lock_path(database_url)
        self._fd: int | None = None

    def acquire(self) -> None:
        if self.path is None:
            return
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            raise AlreadyRunning(f"another worker already delivers for this SQLite database (it holds {self.path}); "
                                 "SQLite allows one. Stop it first, or use PostgreSQL to run several") from None
        self._fd = fd

    def release(self) -> None:
        if self._fd is not None:
            fcntl.flock(self._fd, fcntl.LOCK_UN)
            os.close(self._fd)
            self._fd = None
