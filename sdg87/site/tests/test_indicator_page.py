"""The indicator page built around one chart (issue 9 items 3 and 5): chart / map / table views
as plain links, a year selector for the map, a checkbox place picker, methodology collapsed,
charts that cannot mislead, credits drawn into every chart, an embeddable page, and weight."""

from __future__ import annotations

import gzip
import json
import re
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

import pytest
from django.conf import settings
from django.test import Client

from sdg87.site.tests.html import Page

pytestmark = pytest.mark.django_db

CL = "/en/indicators/SL_TLF_CHLDEA/"
VICTIMS = "/en/indicators/VC_HTF_DETV/"
STATIC = Path(settings.BASE_DIR) / "static"


@pytest.fixture(autouse=True)
def _charts(settings, tmp_path):
    settings.SDG87_CHART_DIR = str(tmp_path / "charts")
    from sdg87.core.charts import render

    render.memory_clear()


def get(client: Client, url: str) -> tuple[str, Page]:
    response = client.get(url)
    assert response.status_code == 200, url
    html = response.content.decode()
    return html, Page(html)


def specs(client: Client, html: str) -> list[dict]:
    """The Vega-Lite specs of the charts on the page (as the download links serve them)."""
    out = []
    for url in re.findall(r'data-spec="(/charts/[0-9a-f]{64}\.vl\.json)"', html):
        response = client.get(url)
        assert response.status_code == 200
        out.append(json.loads(response.content))
    return out


def view_links(html: str) -> dict[str, tuple[str, bool]]:
    """The links of the view switch: view -> (href, is the current view)."""
    nav = re.search(r'<nav class="view-switch".*?</nav>', html, re.S)
    assert nav is not None
    links: dict[str, tuple[str, bool]] = {}
    for tag, attrs in Page(nav.group(0)).tags:
        if tag == "a":
            query = dict(parse_qsl(urlsplit(attrs["href"]).query))
            links[query["view"]] = (attrs["href"], attrs.get("aria-current") == "page")
    return links


def test_page_leads_with_one_chart_and_view_links(client, bundled_data):
    """The page opens on the chart (one figure), with links to chart, map and table that keep
    the selection; each link answers with its own view, without JavaScript."""
    html, page = get(client, CL + "?geo=BGD&sex=F")
    links = view_links(html)
    assert set(links) == {"chart", "map", "table"}
    assert links["chart"][1] and not links["map"][1]
    assert len(page.find_all("figure")) == 1
    assert 'id="trend-chart"' in html
    # the view links come before the chart, the methodology after it
    assert html.index('class="view-switch"') < html.index("<figure") < html.index("Methodology")
    for view, (href, _current) in links.items():
        query = parse_qsl(urlsplit(href).query)
        assert ("geo", "BGD") in query and ("sex", "F") in query
        view_html, view_page = get(client, CL + href)
        assert view_links(view_html)[view][1]
        if view == "map":
            assert 'id="world-map"' in view_html
        if view == "table":
            assert not view_page.find_all("figure")
            assert view_page.find_all("th", scope="row")


def test_map_view_has_a_year_selector_that_filters_the_map(client, bundled_data):
    """The map view's GET form has a year select; a year keeps each country's value up to it."""
    html, page = get(client, CL + "?view=map&year=2015")
    forms = page.find_all("form", method="get")
    assert forms
    assert page.find_all("select", name="year")
    assert page.find_all("input", type="hidden", name="view", value="map")
    assert '<option value="2015" selected>' in html
    (spec,) = specs(client, html)
    assert "up to 2015" in json.dumps(spec["title"])
    years = [row["year"] for row in spec["usermeta"]["table"]]
    assert years and max(years) <= 2015


def test_place_picker_is_checkboxes_in_a_scrollable_fieldset(client, bundled_data):
    """No Ctrl-multi-select: every place is a checkbox, the chosen ones checked; the filter box
    comes from a static script, so without JavaScript the full list shows."""
    _html, page = get(client, CL + "?geo=BGD&geo=NPL")
    assert not page.find_all("select", name="geo")
    boxes = [a for t, a in page.tags if t == "input" and a.get("name") == "geo"]
    assert len(boxes) > 20 and all(a["type"] == "checkbox" for a in boxes)
    checked = {a["value"] for a in boxes if "checked" in a}
    assert checked == {"BGD", "NPL"}
    assert page.find_all("fieldset", **{"class": "place-picker"})
    scripts = [a["src"] for t, a in page.tags if t == "script"]
    assert any("place-filter" in src for src in scripts)
    script = (STATIC / "src" / "place-filter.js").read_text()
    assert "data-place-filter" in script or "[data-place-filter]" in script
    assert ".style" not in script  # CSP: no inline styles set from script


def test_too_many_places_say_so(client, bundled_data):
    codes = ["BGD", "KEN", "UGA", "NPL", "PER", "LKA", "ZMB", "TZA", "ETH", "GHA"]
    html, _page = get(client, CL + "?" + "&".join(f"geo={c}" for c in codes))
    assert "Only the first 8 places chosen are shown." in html


def test_methodology_is_collapsed(client, bundled_data):
    html, _page = get(client, CL)
    match = re.search(r"<details class=\"methodology\"([^>]*)>\s*<summary>Methodology", html)
    assert match is not None
    assert "open" not in match.group(1)


