"""Shared parameter parsing of the API routers."""

from __future__ import annotations

import pytest

from sdg87.api.errors import ApiError
from sdg87.api.schemas import dimension_filters, split_codes


def test_split_codes_accepts_repeats_and_commas():
    """`a&a=b,c` and stray commas give [a, b, c]."""
    assert split_codes(["a", "b, c", ",", ""]) == ["a", "b", "c"]
    assert split_codes(None) == []


def test_dimension_filters_parse_key_value_pairs():
    """key=value and key:value, repeatable or comma-separated, with spaces trimmed; the
    observations and progress endpoints read `dimension` the same way."""
    assert dimension_filters(["form=FORCED_LABOUR", " kind : hazardous,type_of_work=x.y"]) == {
        "form": "FORCED_LABOUR",
        "kind": "hazardous",
        "type_of_work": "x.y",
    }
    assert dimension_filters(None) == {}


@pytest.mark.parametrize("value", ["form", "form=", "=x", "a__b=1", "_a=1", "a b=1", "1a=2"])
def test_dimension_filters_reject_malformed_pairs(value):
    """Anything but identifier=value is a 400 naming the `dimension` parameter."""
    with pytest.raises(ApiError) as info:
        dimension_filters([value])
    assert info.value.status == 400 and info.value.parameter == "dimension"
