"""County codes newer than the boundary data get a 404 that names the data's vintage."""

import pytest


@pytest.mark.parametrize("fips", ["02063", "02066", "09110", "09190"])
def test_newer_code_names_the_vintage_not_unknown(client, fips):
    for path in (f"/api/v1/geo/locate?county={fips}", f"/api/v1/geo/counties/{fips}"):
        response = client.get(path)
        assert response.status_code == 404, path
        error = response.json()["error"]
        assert "Census 2016" in error["message"] and fips in error["message"], error
        assert "not a known" not in error["message"]
        assert "county" in error["fields"]


def test_newer_code_in_spanish(client):
    response = client.get("/api/v1/geo/locate?county=09110", headers={"Accept-Language": "es"})
    assert response.status_code == 404
    assert "Censo 2016" in response.json()["error"]["message"]


def test_point_in_falls_church_resolves(client):
    body = client.get("/api/v1/geo/locate?lat=38.8823&lon=-77.1711").json()
    assert (body["county_fips"], body["county"]) == ("51610", "Falls Church")
