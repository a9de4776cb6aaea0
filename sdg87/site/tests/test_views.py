from __future__ import annotations

import re
from urllib.parse import parse_qsl, urlsplit

import pytest
from django.test import Client
from django.utils import timezone, translation

from sdg87.core.http_cache import canonical_query
from sdg87.indicators import labels
from sdg87.indicators.models import Observation
from sdg87.indicators.selectors import observation_history
from sdg87.site import selectors as sel
from sdg87.site.contexts.estimates import CHILD_AGE, CL_NUM
from sdg87.site.contexts.home import home_headlines
from sdg87.site.tests.html import Page

pytestmark = pytest.mark.django_db

LANGS = ["en", "fr", "es"]
PATHS = [
    "/{lang}/",
    "/{lang}/global-estimates/",
    "/{lang}/indicators/",
    "/{lang}/indicators/SL_TLF_CHLDEA/",
    "/{lang}/indicators/SL_TLF_CHLDEA/?geo=BGD&geo=001&sex=F&sort=-value",
    "/{lang}/countries/",
    "/{lang}/countries/?q=ken",
    "/{lang}/countries/?region=202",
    "/{lang}/countries/KEN/",
    "/{lang}/countries/bgd/",
    "/{lang}/countries/TUV/",
    "/{lang}/methods/progress/",
    "/{lang}/library/",
    "/{lang}/library/?theme=child_labour&language=fr",
    "/{lang}/library/ilo-ge-cl-2017-fr/",
]


def get(client: Client, url: str) -> tuple[str, Page]:
    response = client.get(url)
    assert response.status_code == 200, url
    html = response.content.decode()
    return html, Page(html)


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("path", PATHS)
def test_page_renders_accessibly_in_each_language(client, bundled_data, lang, path):
    """Each page answers 200 with one h1, <main id="main">, the page language on <html>, a
    language switcher linking the same page in en/fr/es, and no inline style or script."""
    url = path.format(lang=lang)
    html, page = get(client, url)
    assert len(page.find_all("h1")) == 1
    assert page.find_all("main", id="main")
    assert page.find_all("html")[0]["lang"] == lang
    assert page.find_all("header") and page.find_all("footer")
    switchers = [a for a in page.find_all("nav") if a.get("aria-label")]
    assert switchers
    target = urlsplit(url)
    for other in LANGS:
        # the query in its canonical order (sdg87.core.http_cache: sorted keys, no tracking)
        query = canonical_query(target.query)
        expected = "/" + other + target.path[3:] + (f"?{query}" if query else "")
        assert expected.replace("&", "&amp;") in html or expected in page.links()
    assert ' style="' not in html
    for tag, attrs in page.tags:
        if tag == "script":
            assert attrs.get("src") or attrs.get("nonce"), "inline script without nonce"
        assert not any(name.startswith("on") for name in attrs), f"event handler on <{tag}>"


@pytest.mark.parametrize("url", ["/en/countries/ZZZ/", "/fr/indicators/NOT_A_SERIES/"])
def test_unknown_country_or_series_is_404(client, bundled_data, url):
    """An unknown ISO3 code or series code is a 404 page in the site's layout, with one h1 and
    the language switcher pointing at the same address in the other languages."""
    response = client.get(url)
    assert response.status_code == 404
    page = Page(response.content.decode())
    assert len(page.find_all("h1")) == 1
    assert page.find_all("main", id="main")
    lang = url[1:3]
    assert page.find_all("html")[0]["lang"] == lang
    for other in LANGS:
        assert "/" + other + url[3:] in page.links()


def test_root_redirects_by_browser_language(client, bundled_data):
    """ "/" sends a French-speaking browser to /fr/ and a Spanish one to /es/."""
    fr = client.get("/", HTTP_ACCEPT_LANGUAGE="fr-FR,fr;q=0.9")
    es = client.get("/", HTTP_ACCEPT_LANGUAGE="es")
    assert fr.status_code in (301, 302) and fr["Location"].startswith("/fr/")
    assert es["Location"].startswith("/es/")


