"""The search pages: results (no JavaScript needed), suggestions, the OpenSearch description and
the header box. The index is rebuilt from the bundled real data (countries, regions,
indicators, series, datasets, organisations) for each test."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from defusedxml import ElementTree
from django.conf import settings
from django.contrib.auth import get_user_model
from django.template.loader import render_to_string
from django.test import Client

from sdg87.search import vocabulary
from sdg87.search.indexing import index_rebuild
from sdg87.search.selectors import search
from sdg87.search.tests.conftest import empty_search_index
from sdg87.search.types import Facet, FacetValue, SearchParams
from sdg87.search.views import facet_views, plain, results_context, search_url
from sdg87.site.tests.html import Page

OSD = "{http://a9.com/-/spec/opensearch/1.1/}"


@pytest.fixture(scope="module")
def bundled_index(bundled_data: None, django_db_blocker: Any) -> Iterator[None]:
    """The whole index over the bundled data, built once for this module (about 5 s) and
    committed like the bundled data; emptied again afterwards (a new, empty generation: the
    generation numbers other tests see never repeat)."""
    with django_db_blocker.unblock():
        index_rebuild()
    yield
    with django_db_blocker.unblock():
        empty_search_index()
    vocabulary.clear()


def _get(client: Client, url: str) -> tuple[str, Page]:
    response = client.get(url)
    assert response.status_code == 200, url
    html = response.content.decode()
    return html, Page(html)


def _section(html: str, css_class: str) -> str:
    """The HTML of the first <section> whose class list holds `css_class` (not nested)."""
    match = re.search(
        rf'<section class="[^"]*\b{re.escape(css_class)}\b[^"]*".*?</section>', html, re.S
    )
    return match.group(0) if match else ""


def _messages(html: str) -> list[str]:
    block = re.search(r'<ul class="messages search-notices".*?</ul>', html, re.S)
    return re.findall(r"<li[^>]*>(.*?)</li>", block.group(0), re.S) if block else []


def _checked(page: Page, name: str) -> set[str]:
    return {
        a["value"] for a in page.find_all("input", type="checkbox", name=name) if "checked" in a
    }


def _results_heading(html: str) -> str:
    match = re.search(r'id="results-heading"[^>]*>(.*?)</h2>', html, re.S)
    assert match
    return " ".join(match.group(1).split())


pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("bundled_index")]


# --- the results page ---------------------------------------------------------------------------


def test_empty_query_renders_the_box_and_the_filters(client: Client) -> None:
    html, page = _get(client, "/en/search/")
    assert page.find_all("input", type="search", id="q", name="q")
    assert page.find_all("fieldset", id="facet-kind")
    assert _messages(html) == []
    # nothing on the page needs a script of its own: every script is a file
    assert all(a.get("src") for _t, a in page.tags if _t == "script")


def test_kenya_has_a_top_result_card_linking_to_the_profile(client: Client) -> None:
    html, _page = _get(client, "/en/search/?q=Kenya")
    card = _section(html, "top-result")
    assert 'href="/en/countries/KEN/"' in card
    assert ">Kenya</a>" in card
    assert _results_heading(html).endswith("for “Kenya”")
    assert '<a href="/en/countries/KEN/"><mark>Kenya</mark></a>' in html


@pytest.mark.parametrize(
    ("url", "target"),
    [
        ("/fr/search/?q=Kenya", "/fr/countries/KEN/"),
        ("/es/search/?q=Alemania", "/es/countries/DEU/"),
        ("/fr/search/?q=C%C3%B4te+d%27Ivoire", "/fr/countries/CIV/"),
        ("/es/search/?q=Costa+de+Marfil", "/es/countries/CIV/"),
    ],
)
def test_french_and_spanish_pages_link_to_their_language(
    client: Client, url: str, target: str
) -> None:
    html, page = _get(client, url)
    assert f'href="{target}"' in _section(html, "top-result")
    lang = url[1:3]
    hits = [h for h in page.links() if h.startswith("/") and "/countries/" in h]
    assert hits and all(h.startswith(f"/{lang}/") for h in hits)


def test_results_are_grouped_by_type_with_a_see_all_link(client: Client) -> None:
    html, page = _get(client, "/en/search/?q=child+labour")
    groups = re.findall(r'<section class="result-group" aria-labelledby="group-(\w+)"', html)
    assert len(groups) >= 2
    see_all = [
        link for link in page.links() if "kind=" in link and link.startswith("?q=child+labour")
    ]
    assert see_all
    kind = parse_qs(urlsplit(see_all[0]).query)["kind"]
    assert len(kind) == 1 and kind[0] in groups
    html2, page2 = _get(client, "/en/search/" + see_all[0])
    assert _checked(page2, "kind") == set(kind)
    assert "result-group" not in html2  # one kind chosen: the flat list only
    assert re.findall(r"search-hit--(\w+)", html2) and {
        k for k in re.findall(r"search-hit--(\w+)", html2)
    } == set(kind)


def test_facet_selections_round_trip(client: Client) -> None:
    url = "/en/search/?q=child+labour&kind=dataset&kind=series&theme=child_labour&place=202"
    html, page = _get(client, url + "&year_from=2000&year_to=2024&sort=date")
    assert _checked(page, "kind") == {"dataset", "series"}
    assert _checked(page, "theme") == {"child_labour"}
    assert "202" in _checked(page, "place")
    assert page.find_all("input", name="year_from", value="2000")
    assert page.find_all("input", name="year_to", value="2024")
    # the filter form carries the query and the order; the query form carries the filters
    assert page.find_all("input", type="hidden", name="q", value="child labour")
    assert page.find_all("input", type="hidden", name="sort", value="date")
    hidden = {(a["name"], a["value"]) for a in page.find_all("input", type="hidden")}
    assert {("kind", "dataset"), ("kind", "series"), ("place", "202")} <= hidden
    assert _messages(html) == []
    assert "Clear filters" in html


def test_facet_counts_are_the_totals_of_the_filtered_searches(client: Client) -> None:
    html, _page = _get(client, "/en/search/?q=child+labour")
    kinds = re.findall(
        r'name="kind" value="(\w+)">\s*<label[^>]*>[^<]*</label></span> <span class="count">(\d+)',
        html,
    )
    assert kinds
    for kind, count in kinds:
        html_kind, _ = _get(client, f"/en/search/?q=child+labour&kind={kind}")
        assert _results_heading(html_kind).startswith(f"{count} result")
    # OR within a facet: two kinds together add up
    (k1, c1), (k2, c2) = kinds[:2]
    both, _ = _get(client, f"/en/search/?q=child+labour&kind={k1}&kind={k2}")
    assert _results_heading(both).startswith(f"{int(c1) + int(c2)} result")


def test_place_facet_nests_countries_under_their_region(client: Client) -> None:
    html, _page = _get(client, "/en/search/?q=child+labour")
    place = re.search(r'<fieldset class="facet" id="facet-place">.*?</fieldset>', html, re.S)
    assert place
    nested = re.search(
        r'value="202">.*?<details>.*?name="place" value="([A-Z]{3})"', place.group(0), re.S
    )
    assert nested, "Sub-Saharan Africa lists its countries inside it"


def test_selected_values_come_first(client: Client) -> None:
    _html, page = _get(client, "/en/search/?q=child+labour&theme=supply_chains")
    themes = [a for a in page.find_all("input", type="checkbox", name="theme")]
    assert themes[0]["value"] == "supply_chains" and "checked" in themes[0]


def test_sort_switch_and_pagination(client: Client) -> None:
    html, page = _get(client, "/en/search/?q=labour&per_page=5")
    assert "?q=labour&sort=date&per_page=5" in [link.replace("&amp;", "&") for link in page.links()]
    pages = [
        int(parse_qs(urlsplit(link).query).get("page", ["1"])[0])
        for link in page.links()
        if link.startswith("?q=labour&per_page=5")
    ]
    total = int(_results_heading(html).split()[0])
    assert max(pages) <= -(-total // 5)
    assert page.find_all("a", rel="next", href="?q=labour&per_page=5&page=2")
    _html_date, page_date = _get(client, "/en/search/?q=labour&sort=date")
    assert page_date.find_all("a", href="?q=labour&sort=date", **{"aria-current": "page"})


def test_did_you_mean_links_the_corrected_query(client: Client) -> None:
    html, page = _get(client, "/en/search/?q=chlid+labuor")
    links = [link for link in page.links() if link.startswith("?q=")]
    match = re.search(r'class="did-you-mean">.*?<a href="([^"]+)"', html, re.S)
    assert match and match.group(1) in links
    corrected = parse_qs(urlsplit(match.group(1).replace("&amp;", "&")).query)["q"][0]
    assert corrected != "chlid labuor"
    html2, _ = _get(client, "/en/search/" + match.group(1).replace("&amp;", "&"))
    assert not _results_heading(html2).startswith("0 ")


# --- bad input ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "query",
    [
        "q=" + "x" * 5000,
        "q=child%00labour",
        "kind=nothing&theme=nothing&place=ZZZ&organisation=no-such-org",
        "q=labour&page=9999",
        "year_from=abc",
        "year_from=1800&year_to=3000",
        "sort=%27%3B+DROP+TABLE",
        "q=labour&per_page=100000&page=-1",
    ],
)
def test_bad_input_gives_a_page_with_a_message(client: Client, query: str) -> None:
    html, _page = _get(client, "/en/search/?" + query)
    assert _messages(html), query


@pytest.mark.parametrize(
    "q", ['" OR 1=1 --', "NEAR(", "title:", '"', "-", "*", "AND", "OR OR", "'; --", "%", "_"]
)
def test_query_syntax_gives_results_or_a_message(client: Client, q: str) -> None:
    html, _page = _get(client, "/en/search/?" + f"q={q}".replace("%", "%25").replace(" ", "+"))
    heading = _results_heading(html)
    assert not heading.startswith("0 ") or _messages(html) or "Nothing matches" in html


def test_a_page_past_the_end_shows_no_page_numbers_beyond_the_last(client: Client) -> None:
    html, page = _get(client, "/en/search/?q=labour&page=9999")
    numbers = [
        int(parse_qs(urlsplit(link.replace("&amp;", "&")).query).get("page", ["1"])[0])
        for link in page.links()
        if link.startswith("?q=labour")
    ]
    total = int(_results_heading(html).split()[0])
    assert numbers and max(numbers) <= -(-total // 20)


def test_markup_in_the_query_is_escaped(client: Client) -> None:
    html, _page = _get(client, "/en/search/?q=%3Cscript%3Ealert(1)%3C/script%3E")
    assert "<script>alert" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_cut_short_facets_say_so_and_keep_the_selection(rf: Any) -> None:
    params = SearchParams(q="child labour", kind=("dataset",), place=("KEN",))
    outcome = search(params=params, user=None, lang="en")
    for facet in outcome.facets:  # as the service answers when a facet's budget runs out
        if facet.name in ("kind", "place", "year"):
            facet.values, facet.cut_short = [], True
    html = render_to_string(
        "search/results.html", results_context(params, outcome, []), rf.get("/en/search/")
    )
    page = Page(html)
    assert "Counts for Type took too long and are not shown." in html
    assert "Counts for Country or region took too long and are not shown." in html
    assert "Counts for Year took too long and are not shown." in html
    assert _checked(page, "kind") == {"dataset"}
    assert _checked(page, "place") == {"KEN"}
    assert "Counts for Theme" not in html


def test_signed_in_answers_are_not_stored_by_caches(client: Client) -> None:
    user = get_user_model().objects.create_user(username="zz_search", password="pw-Zz-12345")
    client.force_login(user)
    for url in ("/en/search/?q=Kenya", "/en/search/suggest/?q=ken"):
        cache_control = client.get(url)["Cache-Control"]
        assert "private" in cache_control and "no-store" in cache_control


# --- the header box -----------------------------------------------------------------------------


@pytest.mark.parametrize("lang", ["en", "fr", "es"])
def test_every_page_has_the_search_box_and_the_opensearch_link(client: Client, lang: str) -> None:
    _html, page = _get(client, f"/{lang}/countries/")
    forms = page.find_all("form", role="search", action=f"/{lang}/search/", method="get")
    assert forms
    inputs = page.find_all("input", name="q", id="site-search-q")
    assert inputs and page.find_all("label", **{"for": "site-search-q"})
    assert page.find_all(
        "link",
        rel="search",
        type="application/opensearchdescription+xml",
        href=f"/{lang}/search/opensearch.xml",
    )


# --- suggestions ------------------------------------------------------------------------------


def test_suggestions_are_plain_text_json(client: Client) -> None:
    response = client.get("/en/search/suggest/?q=ken")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert "public" in response["Cache-Control"] and "max-age=60" in response["Cache-Control"]
    items = json.loads(response.content)
    assert {"title": "Kenya", "url": "/en/countries/KEN/", "kind": "country"}.items() <= items[
        0
    ].items()
    assert all("<" not in item["title"] for item in items)


def test_suggestions_are_at_most_eight_and_follow_the_language(client: Client) -> None:
    items = json.loads(client.get("/fr/search/suggest/?q=ch").content)
    assert 0 < len(items) <= 8
    assert all(item["url"].startswith("/fr/") for item in items)


@pytest.mark.parametrize("q", ["", "k", "%00%00", "x" * 1000, '"', "NEAR("])
def test_suggestions_for_little_or_odd_input(client: Client, q: str) -> None:
    response = client.get("/en/search/suggest/", {"q": q})
    assert response.status_code == 200
    assert isinstance(json.loads(response.content), list)


def test_opensearch_suggestions_format(client: Client) -> None:
    response = client.get("/es/search/suggest/?format=opensearch&q=alema")
    assert response["Content-Type"].startswith("application/x-suggestions+json")
    q, titles, descriptions, urls = json.loads(response.content)
    assert q == "alema"
    assert titles[0] == "Alemania"
    assert descriptions == []
    assert urls[0] == settings.SITE_URL.rstrip("/") + "/es/countries/DEU/"


def test_plain_strips_marks_and_entities() -> None:
    assert plain("<mark>C&ocirc;te</mark> d&#x27;Ivoire &amp; co") == "Côte d'Ivoire & co"


# --- OpenSearch -------------------------------------------------------------------------------


@pytest.mark.parametrize("lang", ["en", "fr", "es"])
def test_opensearch_description_names_the_results_page(client: Client, lang: str) -> None:
    response = client.get(f"/{lang}/search/opensearch.xml")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/opensearchdescription+xml")
    root = ElementTree.fromstring(response.content)
    assert root.tag == f"{OSD}OpenSearchDescription"
    short_name = root.findtext(f"{OSD}ShortName") or ""
    assert 0 < len(short_name) <= 16
    assert root.findtext(f"{OSD}InputEncoding") == "UTF-8"
    assert 0 < len(root.findtext(f"{OSD}Description") or "") <= 1024
    urls = {u.get("type"): u.get("template") for u in root.findall(f"{OSD}Url")}
    site = settings.SITE_URL.rstrip("/")
    assert urls["text/html"] == f"{site}/{lang}/search/?q={{searchTerms}}"
    assert urls["application/x-suggestions+json"] == (
        f"{site}/{lang}/search/suggest/?format=opensearch&q={{searchTerms}}"
    )


# --- helpers -----------------------------------------------------------------------------------


def test_search_url_leaves_out_defaults_and_restarts_at_page_one() -> None:
    params = SearchParams(q="trafic", kind=("news",), page=4, sort="date")
    assert search_url(params) == "?q=trafic&kind=news&sort=date"
    assert search_url(params, page=5) == "?q=trafic&kind=news&sort=date&page=5"
    assert search_url(params, kind=()) == "?q=trafic&sort=date"


def test_a_facet_cut_short_keeps_its_selected_values() -> None:
    facets = [
        Facet(name="place", label="Place", values=[], cut_short=True),
        Facet(
            name="kind",
            label="Type",
            values=[FacetValue(f"k{i}", f"K{i}", 10 - i, selected=i == 9) for i in range(10)],
        ),
    ]
    views = facet_views(facets, SearchParams(place=("KEN",), kind=("k9",)))
    place, kind = views
    assert place.cut_short and [(e.value, e.count, e.selected) for e in place.shown] == [
        ("KEN", None, True)
    ]
    assert kind.shown[0].value == "k9"  # selected first
    assert len(kind.shown) == 8 and len(kind.more) == 2
