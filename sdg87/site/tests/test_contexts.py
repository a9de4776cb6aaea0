"""Typed page contexts: what a template receives from them."""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest

from sdg87.site.contexts.base import PageContext
from sdg87.site.contexts.indicators import sort_links


@dataclasses.dataclass(frozen=True)
class _Example(PageContext):
    title: str
    charts: dict[str, Any]


def test_as_context_gives_one_variable_per_field_and_spreads_the_charts():
    """Each field becomes a template variable; chart entries become variables of their own."""
    context = _Example(title="T", charts={"cl_spec": {"mark": "line"}, "cl_table": []})
    assert context.as_context() == {"title": "T", "cl_spec": {"mark": "line"}, "cl_table": []}


def test_contexts_are_frozen():
    """A builder's result cannot be changed by a view after the fact."""
    context = _Example(title="T", charts={})
    with pytest.raises(dataclasses.FrozenInstanceError):
        context.title = "changed"  # type: ignore[misc]


def test_sort_links_keep_the_other_parameters_and_toggle_the_direction():
    """The current column links to the opposite direction; other columns to their default;
    every other parameter (repeated ones included) is kept."""
    links = sort_links([("geo", "KEN"), ("geo", "001"), ("sort", "-value")], "-value")
    assert links["value"] == {"url": "?geo=KEN&geo=001&sort=value", "aria": "descending"}
    assert links["name"] == {"url": "?geo=KEN&geo=001&sort=name", "aria": "none"}
    assert links["year"]["url"].endswith("sort=-year")
