"""Regression tests for the new-user QA pass on the public pages."""

from __future__ import annotations

import csv
import io

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
    ["/en/indicators/SP_DYN_MRBF18/?year=2010", "/en/indicators/SL_TLF_CHLDEA/"],
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
