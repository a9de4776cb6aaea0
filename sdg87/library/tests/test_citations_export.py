"""CSL-JSON (structure and types), CSV rows and bulk export of many records."""

import csv
import io
import json

import bibtexparser
import pytest
import rispy

from sdg87.library.citations.csl import CSL_TYPES, csl_item, csl_json
from sdg87.library.citations.export import CSV_HEADER, bulk_export, export
from sdg87.library.citations.record import CitationRecord, Organisation
from sdg87.library.resource_types import RESOURCE_TYPES
from sdg87.library.tests.citation_fixtures import ARTICLE, FRENCH_REPORT, ILO_REPORT


def test_csl_json_items_are_structurally_valid():
    items = json.loads(csl_json([ILO_REPORT, ARTICLE]))
    assert isinstance(items, list) and len(items) == 2
    report, article = items
    assert report == {
        "id": "ilo2017global",
        "type": "report",
        "title": "Global estimates of child labour: Results and trends, 2012-2016",
        "author": [{"literal": "International Labour Organization"}],
        "issued": {"date-parts": [[2017, 9, 19]]},
        "publisher": "International Labour Office",
        "ISBN": "978-92-2-130152-3",
        "URL": "http://ilo.org/ipec/Informationresources/lang--en/index.htm",
        "language": "en",
    }
    assert article["type"] == "article-journal"
    assert article["author"][1] == {"family": "de Walque", "given": "Damien"}
    assert (article["container-title"], article["volume"], article["issue"], article["page"]) == (
        "Journal of African Economies",
        "21",
        "5",
        "723-760",
    )
    for item in items:
        assert item["type"] in CSL_TYPES
        for name in item["author"]:
            assert set(name) in ({"literal"}, {"family", "given"}, {"family"})
        parts = item["issued"]["date-parts"]
        assert len(parts) == 1 and all(isinstance(p, int) for p in parts[0])


@pytest.mark.parametrize("code", sorted(RESOURCE_TYPES))
def test_every_resource_type_maps_to_a_csl_type(code):
    assert csl_item(CitationRecord(type=code, title="T"))["type"] in CSL_TYPES


RECORDS = [ILO_REPORT, ARTICLE, FRENCH_REPORT, ILO_REPORT]


def test_bulk_bibtex():
    content_type, filename, body = bulk_export(RECORDS, "bibtex", basename="t-cite-library")
    assert (content_type, filename) == ("application/x-bibtex; charset=utf-8", "t-cite-library.bib")
    library = bibtexparser.parse_string(body)
    assert library.failed_blocks == []
    assert [e.key for e in library.entries] == [
        "ilo2017globala",
        "kazianga2012educational",
        "oit2017estimations",
        "ilo2017globalb",
    ]


def test_bulk_ris_and_biblatex_and_json():
    content_type, filename, body = bulk_export(RECORDS, "ris")
    assert (content_type, filename) == (
        "application/x-research-info-systems; charset=utf-8",
        "citations.ris",
    )
    assert [e["type_of_reference"] for e in rispy.loads(body)] == ["RPRT", "JOUR", "RPRT", "RPRT"]
    _, filename, body = bulk_export(RECORDS, "biblatex")
    assert filename == "citations-biblatex.bib"
    assert len(bibtexparser.parse_string(body).entries) == 4
    content_type, filename, body = bulk_export(RECORDS, "json")
    assert content_type.startswith("application/vnd.citationstyles.csl+json")
    assert [i["id"] for i in json.loads(body)][1] == "kazianga2012educational"


def test_bulk_csv_has_a_header_and_one_row_per_record_and_no_formulas():
    hostile = CitationRecord(
        type="report", title='=HYPERLINK("x")', creators=(Organisation("@org"),)
    )
    content_type, filename, body = bulk_export([ARTICLE, hostile], "csv")
    assert (content_type, filename) == ("text/csv; charset=utf-8", "citations.csv")
    rows = list(csv.reader(io.StringIO(body)))
    assert rows[0] == list(CSV_HEADER)
    article = dict(zip(CSV_HEADER, rows[1], strict=True))
    assert article["authors"] == "Kazianga, Harounan; de Walque, Damien; Alderman, Harold"
    assert (article["year"], article["pages"], article["type"]) == (
        "2012",
        "723-760",
        "impact_evaluation",
    )
    bad = dict(zip(CSV_HEADER, rows[2], strict=True))
    assert bad["title"] == '\'=HYPERLINK("x")'
    assert bad["authors"] == "'@org"


def test_an_unknown_format_is_refused_and_aliases_work():
    with pytest.raises(KeyError):
        bulk_export(RECORDS, "docx")
    assert bulk_export([ARTICLE], "bib")[1] == "citations.bib"
    assert export(ARTICLE, "ris")[1] == "kazianga-dewalque-alderman-2012-jae.ris"
