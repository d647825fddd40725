"""Call figures on hand-computed calls: each definition of the README's "Call metrics" checked by number."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

T = datetime(2026, 11, 27, 14, 0, tzinfo=timezone.utc)
WINDOW = {"from": T.isoformat(), "to": (T + timedelta(hours=1)).isoformat()}


def at(seconds: float) -> str:
    return (T + timedelta(seconds=seconds)).isoformat()


def event(center, call_id, kind, seconds, **extra):
    return {"center": center, "call_id": call_id, "event": kind, "at": at(seconds), **extra}


HARRIS = {"caller_zip": "77002"}  # Harris County, 48201: Houston's
TRAVIS = {"caller_zip": "78701"}  # Travis County, 48453: Austin's
CALLS = [
    # h1: answered after 30 s, talked 300 s
    event("houston-211", "h1", "offered", 0, **HARRIS), event("houston-211", "h1", "answered", 30),
    event("houston-211", "h1", "ended", 330),
    # h2: answered after 100 s (past the 60 s service level), talked 100 s
    event("houston-211", "h2", "offered", 60, **HARRIS), event("houston-211", "h2", "answered", 160),
    event("houston-211", "h2", "ended", 260),
    # h3: hung up after 3 s, a short abandon
    event("houston-211", "h3", "offered", 120, **HARRIS), event("houston-211", "h3", "abandoned", 123),
    # h4: hung up after 20 s, no ZIP given
    event("houston-211", "h4", "offered", 180), event("houston-211", "h4", "abandoned", 200),
    # h5: overflowed to Austin after 10 s
    event("houston-211", "h5", "offered", 240, **HARRIS),
    event("houston-211", "h5", "overflowed", 250, to_center="austin-211"),
    # h6 was offered before the window and h7 after it: neither counts
    event("houston-211", "h6", "offered", -600, **HARRIS), event("houston-211", "h6", "answered", 10),
    event("houston-211", "h7", "offered", 7200, **HARRIS),
    # a1: the overflowed call as Austin saw it, answered after 10 s, talked 200 s
    event("austin-211", "a1", "offered", 250, **HARRIS), event("austin-211", "a1", "answered", 260),
    event("austin-211", "a1", "ended", 460),
    # a2: a Travis County caller answered after 5 s, still talking
    event("austin-211", "a2", "offered", 300, **TRAVIS), event("austin-211", "a2", "answered", 305),
]


def bearer(token):
    return {"authorization": f"Bearer {token}"}


@pytest.fixture
def loaded(client, make_token, make_center):
    make_center("houston-211")
    make_center("austin-211")
    admin = bearer(make_token("admin"))
    answer = client.post("/api/v1/calls", json=CALLS, headers=admin)
    assert answer.status_code == 200, answer.text
    assert answer.json()["stored"] == len(CALLS)
    return admin


def test_a_centers_figures(client, loaded):
    houston = client.get("/api/v1/centers/houston-211/metrics", params=WINDOW, headers=loaded)
    assert houston.status_code == 200, houston.text
    figures = houston.json()
    assert {k: figures[k] for k in ("offered", "answered", "abandoned", "short_abandoned", "overflow_out",
                                    "overflow_in", "in_region_calls")} == {
        "offered": 5, "answered": 2, "abandoned": 2, "short_abandoned": 1, "overflow_out": 1, "overflow_in": 0,
        "in_region_calls": 4}
    assert figures["abandon_rate"] == 0.25  # (2 - 1) / (5 - 1)
    assert figures["asa_s"] == 65.0  # (30 + 100) / 2
    assert figures["aht_s"] == 200.0  # (300 + 100) / 2
    assert figures["service_level"] == 0.25  # h1 only, of 5 - 1
    # Harris County callers not overflowed out: h1, h2, h3 here and a1 at Austin; Houston answered h1, h2.
    assert figures["in_region_answer_rate"] == 0.5
    assert figures["center"] == "houston-211" and figures["from"].startswith("2026-11-27T14:00")


def test_the_receiving_centers_figures(client, loaded):
    figures = client.get("/api/v1/centers/austin-211/metrics", params=WINDOW, headers=loaded).json()
    assert (figures["offered"], figures["answered"], figures["abandoned"]) == (2, 2, 0)
    assert figures["abandon_rate"] == 0.0 and figures["service_level"] == 1.0
    assert figures["asa_s"] == 7.5 and figures["aht_s"] == 200.0  # a2 has not ended: not in the handle time
    assert (figures["overflow_in"], figures["overflow_out"]) == (1, 0)
    assert figures["in_region_answer_rate"] == 1.0 and figures["in_region_calls"] == 1


def test_the_networks_figures(client, loaded):
    figures = client.get("/api/v1/metrics", params=WINDOW, headers=loaded).json()
    assert (figures["offered"], figures["answered"], figures["abandoned"], figures["short_abandoned"]) == (7, 4, 2, 1)
    assert figures["abandon_rate"] == pytest.approx(1 / 6, abs=1e-4)
    assert figures["asa_s"] == pytest.approx(36.25, abs=0.06)  # (30 + 100 + 10 + 5) / 4
    assert figures["aht_s"] == 200.0
    assert figures["service_level"] == 0.5  # h1, a1, a2 of 7 - 1
    assert (figures["overflow_in"], figures["overflow_out"]) == (1, 1)
    # h1, h2, h3, a1 (Harris, home Houston) and a2 (Travis, home Austin): h1, h2 and a2 answered at home.
    assert figures["in_region_calls"] == 5 and figures["in_region_answer_rate"] == 0.6


def test_thresholds_come_from_the_settings(app, loaded):
    from starlette.testclient import TestClient

    app.state.settings = app.state.settings.model_copy(update={"short_abandon_s": 25, "service_level_s": 100})
    with TestClient(app) as client:
        figures = client.get("/api/v1/centers/houston-211/metrics", params=WINDOW, headers=loaded).json()
    assert figures["short_abandoned"] == 2 and figures["abandon_rate"] == 0.0  # both abandons were short
    assert figures["service_level"] == pytest.approx(2 / 3, abs=1e-4)  # 100 s is within 100 s


def test_an_empty_window_has_counts_of_zero_and_no_rates(client, loaded):
    empty = {"from": (T - timedelta(days=3)).isoformat(), "to": (T - timedelta(days=2)).isoformat()}
    figures = client.get("/api/v1/metrics", params=empty, headers=loaded).json()
    assert figures["offered"] == 0 and figures["overflow_in"] == 0
    assert [figures[k] for k in ("abandon_rate", "asa_s", "aht_s", "service_level", "in_region_answer_rate")] == [
        None] * 5


def test_windows_are_checked(client, loaded):
    bad = [({"from": WINDOW["to"], "to": WINDOW["from"]}, "to"),
           ({"from": "2026-11-27T00:00:00", "to": WINDOW["to"]}, "from"),
           ({"from": "yesterday", "to": WINDOW["to"]}, "from"),
           ({"from": "2020-01-01T00:00:00Z", "to": "2026-01-01T00:00:00Z"}, "to"),
           ({"from": "9999-12-31T00:00:00Z", "to": "9999-12-31T23:59:59Z"}, "from"),
           ({"from": "2020-01-01T00:00:00Z"}, "from")]
    for params, field in bad:
        answer = client.get("/api/v1/metrics", params=params, headers=loaded)
        assert answer.status_code == 422, (params, answer.text)
        assert field in answer.json()["error"]["fields"], (params, answer.json())
    assert client.get("/api/v1/centers/nowhere-211/metrics", params=WINDOW, headers=loaded).status_code == 404


def test_the_window_defaults_to_the_24_hours_before_to_or_now(client, loaded, app):
    by_default = client.get("/api/v1/metrics", params={"to": WINDOW["to"]}, headers=loaded).json()
    assert by_default == client.get("/api/v1/metrics", params={
        "from": (datetime.fromisoformat(WINDOW["to"]) - timedelta(hours=24)).isoformat(), "to": WINDOW["to"]},
        headers=loaded).json()
    app.state.clock = lambda: datetime.fromisoformat(WINDOW["to"])
    now = client.get("/api/v1/centers/houston-211/metrics", headers=loaded)
    assert now.status_code == 200 and now.json()["offered"] == 6  # h1-h5, and h6 from just before the hour


def test_who_may_read_figures(client, loaded, make_token):
    for role, center in (("supervisor", "austin-211"), ("call_taker", "houston-211"), ("partner", None),
                         ("emergency_manager", None)):
        token = bearer(make_token(role, name=f"reader {role}", center=center))
        answer = client.get("/api/v1/centers/houston-211/metrics", params=WINDOW, headers=token)
        assert answer.status_code == 200, (role, answer.text)
    phone = bearer(make_token("phone_system", name="phones", center="houston-211"))
    assert client.get("/api/v1/metrics", params=WINDOW, headers=phone).status_code == 403
    assert client.get("/api/v1/metrics", params=WINDOW).status_code == 401
