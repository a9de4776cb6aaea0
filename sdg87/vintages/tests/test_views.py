"""Vintage pages of the data directory: compare two releases, a series as published on a date,
one value across releases (chart and table). Values from
data/global_estimates/ilo_unicef_child_labour_global_estimates.csv (World child labour 2016 =
151.6 million in ILO (2017); 2020 = 160 million in ILO-UNICEF (2021))."""

from __future__ import annotations

import csv
import io

import pytest

pytestmark = pytest.mark.django_db

COMPARE = "/{lang}/series/ILO_CL_NUM/compare/"
POINT = "/en/series/ILO_CL_NUM/vintages/?geo=001&year=2016&sex=_T&age=Y5T17"


@pytest.mark.parametrize("lang", ["en", "fr", "es"])
def test_compare_page_defaults_to_the_two_newest_releases(client, bundled_data, lang):
    """Without parameters the page compares the two newest releases of the series."""
    response = client.get(COMPARE.format(lang=lang))
    assert response.status_code == 200
    comparison = response.context["comparison"]
    assert comparison.to_release.code == "ilo-unicef-cl-ge-2025"
    assert comparison.from_release.code == "ilo-unicef-cl-ge-2021"


def test_compare_page_lists_added_and_dropped(client, bundled_data):
    """2017 round -> 2021 round: World 2020 (160 million) added, World 2016 (151.6 million)
    no longer published; a CSV of the same changes."""
    url = COMPARE.format(lang="en") + "?from=ilo-cl-ge-2017&to=ilo-unicef-cl-ge-2021"
    response = client.get(url)
    assert response.status_code == 200
    page = response.content.decode()
    assert "160 million" in page and "151.6 million" in page
    added = {(r["geography"], r["year"]) for r in response.context["added"]}
    dropped = {(r["geography"], r["year"]) for r in response.context["dropped"]}
    assert ("World", 2020) in added
    assert ("World", 2016) in dropped
    assert "format=csv" in page
    download = client.get(url + "&format=csv")
    assert download["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(download.content.decode())))
    world_2016 = [
        r for r in rows if r["geography_code"] == "001" and r["year"] == "2016" and r["sex"] == "_T"
    ]
    assert any(r["change"] == "dropped" and r["from_value"] == "151.6" for r in world_2016)


def test_compare_page_errors(client, bundled_data):
    """An unknown release is a 400 page with the message; an unknown series a 404."""
    response = client.get(COMPARE.format(lang="en") + "?from=nope&to=ilo-cl-ge-2017")
    assert response.status_code == 400
    assert "no public release of this series" in response.content.decode()
    assert client.get("/en/series/NOPE/compare/").status_code == 404


def test_as_published_page(client, bundled_data):
    """On 2020-01-01 the world 2016 figure is 151.6 million and there is no 2020 figure yet;
    a bad date is a clear 400."""
    response = client.get("/en/series/ILO_CL_NUM/as-published/?date=2020-01-01")
    assert response.status_code == 200
    world = {
        r["year"]: r["value"]
        for r in response.context["rows"]
        if r["geography"] == "World" and not r["dimensions"] and r["sex"] == "Both sexes"
    }
    assert world[2016] == "151.6 million"
    assert 2020 not in world
    assert "as_of=2020-01-01" in response.content.decode()
    assert client.get("/en/series/ILO_CL_NUM/as-published/").status_code == 200
    bad = client.get("/en/series/ILO_CL_NUM/as-published/?date=2020-31-01")
    assert bad.status_code == 400
    assert "YYYY-MM-DD" in bad.content.decode()
    for text in ("2020-01-01garbage", "2" * 3000, "20200101"):
        assert client.get(f"/en/series/ILO_CL_NUM/as-published/?date={text}").status_code == 400


def test_point_vintages_page_has_chart_and_table(client, bundled_data):
    """World 2016 child labour across releases: an SVG chart, its table, the release and its
    date, and a CSV link asking for every vintage."""
    response = client.get(POINT)
    assert response.status_code == 200
    page = response.content.decode()
    assert "<svg" in page
    assert "<table" in page
    assert "151.6 million" in page
    assert "include_history=true" in page
    (row,) = response.context["rows"]
    assert row["release"].code == "ilo-cl-ge-2017"
    assert row["valid_to"] is None


def test_point_vintages_page_404s(client, bundled_data):
    """No geography, a bad year or a point without values: 404."""
    assert client.get("/en/series/ILO_CL_NUM/vintages/").status_code == 404
    assert client.get("/en/series/ILO_CL_NUM/vintages/?geo=001&year=x").status_code == 404
    assert client.get("/en/series/ILO_CL_NUM/vintages/?geo=001&year=1900").status_code == 404


INDICATOR = "/{lang}/indicators/{code}/"


@pytest.mark.parametrize("lang", ["en", "fr", "es"])
def test_indicator_page_links_to_the_vintage_pages(client, bundled_data, lang):
    """A series held in several releases (the global estimates: 2010, 2013, 2017, 2021 and
    2025 rounds among them) links from its chart and its sources to the release comparison
    and to a no-JavaScript form for the series as published on a date, in the page's
    language."""
    response = client.get(INDICATOR.format(lang=lang, code="ILO_CL_NUM") + "?view=chart")
    assert response.status_code == 200
    page = response.content.decode()
    compare = f'href="/{lang}/series/ILO_CL_NUM/compare/"'
    assert page.count(compare) == 2  # under the chart and in the sources
    assert page.count(f'href="/{lang}/series/ILO_CL_NUM/as-published/"') == 1
    assert f'action="/{lang}/series/ILO_CL_NUM/as-published/"' in page
    assert 'type="date" name="date"' in page
    held = len(response.context["summary"].releases)
    assert held >= 3
    # The links lead to working pages.
    assert client.get(f"/{lang}/series/ILO_CL_NUM/compare/").status_code == 200
    published = client.get(f"/{lang}/series/ILO_CL_NUM/as-published/?date=2020-01-01")
    assert published.status_code == 200 and "151" in published.content.decode()


def test_indicator_page_of_a_single_release_series_has_no_vintage_links(client, bundled_data):
    """Where the series is held in one release only there is nothing to compare: no links."""
    from django.db.models import Count

    from sdg87.indicators.models import Observation

    single = (
        Observation.objects.values("series__code")
        .annotate(n=Count("release", distinct=True))
        .filter(n=1)
        .order_by("series__code")
        .values_list("series__code", flat=True)
    )
    for code in single[:5]:
        response = client.get(INDICATOR.format(lang="en", code=code))
        if response.status_code != 200:
            continue
        page = response.content.decode()
        assert "/compare/" not in page and "/as-published/" not in page, code
        return
    pytest.fail("no single-release series with a page in the bundled data")
