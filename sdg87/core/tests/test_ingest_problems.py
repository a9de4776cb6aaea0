"""Problems: every problem counted, the first few kept, none reported twice."""

from sdg87.core.ingest import ParseError, Problems


def test_counts_everything_keeps_the_first_and_counts_by_column() -> None:
    """Five problems with room for two: all five counted, two kept, three more, per column."""
    problems = Problems(limit=2)
    for row in (2, 3, 4):
        problems.add("bad value", row=row, column="value")
    problems.add("bad year", row=5, column="year")
    problems.add_error(ParseError("empty table", row=None, column=None))
    assert problems.total == len(problems) == 5 and problems.more == 3
    assert [p["row"] for p in problems.kept] == [2, 3]
    assert problems.by_column == {"value": 3, "year": 1, "": 1}
    first = problems.first_error()
    assert first is not None and (first.row, first.column) == (2, "value")


def test_skipped_places_are_neither_kept_nor_counted() -> None:
    """A cell another check already reported is not reported again."""
    problems = Problems(limit=10, skip={(3, "value")})
    problems.add("again", row=3, column="value")
    problems.add("new", row=3, column="unit")
    assert problems.total == 1 and problems.kept[0]["column"] == "unit"
    assert not Problems(limit=1) and Problems(limit=1).first_error() is None
