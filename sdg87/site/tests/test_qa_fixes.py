"""Regression tests for the new-user QA pass on the public pages."""

from __future__ import annotations

import csv
import io
import re

import pytest

from sdg87.site.tests.html import Page

pytestmark = pytest.mark.django_db


def _table_rows(html: str) -> int:
    body = html.split('aria-labelledby="table-heading"', 1)[1].split("</tbody>", 1)[0]
    return body.count("<tr>") - 1  # the header row


def _csv_rows(client, url: str) -> list[dict[str, str]]:
    response = client.get(url)
    assert response.status_code == 200, url
    content = b"".join(response.streaming_content).decode()
    return list(csv.DictReader(io.StringIO(content)))


@pytest.mark.parametrize(
    "path",
    [
        "/en/indicators/SP_DYN_MRBF18/?year=2010&view=table",
        "/en/indicators/SL_TLF_CHLDEA/?view=table",
    ],
)
def test_latest_table_downloads_hold_exactly_the_rows_shown(client, bundled_data, path):
    """The CSV and JSON behind the latest-value table ask for latest=true&region=001 with the
    page's series, sex, age and year_to, and the CSV has exactly the table's rows."""
    html = client.get(path).content.decode()
    links = [h for h in Page(html).links() if "/api/v1/observations" in h]
    table_csv = next(h for h in links if "latest=true" in h and "format=csv" in h)
    assert "region=001" in table_csv and "year_to=" in table_csv
    assert any("latest=true" in h and "format=csv" not in h for h in links)
    shown = _table_rows(html)
    assert shown > 0
    rows = _csv_rows(client, table_csv)
    assert len(rows) == shown
    if "year=2010" in path:
        assert shown == 9


def _chart_rows(html: str) -> list[str]:
    section = html.split('id="trend-heading"', 1)[1].split("</section>", 1)[0]
    return section.split("<tbody>", 1)[1].split("</tbody>", 1)[0].split("<tr>")[1:]


def test_default_over_time_chart_shows_places_with_two_years(client, bundled_data):
    """With no places chosen, every place in the line chart's table has at least two years."""
    for path in ["/en/indicators/SL_TLF_CHLDEA/", "/en/indicators/SL_TLF_CHLDEC/"]:
        html = client.get(path).content.decode()
        if "there is no trend to draw" in html:
            # SL_TLF_CHLDEA holds one year per country: no line at all, and it says so.
            assert 'id="trend-chart"' not in html
            continue
        _assert_two_years_each(html)


def _assert_two_years_each(html: str) -> None:
    rows = _chart_rows(html)
    assert rows
    per_place: dict[str, int] = {}
    for row in rows:
        cells = re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)
        per_place[cells[0].strip()] = per_place.get(cells[0].strip(), 0) + 1
    assert per_place and min(per_place.values()) >= 2, per_place


def test_chart_without_data_says_so(client, bundled_data):
    """Chosen places without data give a plain message instead of an empty chart."""
    html = client.get("/en/indicators/SL_TLF_CHLDEA/?geo=001&view=chart").content.decode()
    assert "The places chosen have no data for this series" in html
    assert 'id="trend-chart"' not in html


def test_place_picker_offers_only_places_with_data(client, bundled_data):
    """The "Places in the chart" list holds only places with data for the series, aggregates
    first, then countries."""
    from sdg87.indicators.selectors import series_get
    from sdg87.site import selectors as sel

    html = client.get("/en/indicators/SL_TLF_CHLDEA/?view=chart").content.decode()
    select = html.split('class="place-picker"', 1)[1].split("</fieldset>\n</fieldset>", 1)[0]
    offered = select.count('name="geo"')
    series = series_get(code="SL_TLF_CHLDEA")
    assert series is not None
    assert offered == len(sel.series_places(series=series))
    assert offered < 200
    assert 'value="001"' not in select  # the world has no figure for this series


def test_filter_list_box_fits_narrow_screens():
    """At 375px the place list box and its label stay inside the page: the filter blocks and
    selects may not be wider than their container, and long labels may wrap."""
    from pathlib import Path

    css = (Path(__file__).resolve().parents[3] / "static/src/site.css").read_text()
    assert "form.filters select { max-width: 100%; }" in css
    assert "min-width: min(14rem, 100%)" in css
    assert "form.filters > div { min-width: 0; max-width: 100%; }" in css


def test_home_headline_links_reach_existing_ids(client, bundled_data):
    """Every /en/global-estimates/#id link on the home page points to an id on that page."""
    home = client.get("/en/").content.decode()
    anchors = set(re.findall(r'href="/en/global-estimates/#([\w-]+)"', home))
    assert {"forced-labour", "forced-marriage"} <= anchors
    target = client.get("/en/global-estimates/").content.decode()
    ids = set(re.findall(r'\bid="([\w-]+)"', target))
    assert anchors <= ids, anchors - ids


