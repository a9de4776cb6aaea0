"""Reads for the SDMX REST service: dataflows and the observations of a data query.

Only public statistics: series through `Series.objects.public()`, observations through
`Observation.objects` (public releases only, ADR 0006), and by default the newest value of each
data point (`is_latest`, ADR 0005).
"""

from __future__ import annotations

import datetime
from collections.abc import Collection
from dataclasses import dataclass, field

from django.db.models import F, Max, QuerySet
from django.db.models.expressions import OrderBy

from sdg87.geo.models import Geography
from sdg87.indicators.models import Indicator, Observation, Release, Series
from sdg87.sdmx import mapping
from sdg87.vintages import selectors as vintages


@dataclass
class Flow:
    """One dataflow: an indicator (or a lone series) and its public series."""

    id: str
    indicator: Indicator | None
    series: list[Series] = field(default_factory=list)

    @property
    def uses_sdg_dsd(self) -> bool:
        return mapping.uses_sdg_dsd(self.indicator.code if self.indicator else None)

    @property
    def dsd(self) -> tuple[str, str, str]:
        return mapping.SDG_DSD if self.uses_sdg_dsd else mapping.OWN_DSD


def flow_list() -> list[Flow]:
    """Every dataflow with at least one public series, in the indicators' order."""
    flows: dict[str, Flow] = {}
    series = (
        Series.objects.public()
        .select_related("indicator")
        .order_by("indicator__sort_order", "indicator__code", "sort_order", "code")
    )
    for item in series:
        code = item.indicator.code if item.indicator else None
        fid = mapping.flow_id(indicator_code=code, series_code=item.code)
        flow = flows.setdefault(fid, Flow(id=fid, indicator=item.indicator))
        flow.series.append(item)
    return list(flows.values())


def flow_get(*, flow_id: str) -> Flow | None:
    return next((f for f in flow_list() if f.id == flow_id), None)


def geographies() -> list[Geography]:
    return list(Geography.objects.order_by("code"))


def observations(
    *,
    series: Collection[Series],
    geography_ids: Collection[int] | None = None,
    sex: Collection[str] | None = None,
    age: Collection[str] | None = None,
    dimensions_keys: Collection[str] | None = None,
    year_from: int | None = None,
    year_to: int | None = None,
    as_of: datetime.date | None = None,
    updated_after: datetime.datetime | None = None,
    m49_only: bool = False,
    history: bool = False,
) -> QuerySet[Observation]:
    """The newest public value of each data point of `series` (or, with `as_of`, the value
    current on that day: `vintages.selectors.observations_as_of`), narrowed by the filters;
    `updated_after` keeps the values whose release was published after that time. With
    `history`, every public vintage instead (`vintages.selectors.observation_history`, as known
    on `as_of` if given). Ordered as a series key then time (then release, oldest first)."""
    qs = Observation.objects.filter(series__in=list(series)).select_related(
        "series", "geography", "release__source"
    )
    if history:
        qs = vintages.observation_history(queryset=qs, as_of=as_of)
    elif as_of is not None:
        qs = vintages.observations_as_of(as_of=as_of, queryset=qs)
    else:
        qs = qs.filter(is_latest=True)
    if updated_after is not None:
        qs = vintages.updated_after(since=updated_after, queryset=qs)
    if geography_ids is not None:
        qs = qs.filter(geography_id__in=geography_ids)
    if m49_only:
        qs = qs.filter(geography__m49__isnull=False)
    if sex is not None:
        qs = qs.filter(sex__in=sex)
    if age is not None:
        qs = qs.filter(age__in=age)
    if dimensions_keys is not None:
        qs = qs.filter(dimensions_key__in=dimensions_keys)
    if year_from is not None:
        qs = qs.filter(year__gte=year_from)
    if year_to is not None:
        qs = qs.filter(year__lte=year_to)
    order: list[str | OrderBy] = [
        "series__code",
        "geography__code",
        "sex",
        "age",
        "dimensions_key",
        "year",
    ]
    if history:  # a point's vintages in `release_rank` order (ADR 0005), oldest first
        order += [
            F("release__year").asc(),
            F("release__released_on").asc(nulls_first=True),
            F("release_id").asc(),
        ]
    return qs.order_by(*order)


def dimensions_keys(*, series: Collection[Series]) -> list[str]:
    """Every dimensions key used by public observations of `series`."""
    return sorted(
        set(
            Observation.objects.filter(series__in=list(series)).values_list(
                "dimensions_key", flat=True
            )
        )
    )


def last_loaded(*, series: Collection[Series]) -> datetime.datetime | None:
    """When the newest public release of `series` was loaded (for Last-Modified)."""
    newest: datetime.datetime | None = (
        Release.objects.public()
        .filter(observations__series__in=list(series))
        .aggregate(newest=Max("loaded_at"))["newest"]
    )
    return newest
