"""The routing table over HTTP: CSV streamed, JSON alike, who may read it, and bad input refused with a reason."""

from __future__ import annotations

import csv
import io
import tarfile

from geo.zips import shares_by_zip
from tests.routing.conftest import DAY, NIGHT


def bearer(token):
    return {"authorization": f"Bearer {token}"}


def _csv(response):
    return list(csv.reader(io.StringIO(response.text)))


def test_csv_has_one_row_per_zip_and_a_header_as_wide_as_the_widest_row(client, make_token, demo_network):
    admin = bearer(make_token("admin"))
    answer = client.get("/api/v1/routing-table.csv", params={"state": "TX", "at": NIGHT.isoformat()}, headers=admin)
    assert answer.status_code == 200, answer.text
    assert answer.headers["content-type"].startswith("text/csv")
    assert 'filename="surge-routing-tx.csv"' in answer.headers["content-disposition"]
    header, *rows = _csv(answer)
    assert header == ["zip", "county_fips", "primary", "backup_1"]
    assert {len(row) for row in rows} == {4}
    by_zip = {row[0]: row for row in rows}
    assert len(by_zip) == sum(1 for shares in shares_by_zip().values() if shares[0].county_fips.startswith("48"))
    assert by_zip["77701"] == ["77701", "48245", "houston-211", "beaumont-211"]
    assert by_zip["77002"] == ["77002", "48201", "houston-211", ""]
    assert by_zip["79901"] == ["79901", "48141", "", ""]
    day = _csv(client.get("/api/v1/routing-table.csv", params={"state": "tx", "at": DAY.isoformat()}, headers=admin))
    assert day[0] == ["zip", "county_fips", "primary"]  # nobody overflows by day


def test_json_matches_the_csv(client, make_token, demo_network):
    admin = bearer(make_token("emergency_manager"))
    params = {"state": "22", "at": "2026-11-25T02:00:00-06:00"}
    answer = client.get("/api/v1/routing-table.json", params=params, headers=admin)
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert body["state"] == "LA" and body["at"] == "2026-11-25T02:00:00-06:00"
    assert body["columns"] == ["zip", "county_fips", "primary", "backup_1"]
    rows = _csv(client.get("/api/v1/routing-table.csv", params=params, headers=admin))[1:]
    assert [[r["zip"], r["county_fips"], *r["targets"]] for r in body["rows"]] == [
        [cell for i, cell in enumerate(row) if i < 2 or cell] for row in rows]
    assert {"zip": "70601", "county_fips": "22019", "targets": ["new-orleans-211", "lake-charles-211"]} in body["rows"]


def test_at_defaults_to_the_app_clock_and_an_unencoded_plus_is_understood(app, client, make_token, demo_network):
    admin = bearer(make_token("admin"))
    app.state.clock = lambda: NIGHT
    body = client.get("/api/v1/routing-table.json?state=TX", headers=admin).json()
    assert body["at"] == "2026-11-25T08:00:00+00:00"
    spaced = client.get("/api/v1/routing-table.json?state=TX&at=2026-11-25T10:00:00+02:00", headers=admin)
    assert spaced.status_code == 200, spaced.text
    assert spaced.json()["rows"] == body["rows"]


def test_bad_state_or_time_gets_422_naming_the_field(client, make_token):
    admin = bearer(make_token("admin"))
    cases = [({"state": "ZZ"}, "state"), ({"state": "99"}, "state"), ({"state": "Texas"}, "state"),
             ({"at": "2026-11-25T09:00:00"}, "at"), ({"at": "yesterday"}, "at"), ({"at": "2026-13-01T00:00Z"}, "at"),
             ({"at": "0001-01-01T00:00:00+01:00"}, "at")]
    for path in ("/api/v1/routing-table.csv", "/api/v1/routing-table.json", "/api/v1/routing-table.kamailio",
                 "/api/v1/routing-table.asterisk", "/api/v1/coverage"):
        for params, field in cases:
            answer = client.get(path, params=params, headers=admin)
            assert answer.status_code == 422, (path, params, answer.text)
            error = answer.json()["error"]
            assert field in error["fields"] and error["message"], (path, params, error)
    spanish = client.get("/api/v1/routing-table.csv", params={"state": "ZZ"},
                         headers={**admin, "accept-language": "es"})
    assert spanish.status_code == 422


def test_only_network_readers_may_read_the_table(client, make_token):
    for path in ("/api/v1/routing-table.csv", "/api/v1/routing-table.json", "/api/v1/routing-table.kamailio",
                 "/api/v1/routing-table.asterisk", "/api/v1/coverage"):
        assert client.get(path, params={"state": "RI"}).status_code == 401
        phone = bearer(make_token("phone_system", name=f"ivr {path}"))
        assert client.get(path, params={"state": "RI"}, headers=phone).status_code == 403
        partner = bearer(make_token("partner", name=f"partner {path}"))
        assert client.get(path, params={"state": "RI"}, headers=partner).status_code == 200


def test_the_national_fallback_closes_every_row(app, settings, client, make_token, make_center):
    from starlette.testclient import TestClient

    from surge.web.app import create_app

    make_center("national-211", counties=["11001"], sip_uri="sip:queue@national.example")
    with TestClient(create_app(settings.with_(national_fallback="national-211"))) as other:
        answer = other.get("/api/v1/routing-table.csv", params={"state": "RI", "at": DAY.isoformat()},
                           headers=bearer(make_token("admin")))
    rows = _csv(answer)[1:]
    assert rows and all(row[2:] == ["national-211"] for row in rows)


def test_kamailio_and_asterisk_downloads(client, make_token, demo_network):
    admin = bearer(make_token("admin"))
    params = {"state": "LA", "at": NIGHT.isoformat()}
    bundle = client.get("/api/v1/routing-table.kamailio", params=params, headers=admin)
    assert bundle.status_code == 200 and bundle.headers["content-type"] == "application/gzip"
    with tarfile.open(fileobj=io.BytesIO(bundle.content)) as archive:
        names = sorted(archive.getnames())
        cfg = archive.extractfile("surge-kamailio/kamailio.cfg").read().decode()
    assert names == ["surge-kamailio/README", "surge-kamailio/db/surge_zip", "surge-kamailio/db/version",
                     "surge-kamailio/dispatcher.list", "surge-kamailio/kamailio.cfg"]
    assert '"/etc/kamailio/surge/dispatcher.list"' in cfg
    dialplan = client.get("/api/v1/routing-table.asterisk", params=params, headers=admin)
    assert dialplan.status_code == 200 and dialplan.headers["content-type"].startswith("text/plain")
    assert "exten => 70601,1,Set(SURGE_COUNTY=22019)" in dialplan.text
