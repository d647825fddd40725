"""The grouped tally (every center and the network from one pass, as briefs read them) agrees with the
metrics API, one center or the network at a time, on every figure: random calls, overlapping regions."""

from __future__ import annotations

import random
from datetime import datetime, timedelta, timezone

from surge.briefs.figures_calls import calls_and_overflow
from surge.kernel.db import unit_of_work

T = datetime(2026, 11, 27, 14, 0, tzinfo=timezone.utc)
# Houston and Beaumont both cover Jefferson County (48245); Austin covers Travis (48453). 48999 is nobody's.
REGIONS = {"houston-211": ["48201", "48245"], "beaumont-211": ["48245", "48361"], "austin-211": ["48453"]}
# Callers' ZIP codes: Harris (48201), Jefferson (48245), Orange (48361), Travis (48453), Dallas (nobody's), none.
ZIPS = ["77002", "77701", "77630", "78701", "75201", None]


def random_calls(rng: random.Random, count: int) -> list[dict]:
    events = []
    for n in range(count):
        center = rng.choice(sorted(REGIONS))
        offered = rng.uniform(-900, 3700)  # some before the window, some after it
        zip_code = rng.choice(ZIPS)
        first = {"center": center, "call_id": f"c{n}", "event": "offered", "at": _at(offered)}
        if zip_code is not None:
            first["caller_zip"] = zip_code
        events.append(first)
        outcome = rng.random()
        if outcome < 0.5:
            answered = offered + rng.choice([0.5, 4, 30, 60, 61, 200])
            events.append({"center": center, "call_id": f"c{n}", "event": "answered", "at": _at(answered)})
            if rng.random() < 0.8:
                events.append({"center": center, "call_id": f"c{n}", "event": "ended",
                               "at": _at(answered + rng.uniform(10, 900))})
        elif outcome < 0.8:
            events.append({"center": center, "call_id": f"c{n}", "event": "abandoned",
                           "at": _at(offered + rng.choice([1, 4.9, 5, 40]))})
        else:
            to = rng.choice([slug for slug in REGIONS if slug != center])
            events.append({"center": center, "call_id": f"c{n}", "event": "overflowed", "at": _at(offered + 15),
                           "to_center": to})
    return events


def _at(seconds: float) -> str:
    return (T + timedelta(seconds=seconds)).isoformat()


def test_every_center_and_the_network_agree_with_the_metrics_api(client, engine, make_token, make_center):
    for slug, counties in REGIONS.items():
        make_center(slug, name=slug, timezone="America/Chicago", counties=counties)
    admin = {"authorization": f"Bearer {make_token('admin')}"}
    events = random_calls(random.Random(211), 300)
    posted = client.post("/api/v1/calls", json=events, headers=admin)
    assert posted.status_code == 200 and posted.json()["stored"] == len(events), posted.text[:500]
    start, end = T, T + timedelta(hours=1)
    with unit_of_work(engine) as session:
        calls, overflow = calls_and_overflow(session, counties=["48201", "48453", "48361"], start=start, end=end,
                                             short_abandon_s=5, service_level_s=60)
    window = {"from": start.isoformat(), "to": end.isoformat()}

    def api(path: str) -> dict:
        answer = client.get(path, params=window, headers=admin)
        assert answer.status_code == 200, answer.text
        return {key: value for key, value in answer.json().items() if key not in ("from", "to")}

    assert calls["network"] == api("/api/v1/metrics")
    assert [center["center"] for center in calls["centers"]] == sorted(REGIONS)
    for center in calls["centers"]:
        assert center == api(f"/api/v1/centers/{center['center']}/metrics")
    assert calls["network"]["offered"] > 100 and calls["network"]["overflow_in"] > 10  # the data exercised it
    assert overflow["total"] == calls["network"]["overflow_out"]
    assert sum(row["offered"] for row in calls["by_hour"]) == calls["network"]["offered"]
