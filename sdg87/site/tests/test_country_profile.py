"""The country profile read on a phone (issue 9 items 2, 3 and 4): a first screen of key
figures with year, age and source and one chart; a short "In brief" list whose comparisons keep
to one measure; sections with a jump menu; long tables collapsed; old values said to be old;
DOL goods by edition year."""

from __future__ import annotations

import re
from types import SimpleNamespace

import pytest
from django.utils import timezone, translation

from sdg87.assessments.selectors import goods_edition_year
from sdg87.core import ages
from sdg87.geo.selectors import country_get
from sdg87.indicators import labels
from sdg87.site import selectors as sel
from sdg87.site.contexts.countries import (
    KEY_SERIES,
    child_labour_references,
    key_series_latest_years,
)
from sdg87.site.contexts.country_key import headline_trend_row
from sdg87.site.gaps import data_gaps
from sdg87.site.summaries import country_summary


def _row(code: str, years: list[int], *, indicator_id: int | None = 1, sort_order: int = 100):
    series = SimpleNamespace(
        code=code, indicator_id=indicator_id, sort_order=sort_order, name=code.lower()
    )
    trend = [SimpleNamespace(year=y) for y in years]
    return SimpleNamespace(series=series, trend=trend)


def test_headline_chart_prefers_8_7_1_then_most_years():
    """An 8.7.1 series with two years wins over a trafficking series with ten; among the rest
    the one with most years; population series and one-year series are never picked."""
    rows = [
        _row("VC_HTF_DETV", list(range(2010, 2020)), indicator_id=2),
        _row("SP_POP_5T17", list(range(1990, 2026)), indicator_id=None),
        _row("GSI_POPULATION", list(range(2000, 2020)), indicator_id=3),
        _row("SL_TLF_CHLDEA", [2012, 2017], indicator_id=7),
    ]
    assert headline_trend_row(rows, headline_indicator_id=7).series.code == "SL_TLF_CHLDEA"  # type: ignore[union-attr]
    others = [*rows[:3], _row("SL_TLF_CHLDEA", [2017], indicator_id=7)]
    assert headline_trend_row(others, headline_indicator_id=7).series.code == "VC_HTF_DETV"  # type: ignore[union-attr]
    assert headline_trend_row(rows[1:3], headline_indicator_id=7) is None


def test_headline_chart_prefers_children_in_employment_over_other_measures():
    """Without 8.7.1 years, a children-in-employment series (any code) beats trafficking
    counts with more years."""
    employment = _row("SL_TLF_0714_ZS", [2000, 2005, 2010], indicator_id=9)
    employment.series.name = "Children in employment, total (% of children ages 7-14)"
    rows = [_row("VC_HTF_DETV", list(range(2010, 2020)), indicator_id=2), employment]
    assert headline_trend_row(rows, headline_indicator_id=7) is employment


@pytest.mark.parametrize(
    ("name", "year"),
    [("goods_2021.xml", 2021), ("goods_2016.xml", 2016), ("countries_2021.xml", None), ("", None)],
)
def test_goods_edition_year_comes_from_the_app_file_label(name, year):
    """goods_2021.xml is the 2021 edition; other names have no edition year."""
    assert goods_edition_year(name) == year


def _summary(iso3: str) -> tuple[list[str], dict]:
    with translation.override("en"):
        country = country_get(iso3=iso3)
        assert country is not None
        region = sel.geography_sdg_region(geography=country)
        world = sel.world()
        rows = sel.country_series_rows(country=country, region=region, world_geo=world)
        by_code = {row.series.code: row for row in rows}
        gaps = data_gaps(
            key_codes=[c for c, _ in KEY_SERIES],
            latest_years=key_series_latest_years(rows),
            current_year=2026,
        )
        sentences = country_summary(
            country=country,
            region=region,
            rows_by_code=by_code,
            gaps=gaps,
            assessments={},
            references=child_labour_references(region=region, world_geo=world),
        )
        return sentences, {"region": region.name if region else "", **by_code}


@pytest.mark.django_db
def test_peru_is_compared_with_its_region_on_the_same_measure(bundled_data):
    """Peru's headline is economic activity only (SL_TLF_CHLDEA); the region publishes only
    the rate including household chores (SL_TLF_CHLDEC). The regional average follows Peru's
    own SL_TLF_CHLDEC value, never its SL_TLF_CHLDEA one."""
    sentences, facts = _summary("PER")
    ea, ec = facts["SL_TLF_CHLDEA"], facts["SL_TLF_CHLDEC"]
    assert ec.region is not None
    with translation.override("en"):
        ea_value = labels.format_value(ea.latest.value, ea.series)
        ec_value = labels.format_value(ec.latest.value, ec.series)
    region_at = next(i for i, s in enumerate(sentences) if facts["region"] in s)
    assert ea_value in sentences[0]
    assert ec_value in sentences[region_at - 1] and "household chores" in sentences[region_at - 1]
    assert "same measure" in sentences[region_at]
    assert all(ea_value not in s for s in sentences[region_at - 1 :])


