"""Evidence map reads on the bundled library: numbers pinned to data/library/evaluations.csv
(counted by hand from the verified rows), filters, the visibility rule, bounded queries."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from sdg87.library.evidence_selectors import (
    EvidenceFilterError,
    evidence_cell_studies,
    evidence_filter_options,
    evidence_filters_resolve,
    evidence_for_country,
    evidence_for_series,
    evidence_matrix,
    evidence_rows,
    evidence_study_page,
)
from sdg87.library.tests.evidence_fixtures import ev_places, make_study  # noqa: F401

pytestmark = pytest.mark.django_db

CASH, CL = "cash_transfers", "child_labour_incidence"
AWARE, FL = "awareness_and_community_mobilisation", "forced_labour_incidence"
LEGAL, VICT = "legal_and_policy_reform", "trafficking_victims_identified"


def test_the_bundled_map(bundled_data: None) -> None:
    """104 verified rows of evaluations.csv, one coding each, in 32 of the 88 cells (56
    absolute gaps); 26 of the 32 have no systematic review among their rows."""
    m = evidence_matrix()
    assert (m.total, m.codings) == (104, 104)
    assert (m.absolute_gaps, m.synthesis_gaps) == (56, 26)
    assert m.years == (1999, 2025)


def test_two_cells_counted_by_hand(bundled_data: None) -> None:
    """evaluations.csv, verified rows:
    cash_transfers x child_labour_incidence: 26 rows: 12 rct, 9 quasi_experimental,
    1 mixed_methods, 2 systematic_review, 2 other; 12 reduced, 3 increased, 6 mixed,
    4 no_significant_effect, 1 not_stated.
    awareness_and_community_mobilisation x forced_labour_incidence: 4 rows, all
    mixed_methods (Freedom Fund hotspot evaluations); 2 reduced, 2 not_stated: no review."""
    m = evidence_matrix()
    cash = m.cell(CASH, CL)
    assert cash.studies == 26
    assert cash.designs == (
        ("rct", 12),
        ("quasi_experimental", 9),
        ("mixed_methods", 1),
        ("systematic_review", 2),
        ("other", 2),
    )
    assert cash.directions == (
        ("reduced", 12),
        ("increased", 3),
        ("mixed", 6),
        ("no_significant_effect", 4),
        ("not_stated", 1),
    )
    assert not cash.synthesis_gap
    aware = m.cell(AWARE, FL)
    assert (aware.studies, aware.designs) == (4, (("mixed_methods", 4),))
    assert aware.directions == (("reduced", 2), ("not_stated", 2))
    assert aware.synthesis_gap
    # totals of the child labour column: 26 + 2 + 2 + 4 + 5 + 7 + 3 + 2 verified rows
    assert m.column_totals[CL] == 51
    assert m.row_totals[CASH] == 33  # 26 + 2 + 1 + 3 + 1
    assert m.cell(LEGAL, VICT).absolute_gap


def test_filters_by_country_region_and_year(bundled_data: None) -> None:
    """IND: 15 verified rows of evaluations.csv list IND, but one of them
    (oosterhoff-2018-ms-evidence-map) codes the bibliography's record, which lists no
    country: 14. ILO_AFRICA: 20 verified rows list one of its members (BFA, CIV, GHA, KEN,
    LBR, MRT, MWI, TZA, ZMB), 6 of them cash transfers x child labour. 2010-2015: 34 rows."""
    india = evidence_filters_resolve(country=["ind"])
    assert india.countries == ("IND",)
    assert evidence_matrix(filters=india).total == 14
    africa = evidence_matrix(filters=evidence_filters_resolve(region="ILO_AFRICA"))
    assert africa.total == 20
    assert africa.cell(CASH, CL).studies == 6
    years = evidence_matrix(filters=evidence_filters_resolve(year_from="2010", year_to=2015))
    assert years.total == 34
    assert years.years is not None and 2010 <= years.years[0] <= years.years[1] <= 2015


def test_form_filter_keeps_studies_with_the_theme(bundled_data: None, ev_places) -> None:  # noqa: F811
    """A study themed forced marriage is found under that form, not under child labour;
    every study kept by `form=forced_labour` has that theme."""
    pub = make_study(slug="t-ev-form")
    married = evidence_rows(filters=evidence_filters_resolve(form=["forced_marriage"]))
    assert pub.pk in {r.study for r in married}
    child = evidence_rows(filters=evidence_filters_resolve(form=["child_labour"]))
    assert pub.pk not in {r.study for r in child}
    forced = evidence_rows(filters=evidence_filters_resolve(form=["forced_labour"]))
    assert forced and all("forced_labour" in r.themes for r in forced)


def test_a_region_keeps_its_members_and_itself(bundled_data: None, ev_places) -> None:  # noqa: F811
    """A region filter keeps studies about a member country and studies tagged with the
    region itself; several places are ORed."""
    in_country = make_study(slug="t-ev-country", places=(ev_places["country"],))
    in_region = make_study(slug="t-ev-region", places=(ev_places["region"],))
    rows = evidence_rows(filters=evidence_filters_resolve(region="T_EV_REGION"))
    assert {r.study for r in rows} == {in_country.pk, in_region.pk}
    assert rows[0].countries in {("ZZE",), ()}
    both = evidence_rows(filters=evidence_filters_resolve(country=["ZZE", "IND"]))
    assert len({r.study for r in both}) == 15


@pytest.mark.parametrize(
    ("kwargs", "code", "parameter"),
    [
        ({"country": ["ZZZ"]}, "unknown_country", "country"),
        ({"region": "IND"}, "unknown_geography", "region"),
        ({"region": "NOWHERE"}, "unknown_geography", "region"),
        ({"form": ["education"]}, "unknown_form", "form"),
        ({"year_from": "19x9"}, "invalid_year", "year_from"),
        ({"year_from": 2020, "year_to": 2010}, "invalid_range", "year_from"),
    ],
)
def test_bad_filters_are_refused(bundled_data: None, kwargs, code, parameter) -> None:
    with pytest.raises(EvidenceFilterError) as exc:
        evidence_filters_resolve(**kwargs)
    assert (exc.value.code, exc.value.parameter) == (code, parameter)


def test_unverified_studies_never_count(bundled_data: None) -> None:
    """A live but unverified coded record is on no map, cell or list (the 21 unverified rows
    of the bundled data are drafts; this one is even published)."""
    pub = make_study(slug="t-ev-unverified", verified=False)
    assert evidence_matrix().total == 104
    assert evidence_matrix().cell(LEGAL, VICT).absolute_gap
    assert evidence_cell_studies(intervention=LEGAL, outcome=VICT) == []
    assert pub.slug not in {s.slug for s in evidence_study_page()}


@pytest.mark.parametrize(
    "change",
    [
        {"visibility": "organisation"},
        {"live": False},
        {"publish_at": "future"},
    ],
)
def test_a_study_leaves_the_map_when_it_stops_being_public(bundled_data: None, change) -> None:
    """On the map while public; gone once organisation-only, unpublished or rescheduled."""
    pub = make_study(slug="t-ev-public")
    assert evidence_matrix().total == 105
    assert [s.slug for s in evidence_cell_studies(intervention=LEGAL, outcome=VICT)] == [pub.slug]
    for field, value in change.items():
        setattr(pub, field, timezone.now() + timedelta(days=1) if value == "future" else value)
    pub.save()
    assert evidence_matrix().total == 104
    assert evidence_cell_studies(intervention=LEGAL, outcome=VICT) == []


def test_cell_studies_carry_the_quoted_finding(bundled_data: None) -> None:
    studies = evidence_cell_studies(intervention=CASH, outcome=CL)
    assert len(studies) == 26
    dehoop = next(s for s in studies if s.slug == "dehoop-rosati-2014-wbro")
    assert dehoop.finding_quote == (
        "We find no evidence that cash transfer interventions increase child labor in practice"
    )
    assert (dehoop.design, dehoop.direction, dehoop.year) == ("systematic_review", "reduced", 2014)
    assert dehoop.authors == ("de Hoop, Jacobus", "Rosati, Furio C.")
    years = [s.year or 0 for s in studies]
    assert years == sorted(years, reverse=True)


def test_queries_are_bounded(bundled_data: None) -> None:
    """Three queries for all the rows of the map, four for a cell's 26 studies (codings,
    creators, countries, themes): no query per study."""
    with CaptureQueriesContext(connection) as rows_queries:
        evidence_rows()
    assert len(rows_queries.captured_queries) == 3
    with CaptureQueriesContext(connection) as cell_queries:
        studies = evidence_cell_studies(intervention=CASH, outcome=CL)
        [(s.authors, s.countries) for s in studies]
    assert len(cell_queries.captured_queries) == 4


def test_keyset_pages_of_studies(bundled_data: None) -> None:
    first = evidence_study_page(limit=60)
    rest = evidence_study_page(after_id=first[-1].coding_id, limit=60)
    ids = [s.coding_id for s in first + rest]
    assert len(ids) == 104 and ids == sorted(set(ids))
    rcts = evidence_study_page(intervention=[CASH], outcome=[CL], design=["rct"])
    assert len(rcts) == 12


def test_filter_options(bundled_data: None) -> None:
    """Countries with a public study (39 countries in evaluations.csv, all rows; the verified
    rows' countries include India and Ghana), regions holding one of them, the five forms."""
    options = evidence_filter_options()
    iso3s = {c.iso3 for c in options.countries}
    assert {"IND", "GHA", "BRA", "NPL"} <= iso3s
    assert "ILO_AFRICA" in {r.code for r in options.regions}
    assert all(r.kind != "income_group" for r in options.regions)
    assert [code for code, _label in options.forms] == [
        "child_labour",
        "forced_labour",
        "human_trafficking",
        "modern_slavery",
        "forced_marriage",
    ]
    assert options.years == (1999, 2025)


def test_evidence_for_a_country(bundled_data: None) -> None:
    """India's 14 studies by intervention (evaluations.csv's IND rows, less the evidence map
    coded on a record without countries): awareness 5, school feeding 3, migration 3,
    supply chains 2, other 1; cash transfers are studied elsewhere but not in India."""
    block = evidence_for_country(iso3="ind")
    assert block is not None
    assert block.studies == 14
    assert {row.intervention: row.studies for row in block.by_intervention} == {
        AWARE: 5,
        "school_feeding_and_education": 3,
        "migration_and_recruitment": 3,
        "supply_chain_due_diligence_and_certification": 2,
        "other": 1,
    }
    assert CASH in block.gaps.interventions
    assert AWARE not in block.gaps.interventions
    assert "household_income" in block.gaps.outcomes
    assert block.map_total == 104
    assert evidence_for_country(iso3="ILO_AFRICA") is None
    assert evidence_for_country(iso3="ZZZ") is None


def test_evidence_for_a_series(bundled_data: None) -> None:
    """SL_TLF_CHLDEA measures child labour (51 studies) and hazardous work (6): 57."""
    block = evidence_for_series(code="SL_TLF_CHLDEA")
    assert block is not None
    assert block.outcomes == (CL, "hazardous_work")
    assert block.studies == 57
    cash = next(row for row in block.rows if row.intervention == CASH)
    assert cash.cells == [(CL, 26, False), ("hazardous_work", 2, True)]
    assert AWARE in block.absent_interventions
    assert evidence_for_series(code="VC_HTF_DETV") is not None
    assert evidence_for_series(code="SI_POV_DAY1") is None
