"""The data directory's listing downloads as references (/<lang>/datasets/export/), with the
listing's filters and only what the visitor may see."""

import re

import bibtexparser
import pytest
import rispy
from django.test import Client

from sdg87.catalog.selectors import dataset_public_queryset

pytestmark = pytest.mark.django_db


def test_the_dataset_listing_exports_what_it_lists(bundled_data: None) -> None:
    client = Client()
    public = dataset_public_queryset().count()
    assert public == 28  # the bundled statistics releases' datasets
    bib = bibtexparser.parse_string(client.get("/en/datasets/export/?export=bib").content.decode())
    assert not bib.failed_blocks
    assert len(bib.entries) == public
    assert {e.entry_type for e in bib.entries} == {"misc"}  # never @dataset in BibTeX

    page = client.get("/en/datasets/?theme=child_labour").content.decode()
    heading = re.search(r'id="results-heading"[^>]*>(\d+) dataset', page)
    assert heading is not None
    assert "/en/datasets/export/?theme=child_labour&amp;export=ris" in page
    ris = rispy.loads(
        client.get("/en/datasets/export/?theme=child_labour&export=ris").content.decode()
    )
    assert {e["type_of_reference"] for e in ris} == {"DATA"}
    assert len(ris) == dataset_public_queryset().filter(themes__code="child_labour").count()
    assert len(ris) == int(heading.group(1)) > 0  # what the listing says it lists


def test_an_unknown_export_format_is_refused(bundled_data: None) -> None:
    assert Client().get("/en/datasets/export/?export=docx").status_code == 400
