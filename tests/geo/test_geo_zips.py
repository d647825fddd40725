import pytest

from geo import InvalidInput, UnknownCode, county_at, locate_zip, zip_centroid, zip_shares


def test_single_county_zip():
    houston = locate_zip("77002")
    assert (houston.county_fips, houston.county, houston.state) == ("48201", "Harris", "TX")
    assert houston.alternatives == ()
    assert houston.point_source == "zcta"
    assert (houston.lat, houston.lon) == zip_centroid("77002")
    assert houston.lat == pytest.approx(29.757, abs=0.01)


def test_falls_church_zip():
    found = locate_zip("22046")
    assert (found.county_fips, found.county, found.state) == ("51610", "Falls Church", "VA")
    assert found.lat is not None and found.point_source == "zcta"


def test_split_zip_lists_alternatives_by_ratio():
    found = locate_zip("22046")
    assert [a.county_fips for a in found.alternatives] == ["51059", "51013"]
    assert [a.county for a in found.alternatives] == ["Fairfax", "Arlington"]
    assert found.alternatives[0].ratio == pytest.approx(0.2938, abs=1e-4)
    assert found.alternatives[0].ratio > found.alternatives[1].ratio


def test_residences_decide_even_when_total_disagrees():
    # 03276: Merrimack has more residences, Belknap more addresses in total.
    assert [s.county_fips for s in zip_shares("03276")] == ["33013", "33001"]


def test_zip_without_residences_ranks_by_total():
    # 20598 has only business and other addresses, in four Virginia counties.
    assert [s.county_fips for s in zip_shares("20598")] == ["51013", "51059", "51510", "51107"]
    assert zip_shares("20598")[0].ratio == pytest.approx(0.4439, abs=1e-4)


def test_po_box_zip_falls_back_to_a_point_in_its_county():
    holtsville_irs = locate_zip("00501")
    assert zip_centroid("00501") is None
    assert (holtsville_irs.county_fips, holtsville_irs.state) == ("36103", "NY")
    assert holtsville_irs.point_source == "county"
    assert county_at(holtsville_irs.lat, holtsville_irs.lon) == "36103"


def test_retired_county_code_is_mapped_to_its_successor():
    assert locate_zip("99554").county_fips == "02158"
    assert locate_zip("57752").county_fips == "46102"


def test_zip_with_blank_ratios_still_resolves():
    assert locate_zip("71768").county_fips == "05139"


@pytest.mark.parametrize("text", ["77002-1234", " 77002 ", "77002\n"])
def test_accepted_spellings(text):
    assert locate_zip(text).county_fips == "48201"


def test_unknown_zip():
    with pytest.raises(UnknownCode, match="00000"):
        locate_zip("00000")


@pytest.mark.parametrize("bad", ["7700", "770021", "77O02", "", "77002-12", "77002 1234", "ZIP", 77002, None])
def test_malformed_zip(bad):
    with pytest.raises(InvalidInput) as caught:
        locate_zip(bad)
    assert caught.value.field == "zip"
    assert repr(bad) in caught.value.message


def test_every_crosswalk_zip_resolves_with_a_point():
    from geo.zips import shares_by_zip

    sources = {}
    for zip_code in shares_by_zip():
        found = locate_zip(zip_code)
        assert found.lat is not None and found.lon is not None, zip_code
        sources[found.point_source] = sources.get(found.point_source, 0) + 1
    assert len(shares_by_zip()) == 39_494
    assert sources == {"zcta": 39_494 - 5_779, "county": 5_779}
