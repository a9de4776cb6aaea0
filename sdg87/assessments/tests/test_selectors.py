"""Selectors on the real bundled data."""

from __future__ import annotations

import pytest

from sdg87.assessments import selectors
from sdg87.geo.models import Geography

pytestmark = pytest.mark.django_db


def test_assessment_history_newest_first_with_release(bundled_data: None) -> None:
    """Six Findings editions for Afghanistan, newest first, each with its release."""
    rows = list(selectors.assessment_history(country="AFG"))
    assert [r.report_year for r in rows] == [2022, 2020, 2019, 2018, 2017, 2016]
    assert rows[-1].get_advancement_level_display() == "Moderate Advancement"
    assert all(r.release.source.code == "us-dol-ilab" for r in rows)


def test_country_as_geography_or_iso3(bundled_data: None) -> None:
    """A Geography and its ISO3 code (any case) select the same rows."""
    kenya = Geography.objects.get(iso3="KEN")
    assert list(selectors.assessment_history(country=kenya)) == list(
        selectors.assessment_history(country="ken")
    )


def test_latest_assessment(bundled_data: None) -> None:
    """The latest entry is the 2022 report; covered_only skips 'not covered' years."""
    latest = selectors.latest_assessment(country="KEN")
    assert latest is not None and latest.report_year == 2022
    china = selectors.latest_assessment(country="CHN")
    assert china is not None and china.advancement_level == "not_covered"
    covered = selectors.latest_assessment(country="CHN", covered_only=True)
    assert covered is None or covered.advancement_level != "not_covered"
    assert selectors.latest_assessment(country="NOR") is None


def test_ratifications_latest_report(bundled_data: None) -> None:
    """Six instruments from the latest report; Afghanistan has ratified C182."""
    result = selectors.ratifications(country="AFG")
    assert result is not None
    assert result.report_year == 2022
    assert result.release.code == "us-dol-ilab-findings-2022"
    codes = [item.code for item in result.items]
    assert codes == ["C138", "C182", "CRC", "CRC-OP-AC", "CRC-OP-SC", "PALERMO"]
    c182 = next(item for item in result.items if item.code == "C182")
    assert c182.ratified is True


def test_ratifications_of_a_given_year_and_of_no_data(bundled_data: None) -> None:
    """A report year can be chosen; a country without Findings gives None."""
    result = selectors.ratifications(country="AFG", report_year=2016)
    assert result is not None and result.report_year == 2016
    assert selectors.ratifications(country="NOR") is None


def test_legal_standards(bundled_data: None) -> None:
    """Minimum ages come with the age as text and as a number."""
    result = selectors.legal_standards(country="KEN")
    assert result is not None
    minimum_work = next(i for i in result.items if i.code == "Minimum_Work" and not i.territory)
    assert minimum_work.age
    assert minimum_work.age_number is None or minimum_work.age_number > 0
    assert str(minimum_work.label) == "Minimum age for work"


def test_legal_standards_by_territory(bundled_data: None) -> None:
    """Multi-territory countries list each territory's standards after the national ones."""
    result = selectors.legal_standards(country="BIH", report_year=2016)
    assert result is not None
    territories = {i.territory for i in result.items}
    assert "Republika Srpska" in territories


def test_enforcement_figures_history(bundled_data: None) -> None:
    """Figures of every report year, each with its year and release; text stays text."""
    figures = selectors.enforcement_figures(country="AFG")
    years = {f.report_year for f in figures}
    assert {2016, 2022} <= years
    inspectors_2016 = next(
        f for f in figures if f.code == "Labor_Inspectors" and f.report_year == 2016
    )
    assert inspectors_2016.value_number == 32
    assert inspectors_2016.release.code == "us-dol-ilab-findings-2016"
    assert inspectors_2016.kind == "labour"
    unknown = [f for f in figures if f.value_text == "Unknown"]
    assert unknown and all(f.value_number is None for f in unknown)
    assert {f.code for f in figures} >= {"Criminal_Investigations", "Criminal_Convictions"}


def test_enforcement_figures_one_year(bundled_data: None) -> None:
    """With report_year only that year is returned."""
    figures = selectors.enforcement_figures(country="KEN", report_year=2019)
    assert figures and {f.report_year for f in figures} == {2019}


def test_enforcement_figures_by_territory(bundled_data: None) -> None:
    """Territory figures carry the territory name."""
    figures = selectors.enforcement_figures(country="BIH", report_year=2016)
    assert {"Republika Srpska", "Brčko District"} <= {f.territory for f in figures}


def test_suggested_actions_latest_in_order(bundled_data: None) -> None:
    """The latest report's actions, in published order, with the release."""
    actions = list(selectors.suggested_actions(country="KEN"))
    assert actions
    assert {a.report_year for a in actions} == {2022}
    assert [a.order for a in actions] == list(range(1, len(actions) + 1))
    assert actions[0].release.code == "us-dol-ilab-findings-2022"
    older = selectors.suggested_actions(country="KEN", report_year=2016)
    assert {a.report_year for a in older} == {2016}
    assert not selectors.suggested_actions(country="NOR").exists()


def test_goods_by_edition(bundled_data: None) -> None:
    """Goods per List edition for a country, newest edition first."""
    editions = selectors.goods_by_edition(country="COD")
    assert editions[0].source_file == "goods_2021.xml"
    assert all(e.goods for e in editions)
    assert editions[0].release.year >= editions[-1].release.year


def test_goods_list_defaults_to_latest_edition(bundled_data: None) -> None:
    """Without an edition the newest List is used: 467 pairs in goods_2021.xml."""
    assert selectors.goods_list().count() == 467
    assert selectors.goods_list(edition="goods_2016.xml").count() == 379
    assert selectors.goods_list(edition="us-dol-ilab-goods-2016").count() == 379


def test_goods_list_filters(bundled_data: None) -> None:
    """Filters by good (case-insensitive) and sector; an unknown sector gives nothing."""
    cocoa = selectors.goods_list(good="cocoa")
    assert cocoa.exists()
    assert {row.good for row in cocoa} == {"Cocoa"}
    mining = selectors.goods_list(sector="mining")
    assert mining.exists() and {row.sector for row in mining} == {"mining"}
    assert not selectors.goods_list(sector="fishing").exists()


def test_goods_editions(bundled_data: None) -> None:
    """Five List editions, newest first."""
    codes = [r.code for r in selectors.goods_editions()]
    assert codes[0] == "us-dol-ilab-goods-2021"
    assert len(codes) == 5


def test_tier_history(bundled_data: None) -> None:
    """Kenya's tiers by year, oldest first, starting after years without a rating."""
    tiers = list(selectors.tier_history(country="KEN"))
    assert [t.year for t in tiers] == sorted(t.year for t in tiers)
    by_year = {t.year: t.tier for t in tiers}
    assert by_year[2004] == "2WL"
    assert by_year[2010] == "2"
    assert tiers[0].release.source.code == "tip-heiss-kelley"
