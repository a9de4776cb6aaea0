"""Which series aim at zero (issue 9 item 3): the rule behind the "Target: zero" marker."""

from sdg87.indicators.targets import SDG_TARGET_YEAR, zero_is_target


def test_detected_victims_do_not_aim_at_zero():
    """16.2.2 counts victims the authorities detected: more detection is not failure."""
    assert not zero_is_target(indicator_code="16.2.2", target_year=SDG_TARGET_YEAR)


def test_child_labour_and_child_marriage_aim_at_zero():
    assert zero_is_target(indicator_code="8.7.1", target_year=2025)
    assert zero_is_target(indicator_code="5.3.1", target_year=SDG_TARGET_YEAR)
    assert zero_is_target(indicator_code="GSI-2023", target_year=SDG_TARGET_YEAR)


def test_series_without_a_target_year_have_no_target():
    assert not zero_is_target(indicator_code="GE-CL", target_year=None)
    assert not zero_is_target(indicator_code=None, target_year=None)
