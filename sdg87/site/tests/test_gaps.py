from sdg87.site.gaps import MISSING, OLD, RECENT, data_gaps


def test_data_gaps_classifies_missing_old_and_recent():
    """A series with no year is missing; five or more years before the current year is old
    (the site's one rule, sdg87.core.ages: a 2021 value is old in 2026); four years is still
    recent."""
    report = data_gaps(
        key_codes=["A", "B", "C", "D"],
        latest_years={"A": None, "B": 2021, "C": 2022, "D": 2026},
        current_year=2026,
    )
    assert [item.status for item in report.items] == [MISSING, OLD, RECENT, RECENT]
    assert report.recent == 2
    assert report.total == 4
    assert report.availability_percent == 50
    assert [item.code for item in report.gaps] == ["A", "B"]


def test_availability_is_rounded_to_whole_percent():
    """One recent series out of three is 33%; two out of three is 67%."""
    one = data_gaps(key_codes=["A", "B", "C"], latest_years={"A": 2025}, current_year=2026)
    two = data_gaps(
        key_codes=["A", "B", "C"], latest_years={"A": 2025, "B": 2024}, current_year=2026
    )
    assert one.availability_percent == 33
    assert two.availability_percent == 67


def test_no_key_series_means_zero_availability():
    """An empty list of key series gives 0% rather than a division error."""
    assert data_gaps(key_codes=[], latest_years={}, current_year=2026).availability_percent == 0
