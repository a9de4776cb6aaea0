"""Progress toward the targets in plain words, for the home, estimates, country and methods
pages (the arithmetic is in sdg87.indicators.analysis)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.translation import gettext as _

from sdg87.geo.models import Geography
from sdg87.indicators.analysis import Progress
from sdg87.indicators.analysis_selectors import progress_list
from sdg87.indicators.labels import progress_sentence
from sdg87.indicators.models import Series
from sdg87.indicators.selectors import series_get
from sdg87.site import selectors as sel
from sdg87.site.contexts.estimates import CHILD_AGE, CL_NUM, HAZ_NUM, MS_NUM
from sdg87.site.selectors import CountrySeriesRow


@dataclass(frozen=True)
class ProgressItem:
    geography: Geography
    series: Series
    progress: Progress
    sentence: str
    what: str


def progress_item(
    *,
    series_code: str,
    geography: Geography,
    what: str,
    age: str | None = None,
    dimensions_key: str = "",
) -> ProgressItem | None:
    series = series_get(code=series_code)
    if series is None:
        return None
    results = progress_list(
        series=series, geography_ids=[geography.pk], age=age, dimensions_key=dimensions_key
    )
    if not results:
        return None
    result = results[0]
    return ProgressItem(
        geography=geography,
        series=series,
        progress=result.progress,
        what=what,
        sentence=progress_sentence(
            what=what, progress=result.progress, series=series, unit=result.comparable.unit
        ),
    )


def world_progress() -> list[ProgressItem]:
    """Where the world stands: child labour and forced labour, each against its target year
    (sdg87.indicators.targets)."""
    world = sel.world()
    if world is None:
        return []
    items = [
        progress_item(
            series_code=CL_NUM,
            geography=world,
            what=_("The number of children in child labour"),
            age=CHILD_AGE,
        ),
        progress_item(
            series_code=HAZ_NUM,
            geography=world,
            what=_("The number of children in hazardous work"),
            age=CHILD_AGE,
        ),
        progress_item(
            series_code=MS_NUM,
            geography=world,
            what=_("The number of people in forced labour"),
            dimensions_key="form=FORCED_LABOUR",
        ),
        progress_item(
            series_code=MS_NUM,
            geography=world,
            what=_("The number of people in forced marriage"),
            dimensions_key="form=FORCED_MARRIAGE",
        ),
    ]
    return [item for item in items if item is not None]


def country_progress(*, country: Geography, rows: Sequence[CountrySeriesRow]) -> list[ProgressItem]:
    """Pace toward zero for the country's series that have a target (8.7.1, 5.3.1)."""
    whats = {
        "SL_TLF_CHLDEA": _("The share of children in child labour (economic activity)"),
        "SL_TLF_CHLDEC": _("The share of children in child labour (including household chores)"),
        "SP_DYN_MRBF18": _("The share of women married before age 18"),
        "SP_DYN_MRBF15": _("The share of women married before age 15"),
    }
    items = []
    for row in rows:
        if row.series.code not in whats or len(row.trend) < 2:
            continue
        item = progress_item(
            series_code=row.series.code,
            geography=country,
            what=whats[row.series.code],
            age=row.slice.age,
        )
        if item is not None:
            items.append(item)
    return items
