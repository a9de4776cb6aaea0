"""An evidence-map cell's studies download as RIS, BibTeX and CSV (sdg87.library.exports),
like the library listing."""

import csv
import io

import bibtexparser
import pytest
import rispy
from django.test import Client

pytestmark = pytest.mark.django_db

CELL = "/en/evidence/cell/?intervention=cash_transfers&outcome=child_labour_incidence"


def test_a_cells_studies_download_in_three_formats(bundled_data: None) -> None:
    """Cash transfers x child labour holds 26 verified studies (counted by hand in
    data/library/evaluations.csv); every format carries the 26, parsed back."""
    client = Client()
    page = client.get(CELL).content.decode()
    assert "format=ris" in page and "format=bib" in page and "format=csv" in page

    ris = client.get(CELL + "&format=ris")
    assert ris["Content-Disposition"].startswith("attachment;")
    entries = rispy.loads(ris.content.decode())
    assert len(entries) == 26
    assert "Cash Transfers and Child Labor" in {e["title"] for e in entries}

    bib = bibtexparser.parse_string(client.get(CELL + "&format=bib").content.decode())
    assert not bib.failed_blocks
    assert len(bib.entries) == 26
    assert "dataset" not in {e.entry_type for e in bib.entries}

    rows = list(csv.DictReader(io.StringIO(client.get(CELL + "&format=csv").content.decode())))
    assert len(rows) == 26


def test_an_unknown_format_is_refused(bundled_data: None) -> None:
    response = Client().get(CELL + "&format=docx")
    assert response.status_code == 400
    assert "Use ris, bib or csv" in response.content.decode()
