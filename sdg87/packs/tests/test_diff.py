"""Pure history and diff functions, on hand-made content."""

from __future__ import annotations

import copy
from typing import Any

from sdg87.packs.diff import Change, HistoryEvent, content_diff, listing_history


def test_history_listed_in_every_edition() -> None:
    """Listed from the first edition on: one event, 'added' in the first."""
    assert listing_history(editions=[2016, 2017, 2021], listed=[2016, 2017, 2021]) == [
        HistoryEvent(2016, "added")
    ]


def test_history_added_removed_relisted() -> None:
    """Added in 2017, absent from 2018 (removed), back in 2021 (relisted)."""
    assert listing_history(editions=[2021, 2016, 2017, 2018, 2019], listed=[2017, 2021]) == [
        HistoryEvent(2017, "added"),
        HistoryEvent(2018, "removed"),
        HistoryEvent(2021, "relisted"),
    ]


def _content() -> dict[str, Any]:
    return {
        "listings": [
            {
                "edition": 2019,
                "child_labour": True,
                "forced_labour": False,
                "forced_child_labour": False,
            },
        ],
        "child_labour": [
            {
                "series": "S",
                "year": 2016,
                "sex": "_T",
                "age": "Y5T17",
                "dimensions": "",
                "value": 17.5,
            },
        ],
        "gsi": [],
        "tiers": [{"year": 2015, "tier": "2"}],
        "advancement": [],
        "ratifications": None,
        "legal_standards": None,
        "enforcement": [],
        "suggested_actions": None,
        "evidence": {"studies": 0, "cells": []},
    }


def test_diff_of_first_version_and_of_equal_content_is_empty() -> None:
    """No previous version, or the same content: nothing changed."""
    assert content_diff(before=None, after=_content()) == []
    assert content_diff(before=_content(), after=_content()) == []


def test_diff_names_added_changed_and_removed_points() -> None:
    """A new edition is added, a changed value is 'changed' with both values, a dropped tier
    year 'removed'."""
    after = copy.deepcopy(_content())
    after["listings"].append(
        {"edition": 2021, "child_labour": True, "forced_labour": True, "forced_child_labour": False}
    )
    after["child_labour"][0]["value"] = 18.0
    after["tiers"] = []
    assert content_diff(before=_content(), after=after) == [
        Change("listings", "2021", "added", after="child_labour+forced_labour"),
        Change("child_labour", "S 2016 _T Y5T17", "changed", before="17.5", after="18.0"),
        Change("tiers", "2015", "removed", before="2"),
    ]
