"""The home page: a plain first screen (what the platform is, three headline figures with
year and source, where to go next), a map of SDG 8.7.1 by country with its table, sources and
years, and "What's new" (datasets, publications, releases, each dated) that shows only data
anyone may download (bundled data)."""

from __future__ import annotations

import gzip
import re
from datetime import timedelta
from typing import Any

import pytest
from django.core.cache import cache
from django.utils import timezone, translation

# The catalogue's fixtures (organisations, users per role, datasets made through the services).
from sdg87.catalog.tests.conftest import (  # noqa: F401
    _media_root,
    make_dataset,
    org,
    other_org,
    users,
)
from sdg87.indicators.models import Release, release_rank
from sdg87.site import selectors as sel
from sdg87.site import whats_new
from sdg87.site.contexts.home import KEY_FIGURES, home_context
from sdg87.site.home_map import headline_map
from sdg87.site.tests.html import Page

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("bundled_data")]


def _home(client: Any, lang: str = "en") -> tuple[str, Page]:
    cache.clear()  # pages are cached per data version; a test's writes never commit
    response = client.get(f"/{lang}/")
    assert response.status_code == 200
    html = response.content.decode()
    return html, Page(html)


def _first_screen(html: str) -> str:
    return html[html.index('<div class="home-first">') : html.index('id="more-figures-heading"')]


def test_first_screen_says_what_it_is_three_figures_and_where_to_go(client: Any) -> None:
    """Before anything else: a title and a one-paragraph lede, exactly three figures (child
    labour, forced labour, modern slavery) each with its year and a source link, a country
    search and links onward."""
    html, _page = _home(client)
    first = _first_screen(html)
    first_page = Page(first)
    assert len(first_page.find_all("h1")) == 1
    assert "SDG Target 8.7" in first_page.text
    figures = re.findall(r'<li class="home-figure[^"]*" id="([\w-]+)"', first)
    assert figures == list(KEY_FIGURES)
    with translation.override("en"):
        context = home_context()
    for figure in context.key_figures:
        block = first[first.index(f'id="{figure.key}"') :]
        block = block[: block.index("</li>")]
        assert str(figure.latest.year) in block
        assert 'class="fact-source"' in block and "<a href=" in block
    assert first_page.find_all("form", action="/en/countries/")
    assert first_page.find_all("input", name="q", id="home-country-q")
    for path in ("/en/countries/", "/en/indicators/", "/en/datasets/", "/en/library/"):
        assert path in first_page.links()


def test_map_of_8_7_1_with_its_table_sources_and_years(client: Any) -> None:
    """The map is the newest 8.7.1 value of each country, with the table in a <details>, the
    span of years, the age of the oldest, and the releases the values come from."""
    with translation.override("en"):
        built = headline_map()
    assert built is not None and built.series.code == "SL_TLF_CHLDEA"
    stored = sel.latest_by_geography(
        series=built.series, sex="_T", age="Y5T17", year_to=timezone.localdate().year
    )
    assert built.countries == len(stored) > 50
    assert (built.first_year, built.last_year) == (
        min(o.year for o in stored),
        max(o.year for o in stored),
    )
    html, page = _home(client)
    section = html[html.index('id="map-heading"') : html.index('id="progress-heading"')]
    assert '<figure class="chart" id="home-map"' in section and "<svg" in section
    table = section[section.index('<details class="chart-table">') :]
    table = table[: table.index("</details>")]
    assert table.count("<tr>") == built.countries + 1  # header row
    bgd = next(o for o in stored if o.geography.code == "BGD")
    assert re.search(
        rf"<th scope=\"row\">Bangladesh</th><td>[\d.,]+</td><td>{bgd.year}</td>", table
    )
    assert f"date from {built.first_year} to {built.last_year}" in page.text
    section_text = Page(section).text
    for release in built.releases:
        assert f"{release.source.title} ({release.year})" in section_text
    assert "years old" in section  # the oldest value (2010) is old, and says so


