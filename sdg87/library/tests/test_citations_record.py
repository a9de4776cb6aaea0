"""The citation record: journal references split, stable and unique citation keys."""

import pytest

from sdg87.library.citations.record import (
    CitationRecord,
    Issued,
    Organisation,
    Person,
    citation_key,
    split_container,
    unique_keys,
)
from sdg87.library.tests.citation_fixtures import ARTICLE, FRENCH_REPORT, ILO_REPORT


@pytest.mark.parametrize(
    ("text", "parts"),
    [
        (
            "World Bank Research Observer 29(2):202-234",
            ("World Bank Research Observer", "29", "2", "202-234"),
        ),
        (
            "Journal of Health Economics 39:51-59",
            ("Journal of Health Economics", "39", "", "51-59"),
        ),
        ("World Development 152, 105768", ("World Development", "152", "", "105768")),
        ("PLOS ONE 15(9):e0238778", ("PLOS ONE", "15", "9", "e0238778")),
        ("African Evaluation Journal 7(1), a387", ("African Evaluation Journal", "7", "1", "a387")),
        (
            "American Economic Journal: Economic Policy 4(4):100-124",
            ("American Economic Journal: Economic Policy", "4", "4", "100-124"),
        ),
        # not a journal reference: kept whole
        ("IFPRI FCND Discussion Paper 123", ("IFPRI FCND Discussion Paper 123", "", "", "")),
        (
            "World Bank Economic Review (2022, no. 3, pp. 709-733)",
            ("World Bank Economic Review (2022, no. 3, pp. 709-733)", "", "", ""),
        ),
        ("", ("", "", "", "")),
    ],
)
def test_a_printed_journal_reference_is_split_into_journal_volume_issue_and_pages(text, parts):
    c = split_container(text)
    assert (c.title, c.volume, c.issue, c.pages) == parts


def test_keys_name_the_first_author_year_and_first_significant_title_word():
    """An organisation by its acronym (else its initials), a person by family name without
    spaces or accents."""
    assert citation_key(ILO_REPORT) == "ilo2017global"
    assert citation_key(ARTICLE) == "kazianga2012educational"
    assert citation_key(FRENCH_REPORT) == "oit2017estimations"
    record = CitationRecord(
        type="report", title="The state of São Tomé", creators=(Person("Núñez Gómez", "A."),)
    )
    assert citation_key(record) == "nunezgomezndstate"
    assert citation_key(CitationRecord(type="report", title="Untitled")) == "anonnduntitled"
    walk_free = CitationRecord(
        type="report",
        title="Global Slavery Index",
        creators=(Organisation("Walk Free"),),
        issued=Issued(2023),
    )
    assert citation_key(walk_free) == "wf2023global"


def test_repeated_keys_in_one_file_get_letters_in_order():
    a = CitationRecord(
        type="report",
        title="Global estimates",
        creators=(Organisation("ILO"),),
        issued=Issued(2017),
    )
    assert unique_keys([a, ILO_REPORT, ARTICLE, a]) == [
        "ilo2017globala",
        "ilo2017globalb",
        "kazianga2012educational",
        "ilo2017globalc",
    ]


def test_an_organisation_is_never_split_into_names():
    assert (
        Organisation("International Labour Organization").display
        == "International Labour Organization"
    )
    assert ILO_REPORT.organisations and not ILO_REPORT.persons


def test_issued_dates_are_written_with_only_the_parts_known():
    assert Issued(2017).iso() == "2017"
    assert Issued(2017, 9).iso() == "2017-09"
    assert Issued(2017, 9, 19).iso() == "2017-09-19"


def test_a_journal_record_is_an_article_and_a_report_is_a_report():
    assert ARTICLE.in_journal and ARTICLE.mapping.csl == "article-journal"
    assert (ARTICLE.first_page, ARTICLE.last_page) == ("723", "760")
    assert not ILO_REPORT.in_journal and ILO_REPORT.mapping.csl == "report"
    assert ILO_REPORT.institution == "International Labour Office"