@pytest.mark.django_db
def test_no_regional_comparison_without_the_same_measure(bundled_data):
    """Kenya has only the economic-activity rate and its region only the other measure: the
    summary gives no regional or world average rather than mixing the two."""
    sentences, facts = _summary("KEN")
    assert "SL_TLF_CHLDEC" not in facts
    assert not any(facts["region"] in s or "world average" in s for s in sentences)


@pytest.mark.django_db
def test_summary_is_short_sentences(bundled_data):
    """Each sentence of the summary holds at most two figures and thirty words."""
    sentences, _facts = _summary("UGA")
    assert len(sentences) >= 5
    for sentence in sentences:
        assert len(sentence.split()) <= 30, sentence
        # Age bands (5-17) and rate bases (in every 1,000) are not figures.
        plain = re.sub(r"\d+-\d+|(in every|per) [\d,]+", "", sentence)
        figures = re.findall(r"\d[\d,.]*", plain)
        assert len(figures) <= 3, sentence  # a year and up to two figures


@pytest.fixture
def uganda(client, bundled_data) -> str:
    response = client.get("/en/countries/UGA/")
    assert response.status_code == 200
    return response.content.decode()


def _first_screen(html: str) -> str:
    return html.split('aria-labelledby="key-heading"', 1)[1].split("</section>", 1)[0]


@pytest.mark.django_db
def test_key_figures_show_year_age_and_source(uganda):
    """Uganda's first screen has 3 to 5 figures, each with its year (and "N years old" when
    old, with the age-old class) and a link to its source; and one chart with its table."""
    first = _first_screen(uganda)
    items = first.split('<li class="key-figure')[1:]
    assert 3 <= len(items) <= 5
    today = timezone.localdate()
    for item in items:
        year = int(re.search(r'<span class="year-age[^"]*">(\d{4})', item).group(1))  # type: ignore[union-attr]
        assert 'class="fact-source"' in item and "<a href=" in item
        if ages.is_old(year, today):
            assert "age-old" in item and ages.age_label(year, today) in item
            assert item.startswith(" is-old")
    assert "13.2%" in items[0] and "child labour" in items[0]
    assert '<figure class="chart"' in first and "<svg" in first and "<table>" in first


@pytest.mark.django_db
def test_summary_is_a_list(uganda):
    """ "In brief" is a list of sentences, not one paragraph."""
    brief = uganda.split('id="summary-heading"', 1)[1].split("</section>", 1)[0]
    assert brief.count("<li>") >= 5
    assert '<p class="summary">' not in uganda


@pytest.mark.django_db
def test_jump_menu_links_reach_sections(uganda):
    """Every link of the jump menu reaches an id on the page; statistics, laws and
    assessments, goods and Pathfinder are there for Uganda."""
    menu = uganda.split('class="jump-menu"', 1)[1].split("</nav>", 1)[0]
    anchors = re.findall(r'href="#([^"]+)"', menu)
    for wanted in ("statistics", "assessments", "goods", "pathfinder", "summary"):
        assert wanted in anchors
    for anchor in anchors:
        assert f'id="{anchor}"' in uganda, anchor


@pytest.mark.django_db
def test_long_tables_are_collapsed_with_a_count(uganda):
    """Outside chart figures, every table of the profile sits in a <details> whose summary
    gives a count."""
    body = uganda.split('class="jump-menu"', 1)[1]
    body = re.sub(r'<figure class="chart".*?</figure>', "", body, flags=re.S)
    depth = 0
    for match in re.finditer(r"<(/?)(details|table)\b", body):
        closing, tag = match.groups()
        if tag == "details":
            depth += -1 if closing else 1
        elif not closing:
            assert depth > 0, body[match.start() : match.start() + 200]
    summaries = re.findall(r'<details class="long-table">\s*<summary>([^<]*)', body)
    assert summaries and all(re.search(r"\d", s) for s in summaries), summaries


@pytest.mark.django_db
def test_old_tip_tier_says_last_tier_in_the_bundled_data_and_its_age(uganda):
    """The TIP tier of 2015 is not "latest": it says "last tier in the bundled data: 2015"
    and how old it is."""
    assert "Latest TIP report tier" not in uganda
    facts = uganda.split('id="facts-heading"', 1)[1].split("</dl>", 1)[0]
    label = ages.age_label(2015, timezone.localdate())
    assert label
    assert re.search(
        r"last tier in the bundled data:\s*<span class=\"year-age age-old\">2015 "
        r"<span class=\"age-label\">— " + re.escape(label),
        facts,
    )


@pytest.mark.django_db
def test_goods_are_labelled_by_edition_year(uganda):
    """DOL goods read "2021 edition", never the app's file name."""
    assert "goods_2021.xml" not in uganda and "goods_2019.xml" not in uganda
    assert "2021 edition" in uganda
    assert "2019 edition" in uganda
