"""Explorer selectors on the bundled DOL List of Goods (five editions, 2,120 rows).

Expected figures were counted by hand in data/dol_ilab/dol_goods_list_by_app_file.csv.
"""

from __future__ import annotations

import pytest

from sdg87.supplychains import selectors as sel

pytestmark = pytest.mark.django_db


@pytest.fixture
def explorer(bundled_data: None) -> sel.Explorer:
    return sel.explorer_load()


def _listing(explorer: sel.Explorer, slug: str, iso3: str) -> sel.Listing:
    return next(
        item for item in explorer.listings if item.good.slug == slug and item.country.iso3 == iso3
    )


def test_editions_newest_first_with_their_release(explorer: sel.Explorer) -> None:
    """Five editions labelled by app-file year, each with DOL's List of Goods page."""
    assert [e.year for e in explorer.editions] == [2021, 2019, 2018, 2017, 2016]
    assert explorer.editions[0].source_file == "goods_2021.xml"
    assert all(
        e.release.url == "https://www.dol.gov/agencies/ilab/reports/child-labor/list-of-goods"
        for e in explorer.editions
    )


def test_goods_and_pairs_counted(explorer: sel.Explorer) -> None:
    """176 printed names are 174 goods (two differ by capitals only); 478 good x country
    pairs across the editions, 467 of them on goods_2021.xml."""
    assert len(explorer.goods) == 174
    assert len(explorer.listings) == 478
    assert sum(1 for item in explorer.listings if 2021 in item.editions) == 467


def test_cocoa_cote_divoire_on_every_edition_with_all_three_types(
    explorer: sel.Explorer,
) -> None:
    """Cocoa from Côte d'Ivoire: child labour, forced labour and forced child labour on all
    five editions, still listed; Ghana: child labour only."""
    civ = _listing(explorer, "cocoa", "CIV")
    assert list(civ.types) == ["cl", "fl", "fcl"]
    for history in civ.types.values():
        assert history.editions == [2016, 2017, 2018, 2019, 2021]
        assert history.first == 2016 and history.current and history.removed_in is None
    assert civ.good.sector == "agriculture" and civ.region == "Sub-Saharan Africa"
    assert list(_listing(explorer, "cocoa", "GHA").types) == ["cl"]


def test_uzbek_cotton_removed_type_by_type(explorer: sel.Explorer) -> None:
    """Cotton, Uzbekistan: child labour only in 2016 (gone in 2017), forced child labour until
    2018 (gone in 2019), forced labour until 2019 (gone in 2021). Region: its last listing's."""
    cotton = _listing(explorer, "cotton", "UZB")
    assert cotton.types["cl"].editions == [2016]
    assert cotton.types["cl"].removed_in == 2017
    assert cotton.types["fcl"].last == 2018 and cotton.types["fcl"].removed_in == 2019
    assert cotton.types["fl"].last == 2019 and cotton.types["fl"].removed_in == 2021
    assert not cotton.current
    assert cotton.region == "Indo-Pacific"


def test_gap_is_detected(explorer: sel.Explorer) -> None:
    """Fish, Ghana: forced child labour in 2016, not in 2017, again from 2018."""
    fish = _listing(explorer, "fish", "GHA")
    assert fish.types["fcl"].editions == [2016, 2018, 2019, 2021]
    assert fish.types["fcl"].gaps and fish.types["fcl"].current
    assert not fish.types["cl"].gaps


def test_case_variants_are_one_good_with_the_newest_spelling(explorer: sel.Explorer) -> None:
    """'Cereal grains' (2017) and 'Cereal Grains' (2018 on) are one listing for El Salvador."""
    grains = _listing(explorer, "cereal-grains", "SLV")
    assert grains.good.name == "Cereal Grains"
    assert grains.editions == [2017, 2018, 2019, 2021]


def test_filters_combine(explorer: sel.Explorer) -> None:
    """Filters narrow by good, country, type, edition and status."""
    rows = sel.listing_rows(explorer, filters=sel.Filters(goods=("cocoa",)))
    # Cocoa: 7 countries ever; CIV and NGA with three types each (counted in the CSV)
    assert {r.country.iso3 for r in rows} == {"BRA", "CMR", "CIV", "GHA", "GIN", "NGA", "SLE"}
    rows = sel.listing_rows(explorer, filters=sel.Filters(goods=("cocoa",), types=("fl",)))
    assert {r.country.iso3 for r in rows} == {"CIV", "NGA"}
    rows = sel.listing_rows(
        explorer, filters=sel.Filters(countries=("UZB",), status="removed", types=("fl",))
    )
    assert [(r.good.name, r.type) for r in rows] == [("Cotton", "fl")]
    rows = sel.listing_rows(explorer, filters=sel.Filters(countries=("UZB",), edition=2016))
    assert {(r.good.name, r.type) for r in rows} == {
        ("Cotton", "cl"),
        ("Cotton", "fl"),
        ("Cotton", "fcl"),
        ("Silk Cocoons", "fl"),
    }
    rows = sel.listing_rows(explorer, filters=sel.Filters(regions=("Europe & Eurasia",)))
    assert rows and all(r.listing.region == "Europe & Eurasia" for r in rows)
    rows = sel.listing_rows(explorer, filters=sel.Filters(sectors=("mining",)))
    assert rows and all(r.good.sector == "mining" for r in rows)


