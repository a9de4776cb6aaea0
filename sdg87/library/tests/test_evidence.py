"""The evidence matrix (pure): counts, gaps and totals of hand-written coding rows."""

from sdg87.library.evidence import (
    CodingRow,
    LocalGaps,
    local_gaps,
    matrix_compute,
    outcomes_measured_by,
)

CASH, AWARE, LEGAL = (
    "cash_transfers",
    "awareness_and_community_mobilisation",
    "legal_and_policy_reform",
)
CL, SCH, FL, AWR = (
    "child_labour_incidence",
    "school_attendance",
    "forced_labour_incidence",
    "awareness_knowledge",
)

ROWS = [
    CodingRow(study=1, intervention=CASH, outcome=CL, design="rct", direction="reduced", year=2012),
    CodingRow(
        study=2, intervention=CASH, outcome=CL, design="quasi_experimental", direction="increased"
    ),
    CodingRow(
        study=3,
        intervention=CASH,
        outcome=CL,
        design="systematic_review",
        direction="reduced",
        year=2014,
    ),
    CodingRow(study=4, intervention=CASH, outcome=SCH, design="rct", direction="increased"),
    CodingRow(
        study=5,
        intervention=AWARE,
        outcome=FL,
        design="mixed_methods",
        direction="not_stated",
        year=2020,
    ),
    # the same study in a second cell of its row
    CodingRow(
        study=5, intervention=AWARE, outcome=AWR, design="mixed_methods", direction="increased"
    ),
    # an intervention not on the axes: left out
    CodingRow(
        study=6, intervention="zzz", outcome=CL, design="rct", direction="reduced", year=1990
    ),
]


def test_a_cell_counts_studies_by_design_and_direction_in_vocabulary_order() -> None:
    """Cash transfers x child labour: studies 1, 2, 3 -> 3 studies; one RCT, one QE, one SR
    (in the order of StudyDesign); 2 reduced, 1 increased (in the order of Direction)."""
    m = matrix_compute(ROWS)
    cell = m.cell(CASH, CL)
    assert cell.studies == 3
    assert cell.designs == (("rct", 1), ("quasi_experimental", 1), ("systematic_review", 1))
    assert cell.directions == (("reduced", 2), ("increased", 1))
    assert cell.design_count("systematic_review") == 1
    assert cell.direction_count("mixed") == 0
    assert not cell.absolute_gap and not cell.synthesis_gap


def test_gaps_absolute_and_synthesis() -> None:
    """A cell without studies is an absolute gap (and not a synthesis gap); a cell with
    studies but no systematic review is a synthesis gap."""
    m = matrix_compute(ROWS)
    empty = m.cell(LEGAL, CL)
    assert empty.studies == 0 and empty.absolute_gap and not empty.synthesis_gap
    assert empty.designs == () and empty.directions == ()
    assert m.cell(CASH, SCH).synthesis_gap
    assert m.cell(AWARE, FL).synthesis_gap
    # 11 interventions x 8 outcomes = 88 cells; 4 hold studies, 3 of them without a review
    assert len(m.cells) == 88
    assert m.absolute_gaps == 84
    assert m.synthesis_gaps == 3


def test_totals_count_distinct_studies() -> None:
    """Study 5 is in two cells of its row: once in the row total and once in the map total;
    the row of an unknown intervention is dropped (study 6)."""
    m = matrix_compute(ROWS)
    assert m.row_totals[CASH] == 4
    assert m.row_totals[AWARE] == 1
    assert m.row_totals[LEGAL] == 0
    assert m.column_totals[CL] == 3
    assert m.column_totals[FL] == 1
    assert m.total == 5
    assert m.codings == 6
    assert m.years == (2012, 2020)  # study 6 (1990) is not on the map
    assert m.interventions_with_studies() == [CASH, AWARE]
    assert m.outcomes_with_studies() == [CL, SCH, FL, AWR]


def test_a_study_coded_twice_in_one_cell_counts_once() -> None:
    rows = [
        CodingRow(study=7, intervention=CASH, outcome=CL, design="rct", direction="reduced"),
        CodingRow(study=7, intervention=CASH, outcome=CL, design="rct", direction="reduced"),
    ]
    cell = matrix_compute(rows).cell(CASH, CL)
    assert (cell.studies, cell.designs, cell.directions) == (1, (("rct", 1),), (("reduced", 1),))


def test_axes_can_be_limited() -> None:
    m = matrix_compute(ROWS, interventions=[CASH], outcomes=[CL, SCH])
    assert list(m.cells) == [(CASH, CL), (CASH, SCH)]
    assert m.total == 4 and m.years == (2012, 2014)


def test_empty_rows_give_an_empty_map() -> None:
    m = matrix_compute([])
    assert m.total == 0 and m.years is None and m.absolute_gaps == 88 and m.synthesis_gaps == 0


def test_local_gaps_are_categories_studied_elsewhere_but_not_here() -> None:
    """Here: only study 1 (cash x child labour). Elsewhere: cash (school attendance),
    awareness (forced labour, awareness): awareness is missing here, and so are the outcomes
    school attendance, forced labour and awareness."""
    everywhere = matrix_compute(ROWS)
    here = matrix_compute(ROWS[:1])
    assert local_gaps(everywhere=everywhere, here=here) == LocalGaps(
        interventions=(AWARE,),
        outcomes=(SCH, FL, AWR),
        cells=((CASH, SCH), (AWARE, FL), (AWARE, AWR)),
    )


def test_outcomes_measured_by_a_series() -> None:
    assert outcomes_measured_by("SL_TLF_CHLDEA") == ("child_labour_incidence", "hazardous_work")
    assert outcomes_measured_by(" vc_htf_detv ") == ("trafficking_victims_identified",)
    assert outcomes_measured_by("SI_POV_DAY1") == ()
