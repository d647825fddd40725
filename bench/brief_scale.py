"""A situation brief at scale on PostgreSQL: 254 counties, 1M call events, 100k volunteers, 20k donation offers,
50k needs; the figures against a bare full scan of the call events, the whole brief against WeasyPrint alone.

Makes its own database (surge_bench_briefs) on the PostgreSQL server given and migrates it. The network is
25 centers that share Texas's 254 counties, the demo's four clearinghouses, and an active flood incident on
all 254 counties with 12-hour operational periods. The rows go in by COPY, spread over the incident's first
week (volunteers, donations and needs too; about six in ten volunteers and half the donated items referred,
in every referral state), growing through 10%, 25%, 50% and 100% of the named sizes. Two briefs are timed
at each size:

- the scheduled one: the week's last operational period (12 hours of calls and needs; every volunteer and
  donation so far, as the intake sections count);
- a brief of the whole week: every row loaded falls in its period (the worst case).

For each, alternating with its baseline after a warm-up:

- the figures (`surge.briefs.figures.compute`) against `select count(*) from call_events`, both with
  PostgreSQL's JIT compilation off (target at 100%, for the scheduled brief: within 3x);
- the whole brief (produced as the scheduler does, in a transaction rolled back afterwards so that each run
  produces the same brief; its HTML page; its PDF; drawings made afresh each run) against WeasyPrint's own
  `write_pdf` of the same final print HTML with the same stylesheet (target at 100%: within 2x).

    .venv/bin/python bench/brief_scale.py                         # 10%, 25%, 50%, 100%
    .venv/bin/python bench/brief_scale.py --fractions 0.1,1 --runs 3
    .venv/bin/python bench/brief_scale.py --postgres postgresql+psycopg://postgres@db:5432/postgres
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import random
import statistics
import sys
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

from sqlalchemy import text
from sqlmodel import Session

BENCH = Path(__file__).resolve().parent
sys.path[:0] = [str(BENCH), str(BENCH.parent)]

import geo  # noqa: E402
from call_load import copy_csv, grow_calls  # noqa: E402
from clearinghouse.taxonomy import DONATION_CATEGORIES, SKILLS  # noqa: E402
from figures import summarise  # noqa: E402
from pg_scratch import DEFAULT_SERVER, scratch_database  # noqa: E402
from surge.access.principal import system  # noqa: E402
from surge.briefs import charts, documents, figures, periods, production  # noqa: E402
from surge.briefs import activation  # noqa: E402
from surge.briefs.documents_pdf import BASE_URL, PRINT_STYLESHEET, OwnFilesOnly, render_pdf  # noqa: E402
from surge.centers import registry  # noqa: E402
from surge.centers.models import CenterIn  # noqa: E402
from surge.demo_network import load_clearinghouses  # noqa: E402
from surge.incidents import areas, lifecycle  # noqa: E402
from surge.incidents.models import Incident, IncidentIn  # noqa: E402
from surge.kernel.db import make_engine, run_in_transaction, unit_of_work  # noqa: E402
from surge.kernel.validation import validate  # noqa: E402
from surge.needs.categories import CATEGORIES, UNMET_REASONS  # noqa: E402
from surge.schema import upgrade  # noqa: E402

DATABASE = "surge_bench_briefs"
FULL = {"call_events": 1_000_000, "volunteers": 100_000, "donations": 20_000, "needs": 50_000}
FIGURES_TARGET = 3.0
BRIEF_TARGET = 2.0
INCIDENT = "bench-texas-flood"
ZONE = "America/Chicago"
START = datetime(2026, 9, 1, 5, tzinfo=timezone.utc)  # midnight in Texas (CDT)
DAYS = 7
END = START + timedelta(days=DAYS)
CENTERS = 25
THRESHOLDS = production.Thresholds(short_abandon_s=5, service_level_s=60)
ACTOR = system("bench")
REFERRAL_STATES = ("sent", "acknowledged", "accepted", "declined", "fulfilled", "released")


def texas_counties() -> list[str]:
    return [county.fips for county in geo.all_counties() if county.fips.startswith("48")]


def centers_of(counties: list[str]) -> dict[str, list[str]]:
    """The state's counties dealt out over the centers, each center a run of neighbouring FIPS codes."""
    cut = [n * len(counties) // CENTERS for n in range(CENTERS + 1)]
    return {f"tx-aic-{n + 1:02d}": counties[cut[n]:cut[n + 1]] for n in range(CENTERS)}


def load_network(session: Session, *, actor, by_center: dict[str, list[str]]) -> None:
    for n, (slug, counties) in enumerate(sorted(by_center.items())):
        registry.create(session, data=validate(CenterIn, {
            "slug": slug, "name": f"Texas area information center {n + 1}", "timezone": ZONE, "counties": counties,
            "languages": ["en", "es"], "hours": "24/7", "seats": 40, "accredited": True}), actor=actor)


def load_incident(session: Session, *, actor, counties: list[str]) -> None:
    data = validate(IncidentIn, {"slug": INCIDENT, "name": "Texas statewide flood (benchmark)", "type": "Flood",
                                 "level": 3, "timezone": ZONE, "operational_period_hours": 12,
                                 "period_start": "00:00", "area": {"counties": counties}})
    area, covered = areas.resolve(data.area, actor=actor)
    lifecycle.create(session, data=data, area=area, counties=covered, actor=actor)
    activation.activate(session, slug=INCIDENT, reason="benchmark", actor=actor, now=START)


def _csv(rows) -> str:
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    return out.getvalue()


def _moment(rng: random.Random) -> str:
    return (START + timedelta(seconds=rng.random() * DAYS * 86400)).isoformat()


VOLUNTEER_COLUMNS = ("reference", "incident_slug", "name", "phone", "phone_key", "preferred_contact", "county",
                     "travel_miles", "skills", "certifications", "languages", "availability", "adult", "activity",
                     "consents", "status", "source", "created_at", "updated_at")


def volunteer_lines(first: int, count: int, rng: random.Random, counties: list[str]):
    skills = [term.code for term in SKILLS]
    for n in range(first, first + count):
        at = _moment(rng)
        status = "matched" if rng.random() < 0.6 else "reserve"
        yield _csv([(f"BV{n:08d}", INCIDENT, f"Volunteer {n}", f"+1555{n:07d}", f"+1555{n:07d}", "phone",
                     rng.choice(counties), 25, json.dumps(rng.sample(skills, rng.randint(1, 3))), "[]", '["en"]',
                     "{}", "true", "some", json.dumps({"share": at}), status, "web", at, at)])


DONATION_COLUMNS = ("reference", "incident_slug", "donor_type", "name", "phone", "county", "can_deliver",
                    "estimated_value", "cash_pledge", "status", "source", "created_at", "updated_at")


def donation_lines(first: int, count: int, rng: random.Random, counties: list[str]):
    for n in range(first, first + count):
        at = _moment(rng)
        pledge = round(rng.uniform(10, 500), 2) if rng.random() < 0.1 else ""
        yield _csv([(f"BD{n:08d}", INCIDENT, rng.choice(("individual", "business", "organisation")), f"Donor {n}",
                     f"+1555{n:07d}", rng.choice(counties), rng.choice(("true", "false")),
                     round(rng.uniform(20, 5000), 2), pledge, "on_file", "web", at, at)])


NEED_COLUMNS = ("incident_slug", "center_slug", "county_fips", "category", "met", "unmet_reason", "logged_at",
                "source")


def need_lines(count: int, rng: random.Random, by_center: dict[str, list[str]]):
    centers = sorted(by_center)
    for _ in range(count):
        center = rng.choice(centers)
        met = rng.random() < 0.55
        yield _csv([(INCIDENT, center, rng.choice(by_center[center]), rng.choice(CATEGORIES),
                     "true" if met else "false", "" if met else rng.choice(UNMET_REASONS), _moment(rng), "call")])


def _array(values) -> str:
    return "ARRAY[" + ", ".join("'" + value + "'" for value in values) + "]"


def refer(engine, *, clearinghouses: list[str], after_volunteer: int, after_item: int) -> None:
    """Referrals for the matched volunteers and donated items loaded since the last round, in SQL."""
    houses, states = _array(clearinghouses), _array(REFERRAL_STATES)
    chosen = f"({houses})[1 + (id % {len(clearinghouses)})]"
    state = f"({states})[1 + ((id / 7) % {len(REFERRAL_STATES)})]"
    columns = ("incident_slug, clearinghouse_slug, {subject}, code, state, reason, sent_at, ack_due_at, "
               "accepted_at, updated_at, updated_by")
    accepted = f"CASE WHEN {state} IN ('accepted', 'fulfilled') THEN sent_at + interval '2 hours' END"
    with engine.begin() as conn:
        conn.execute(text(
            f"INSERT INTO referrals ({columns.format(subject='volunteer_id')}) "
            f"SELECT incident_slug, {chosen}, id, skills->>0, {state}, '', created_at, "
            f"created_at + interval '4 hours', {accepted.replace('sent_at', 'created_at')}, created_at, 'bench' "
            f"FROM volunteers WHERE status = 'matched' AND id > :after").bindparams(after=after_volunteer))
        conn.execute(text(
            "INSERT INTO donation_items (donation_id, category, description, quantity, unit, condition, packaging, "
            "perishable, status) "
            f"SELECT d.id, ({_array(term.code for term in DONATION_CATEGORIES)})"
            f"[1 + ((d.id * 3 + k) % {len(DONATION_CATEGORIES)})], 'boxes of goods', 1 + k, 'each', 'new', 'boxed', "
            "false, CASE WHEN (d.id + k) % 2 = 0 THEN 'matched' ELSE 'on_file' END "
            "FROM donations d CROSS JOIN generate_series(0, d.id % 3) AS k WHERE d.id > :after"
        ).bindparams(after=after_item))
        conn.execute(text("UPDATE donations SET status = 'matched' WHERE id > :after AND EXISTS (SELECT 1 FROM "
                          "donation_items i WHERE i.donation_id = donations.id AND i.status = 'matched')"
                          ).bindparams(after=after_item))
        conn.execute(text(
            f"INSERT INTO referrals ({columns.format(subject='donation_item_id')}) "
            f"SELECT d.incident_slug, {chosen.replace('id %', 'i.id %')}, i.id, i.category, "
            f"{state.replace('id /', 'i.id /')}, '', d.created_at, d.created_at + interval '4 hours', "
            f"{accepted.replace('sent_at', 'd.created_at').replace('id /', 'i.id /')}, d.created_at, 'bench' "
            "FROM donation_items i JOIN donations d ON d.id = i.donation_id "
            "WHERE i.status = 'matched' AND d.id > :after").bindparams(after=after_item))


def _max_id(engine, table: str) -> int:
    with engine.connect() as conn:
        return conn.execute(text(f"SELECT coalesce(max(id), 0) FROM {table}")).scalar_one()


class Data:
    """The benchmark's rows, grown by COPY to a fraction of the named sizes."""

    def __init__(self, engine, by_center: dict[str, list[str]], clearinghouses: list[str]):
        self.engine, self.by_center, self.clearinghouses = engine, by_center, clearinghouses
        self.counties = [county for counties in by_center.values() for county in counties]
        self.have = dict.fromkeys(FULL, 0)
        self.next_call = 0
        self.rng = random.Random(211)

    def grow(self, fraction: float) -> float:
        began = time.perf_counter()
        want = {name: int(size * fraction) for name, size in FULL.items()}
        self.have["call_events"], self.next_call, _, _ = grow_calls(
            self.engine, have=self.have["call_events"], want=want["call_events"], next_call=self.next_call,
            rng=self.rng, counties_by_center=self.by_center, start=START, days=DAYS)
        after_volunteer, after_donation = _max_id(self.engine, "volunteers"), _max_id(self.engine, "donations")
        more = want["volunteers"] - self.have["volunteers"]
        copy_csv(self.engine, "volunteers", VOLUNTEER_COLUMNS,
                 volunteer_lines(self.have["volunteers"], more, self.rng, self.counties))
        more = want["donations"] - self.have["donations"]
        copy_csv(self.engine, "donations", DONATION_COLUMNS,
                 donation_lines(self.have["donations"], more, self.rng, self.counties))
        copy_csv(self.engine, "need_reports", NEED_COLUMNS,
                 need_lines(want["needs"] - self.have["needs"], self.rng, self.by_center))
        refer(self.engine, clearinghouses=self.clearinghouses, after_volunteer=after_volunteer,
              after_item=after_donation)
        with self.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(text("VACUUM ANALYZE"))
        self.have.update({name: want[name] for name in ("volunteers", "donations", "needs")})
        return time.perf_counter() - began


CPU_USED: dict[int, float] = {}  # this process's CPU seconds in the last timed runs, by id of their times list


def timed(work, runs: int) -> tuple[list[float], object]:
    """Wall-clock seconds of each run after a warm-up (both sides start from warm caches and loaded libraries);
    this process's CPU seconds a run are kept beside, steadier than wall time on a shared machine."""
    answer = work()
    times = []
    cpu = time.process_time()
    for _ in range(runs):
        began = time.perf_counter()
        answer = work()
        times.append(time.perf_counter() - began)
    CPU_USED[id(times)] = (time.process_time() - cpu) / max(runs, 1)
    return times, answer


def show(label: str, times: list[float]) -> str:
    return f"    {label:<34} {summarise([t * 1000 for t in times]).show('ms', 1)}"


class Briefs:
    """The two measured works of one brief period, and their baselines."""

    def __init__(self, engine, schedule_id: int, period: periods.Period):
        self.engine, self.schedule_id, self.period = engine, schedule_id, period
        self.printed = ""

    def figures(self) -> dict:
        with unit_of_work(self.engine) as session:
            incident = session.get(Incident, INCIDENT)
            return figures.compute(session, incident=incident, start=self.period.start, end=self.period.end,
                                   now=END, previous=None, short_abandon_s=THRESHOLDS.short_abandon_s,
                                   service_level_s=THRESHOLDS.service_level_s)

    def whole(self) -> tuple[str, bytes]:
        charts.forget_drawings()  # a new brief's drawings are new: drawn once for the page, reused for the PDF
        with Session(self.engine) as session:
            brief = production.produce_scheduled(session, schedule_id=self.schedule_id, period=self.period,
                                                 now=END, thresholds=THRESHOLDS, actor=ACTOR)
            page = documents.html(session, brief, language="en", now=END)
            printed = documents.html(session, brief, language="en", now=END, print_version=True)
            pdf = render_pdf(printed)  # what documents.pdf does, keeping its HTML for the baseline
            session.rollback()  # the next run produces the same period again
        self.printed = printed
        return page, pdf

    def weasyprint_alone(self) -> bytes:
        from weasyprint import CSS, HTML

        fetcher = OwnFilesOnly(allowed_protocols=("data", "https"), allow_redirects=False)
        return HTML(string=self.printed, base_url=BASE_URL, url_fetcher=fetcher).write_pdf(
            stylesheets=[CSS(filename=str(PRINT_STYLESHEET), url_fetcher=fetcher)])


def full_scan(engine) -> int:
    """The bare scan, with JIT compilation off as the figures run: with it on (the server's default), the scan
    took half as long again, which would flatter the ratio."""
    with engine.connect() as conn:
        conn.execute(text("SET LOCAL jit = off"))
        return conn.execute(text("SELECT count(*) FROM call_events")).scalar_one()


def measure(name: str, briefs: Briefs, engine, runs: int) -> tuple[float, float]:
    """Print one brief's figures and whole-brief timings beside their baselines; the two ratios of medians."""
    figures_times, answer = timed(briefs.figures, runs)
    scan_times, _ = timed(lambda: full_scan(engine), runs)
    brief_times, (page, pdf) = timed(briefs.whole, runs)
    render_times, bare_pdf = timed(briefs.weasyprint_alone, runs)
    figures_ratio = statistics.median(figures_times) / statistics.median(scan_times)
    brief_ratio = statistics.median(brief_times) / statistics.median(render_times)
    print(f"  {name}: {answer['calls']['network']['offered']:,} calls, {answer['needs']['overall']['total']:,} needs "
          f"in the period; HTML {len(page):,} B, PDF {len(pdf):,} B (WeasyPrint alone: {len(bare_pdf):,} B)")
    print(show("select count(*) from call_events", scan_times))
    print(show("figures", figures_times) + f"   ratio {figures_ratio:.2f}")
    brief_cpu, render_cpu = CPU_USED[id(brief_times)], CPU_USED[id(render_times)]
    print(show("WeasyPrint write_pdf of the HTML", render_times) + f"   CPU {render_cpu:.2f} s")
    print(show("whole brief (figures, HTML, PDF)", brief_times) + f"   ratio {brief_ratio:.2f}; CPU {brief_cpu:.2f} s, "
          f"ratio {brief_cpu / render_cpu:.2f}")
    return figures_ratio, brief_ratio


def bench(url: str, fractions: list[float], runs: int) -> bool:
    upgrade(url)
    engine = make_engine(url)
    counties = texas_counties()
    by_center = centers_of(counties)
    verdicts = []
    try:
        run_in_transaction(engine, load_network, actor=ACTOR, by_center=by_center)
        houses = run_in_transaction(engine, load_clearinghouses, actor=ACTOR)
        run_in_transaction(engine, load_incident, actor=ACTOR, counties=counties)
        with unit_of_work(engine) as session:
            due = production.due(session, until=END)
        last = due[-1]
        assert last.period.end == END and last.period.start == END - timedelta(hours=12), last
        scheduled = Briefs(engine, last.schedule_id, last.period)
        week = Briefs(engine, last.schedule_id, periods.Period(START, END))
        data = Data(engine, by_center, houses)
        print(f"PostgreSQL, briefs of an incident on {len(counties)} counties and {CENTERS} centers; "
              f"{runs} runs of each after a warm-up")
        for fraction in fractions:
            load_s = data.grow(fraction)
            print(f"\n{fraction:.0%}: {data.have['call_events']:,} call events, "
                  f"{data.have['volunteers']:,} volunteers, "
                  f"{data.have['donations']:,} offers, {data.have['needs']:,} needs (loaded in {load_s:.0f} s)")
            figures_ratio, brief_ratio = measure("the scheduled brief (last 12-hour period)", scheduled, engine, runs)
            measure("a brief of the whole week (worst case)", week, engine, runs)
            if fraction >= 1:
                verdicts.append(figures_ratio <= FIGURES_TARGET and brief_ratio <= BRIEF_TARGET)
    finally:
        engine.dispose()
    verdict = "not measured (no 100% size)" if not verdicts else "met" if all(verdicts) else "MISSED"
    print(f"\ntargets at 100%, the scheduled brief: figures within {FIGURES_TARGET:g}x of the scan, whole brief "
          f"within {BRIEF_TARGET:g}x of WeasyPrint: {verdict}")
    return all(verdicts)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--postgres", default=DEFAULT_SERVER,
                        help="a PostgreSQL server URL; the bench makes (and drops) its own database there")
    parser.add_argument("--fractions", default="0.1,0.25,0.5,1", help="comma-separated fractions of the sizes")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    args = parser.parse_args()
    with scratch_database(args.postgres, DATABASE, keep=args.keep) as url:
        if url is None:
            return 0
        return 0 if bench(url, [float(f) for f in args.fractions.split(",")], args.runs) else 1


if __name__ == "__main__":
    sys.exit(main())
