import pytest

from geo import InvalidInput, UnknownCode, all_counties, county
from geo.states import STATES


def test_harris_county():
    harris = county("48201")
    assert (harris.fips, harris.name, harris.state, harris.state_name) == ("48201", "Harris", "TX", "Texas")
    assert harris.geometry.contains_properly(harris.geometry.representative_point())
    assert harris.population > 4_000_000


def test_falls_church_has_no_shape_but_exists():
    falls_church = county("51610")
    assert (falls_church.name, falls_church.state) == ("Falls Church", "VA")
    assert falls_church.geometry is None
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
    assert len(counties) == 3231
    assert len({c.fips for c in counties}) == 3231
    assert all(c.fips[:2] in STATES for c in counties)
    assert sum(c.geometry is None for c in counties) == 1
    assert all(c.geometry.is_valid for c in counties if c.geometry is not None)


def test_unknown_fips():
    with pytest.raises(UnknownCode, match="99999"):
        county("99999")


@pytest.mark.parametrize("bad", ["4820", "482011", "48a01", "", "48 201", 48201, None])
def test_malformed_fips(bad):
    with pytest.raises(InvalidInput) as caught:
        county(bad)
    assert caught.value.field == "county"
    assert repr(bad) in caught.value.message
