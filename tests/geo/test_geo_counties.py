import pytest

import numpy as np

from geo import InvalidInput, NewerThanData, UnknownCode, all_counties, county
from geo.states import STATES


def test_harris_county():
    harris = county("48201")
    assert (harris.fips, harris.name, harris.state, harris.state_name) == ("48201", "Harris", "TX", "Texas")
    assert harris.geometry.contains_properly(harris.geometry.representative_point())
    assert harris.population > 4_000_000


def test_falls_church_has_no_drawing_outline_but_exists():
    falls_church = county("51610")
    assert (falls_church.name, falls_church.state) == ("Falls Church", "VA")
    assert falls_church.geometry is None  # too small for 1:10M; points still find it (test_geo_borders)
    assert set(falls_church.neighbours) == {"51013", "51059"}


def test_miami_dade_neighbours():
    assert sorted(county("12086").neighbours) == ["12011", "12021", "12087"]


def test_code_is_stripped():
    assert county(" 48201 ").fips == "48201"


def test_territory_has_state_but_no_population():
    guam = county("66010")
    assert (guam.state, guam.state_name, guam.population) == ("GU", "Guam", None)


def test_all_counties():
    counties = all_counties()
    assert len(counties) == 3233  # every county of the 1:500k file
    assert [c.fips for c in counties] == sorted({c.fips for c in counties})
    assert all(c.fips[:2] in STATES for c in counties)
    assert sorted(c.fips for c in counties if c.geometry is None) == ["51610", "60030", "60040"]
    assert all(c.geometry.is_valid for c in counties if c.geometry is not None)


@pytest.mark.parametrize("code", ["02063", "02066", *(f"09{n}" for n in range(110, 200, 10))])
def test_codes_newer_than_the_data_name_its_vintage(code):
    with pytest.raises(NewerThanData) as caught:
        county(code)
    assert caught.value.vintage == "2016" and caught.value.since > 2016
    assert "Census 2016" in caught.value.message and code in caught.value.message
    assert isinstance(caught.value, UnknownCode)  # callers that catch UnknownCode still do


def test_valdez_cordova_split_names_its_former_code():
    with pytest.raises(NewerThanData) as caught:
        county("02066")
    assert caught.value.formerly == ("02261",) and county("02261").name == "Valdez-Cordova"


def test_drawing_outlines_do_not_overlap():
    # make_valid repairs of the simplified outlines used to overlap (Morehouse / Ouachita / Richland, LA).
    from geo.overlaps import overlapping_pairs

    shaped = [c.geometry for c in all_counties() if c.geometry is not None]
    assert overlapping_pairs(np.array(shaped, dtype=object)) == []
    for fips in ("22067", "22073", "22083"):
        assert county(fips).geometry.is_valid and county(fips).geometry.area > 0.1


def test_unknown_fips():
    with pytest.raises(UnknownCode, match="99999"):
        county("99999")


@pytest.mark.parametrize("bad", ["4820", "482011", "48a01", "", "48 201", 48201, None])
def test_malformed_fips(bad):
    with pytest.raises(InvalidInput) as caught:
        county(bad)
    assert caught.value.field == "county"
    assert repr(bad) in caught.value.message
