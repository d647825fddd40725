"""The needs figures: by category and by county, met, unmet and unmet by reason, within a window."""

from datetime import datetime, timedelta, timezone

import pytest

from surge.kernel.db import run_in_transaction
from surge.needs.categories import CATEGORIES, TAXONOMY_PREFIXES, category_of_code
from surge.needs.models import NeedReport
from surge.needs.summaries import summarise
from tests.needs.setup import EXERCISE, bearer, incidents  # noqa: F401

DAY = datetime(2026, 9, 2, 12, tzinfo=timezone.utc)
SUMMARY = f"/api/v1/incidents/{EXERCISE}/need-reports/summary"


def _add(session, rows):
    for county, category, met, reason, hours in rows:
        session.add(NeedReport(incident_slug=EXERCISE, center_slug="houston-211", county_fips=county,
                               category=category, met=met, unmet_reason=reason, logged_at=DAY + timedelta(hours=hours),
                               source="call"))
    session.flush()


@pytest.fixture
def logged(incidents, engine):
    run_in_transaction(engine, _add, rows=[
        ("48201", "food", True, None, 0),
        ("48201", "food", False, "waitlist", 1),
        ("48201", "shelter", False, "no_service", 2),
        ("48245", "food", False, "waitlist", 3),
        ("48245", "water", True, None, 30),  # the next day
    ])
    return EXERCISE


def test_summarise_counts_by_category_county_and_reason(logged, engine):
    found = run_in_transaction(engine, summarise, incident_id=EXERCISE)
    assert (found.overall.total, found.overall.met, found.overall.unmet) == (5, 2, 3)
    assert found.overall.unmet_by_reason == {"no_service": 1, "waitlist": 2}
    assert list(found.by_category) == ["shelter", "food", "water"]  # the categories' own order
    food = found.by_category["food"]
    assert (food.total, food.met, food.unmet, food.unmet_by_reason) == (3, 1, 2, {"waitlist": 2})
    harris, jefferson = found.by_county["48201"], found.by_county["48245"]
    assert (harris.total, harris.unmet, harris.unmet_by_reason) == (3, 2, {"no_service": 1, "waitlist": 1})
    assert (jefferson.total, jefferson.met) == (2, 1)


def test_summarise_keeps_to_the_window(logged, engine):
    found = run_in_transaction(engine, summarise, incident_id=EXERCISE, start=DAY + timedelta(hours=1),
                               end=DAY + timedelta(hours=3))
    assert (found.overall.total, found.overall.unmet) == (2, 2)  # start included, end excluded
    assert run_in_transaction(engine, summarise, incident_id="other").overall.total == 0


def test_the_summary_api_gives_figures_and_labels(client, logged, make_token):
    answer = client.get(SUMMARY, headers=bearer(make_token, "partner"))
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert body["overall"] == {"total": 5, "met": 2, "unmet": 3, "unmet_by_reason": {"no_service": 1, "waitlist": 2}}
    assert [(c["category"], c["total"]) for c in body["by_category"]] == [("shelter", 1), ("food", 3), ("water", 1)]
    assert body["by_category"][0]["label"] == "Shelter"
    harris = body["by_county"][0]
    assert (harris["county_fips"], harris["county"], harris["state"], harris["unmet"]) == ("48201", "Harris", "TX", 2)
    assert {"code": "waitlist", "label": "On a waiting list"} in body["reasons"]
    assert "id" not in str(body["by_county"])  # figures, never records


def test_the_summary_api_takes_a_window_and_speaks_spanish(client, logged, make_token):
    headers = {**bearer(make_token, "emergency_manager"), "accept-language": "es"}
    answer = client.get(SUMMARY, headers=headers, params={"from": "2026-09-03T00:00:00+00:00",
                                                          "to": "2026-09-04T00:00:00+00:00"})
    assert answer.status_code == 200, answer.text
    assert answer.json()["overall"]["total"] == 1 and answer.json()["from"].startswith("2026-09-03")
    assert answer.json()["by_category"][0]["label"] == "Agua potable"


@pytest.mark.parametrize("query", [{"from": "2026-09-03"}, {"from": "2026-09-03T00:00:00+00:00",
                                                            "to": "2026-09-02T00:00:00+00:00"}])
def test_a_bad_window_is_a_422(client, logged, make_token, query):
    assert client.get(SUMMARY, headers=bearer(make_token, "admin"), params=query).status_code == 422


@pytest.mark.parametrize("role", ["clearinghouse", "phone_system"])
def test_clearinghouses_and_phone_systems_read_no_figures(client, logged, make_token, role):
    assert client.get(SUMMARY, headers=bearer(make_token, role)).status_code == 403


def test_an_unknown_incident_has_no_summary(client, incidents, make_token):
    answer = client.get("/api/v1/incidents/no-such/need-reports/summary", headers=bearer(make_token, "admin"))
    assert answer.status_code == 404


def test_every_category_has_a_label_and_codes_fall_into_categories_by_longest_prefix():
    assert set(TAXONOMY_PREFIXES) == set(CATEGORIES)
    assert category_of_code("BD-1800.2000") == "food"
    assert category_of_code("bd-1800.9500") == "water"  # longer than food's prefix
    assert category_of_code("BH-1800.8500") == "shelter"
    assert category_of_code("BH-18009") is None  # a prefix matches whole segments
    assert category_of_code("BV-8900.9300") == "utilities"
    assert category_of_code("RP-1400") == "mental_health"
    assert category_of_code("ZZ-1") is None
