"""Outbox delivery on PostgreSQL: webhooks/s with two worker processes, every key exactly once.

Scenario 1: 5,000 signed webhooks enqueued, delivered by two worker processes (each its own engine,
claiming with FOR UPDATE SKIP LOCKED) to a local receiver in a third process (uvicorn, a raw ASGI app
that counts Idempotency-Keys). Baseline, measured in the same run: two processes posting the same
number of requests with a bare httpx.Client to the same receiver. Target: at least 200 webhooks/s.

Scenario 2: the receiver answers 503 for a simulated hour (the worker's clock is advanced 30 s per
run), then comes back: every message is delivered, once.

    .venv/bin/python bench/outbox_delivery.py [--messages 5000] [--database-url postgresql+psycopg://...]

It creates its own database beside the given one and drops it afterwards.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import secrets
import socket
import sys
import time
from collections import Counter
from contextlib import contextmanager
from datetime import datetime, timedelta, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

TARGET_PER_S = 200
SECRET = "bench-webhook-secret-0123456789"
DEFAULT_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"


# ---- the receiver: a raw ASGI app, so the receiver is never the bottleneck -------------------------

_counts: Counter = Counter()
_down = {"on": False}


async def _reply(send, status: int, body: bytes = b"ok") -> None:
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]})
    await send({"type": "http.response.body", "body": body})


async def receiver_app(scope, receive, send):
    if scope["type"] == "lifespan":
        while (await receive())["type"] != "lifespan.shutdown":
            await send({"type": "lifespan.startup.complete"})
        await send({"type": "lifespan.shutdown.complete"})
        return
    more = True
    while more:
        more = (await receive()).get("more_body", False)
    path = scope["path"]
    if path == "/hook":
        if _down["on"]:
            await _reply(send, 503, b"down")
            return
        key = dict(scope["headers"]).get(b"idempotency-key", b"").decode()
        _counts[key] += 1
        await _reply(send, 200)
    elif path == "/counts":
        await _reply(send, 200, json.dumps(_counts).encode())
    elif path in ("/down", "/up", "/reset"):
        _down["on"] = path == "/down"
        if path == "/reset":
            _counts.clear()
        await _reply(send, 200)
    else:
        await _reply(send, 404, b"")


def _serve_receiver(port: int) -> None:
    import uvicorn

    uvicorn.run(receiver_app, host="127.0.0.1", port=port, log_level="warning", access_log=False, lifespan="on")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


# ---- the database -------------------------------------------------------------------------------

@contextmanager
def private_database(url: str):
    from sqlalchemy import make_url, text

    from surge.kernel.db import make_engine

    admin = make_engine(url).execution_options(isolation_level="AUTOCOMMIT")
    name = f"surge_bench_{os.getpid()}_{secrets.token_hex(4)}"
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(url).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def prepare(database_url: str, hook_url: str) -> None:
    from clearinghouse import registry
    from clearinghouse.models import ClearinghouseIn
    from surge.kernel.db import make_engine, run_in_transaction
    from surge.kernel.validation import validate
    from surge.schema import upgrade

    upgrade(database_url)
    engine = make_engine(database_url)
    data = validate(ClearinghouseIn, {"slug": "bench-ch", "name": "Bench", "kind": "volunteer_center",
                                      "counties": ["22071"], "location": {"zip": "70112"},
                                      "delivery": {"webhook_url": hook_url, "webhook_secret": SECRET}})
    run_in_transaction(engine, registry.create, data=data, actor="system:bench")
    engine.dispose()


def enqueue_many(database_url: str, hook_url: str, count: int, prefix: str, now: datetime) -> list[str]:
    from surge.kernel.db import make_engine, run_in_transaction
    from surge.outbox import enqueue
    from surge.outbox.enqueue import Notice
    from surge.outbox.models import Channel

    notice = Notice(topic="bench.event", subject="", text="", payload={"incident": "bench", "level": 3})
    rows = [enqueue.message_row(key=f"{prefix}:{i}", channel=Channel.WEBHOOK, recipient=hook_url, notice=notice,
                                now=now, clearinghouse_slug="bench-ch") for i in range(count)]
    engine = make_engine(database_url)
    for start in range(0, count, 1000):
        run_in_transaction(engine, lambda s, part=rows[start:start + 1000]: enqueue.write(s, part))
    engine.dispose()
    return [row["key"] for row in rows]


# ---- the two sides being compared ---------------------------------------------------------------

def _outbox_worker(database_url: str, go, results) -> None:
    from surge.kernel.db import make_engine
    from surge.outbox.delivery import Deliverer, Policy

    engine = make_engine(database_url)
    deliverer = Deliverer(engine, policy=Policy(batch_size=50), smtp=None)
    go.wait()
    per_message = []
    while True:
        started = time.perf_counter()
        report = deliverer.run_once()
        if not report.total():
            break
        per_message.append((time.perf_counter() - started) / report.total())
    results.put(per_message)
    deliverer.close()
    engine.dispose()


def _bare_poster(hook_url: str, count: int, prefix: str, go, results) -> None:
    import httpx

    from surge.outbox import webhook

    raw = webhook.encode({"incident": "bench", "level": 3, "topic": "bench.event"})
    client = httpx.Client(timeout=10)
    go.wait()
    per_message = []
    for i in range(count):
        started = time.perf_counter()
        headers = webhook.headers(key=f"{prefix}:{i}", topic="bench.event", timestamp=int(time.time()),
                                  secret=SECRET, raw=raw)
        client.post(hook_url, content=raw, headers=headers).raise_for_status()
        per_message.append(time.perf_counter() - started)
    results.put(per_message)
    client.close()


def _run_pair(targets: list[tuple]) -> tuple[float, list[float]]:
    """Start both processes, release them together, and time until both are done."""
    ctx = multiprocessing.get_context("spawn")
    go, results = ctx.Event(), ctx.Queue()
    processes = [ctx.Process(target=target, args=(*args, go, results)) for target, args in targets]
    for process in processes:
        process.start()
    time.sleep(2.0)  # let both import and connect before the clock starts
    started = time.perf_counter()
    go.set()
    timings = [results.get(timeout=600) for _ in processes]
    elapsed = time.perf_counter() - started
    for process in processes:
        process.join(timeout=30)
    return elapsed, [t for part in timings for t in part]


def _received(base: str) -> Counter:
    import httpx

    return Counter(httpx.get(f"{base}/counts", timeout=30).json())


def _states(database_url: str) -> dict:
    from sqlalchemy import func, select

    from surge.kernel.db import make_engine
    from surge.outbox.models import OutboxMessage

    engine = make_engine(database_url)
    with engine.connect() as conn:
        found = dict(conn.execute(select(OutboxMessage.state, func.count()).group_by(OutboxMessage.state)).all())
    engine.dispose()
    return found


def outage(database_url: str, base: str, count: int) -> tuple[bool, str]:
    """The receiver down for a simulated hour, then up: every message delivered once."""
    import httpx

    from surge.kernel.db import make_engine
    from surge.outbox.delivery import Deliverer, Policy

    start = datetime.now(timezone.utc)
    clock = {"now": start}
    keys = enqueue_many(database_url, f"{base}/hook", count, "outage", start)
    httpx.post(f"{base}/reset")
    httpx.post(f"{base}/down")
    engine = make_engine(database_url)
    deliverer = Deliverer(engine, policy=Policy(batch_size=200), smtp=None, clock=lambda: clock["now"])
    began = time.perf_counter()
    tries = 0
    while clock["now"] < start + timedelta(hours=1):
        tries += deliverer.run_once().total()
        clock["now"] += timedelta(seconds=30)
    httpx.post(f"{base}/up")
    while _states(database_url).get("pending", 0):
        deliverer.run_once()
        clock["now"] += timedelta(seconds=30)
        if clock["now"] > start + timedelta(hours=6):
            break
    deliverer.close()
    engine.dispose()
    received = _received(base)
    ok = sorted(received) == sorted(keys) and set(received.values()) == {1}
    drained = (clock["now"] - start - timedelta(hours=1)).total_seconds() / 60
    return ok, (f"{count:,} messages, {tries:,} failed attempts during the hour, all delivered "
                f"{drained:.1f} simulated minutes after the receiver came back ({time.perf_counter() - began:.1f} s "
                f"real time); states {_states(database_url)}")


def main() -> int:
    from figures import summarise

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=5000)
    parser.add_argument("--outage-messages", type=int, default=1000)
    parser.add_argument("--database-url", default=os.environ.get("SURGE_BENCH_DATABASE_URL", DEFAULT_URL))
    args = parser.parse_args()

    try:
        with private_database(args.database_url):
            pass
    except Exception as exc:  # noqa: BLE001 - any reason PostgreSQL cannot be used here
        # `make bench` runs every script; without a PostgreSQL server this one has nothing to measure.
        print(f"skipped: no usable PostgreSQL at {args.database_url} ({type(exc).__name__}); "
              "pass --database-url or set SURGE_BENCH_DATABASE_URL")
        return 0

    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    receiver = multiprocessing.get_context("spawn").Process(target=_serve_receiver, args=(port,), daemon=True)
    receiver.start()
    try:
        import httpx

        for _ in range(100):
            try:
                httpx.post(f"{base}/reset", timeout=1)
                break
            except httpx.TransportError:
                time.sleep(0.1)
        with private_database(args.database_url) as database_url:
            prepare(database_url, f"{base}/hook")
            keys = enqueue_many(database_url, f"{base}/hook", args.messages, "bench", datetime.now(timezone.utc))

            half = args.messages // 2
            bare_s, bare_each = _run_pair([(_bare_poster, (f"{base}/hook", half, "bare-a")),
                                           (_bare_poster, (f"{base}/hook", args.messages - half, "bare-b"))])
            httpx.post(f"{base}/reset")
            outbox_s, outbox_each = _run_pair([(_outbox_worker, (database_url,)), (_outbox_worker, (database_url,))])
            received = _received(base)
            exactly_once = sorted(received) == sorted(keys) and set(received.values()) == {1}
            states = _states(database_url)

            outbox_rate, bare_rate = args.messages / outbox_s, args.messages / bare_s
            print(f"outbox, two worker processes: {args.messages:,} webhooks in {outbox_s:.2f} s = "
                  f"{outbox_rate:,.0f} webhooks/s; per message within a run: "
                  f"{summarise([t * 1000 for t in outbox_each]).show('ms')}")
            print(f"baseline, bare httpx.Client POST loop, two processes: {bare_rate:,.0f} requests/s; per request: "
                  f"{summarise([t * 1000 for t in bare_each]).show('ms')}")
            print(f"ratio outbox / baseline: {outbox_rate / bare_rate:.2f}")
            print(f"every key delivered exactly once: {exactly_once} ({len(received):,} keys, "
                  f"{sum(received.values()):,} deliveries); states {states}")

            ok_outage, line = outage(database_url, base, args.outage_messages)
            print(f"receiver down for a simulated hour: {line}; exactly once: {ok_outage}")
    finally:
        receiver.terminate()
        receiver.join(timeout=10)
    if not (exactly_once and ok_outage):
        print("FAILED: a message was lost or delivered twice")
        return 1
    if outbox_rate < TARGET_PER_S:
        print(f"FAILED: below the target of {TARGET_PER_S} webhooks/s")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
