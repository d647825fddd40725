"""Public registration under surge: volunteer registrations posted to the API by wrk, on PostgreSQL.

Starts `surge serve --workers 2` on a fresh PostgreSQL database holding the demo network, its four
clearinghouses and the active exercise with the demo's volunteers and offers, analysed, and drives `POST /api/v1/incidents/{slug}/volunteers` with wrk
(bench/wrk_register.lua makes every body and Idempotency-Key unique). Then checks against the database
that every acknowledged (201) registration is stored exactly once, with its referrals. The baseline, run
the same way: an endpoint of the same server (Surge's application, its middleware and the same token) that
inserts one row; and, for the record, that endpoint in a bare Starlette application (bench/bare_insert_app.py).
Prints registrations/s with mean, median and p99 latency, and the ratios to both.

    .venv/bin/python bench/intake_registration.py                 # 60 s each
    BENCH_SECONDS=15 .venv/bin/python bench/intake_registration.py
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
sys.path[:0] = [str(BENCH), str(REPO)]

import http_locate  # noqa: E402  (the server and wrk helpers every HTTP benchmark shares)
from pg_scratch import DEFAULT_SERVER, scratch_database  # noqa: E402

SECONDS = float(os.environ.get("BENCH_SECONDS", "60"))
CONNECTIONS, THREADS, WORKERS = 32, 2, 2
PG_SERVER = os.environ.get("SURGE_BENCH_POSTGRES", DEFAULT_SERVER)
EXERCISE = "gulf-hurricane-exercise"
DATABASE = "surge_bench_intake"


def _load_exercise(database_url: str) -> None:
    """The demo network in service: its clearinghouses, the active exercise with its needs and the demo's few
    hundred volunteers and offers, analysed as autovacuum keeps a database in service.

    Not a fresh, empty `volunteers` table: a prepared statement planned while the table holds a handful of rows
    keeps a sequential scan, the cheapest plan then, until autovacuum next analyses the table (within its one-minute
    round), so a 60-second run from an empty table measures that first minute alone."""
    from sqlalchemy import text

    from surge.access.principal import system
    from surge.demo_intake import load_intake
    from surge.demo_network import load_clearinghouses, load_exercise, load_needs, load_network
    from surge.kernel.clock import utcnow
    from surge.kernel.db import make_engine, run_in_transaction

    engine = make_engine(database_url)
    actor = system("bench")
    for step in (load_network, load_clearinghouses):
        run_in_transaction(engine, step, actor=actor)
    for step in (load_exercise, load_needs, load_intake):
        run_in_transaction(engine, step, actor=actor, now=utcnow())
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.execute(text("VACUUM ANALYZE"))
    engine.dispose()


def _process_seconds(process: str) -> float:
    """CPU seconds a process has used so far (Linux /proc; 0 when it is gone)."""
    try:
        fields = Path(f"/proc/{process}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _cpu_seconds(pid: int) -> float:
    """CPU time used so far by the server: its supervisor and every worker (Linux; 0 elsewhere)."""
    children = subprocess.run(["pgrep", "-P", str(pid)], capture_output=True, text=True).stdout.split()
    return sum(_process_seconds(process) for process in [str(pid), *children])


def _database_seconds(database: str) -> float:
    """CPU time used so far by the PostgreSQL backends serving `database` (the pools keep their connections
    for the whole run, so none of them comes and goes uncounted)."""
    found = subprocess.run(["pgrep", "-f", f"postgres: .* {database} "], capture_output=True, text=True).stdout
    return sum(_process_seconds(process) for process in found.split())


def _wrk(base: str, path: str, headers: dict[str, str], server: subprocess.Popen, database: str) -> dict:
    """wrk's figures, with the server's CPU milliseconds a request (steadier than rates on a shared machine)."""
    before, database_before = _cpu_seconds(server.pid), _database_seconds(database)
    sent = [option for name, value in headers.items() for option in ("-H", f"{name}: {value}")]
    done = subprocess.run(["wrk", "-t", str(THREADS), "-c", str(CONNECTIONS), "-d", f"{SECONDS:g}s", "--timeout",
                           "10s", *sent, "-s", str(BENCH / "wrk_register.lua"), base, "--", path],
                          capture_output=True, text=True, timeout=SECONDS + 60)
    used, database_used = _cpu_seconds(server.pid) - before, _database_seconds(database) - database_before
    lines = [line for line in done.stdout.splitlines() if line.startswith("{")]
    if done.returncode != 0 or not lines:
        raise http_locate.BenchError(f"wrk failed: {done.stderr[-500:]}{done.stdout[-500:]}")
    figures = json.loads(lines[-1])
    figures["cpu_ms"] = 1000 * used / max(figures["requests"], 1)
    figures["database_cpu_ms"] = 1000 * database_used / max(figures["requests"], 1)
    return figures


def _check_one(base: str, headers: dict[str, str]) -> None:
    """One registration by hand first: a load test of error answers would measure nothing."""
    import httpx

    answer = httpx.post(f"{base}/api/v1/incidents/{EXERCISE}/volunteers", headers=headers, json={
        "name": "Bench Check", "phone": "+1 3000000001", "zip": "77002", "skills": ["muck_out"],
        "consents": {"share_with_clearinghouses": True}}, timeout=30)
    if answer.status_code != 201:
        raise http_locate.BenchError(f"a registration answered {answer.status_code}: {answer.text[:300]}")


def _check_stored(database_url: str, accepted: int) -> tuple[int, int, int]:
    """(registrations stored, distinct people, registrations without the referrals their status says)."""
    import psycopg

    with psycopg.connect(database_url.replace("+psycopg", "")) as conn:
        stored, people = conn.execute("select count(*), count(distinct phone_key) from volunteers "
                                      "where name like 'Bench Volunteer %'").fetchone()
        wrong = conn.execute("""select count(*) from volunteers v where v.name like 'Bench Volunteer %' and
            (v.status = 'matched') <> exists (select 1 from referrals r where r.volunteer_id = v.id)""").fetchone()[0]
    # wrk stops with up to one request in flight per connection: stored and committed, never counted.
    if not accepted <= stored <= accepted + CONNECTIONS or people != stored or wrong:
        raise http_locate.BenchError(f"{accepted} acknowledged, {stored} stored, {people} distinct people, "
                                     f"{wrong} without their referrals")
    return stored, people, wrong


def _baseline(tmp: Path, database_url: str, headers: dict[str, str], *, plain: bool) -> dict:
    """The one-row insert (bench/bare_insert_app.py) in Surge's own server, with the same token and settings as
    the registrations (`plain`: in a bare Starlette application instead)."""
    import psycopg

    with psycopg.connect(database_url.replace("+psycopg", ""), autocommit=True) as conn:
        conn.execute("create table if not exists bench_rows (id serial primary key, body text not null)")
    port = http_locate.free_port()
    env = {**os.environ, "SURGE_DATABASE_URL": database_url, "PYTHONPATH": f"{BENCH}:{REPO}",
           "SURGE_LOG_LEVEL": "WARNING", "SURGE_ENV": "development"}
    if plain:
        env["SURGE_EMBEDDED_WORKER"] = "false"
    name = "plain" if plain else "surge"
    log = (tmp / f"bare-{name}.log").open("w")
    server = subprocess.Popen([sys.executable, "-c", "from bare_insert_app import main; main()", str(port),
                               str(WORKERS), *(["plain"] if plain else [])], env=env, cwd=BENCH, stdout=log,
                              stderr=subprocess.STDOUT, start_new_session=True)
    try:
        http_locate.wait_ready(f"http://127.0.0.1:{port}", server, tmp / f"bare-{name}.log", workers=WORKERS)
        return _wrk(f"http://127.0.0.1:{port}", "/bench/insert", {} if plain else headers, server, DATABASE)
    finally:
        http_locate.stop_server(server)


def _rate(figures: dict) -> float:
    return figures["accepted"] / (figures["duration_us"] / 1e6)


def _line(name: str, figures: dict) -> str:
    rate = _rate(figures)
    return (f"{name:<28} {rate:8.1f}/s  mean {figures['mean_us'] / 1000:7.1f} ms  median "
            f"{figures['p50_us'] / 1000:7.1f} ms  p99 {figures['p99_us'] / 1000:7.1f} ms  "
            f"CPU a request: server {figures['cpu_ms']:.2f} ms, PostgreSQL {figures['database_cpu_ms']:.2f} ms "
            f"(non-2xx {figures['non_2xx']}, socket errors {figures['socket_errors']})")


def main() -> int:
    if shutil.which("wrk") is None:
        print("skipped: wrk is not installed (apt-get install -y wrk)")
        return 0
    with scratch_database(PG_SERVER, DATABASE) as database_url:
        if database_url is None:  # no PostgreSQL to measure on: said so; not a failure of `make bench`
            return 0
        measure(database_url)
    return 0


def measure(database_url: str) -> None:
    tmp = Path(tempfile.mkdtemp(prefix="surge-bench-intake-"))
    port = http_locate.free_port()
    server, log_path, headers = http_locate.start_server(tmp, port, WORKERS, database_url)
    try:
        os.environ["SURGE_DATABASE_URL"] = database_url
        _load_exercise(database_url)
        base = f"http://127.0.0.1:{port}"
        http_locate.wait_ready(base, server, log_path, workers=WORKERS)
        _check_one(base, headers)
        ours = _wrk(base, f"/api/v1/incidents/{EXERCISE}/volunteers", headers, server, DATABASE)
    finally:
        http_locate.stop_server(server)
    stored, people, _ = _check_stored(database_url, ours["accepted"])
    bare = _baseline(tmp, database_url, headers, plain=False)
    plain = _baseline(tmp, database_url, headers, plain=True)
    ours_rate, bare_rate, plain_rate = (_rate(figures) for figures in (ours, bare, plain))
    print(f"{SECONDS:g} s each, {CONNECTIONS} connections, {WORKERS} workers, PostgreSQL")
    print(_line("volunteer registration", ours))
    print(_line("bare insert, Surge's server", bare))
    print(_line("bare insert, Starlette alone", plain))
    print(f"stored exactly once: {ours['accepted']} acknowledged, {stored} stored (the rest were in flight when "
          f"wrk stopped), {people} distinct people, each with the referrals its status says")
    # What this machine's cores could serve at most, were the server and PostgreSQL alone on them.
    cores = os.cpu_count() or 1
    print(f"ceiling on {cores} cores, server and PostgreSQL CPU alone: " + ", ".join(
        f"{name} {1000 * cores / (figures['cpu_ms'] + figures['database_cpu_ms']):.0f}/s"
        for name, figures in (("registrations", ours), ("bare in Surge", bare), ("bare alone", plain))))
    print(f"ratio to the bare insert in Surge's server: {ours_rate / bare_rate:.2f} (target >= 0.4); "
          f"to the bare insert in Starlette alone: {ours_rate / plain_rate:.2f}")
    held = ours_rate >= 300 and ours["p99_us"] <= 300_000
    print(f"target >= 300/s with p99 <= 300 ms: {'met' if held else 'NOT met'}")
    shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