@pytest.fixture
def hidden_and_shown(make_dataset: Any) -> dict[str, Any]:  # noqa: F811
    """One dataset anyone may download, and one of each kind that must never be advertised."""
    future = timezone.now() + timedelta(days=30)
    return {
        "shown": make_dataset(title="ZZ whats new public dataset"),
        "embargoed": make_dataset(title="ZZ whats new embargoed dataset", embargo_until=future),
        "organisation": make_dataset(
            title="ZZ whats new organisation-only dataset", visibility="organisation"
        ),
        "metadata_only": make_dataset(
            title="ZZ whats new metadata-only dataset", visibility="metadata_only"
        ),
        "scheduled": make_dataset(title="ZZ whats new scheduled dataset", publish_at=future),
        "draft": make_dataset(title="ZZ whats new draft dataset", state="draft"),
    }


def test_whats_new_lists_only_public_published_unembargoed_datasets(
    client: Any, hidden_and_shown: dict[str, Any]
) -> None:
    """A just-published public dataset is the newest; an embargoed, organisation-only,
    metadata-only, scheduled or draft dataset never appears, in the selector or the page."""
    listed = [item.dataset.pk for item in whats_new.latest_datasets(limit=50)]
    assert listed[0] == hidden_and_shown["shown"].pk
    for key, dataset in hidden_and_shown.items():
        if key != "shown":
            assert dataset.pk not in listed, key
    html, page = _home(client)
    assert "ZZ whats new public dataset" in page.text
    for key, dataset in hidden_and_shown.items():
        if key != "shown":
            assert dataset.title not in html, key


def test_embargo_end_lets_a_dataset_into_whats_new(hidden_and_shown: dict[str, Any]) -> None:
    """The embargoed dataset appears once its embargo has passed (the rule reads `now`)."""
    later = timezone.now() + timedelta(days=31)
    listed = [item.dataset.pk for item in whats_new.latest_datasets(limit=50, now=later)]
    assert hidden_and_shown["embargoed"].pk in listed
    assert hidden_and_shown["organisation"].pk not in listed


def test_whats_new_items_are_dated(client: Any) -> None:
    """Datasets with the date (or the year, for a release known by its year only) of their
    data, publications with their year, releases with their date or year; no release is
    listed twice (once as a dataset) and no retracted or private release is listed."""
    with translation.override("en"):
        context = home_context()
    assert context.new_datasets and context.new_publications and context.new_releases
    html, _page = _home(client)
    section = html[html.index('id="new-heading"') :]
    for item in context.new_datasets:
        date = str(item.updated.year) if item.year_only else item.updated.strftime("%-d %b %Y")
        assert f"updated {date}" in section
    for publication in context.new_publications:
        assert f'<time datetime="{publication.year}">' in section
    for release in context.new_releases:
        assert release.is_public and release.retracted_at is None
        stamp = release.released_on.isoformat() if release.released_on else str(release.year)
        assert f'<time datetime="{stamp}">' in section
    shown = {d.dataset.release_id for d in context.new_datasets}
    assert not shown & {r.pk for r in context.new_releases}
    candidates = [
        r for r in Release.objects.public().filter(retracted_at__isnull=True) if r.pk not in shown
    ]
    candidates.sort(key=lambda r: release_rank(r.year, r.released_on, r.pk), reverse=True)
    assert context.new_releases == candidates[: len(context.new_releases)]


@pytest.mark.parametrize("lang", ["en", "fr", "es"])
def test_home_stays_under_100_kb_compressed(client: Any, lang: str) -> None:
    """The whole page, map included, is under 100 KB gzipped (it was 2 KB without the map
    and is about 51 KB with it)."""
    cache.clear()
    body = client.get(f"/{lang}/").content
    assert len(gzip.compress(body, 6)) < 100 * 1024