def test_untranslated_data_text_is_marked_english(client, bundled_data):
    """On /fr/ and /es/ pages, a definition or methodology with no translation in that
    language is the English source text in an element with lang="en", followed by a visible
    note; on /en/ pages no text carries a translation note."""
    from django.utils.html import escape

    from sdg87.core.translations.selectors import translated
    from sdg87.indicators.selectors import series_get

    series = series_get(code="SL_TLF_CHLDEA")
    assert series is not None and series.indicator is not None
    indicator = series.indicator
    en_html = client.get("/en/indicators/SL_TLF_CHLDEA/").content.decode()
    assert "translation-note" not in en_html
    checked = 0
    for lang in ["fr", "es"]:
        html = client.get(f"/{lang}/indicators/SL_TLF_CHLDEA/").content.decode()
        for field in ["definition", "methodology"]:
            english = getattr(indicator, field)
            if english and translated(indicator, field, language=lang).fallback:
                first_line = escape(english.splitlines()[0])[:40]
                before, after = html.split(first_line, 1)
                assert before.rstrip().endswith(('<span lang="en">', '<div lang="en"><p>'))
                assert "translation-note" in after.split("</section>", 1)[0]
                checked += 1
    assert checked


def test_country_sparklines_title_their_fields_in_the_page_language(bundled_data):
    """Sparkline specs name their year/value fields in the page language (aria labels)."""
    from django.utils import translation

    from sdg87.geo.selectors import country_get
    from sdg87.site import charts
    from sdg87.site import selectors as sel

    country = country_get(iso3="BGD")
    assert country is not None
    rows = sel.country_series_rows(
        country=country,
        region=sel.geography_sdg_region(geography=country),
        world_geo=sel.world(),
        max_year=2026,
    )
    with translation.override("fr"):
        sparks = charts.country_charts(rows=rows)["sparks"]
        year_title = translation.gettext("Year")
    assert sparks
    for spec in sparks.values():
        for layer in spec["layer"]:
            assert layer["encoding"]["x"]["title"] == year_title


@pytest.mark.parametrize(
    "url", ["/fr/countries/?q=cote", "/en/countries/?q=COTE", "/es/countries/?q=côte"]
)
def test_country_search_ignores_accents_and_case(client, bundled_data, url):
    """Searching "cote" (any case, with or without accents) finds Côte d'Ivoire."""
    html = client.get(url).content.decode()
    assert "/countries/CIV/" in html


def test_country_search_still_matches_iso3_and_other_names(client, bundled_data):
    """ISO3 codes and plain substrings still match; unrelated countries do not."""
    html = client.get("/en/countries/?q=ken").content.decode()
    assert "/countries/KEN/" in html and "/countries/BGD/" not in html
    assert "/countries/BGD/" in client.get("/fr/countries/?q=bgd").content.decode()


def test_home_says_the_target_date_has_passed(client, bundled_data):
    """After 2025 the home page says the target date has passed and when zero would be
    reached at the observed pace, and asks for no required yearly fall."""
    html = client.get("/en/").content.decode()
    assert "The 2025 target date has passed" in html
    assert "would need a fall" not in html


def test_progress_sentence_before_the_target_year_gives_the_required_pace():
    """Before the target year an off-track sentence still gives the required pace."""
    from sdg87.indicators.analysis import progress_compute
    from sdg87.indicators.labels import progress_sentence
    from sdg87.indicators.models import Series

    progress = progress_compute([(2000, 246.0), (2024, 138.0)], target_year=2025)
    assert progress is not None
    series = Series(code="TEST_SERIES", decimals=0)
    before = progress_sentence(
        what="Child labour", progress=progress, series=series, unit="", current_year=2024
    )
    after = progress_sentence(
        what="Child labour", progress=progress, series=series, unit="", current_year=2026
    )
    assert "would need a fall" in before
    assert "The 2025 target date has passed" in after and "would need" not in after


@pytest.mark.parametrize("iso3", ["BGD", "KEN", "TUV"])
def test_every_key_fact_names_its_source(client, bundled_data, iso3):
    """Each fact in the country "Key facts" box names its source."""
    html = client.get(f"/en/countries/{iso3}/").content.decode()
    facts = html.split('id="facts-heading"', 1)[1].split("</dl>", 1)[0]
    values = facts.split("<dd>")[1:]
    assert values
    for value in values:
        dd = value.split("</dd>", 1)[0]
        if dd.strip() == "No":
            continue  # not a Pathfinder: nothing to cite
        assert 'class="fact-source"' in dd, dd