def test_zero_target_only_where_zero_is_the_target(client, bundled_data):
    """Child labour charts mark 'Target: zero by 2025'; detected trafficking victims do not
    (more detection is not failure)."""
    html, _page = get(client, CL + "?view=chart")
    (line,) = specs(client, html)
    assert "Target: zero by 2025" in json.dumps(line)
    html, _page = get(client, VICTIMS + "?view=chart")
    assert "Target: zero" not in html
    for spec in specs(client, html):
        assert "Target" not in json.dumps(spec)


def test_counts_are_mapped_as_circles_with_a_rate_link(client, bundled_data):
    """A map of detected victims (a count) draws circles sized by the number, says so, and
    links the same measure per 100,000 population; a map of a share stays a choropleth."""
    html, page = get(client, VICTIMS + "?view=map")
    (spec,) = specs(client, html)
    marks = [layer["mark"]["type"] for layer in spec["vconcat"][0]["layer"]]
    assert marks == ["geoshape", "circle"]
    assert spec["vconcat"][0]["layer"][1]["encoding"]["size"]["scale"]["zero"] is True
    assert "area is proportional" in page.text
    assert "/en/indicators/VC_HTF_DETVR/?view=map" in page.links()
    html, _page = get(client, CL + "?view=map")
    (spec,) = specs(client, html)
    assert [layer["mark"]["type"] for layer in spec["vconcat"][0]["layer"]] == [
        "geoshape",
        "geoshape",
    ]


@pytest.mark.parametrize("query", ["?view=chart&geo=BGD&geo=001", "?view=map"])
def test_exported_charts_carry_title_source_licence_date_and_url(client, bundled_data, query):
    """The SVG served for download and the spec the PNG is drawn from hold the title, the
    source, the licence, the release date and the address that redraws the chart."""
    html, _page = get(client, CL + query)
    found = re.search(r'data-spec="/charts/([0-9a-f]{64})\.vl\.json"', html)
    assert found is not None
    digest = found.group(1)
    (spec,) = specs(client, html)
    credits = spec["usermeta"]["credits"]
    assert credits[0].startswith("Source: ") and "UN SDG Global Database" in credits[0]
    assert "Licence: " in credits[1] and "Data released" in credits[1]
    url = credits[-1]
    assert url.startswith(settings.SITE_URL.rstrip("/") + CL + "?view=")
    assert spec["vconcat"][1]["mark"]["type"] == "text"
    svg = client.get(f"/charts/{digest}.svg").content.decode()
    text = " ".join(re.sub(r"<[^>]+>", " ", t) for t in re.findall(r"<text[^>]*>(.*?)</text>", svg))
    text = text.replace("&amp;", "&")
    assert "economic activity" in text
    for line in credits:
        for word in line.split():
            assert word in text
    png = client.get(f"/charts/{digest}.png")
    assert png.status_code == 200 and png.content[:4] == b"\x89PNG"
    # the address in the image redraws the same chart
    again_html, _page = get(client, url.removeprefix(settings.SITE_URL.rstrip("/")))
    assert f"/charts/{digest}.vl.json" in again_html


def test_embed_code_is_an_iframe_with_a_static_fallback(client, bundled_data):
    """The page shows embed code: an iframe of the embed page, and the image as a fallback."""
    html, _page = get(client, CL + "?geo=BGD&geo=NPL")
    embed = re.search(r"&lt;iframe src=&quot;([^&]+(?:&amp;[^&]+)*)&quot;", html)
    assert embed is not None
    src = embed.group(1).replace("&amp;amp;", "&").replace("&amp;", "&")
    path = src.removeprefix(settings.SITE_URL.rstrip("/"))
    assert path.startswith("/en/indicators/SL_TLF_CHLDEA/embed/?view=chart")
    assert "&lt;img src=" in html
    response = client.get(path)
    assert response.status_code == 200
    assert "frame-ancestors *" in response["Content-Security-Policy"]
    assert "X-Frame-Options" not in response
    page = Page(response.content.decode())
    assert page.find_all("figure") and page.find_all("table")
    assert page.find_all("html")[0]["lang"] == "en"
    assert ' style="' not in response.content.decode()
    assert CL in " ".join(page.links())
    # every other page still refuses to be framed
    normal = client.get(CL)
    assert normal["X-Frame-Options"] == "DENY"
    assert "frame-ancestors 'none'" in normal["Content-Security-Policy"]


def test_embed_of_an_unknown_series_is_404(client, bundled_data):
    assert client.get("/en/indicators/NOPE/embed/").status_code == 404


WEIGHT_URLS = [
    CL,
    CL + "?view=map",
    CL + "?view=table",
    VICTIMS,
    VICTIMS + "?view=map",
    "/fr/indicators/SL_TLF_CHLDEC/?view=map",
]


@pytest.mark.parametrize("url", WEIGHT_URLS)
def test_indicator_page_stays_under_100_kb_compressed(client, bundled_data, url):
    """HTML plus the stylesheets it needs, gzipped, before the optional chart script."""
    html, page = get(client, url)
    css = b""
    for tag, attrs in page.tags:
        if tag == "link" and attrs.get("rel") == "stylesheet":
            name = re.sub(r"\.[0-9a-f]{12}\.css$", ".css", attrs["href"].split("/static/")[-1])
            css += (STATIC / name).read_bytes()
    size = len(gzip.compress(html.encode(), 6)) + len(gzip.compress(css, 6))
    print(f"WEIGHT {url} html={len(gzip.compress(html.encode(), 6))} total={size}")
    assert size < 100 * 1024
