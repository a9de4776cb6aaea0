"""The pure parsers of the bundled library tables (sdg87.library.ingest)."""

import pytest

from sdg87.core.ingest import ParseError
from sdg87.library.ingest import (
    CreatorSpec,
    identifiers,
    parse_creators,
    parse_evaluations,
    parse_publications,
    split_outside_parentheses,
    study_themes,
)

PUB_HEADER = (
    "pub_id,title,publication_type,year,release_date,publisher,authors,language,themes,"
    "countries,isbn_or_doi,url,summary,notes,verification_status,source_url\n"
)
EVAL_HEADER = (
    "study_id,title,authors,year,publication_type,publisher_or_journal,doi_or_url,countries,"
    "intervention_category,outcome_category,study_design,direction_of_effect,finding_quote,"
    "source_url,verification_status,notes\n"
)


def test_persons_and_organisations_are_told_apart() -> None:
    """'Surname, Given' is a person; a long name before the comma or no comma is an
    organisation; affiliations in parentheses and 'et al.' are dropped."""
    assert parse_creators(
        "de Hoop, Jacobus; Boittin, Margaret (Vanderbilt University research team); et al.;"
        " U.S. Department of Labor, Clearinghouse for Labor Evaluation and Research (CLEAR);"
        " International Labour Organization (Regional Office for Africa; Dakar)"
    ) == [
        CreatorSpec(family="de Hoop", given="Jacobus"),
        CreatorSpec(family="Boittin", given="Margaret"),
        CreatorSpec(
            name="U.S. Department of Labor, Clearinghouse for Labor Evaluation and Research (CLEAR)"
        ),
        CreatorSpec(name="International Labour Organization (Regional Office for Africa; Dakar)"),
    ]


def test_split_keeps_semicolons_inside_parentheses() -> None:
    assert split_outside_parentheses("a (b; c); d") == ["a (b; c)", "d"]


def test_identifiers() -> None:
    assert identifiers("doi:10.1093/wbro/lku003") == ("10.1093/wbro/lku003", [], "", "")
    assert identifiers("ISBN 978-92-2-130152-3 (print); ISBN 978-92-2-130153-0 (web pdf)") == (
        "",
        ["978-92-2-130152-3 (print)", "978-92-2-130153-0 (web pdf)"],
        "",
        "",
    )
    assert identifiers("https://hdl.handle.net/10986/8452") == ("", [], "10986/8452", "")


def test_a_mirror_is_only_a_copy_and_a_publishers_page_is_the_source() -> None:
    text = (
        PUB_HEADER + "x-en,Report,report,2017,2017-09-19,International Labour Organization,,en,"
        "child_labour,,,,S,,verified,https://docslib.org/doc/1;https://www.ilo.org/p\n"
        + "x-fr,Rapport,report,2017,,International Labour Organization,,fr,child_labour,,,,S,,"
        "verified,https://docslib.org/doc/1\n"
    )
    en, fr = parse_publications(text)
    assert (en.url, en.copy_url) == ("https://www.ilo.org/p", "")
    assert (fr.url, fr.copy_url) == ("", "https://docslib.org/doc/1")
    assert en.work == fr.work == "x"
    assert en.creators == [CreatorSpec(name="International Labour Organization")]


def test_bad_cells_name_their_row_and_column() -> None:
    text = PUB_HEADER + "x,T,report,20x7,,P,,en,,,,,,,verified,\n"
    with pytest.raises(ParseError) as exc:
        parse_publications(text)
    assert (exc.value.row, exc.value.column) == (2, "year")
    text = PUB_HEADER + "x,T,novel,2017,,P,,en,,,,,,,verified,\n"
    with pytest.raises(ParseError) as exc:
        parse_publications(text)
    assert (exc.value.row, exc.value.column) == (2, "publication_type")


def test_unverified_rows_are_kept_as_unverified_and_untitled_drafts_named_by_id() -> None:
    text = (
        EVAL_HEADER + 's1,,"Boittin, M.",2019,impact_evaluation,J,,NPL,other,other,rct,'
        "not_stated,,,unverified,title not seen\n"
    )
    (spec,), existing = parse_evaluations(text)
    assert (spec.verified, spec.title, spec.countries, existing) == (False, "[s1]", ["NPL"], {})


def test_an_evaluation_already_in_the_bibliography_codes_that_record() -> None:
    text = (
        EVAL_HEADER + "w,What works,Walk Free,2016,systematic_review,Walk Free,,,other,other,"
        "systematic_review,not_stated,,,verified,Already in publications.csv as walkfree-x.\n"
    )
    specs, existing = parse_evaluations(text)
    assert specs == []
    assert existing["walkfree-x"].design == "systematic_review"


def test_study_themes_come_from_outcome_intervention_and_title() -> None:
    assert study_themes(
        title="Bonded labour and trafficking", intervention="cash_transfers", outcome="other"
    ) == ["forced_labour", "human_trafficking", "social_protection"]