def test_all_rows_and_regions(explorer: sel.Explorer) -> None:
    """614 good x country x type rows (10 of them listed for an input only); DOL's regions
    with 'and' read as '&'."""
    assert len(sel.listing_rows(explorer, filters=sel.Filters())) == 614
    assert sel.regions(explorer) == [
        "Asia & the Pacific",
        "Europe & Eurasia",
        "Indo-Pacific",
        "Latin America & the Caribbean",
        "Middle East & North Africa",
        "Sub-Saharan Africa",
    ]


def test_editions_diff_2019_to_2021(explorer: sel.Explorer) -> None:
    """42 changes: 36 type listings added (10 of them goods listed for an input), 6 removed
    (Uzbek cotton, forced labour; 'Oil (Palm)', replaced by 'Palm Fruit', for Indonesia,
    Malaysia and Sierra Leone)."""
    changes = sel.editions_diff(explorer, old=2019, new=2021)
    assert len(changes) == 42
    removed = {
        (c.listing.good.name, c.listing.country.iso3, c.type)
        for c in changes
        if c.change == sel.REMOVED
    }
    assert removed == {
        ("Cotton", "UZB", "fl"),
        ("Oil (Palm)", "IDN", "cl"),
        ("Oil (Palm)", "IDN", "fl"),
        ("Oil (Palm)", "MYS", "cl"),
        ("Oil (Palm)", "MYS", "fl"),
        ("Oil (Palm)", "SLE", "cl"),
    }
    added = {(c.listing.good.slug, c.listing.country.iso3) for c in changes if c.change == "added"}
    assert ("garments", "BGD") in added and ("acai-berries", "BRA") in added
    assert sel.editions_diff(explorer, old=2021, new=2021) == []


def test_matrix_is_bounded(explorer: sel.Explorer) -> None:
    """The matrix keeps the goods and countries with most listings, up to the bounds."""
    m = sel.matrix(explorer, filters=sel.Filters(), edition=2021, max_goods=10, max_countries=8)
    assert len(m.goods) == 10 and len(m.countries) == 8
    assert (m.goods_total, m.countries_total) == (169, 78)
    civ = next(c for c in sel.countries(explorer) if c.iso3 == "CIV")
    assert m.cell("cocoa", civ.pk) == ["cl", "fl", "fcl"]


def test_goods_per_country(explorer: sel.Explorer) -> None:
    """78 countries on goods_2021.xml; counts per country from the CSV (Côte d'Ivoire 2)."""
    counts = sel.goods_per_country(explorer, filters=sel.Filters(), edition=2021)
    assert len(counts) == 78
    by_iso = {c.country.iso3: c.goods for c in counts}
    assert by_iso["CIV"] == 2
    assert counts[0].goods >= counts[-1].goods


def test_good_summaries(explorer: sel.Explorer) -> None:
    """Cocoa: 7 countries ever and now, all three types, 2016 to 2021."""
    cocoa = next(s for s in sel.good_summaries(explorer) if s.good.slug == "cocoa")
    assert (cocoa.countries_ever, cocoa.countries_current) == (7, 7)
    assert cocoa.types == ["cl", "fl", "fcl"]
    assert (cocoa.first_edition, cocoa.last_edition) == (2016, 2021)


def test_country_context(bundled_data: None) -> None:
    """TIP tiers and DOL advancement levels by country and year, with their release."""
    tiers = list(sel.tier_placements(countries=["civ"]))
    assert tiers and all(t.country.iso3 == "CIV" for t in tiers)
    assert [t.year for t in tiers] == sorted(t.year for t in tiers)
    levels = list(sel.advancement_levels(countries=["CIV"]))
    assert [a.report_year for a in levels][-1] == 2022
    assert all(a.release.url for a in levels)


def test_goods_listed_for_an_input_only(explorer: sel.Explorer) -> None:
    """Solar cells, China (2021): no cl/fl/fcl flag, listed for an input (polysilicon made in
    China); it still counts as a current listing."""
    cells = _listing(explorer, "solar-cells", "CHN")
    assert list(cells.types) == ["input"]
    assert cells.current and cells.derived
    assert cells.derived_country is not None and cells.derived_country.iso3 == "CHN"