def test_home_headline_numbers_equal_the_stored_observations(client, bundled_data):
    """Every headline figure on the home page is the stored observation, formatted, with its
    year and a link to its release."""
    html, page = get(client, "/en/")
    with translation.override("en"):
        headlines = home_headlines()
        assert {h.key for h in headlines} >= {
            "child-labour",
            "hazardous-work",
            "modern-slavery",
            "forced-labour",
            "forced-marriage",
        }
        for headline in headlines:
            stored = Observation.objects.get(pk=headline.latest.pk)
            shown = labels.format_value(stored.value, stored.series, stored.unit)
            assert shown in page.text
            assert f'<data value="{stored.value:g}">' in html
            assert str(stored.year) in page.text
            for previous in headline.previous:
                assert labels.format_value(previous.value, previous.series) in page.text
    history = observation_history(
        series_code=CL_NUM, geography_code=sel.WORLD_CODE, sex="_T", age=CHILD_AGE
    )
    assert {2000, 2020, 2024} <= set(history)
    latest = history[max(history)]
    assert f"{latest.value:g} million" in page.text.replace(".0 million", " million")


def test_home_states_progress_against_the_2025_target(client, bundled_data):
    """The home page says, in plain words, how far the world is from ending child labour."""
    _html, page = get(client, "/en/")
    # Past 2025 the page says the target date has passed instead of a required pace.
    assert "2025 target date has passed" in page.text
    assert "would be reached only in" in page.text
    assert "How progress to the target is calculated" in page.text  # the shared partial


def test_indicator_downloads_carry_the_filters_shown(client, bundled_data):
    """The CSV/JSON links of the table and of the chart ask the API for the same series,
    sex, age, year and places as the page shows."""
    url = "/en/indicators/SL_TLF_CHLDEC/?sex=F&age=Y5T17&year=2019&geo=KEN&geo=001"
    _html, page = get(client, url)
    api = [link for link in page.links() if link.startswith("/api/v1/observations?")]
    assert api
    queries = [parse_qsl(urlsplit(link).query) for link in api]
    table = [q for q in queries if ("year_to", "2019") in q]
    chart = [q for q in queries if ("geo", "KEN") in q]
    assert table and chart
    for q in table + chart:
        assert ("series", "SL_TLF_CHLDEC") in q
        assert ("sex", "F") in q
        assert ("age", "Y5T17") in q
    assert any(("format", "csv") in q for q in table)
    assert any(("format", "csv") not in q for q in table)
    for q in chart:
        assert ("geo", "001") in q


def test_indicator_table_is_sorted_server_side(client, bundled_data):
    """?sort=-value lists countries from the highest value down; ?sort=name alphabetically."""
    html, _page = get(client, "/en/indicators/SL_TLF_CHLDEA/?sort=-value")
    values = [
        float(v.replace(",", ""))
        for v in re.findall(r'<td class="num">([\d.,]+)%</td>', html.split('id="table-heading"')[1])
    ]
    assert len(values) > 10
    assert values == sorted(values, reverse=True)


def test_indicator_page_shows_methodology_and_sources(client, bundled_data):
    """8.7.1 shows its methodology (hour thresholds by age) and names source, release, nature
    flags and licence."""
    _html, page = get(client, "/en/indicators/SL_TLF_CHLDEA/")
    assert "Methodology" in page.text
    assert re.search(r"\b(14|43) hours\b", page.text) or "hour" in page.text
    assert "UN SDG Global Database" in page.text
    assert "Licence" in page.text
    assert "Country adjusted data" in page.text


def test_country_index_search_and_region_filter(client, bundled_data):
    """?q= matches localised names and ISO3; ?region= keeps that SDG region's members."""
    _html, page = get(client, "/es/countries/?q=camer")
    assert "Camerún" in page.text
    _html, page = get(client, "/en/countries/?q=KEN")
    assert "/en/countries/KEN/" in page.links()
    _html, page = get(client, "/en/countries/?region=202")
    assert "/en/countries/KEN/" in page.links()
    assert "/en/countries/FRA/" not in page.links()


