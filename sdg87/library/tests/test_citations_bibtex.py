"""BibTeX and BibLaTeX exports parse back with bibtexparser 2 (the fields we wrote, no failed
blocks); BibTeX never has @dataset, for any resource type."""

import bibtexparser
import pytest

from sdg87.library.citations.bibtex import biblatex, bibtex, latex_escape
from sdg87.library.citations.record import CitationRecord, Issued, Organisation
from sdg87.library.resource_types import DATASET, RESOURCE_TYPES
from sdg87.library.tests.citation_fixtures import ARTICLE, FRENCH_REPORT, HOSTILE, ILO_REPORT


def _parse(text):
    library = bibtexparser.parse_string(text)
    assert library.failed_blocks == []
    return library


def test_an_organisation_report_is_a_techreport_with_its_institution():
    text = bibtex([ILO_REPORT])
    assert text == (
        "@techreport{ilo2017global,\n"
        "  author = {{International Labour Organization}},\n"
        "  title = {Global estimates of child labour: Results and trends, 2012-2016},\n"
        "  year = {2017},\n"
        "  month = sep,\n"
        "  institution = {International Labour Office},\n"
        "  isbn = {978-92-2-130152-3, 978-92-2-130153-0},\n"
        "  url = {http://ilo.org/ipec/Informationresources/lang--en/index.htm},\n"
        "  language = {english},\n"
        "}\n"
    )
    (entry,) = _parse(text).entries
    assert entry.entry_type == "techreport"
    assert entry.key == "ilo2017global"
    assert entry["author"] == "{International Labour Organization}"
    assert entry["institution"] == "International Labour Office"
    assert entry["year"] == "2017"


def test_a_journal_article_is_an_article_with_journal_volume_number_and_pages():
    (entry,) = _parse(bibtex([ARTICLE])).entries
    assert entry.entry_type == "article"
    assert entry.key == "kazianga2012educational"
    assert entry["author"] == "Kazianga, Harounan and {de Walque}, Damien and Alderman, Harold"
    assert entry["journal"] == "Journal of African Economies"
    assert (entry["volume"], entry["number"], entry["pages"]) == ("21", "5", "723--760")
    assert entry["doi"] == "10.1093/jae/ejs010"
    # acronym-free title: no braces added; a title with capitals inside keeps them braced
    assert entry["title"].startswith("Educational and Child Labour Impacts")


def test_acronyms_in_titles_are_braced_so_styles_keep_their_capitals():
    record = CitationRecord(type="report", title="ILO and UNICEF on COVID-19", publisher="ILO")
    (entry,) = _parse(bibtex([record])).entries
    assert entry["title"] == "{ILO} and {UNICEF} on {COVID}-19"


@pytest.mark.parametrize("code", sorted(RESOURCE_TYPES))
def test_no_resource_type_is_ever_a_bibtex_dataset(code):
    """With or without a publisher, journal or authors: the entry parses and is not @dataset."""
    variants = [
        CitationRecord(type=code, title="T", slug="t-cite-a"),
        CitationRecord(type=code, title="T", publisher="P", issued=Issued(2020)),
        CitationRecord(
            type=code,
            title="T",
            container_title="J",
            volume="1",
            pages="1-2",
            creators=(Organisation("O"),),
        ),
    ]
    library = _parse(bibtex(variants))
    types = {e.entry_type for e in library.entries}
    assert len(library.entries) == 3
    assert "dataset" not in types
    assert types <= {"techreport", "misc", "article", "manual"}
    for entry in library.entries:
        if entry.entry_type == "techreport":
            assert entry["institution"]
        if entry.entry_type == "article":
            assert entry["journal"]


def test_a_dataset_is_misc_in_bibtex_and_dataset_in_biblatex():
    record = CitationRecord(
        type=DATASET,
        title="Child labour survey",
        slug="t-cite-ds",
        kind="dataset",
        creators=(Organisation("Statistics Office"),),
        issued=Issued(2024, 3, 1),
        publisher="Statistics Office",
        version="3",
        url="https://example.org/en/datasets/x/",
    )
    (bib,) = _parse(bibtex([record])).entries
    assert bib.entry_type == "misc"
    assert bib["note"] == "Dataset, version 3"
    (blx,) = _parse(biblatex([record])).entries
    assert blx.entry_type == "dataset"
    assert (blx["date"], blx["version"], blx["publisher"]) == (
        "2024-03-01",
        "3",
        "Statistics Office",
    )


def test_biblatex_uses_report_journaltitle_date_and_langid():
    library = _parse(biblatex([ILO_REPORT, ARTICLE, FRENCH_REPORT]))
    report, article, french = library.entries
    assert (report.entry_type, report["date"], report["institution"]) == (
        "report",
        "2017-09-19",
        "International Labour Office",
    )
    assert (article.entry_type, article["journaltitle"], article["number"]) == (
        "article",
        "Journal of African Economies",
        "5",
    )
    assert french["langid"] == "french"
    assert french["author"] == "{Organisation internationale du Travail}"


def test_latex_specials_are_escaped_and_the_file_still_parses():
    assert latex_escape("R_&_D 100% $5 #1 {x} ~ ^ \\end") == (
        r"R\_\&\_D 100\% \$5 \#1 \{x\} \textasciitilde{} \textasciicircum{} \textbackslash{}end"
    )
    for text in (bibtex([HOSTILE, ILO_REPORT]), biblatex([HOSTILE, ILO_REPORT])):
        library = _parse(text)
        assert [e.key for e in library.entries] == ["abb2020script", "ilo2017global"]
        hostile = library.entries[0]
        assert hostile["author"] == r"{A \& B <b>} and O'Brien, Seán"
        assert hostile["url"] == "https://example.org/a?b=1&c=2"


def test_bulk_files_have_unique_keys():
    library = _parse(bibtex([ILO_REPORT, ILO_REPORT, ARTICLE]))
    assert [e.key for e in library.entries] == [
        "ilo2017globala",
        "ilo2017globalb",
        "kazianga2012educational",
    ]
