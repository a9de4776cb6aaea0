"""Explorer pages on the bundled List of Goods: they answer without JavaScript (forms are
GET, tables carry every figure), filter, bound their inputs, cite each edition, and 404 for
a good or country that is not on the List."""

from __future__ import annotations

import csv
import io

import pytest

pytestmark = pytest.mark.django_db

BASE = "/en/supply-chains/"
DOL_LIST = "https://www.dol.gov/agencies/ilab/reports/child-labor/list-of-goods"


def _csv(response) -> list[dict[str, str]]:
    assert response["Content-Type"].startswith("text/csv")
    return list(csv.DictReader(io.StringIO(response.content.decode("utf-8"))))


def test_explorer_lists_every_listing_with_sources(client, bundled_data) -> None:
    """The unfiltered explorer counts 614 listings, pages them and links each edition."""
    response = client.get(BASE)
    assert response.status_code == 200
    html = response.content.decode()
    assert "614 listings match." in html
    assert 'method="get"' in html
    assert "Page 1 of 7" in html
    assert html.count(f'href="{DOL_LIST}"') >= 5
    assert 'href="/en/supply-chains/"' in html  # main navigation entry


def test_explorer_filters_cocoa_forced_labour(client, bundled_data) -> None:
    """Cocoa with forced labour: Côte d'Ivoire and Nigeria, listed since 2016."""
    response = client.get(BASE, {"good": "cocoa", "type": "fl"})
    html = response.content.decode()
    assert "2 listings match." in html
    assert "/en/supply-chains/countries/CIV/" in html
    assert "/en/supply-chains/countries/NGA/" in html
    assert "/en/supply-chains/countries/GHA/" not in html


def test_explorer_csv_has_the_filtered_rows(client, bundled_data) -> None:
    """CSV: one row per good x country x type, with first edition and status."""
    rows = _csv(client.get(BASE, {"good": "cocoa", "country": "CIV", "format": "csv"}))
    assert [(r["exploitation_type"], r["first_edition"], r["on_newest_edition"]) for r in rows] == [
        ("cl", "2016", "true"),
        ("fl", "2016", "true"),
        ("fcl", "2016", "true"),
    ]
    assert rows[0]["editions_listed"] == "2016 2017 2018 2019 2021"
    assert rows[0]["source_url"] == DOL_LIST


def test_removed_listing_says_when(client, bundled_data) -> None:
    """Uzbek cotton, forced labour: last listed 2019, not in 2021."""
    html = client.get(BASE, {"country": "UZB", "type": "fl", "good": "cotton"}).content.decode()
    assert "Last listed 2019; not in 2021" in html


def test_explorer_bounds_and_refuses_bad_values(client, bundled_data) -> None:
    """More than 20 values, or a value not on the List, is refused with a message; the page
    still answers."""
    too_many = client.get(BASE, {"good": ["cocoa"] * 21})
    assert too_many.status_code == 200
    assert "Choose at most 20 values." in too_many.content.decode()
    unknown = client.get(BASE, {"country": "XXX", "page": "abc"})
    assert unknown.status_code == 200
    assert "Some filters were not applied" in unknown.content.decode()


def test_matrix_marks_types(client, bundled_data) -> None:
    """The matrix of cocoa shows CL/FL/FCL per country with the meaning in a title."""
    response = client.get(BASE + "matrix/", {"good": "cocoa"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "1 of 1 goods and 7 of 7 countries shown." in html
    assert '<abbr title="Forced child labour">FCL</abbr>' in html


def test_matrix_is_bounded(client, bundled_data) -> None:
    """Unfiltered, the matrix keeps 30 goods and 25 countries and says so."""
    html = client.get(BASE + "matrix/").content.decode()
    assert "30 of 169 goods and 25 of 78 countries shown." in html


def test_map_has_chart_and_table(client, bundled_data) -> None:
    """The map page draws the chart and the table behind it (Côte d'Ivoire: 2 goods)."""
    response = client.get(BASE + "map/", {"edition": "2021"})
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="goods-map"' in html
    assert "78 countries have a listing" in html
    assert '<a href="/en/supply-chains/countries/CIV/">' in html


def test_changes_default_newest_two_editions(client, bundled_data) -> None:
    """2019 to 2021: 36 added, 6 removed; the CSV has the same 42 rows."""
    html = client.get(BASE + "changes/").content.decode()
    assert "36 listings added, 6 removed" in html
    rows = _csv(client.get(BASE + "changes/", {"old": "2019", "new": "2021", "format": "csv"}))
    assert len(rows) == 42
    assert {"change": "removed", "good": "Cotton", "country_iso3": "UZB"}.items() <= next(
        r for r in rows if r["good"] == "Cotton"
    ).items()


def test_changes_refuses_unknown_edition(client, bundled_data) -> None:
    """An edition that is not bundled is an error on the form, not a 500."""
    response = client.get(BASE + "changes/", {"old": "1999", "new": "2021"})
    assert response.status_code == 200
    assert 'role="alert"' in response.content.decode()


def test_good_page(client, bundled_data) -> None:
    """Cocoa: 7 countries, edition by edition, no HS code guessed."""
    response = client.get(BASE + "goods/cocoa/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "7 on the newest edition; 7 on any bundled edition" in html
    assert "no sourced mapping" in html
    assert 'href="/en/supply-chains/packs/cocoa/CIV/"' in html


def test_country_page_with_tiers_and_advancement(client, bundled_data) -> None:
    """Côte d'Ivoire: its goods, DOL advancement levels and TIP tiers, each with a source."""
    response = client.get(BASE + "countries/CIV/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "/en/supply-chains/goods/cocoa/" in html
    assert "Advancement level by reporting year" in html
    assert "Tier by report year" in html


@pytest.mark.parametrize(
    "path", ["goods/no-such-good/", "countries/NOR/", "countries/civ/", "countries/XXXX/"]
)
def test_unknown_good_or_country_is_404(client, bundled_data, path) -> None:
    """A good or country not on the List, or a lower-case code, is not found."""
    assert client.get(BASE + path).status_code == 404
