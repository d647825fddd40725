"""The one transaction edge of HTTP handlers: a domain call in one unit of work, off the event loop."""

from __future__ import annotations

from typing import Callable, TypeVar

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request

from surge.kernel.db import run_in_transaction

Result = TypeVar("Result")


async def in_transaction(request: Request, work: Callable[..., Result], /, **kwargs) -> Result:
    """`work(session, **kwargs)` committed on success and rolled back on any error, in the thread pool."""
    return await run_in_threadpool(run_in_transaction, request.app.state.engine, work, **kwargs)
