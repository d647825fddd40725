"""Geography over HTTP and the command line."""

import json

import pytest

from surge.cli import main

HOUSTON_BOX = {"type": "Polygon", "coordinates": [[[-95.5, 29.6], [-95.2, 29.6], [-95.2, 29.9], [-95.5, 29.9], [-95.5, 29.6]]]}


@pytest.mark.parametrize("query", ["zip=77002", "county=48201", "lat=29.76&lon=-95.37"])
def test_locate_harris_county_three_ways(client, query):
    response = client.get(f"/api/v1/geo/locate?{query}")
    assert response.status_code == 200
    body = response.json()
    assert (body["county_fips"], body["county"], body["state"]) == ("48201", "Harris", "TX")
    assert 29 < body["lat"] < 31 and -96 < body["lon"] < -95
    assert isinstance(body["alternatives"], list)


@pytest.mark.parametrize("query", ["zip=22046", "county=51610"])
def test_falls_church_resolves_without_a_polygon(client, query):
    body = client.get(f"/api/v1/geo/locate?{query}").json()
    assert (body["county_fips"], body["county"], body["state"]) == ("51610", "Falls Church", "VA")


def test_split_zip_lists_the_other_counties(client):
    body = client.get("/api/v1/geo/locate?zip=22046").json()
    assert "51059" in [alt["county_fips"] for alt in body["alternatives"]]


@pytest.mark.parametrize("query,field", [("zip=99999", "zip"), ("county=99999", "county")])
def test_unknown_codes_get_404_with_a_message(client, query, field):
    response = client.get(f"/api/v1/geo/locate?{query}")
    assert response.status_code == 404
    error = response.json()["error"]
    assert "not a known" in error["message"]
    assert field in error["fields"]


def test_point_in_the_ocean_gets_404(client):
    response = client.get("/api/v1/geo/locate?lat=25.0&lon=-90.0")
    assert response.status_code == 404
    assert "No US county" in response.json()["error"]["message"]


@pytest.mark.parametrize("query,field", [
    ("zip=7700", "zip"), ("zip=abcde", "zip"), ("county=4820", "county"), ("lat=abc&lon=-95", "lat"),
    ("lat=91&lon=-95", "lat"), ("lat=29&lon=-181", "lon"), ("lat=nan&lon=1", "lat"), ("lat=29", "lon"), ("lon=29", "lat"),
    ("", "zip"), ("zip=77002&county=48201", "county"),
])
def test_malformed_input_gets_422_naming_the_field(client, query, field):
    response = client.get(f"/api/v1/geo/locate?{query}")
    assert response.status_code == 422
    assert field in response.json()["error"]["fields"]


def test_script_in_a_code_comes_back_inert(client):
    response = client.get("/api/v1/geo/locate", params={"zip": "<script>alert(1)</script>"})
    assert response.status_code == 422
    assert response.headers["content-type"] == "application/json"
    assert "<script>" not in response.json()["error"]["message"]


def test_errors_are_translated_for_spanish_callers(client):
    response = client.get("/api/v1/geo/locate?zip=abc", headers={"accept-language": "es-MX,es;q=0.9"})
    assert response.json()["error"]["fields"]["zip"].startswith("Escriba")


def test_county_details_include_neighbours(client):
    body = client.get("/api/v1/geo/counties/12086").json()
    assert body["county"] == "Miami-Dade" and body["state"] == "FL"
    assert set(body["neighbours"]) == {"12011", "12021", "12087"}
    assert body["geometry"] is None
    with_shape = client.get("/api/v1/geo/counties/12086?geometry=1").json()
    assert with_shape["geometry"]["type"] in ("Polygon", "MultiPolygon")


def test_unknown_county_details_get_404(client):
    assert client.get("/api/v1/geo/counties/99999").status_code == 404
    assert client.get("/api/v1/geo/counties/abc").status_code == 422


@pytest.fixture
def em_headers(make_token):
    return {"authorization": f"Bearer {make_token(role='emergency_manager')}"}


def test_coverage_finds_the_counties_a_polygon_covers(client, em_headers):
    response = client.post("/api/v1/geo/coverage", json=HOUSTON_BOX, headers=em_headers)
    assert response.status_code == 200
    counties = {c["county_fips"]: c for c in response.json()["counties"]}
    assert "48201" in counties
    assert response.json()["repaired"] is False


def test_coverage_repairs_a_bow_tie(client, em_headers):
    bow_tie = {"type": "Polygon", "coordinates": [[[-95.5, 29.6], [-95.2, 29.9], [-95.2, 29.6], [-95.5, 29.9], [-95.5, 29.6]]]}
    response = client.post("/api/v1/geo/coverage", json=bow_tie, headers=em_headers)
    assert response.status_code == 200
    assert response.json()["repaired"] is True


@pytest.mark.parametrize("body,content_type,status", [
    (b'{"type": "Polygon", "coordinates": [[[', "application/json", 400),
    (json.dumps(HOUSTON_BOX).encode(), "text/plain", 415),
    (b'{"type": "Point", "coordinates": [-95, 29]}', "application/json", 422),
    (b'{"type": "Polygon", "coordinates": [[[-95, 29], [-94, 29], [-94, 30]]]}', "application/json", 422),
    (b'\xff\xfe{"type"}', "application/json", 400),
    (b'[1, 2, 3]', "application/json", 422),
])
def test_coverage_rejects_bad_shapes_clearly(client, em_headers, body, content_type, status):
    response = client.post("/api/v1/geo/coverage", content=body, headers={**em_headers, "content-type": content_type})
    assert response.status_code == status
    assert response.json()["error"]["message"]


def test_coverage_refuses_an_oversized_body(client, em_headers):
    huge = b'{"type": "Polygon", "coordinates": [' + b" " * 1_100_000 + b"]}"
    response = client.post("/api/v1/geo/coverage", content=huge, headers={**em_headers, "content-type": "application/json"})
    assert response.status_code == 413
    assert response.json()["error"]["code"] == "payload_too_large"


def test_coverage_needs_a_permitted_role(client, make_token):
    assert client.post("/api/v1/geo/coverage", json=HOUSTON_BOX).status_code == 401
    partner = {"authorization": f"Bearer {make_token(role='partner')}"}
    assert client.post("/api/v1/geo/coverage", json=HOUSTON_BOX, headers=partner).status_code == 403


def test_coverage_bad_min_fraction(client, em_headers):
    response = client.post("/api/v1/geo/coverage?min_fraction=2", json=HOUSTON_BOX, headers=em_headers)
    assert response.status_code == 422
    assert "min_fraction" in response.json()["error"]["fields"]


def test_cli_locate_prints_the_location_json(capsys):
    assert main(["geo", "locate", "--zip", "77002"]) == 0
    assert json.loads(capsys.readouterr().out)["county_fips"] == "48201"
    assert main(["geo", "locate", "--lat", "29.76", "--lon", "-95.37"]) == 0
    assert json.loads(capsys.readouterr().out)["county"] == "Harris"


def test_cli_locate_explains_bad_input(capsys):
    assert main(["geo", "locate", "--county", "99999"]) == 1
    assert "not a known US county" in capsys.readouterr().err
    assert main(["geo", "locate", "--zip", "12"]) == 2
    assert "5-digit ZIP" in capsys.readouterr().err
    assert main(["geo", "locate", "--lat", "29.76"]) == 2
    assert "lon" in capsys.readouterr().err
