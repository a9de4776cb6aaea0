"""The methods page on progress toward the targets: results for the world (global estimates)
and for the regions (child labour shares)."""

from __future__ import annotations

from dataclasses import dataclass

from sdg87.indicators import labels
from sdg87.indicators.analysis_selectors import progress_list
from sdg87.indicators.selectors import series_by_codes
from sdg87.site import selectors as sel
from sdg87.site.contexts.base import PageContext
from sdg87.site.contexts.estimates import CL_PCT
from sdg87.site.contexts.progress import ProgressItem, world_progress
from sdg87.site.contexts.text import sort_key


@dataclass(frozen=True)
class MethodsProgressContext(PageContext):
    progress_items: list[ProgressItem]


def methods_progress_context() -> MethodsProgressContext:
    items = world_progress()
    aggregates = sel.aggregates_except_world()
    for series in series_by_codes(codes=[CL_PCT, "SL_TLF_CHLDEC"]):
        results = progress_list(series=series, geography_ids=[g.pk for g in aggregates])
        for result in sorted(results, key=lambda r: sort_key(r.geography.name)):
            items.append(
                ProgressItem(
                    geography=result.geography,
                    series=series,
                    progress=result.progress,
                    what=labels.series_name(series),
                    sentence="",
                )
            )
    return MethodsProgressContext(progress_items=items)
