"""Reads for the progress-to-target analysis (the arithmetic is in analysis.py)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection
from dataclasses import dataclass
from typing import Any

from sdg87.geo.models import Geography
from sdg87.indicators.analysis import (
    Comparable,
    Progress,
    default_target_year,
    progress_compute,
    select_comparable,
)
from sdg87.indicators.models import Observation, Release, Series, release_rank
from sdg87.indicators.targets import zero_is_target


@dataclass(frozen=True)
class GeographyProgress:
    geography: Geography
    series: Series
    comparable: Comparable
    progress: Progress
    releases: list[Release]


def series_target_year(*, series: Series) -> int:
    return default_target_year(
        series_target_year=series.target_year,
        indicator_code=series.indicator.code if series.indicator_id else None,  # type: ignore[union-attr]
    )


def series_aims_at_zero(*, series: Series) -> bool:
    """Whether progress toward zero means anything for the series: a series of one of the
    platform's indicators only when its indicator aims at zero (sdg87.indicators.targets:
    not detected trafficking victims, not children in employment, not shares); a
    contributed series without an indicator is left to its publisher (the arithmetic is
    given, see docs/methods-progress.md)."""
    if not series.indicator_id:
        return True
    return zero_is_target(
        indicator_code=series.indicator.code,  # type: ignore[union-attr]
        target_year=series.target_year,
    )


def progress_observation_rows(
    *, series: Series, geography_ids: Collection[int] | None = None, sex: str = "_T"
) -> dict[int, list[dict[str, Any]]]:
    """{geography id: rows for analysis.select_comparable} for one series, all releases."""
    qs = Observation.objects.filter(series=series, sex=sex)
    if geography_ids is not None:
        qs = qs.filter(geography_id__in=geography_ids)
    values = qs.order_by().values_list(
        "geography_id",
        "year",
        "value",
        "unit",
        "sex",
        "age",
        "dimensions_key",
        "nature",
        "release__code",
        "release__year",
        "release__released_on",
        "release_id",
        "release__source__code",
    )
    out: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for (
        geo_id,
        year,
        value,
        unit,
        sx,
        age,
        dims,
        nature,
        rel,
        rel_year,
        rel_on,
        rel_id,
        src,
    ) in values:
        out[geo_id].append(
            {
                "year": year,
                "value": value,
                "unit": unit,
                "sex": sx,
                "age": age,
                "dimensions_key": dims,
                "nature": nature,
                "release": rel,
                "release_rank": release_rank(rel_year, rel_on, rel_id),
                "source": src,
            }
        )
    return out


def progress_list(
    *,
    series: Series,
    geography_ids: Collection[int] | None = None,
    target_year: int | None = None,
    age: str | None = None,
    dimensions_key: str = "",
) -> list[GeographyProgress]:
    """Progress of every geography (or the given ones) with >= 2 comparable observations."""
    year = target_year or series_target_year(series=series)
    rows_by_geo = progress_observation_rows(series=series, geography_ids=geography_ids)
    results: list[tuple[int, Comparable, Progress]] = []
    for geo_id, rows in rows_by_geo.items():
        comparable = select_comparable(rows, age=age, dimensions_key=dimensions_key)
        if comparable is None:
            continue
        progress = progress_compute(comparable.points, target_year=year)
        if progress is not None:
            results.append((geo_id, comparable, progress))
    geos = Geography.objects.in_bulk([geo_id for geo_id, _c, _p in results])
    release_codes = {code for _g, c, _p in results for code in c.releases}
    releases = {
        r.code: r for r in Release.objects.select_related("source").filter(code__in=release_codes)
    }
    out = [
        GeographyProgress(
            geography=geos[geo_id],
            series=series,
            comparable=comparable,
            progress=progress,
            releases=[releases[code] for code in comparable.releases if code in releases],
        )
        for geo_id, comparable, progress in results
    ]
    kind_order = {"world": 0}
    out.sort(
        key=lambda gp: (
            kind_order.get(gp.geography.kind, 1),
            gp.geography.kind != "country",
            gp.geography.name_en,
        )
    )
    return out
