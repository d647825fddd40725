import pytest

from geo import InvalidInput, all_counties, Location, NotFound, UnknownCode, county_at, locate_county, locate_point, locate_zip


def test_harris_by_zip_county_and_point_agree():
    by_zip, by_fips, by_point = locate_zip("77002"), locate_county("48201"), locate_point(29.76, -95.37)
    for found in (by_zip, by_fips, by_point):
        assert (found.county_fips, found.county, found.state) == ("48201", "Harris", "TX")
    assert (by_zip.source, by_fips.source, by_point.source) == ("zip", "county", "point")


def test_to_dict_shape():
    data = locate_zip("22046").to_dict()
    assert list(data)[:6] == ["county_fips", "county", "state", "lat", "lon", "alternatives"]
    assert data["alternatives"][0] == {"county_fips": "51059", "county": "Fairfax", "state": "VA", "ratio": 0.293801653}
    assert data["point_source"] == "zcta"


def test_county_point_lies_inside_the_county():
    found = locate_county("48201")
    assert found.point_source == "county"
    assert county_at(found.lat, found.lon) == "48201"


def test_every_county_point_lies_inside_its_county():
    # Falls Church included: the 1:500k boundaries give every county a shape.
    for c in all_counties():
        found = locate_county(c.fips)
        assert found.point_source == "county"
        assert county_at(found.lat, found.lon) == c.fips, c.fips


def test_point_is_echoed():
    found = locate_point(29.76, -95.37)
    assert (found.lat, found.lon, found.alternatives, found.point_source) == (29.76, -95.37, (), "input")


def test_ocean_point_is_not_found():
    with pytest.raises(NotFound, match="25"):
        locate_point(25.0, -70.0)


def test_bad_inputs():
    with pytest.raises(InvalidInput):
        locate_point(100, 0)
    with pytest.raises(InvalidInput):
        locate_county("4820")
    with pytest.raises(UnknownCode):
        locate_county("48999")


def test_location_is_frozen():
    with pytest.raises(AttributeError):
        locate_zip("77002").county = "Elsewhere"
    assert isinstance(locate_zip("77002"), Location)