def test_country_profile_shows_pathfinder_badge_and_assessments(client, bundled_data):
    """Kenya is a Pathfinder Country; its profile shows DOL levels, goods, ratifications and
    TIP tiers, the GSI figures and population aged 5-17."""
    _html, page = get(client, "/en/countries/KEN/")
    assert "Pathfinder" in page.text
    assert "Advancement" in page.text
    assert "Tea" in page.text
    assert "C182" in page.text
    assert "Tier 2" in page.text
    assert "modern slavery" in page.text
    assert "Population aged 5-17" in page.text


def test_country_without_much_data_still_has_gaps_panel(client, bundled_data):
    """A country with little data says which key indicators are missing."""
    _html, page = get(client, "/en/countries/TUV/")
    assert "Data gaps" in page.text
    assert "no data" in page.text
    assert "% availability" in page.text


def test_pages_are_cached_per_language(client, bundled_data):
    """Pages carry a short public cache lifetime; the French page is not served for /en/."""
    en = client.get("/en/countries/KEN/")
    fr = client.get("/fr/countries/KEN/")
    assert "max-age=" in en["Cache-Control"]
    assert 'lang="en"' in en.content.decode()
    assert 'lang="fr"' in fr.content.decode()
    again = client.get("/fr/countries/KEN/")
    assert again.content == fr.content


def test_indicator_explorer_follows_global_estimates_across_releases(client, bundled_data):
    """Global estimates come one report per year: the explorer charts the World from 2000 to
    the latest report, and its downloads ask the API's default view, which holds the same
    points (the newest figure of each year)."""
    html, page = get(client, "/en/indicators/ILO_CL_NUM/?geo=001")
    for year in ("2000", "2012", "2020", "2024"):
        assert f"<td>{year}</td>" in html
    chart = [link for link in page.links() if "geo=001" in link and "/api/v1/" in link]
    assert chart
    assert not any("release=" in link for link in chart)


def test_indicator_latest_values_exclude_projections(client, bundled_data):
    """Population projections after the current year are not shown as a latest value."""
    html, _page = get(client, "/en/indicators/SP_POP_5T17/?sort=-year")
    years = [int(y) for y in re.findall(r'<td class="num">(\d{4})</td>', html)]
    assert years
    assert max(years) <= timezone.localdate().year


def test_methods_page_lists_world_and_regional_progress(client, bundled_data):
    """The methods page explains the calculation and lists the results for the world and for
    regions with at least two comparable child-labour shares."""
    _html, page = get(client, "/en/methods/progress/")
    assert "Observed average annual change" in page.text
    assert "World" in page.text
    assert "Sub-Saharan Africa" in page.text
    assert "2055" in page.text  # world child labour at the 2000-2024 pace


def test_the_old_publications_page_moved_to_the_library(client):
    """/<lang>/publications/ (the CSV-backed page) is a permanent redirect to the library
    listing, keeping its filters, whose names the library uses too."""
    response = client.get("/fr/publications/?theme=child_labour&language=fr")
    assert response.status_code == 301
    assert response["Location"] == "/fr/library/?language=fr&theme=child_labour"  # canonical
    assert client.get("/en/publications/")["Location"] == "/en/library/"


DIRECTORY_PATHS = ["/{lang}/datasets/", "/{lang}/datasets/gsi-2023/", "/{lang}/organisations/"]


@pytest.mark.parametrize("path", PATHS + DIRECTORY_PATHS)
def test_every_page_has_a_description_and_one_absolute_canonical_link(
    client, bundled_data, settings, path
):
    """Each public page names itself once for search engines: a meta description and a
    canonical link to its own path on the site (no query string), plus the other languages
    as hreflang alternates (issue 9 item 6, in part)."""
    settings.SITE_URL = "https://sdg87.example.org"
    url = path.format(lang="fr")
    response = client.get(url)
    assert response.status_code == 200, url
    html = response.content.decode()
    canonical = re.findall(r'<link rel="canonical" href="([^"]*)"', html)
    assert canonical == ["https://sdg87.example.org" + url.split("?")[0]]
    descriptions = re.findall(r'<meta name="description" content="([^"]*)"', html)
    assert len(descriptions) == 1 and len(descriptions[0].strip()) > 20
    assert re.findall(r'<link rel="alternate" hreflang="(\w+)"', html) == ["en", "es"]
