"""Reads for the public pages, combining the statistics, geography and assessment selectors.

Everything here is a read. Pages show, for each series, its newest release (the default view
of the statistics spine); older releases stay reachable through the API.
"""

from __future__ import annotations

import datetime
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.core.cache import cache
from django.db.models import Count, Max, QuerySet

from sdg87.geo.models import Geography, GeographyKind
from sdg87.indicators.models import Observation, Series
from sdg87.indicators.selectors import observation_list

WORLD_CODE = "001"
CACHE_SECONDS = 300


def _series_observations(series: Series, **filters: Any) -> QuerySet[Observation]:
    """A series' observations as the API shows them by default: for each data point the
    newest release's figure (ADR 0005). Global estimates come one report (release) per
    reference year, so earlier years stay from earlier reports."""
    return observation_list(series_ids=[series.pk], **filters)


def _newest_per_year(observations: Iterable[Observation]) -> list[Observation]:
    """One observation per (geography, year, sex, age, dimensions): the newest release's;
    ordered by geography and year."""
    best: dict[tuple, Observation] = {}
    for obs in observations:
        key = (obs.geography_id, obs.year, obs.sex, obs.age, obs.dimensions_key)
        current = best.get(key)
        if current is None or _release_rank(obs) > _release_rank(current):
            best[key] = obs
    return sorted(best.values(), key=lambda o: (o.geography_id, o.year, o.sex, o.age))


@dataclass(frozen=True)
class Slice:
    """The breakdown shown by default: one sex, one age band, one set of extra dimensions."""

    sex: str
    age: str
    dimensions_key: str = ""


def _pick(counter: Counter[str], preferred: Sequence[str]) -> str:
    for value in preferred:
        if counter.get(value):
            return value
    return counter.most_common(1)[0][0] if counter else ""


def _slice_from_rows(
    rows: Iterable[tuple[str, str, str]], *, preferred_age: str | None = None
) -> Slice | None:
    """Both sexes if available, then the preferred (or most common) age, then dimensions."""
    rows = list(rows)
    if not rows:
        return None
    sex = _pick(Counter(r[0] for r in rows), ["_T"])
    ages = Counter(r[1] for r in rows if r[0] == sex)
    age = _pick(ages, [preferred_age or "", "_T", "Y5T17"] if preferred_age else ["_T", "Y5T17"])
    dims = Counter(r[2] for r in rows if r[0] == sex and r[1] == age)
    return Slice(sex=sex, age=age, dimensions_key=_pick(dims, [""]))


def series_default_slice(*, series: Series) -> Slice:
    """The series' headline breakdown: both sexes, the age band most often published."""
    key = f"site:slice:{series.pk}"
    cached = cache.get(key)
    if cached is not None:
        return cached
    counts = (
        _series_observations(series)
        .order_by()
        .values_list("sex", "age", "dimensions_key")
        .annotate(n=Count("id"))
    )
    weighted: list[tuple[str, str, str]] = []
    for sex, age, dims, n in counts:
        weighted.extend([(sex, age, dims)] * n)
    result = _slice_from_rows(weighted) or Slice(sex="_T", age="_T")
    cache.set(key, result, CACHE_SECONDS)
    return result


@dataclass(frozen=True)
class FilterOptions:
    sexes: list[str]
    ages: list[str]
    years: list[int]


def series_filter_options(*, series: Series) -> FilterOptions:
    """The sexes, age bands and years present in the series' newest release."""
    rows = list(_series_observations(series).order_by().values_list("sex", "age", "year"))
    sex_order = {"_T": 0, "F": 1, "M": 2}
    return FilterOptions(
        sexes=sorted({r[0] for r in rows}, key=lambda s: (sex_order.get(s, 9), s)),
        ages=sorted({r[1] for r in rows}),
        years=sorted({r[2] for r in rows}),
    )


def latest_by_geography(
    *,
    series: Series,
    sex: str,
    age: str,
    dimensions_key: str | None = None,
    year_to: int | None = None,
    kinds: Sequence[str] = (GeographyKind.COUNTRY,),
) -> list[Observation]:
    """The newest observation per geography for one breakdown (see `_series_observations`)."""
    qs = _series_observations(series, sex=[sex], age=[age], year_to=year_to).filter(
        geography__kind__in=list(kinds)
    )
    if dimensions_key is not None:
        qs = qs.filter(dimensions_key=dimensions_key)
    latest: dict[int, Observation] = {}
    for obs in _newest_per_year(qs):
        latest[obs.geography_id] = obs
    return list(latest.values())


def series_timelines(
    *,
    series: Series,
    geographies: Sequence[Geography],
    sex: str,
    age: str,
    dimensions_key: str | None = None,
) -> dict[int, list[Observation]]:
    """{geography id: observations by year} for one breakdown."""
    qs = _series_observations(
        series, geography_ids=[g.pk for g in geographies], sex=[sex], age=[age]
    )
    if dimensions_key is not None:
        qs = qs.filter(dimensions_key=dimensions_key)
    out: dict[int, list[Observation]] = defaultdict(list)
    for obs in _newest_per_year(qs):
        out[obs.geography_id].append(obs)
    return dict(out)


def series_geographies_with_data(
    *, series: Series, slice_: Slice, min_points: int = 1
) -> list[Geography]:
    """Aggregates (world first, then regions) holding at least `min_points` years of data
    for the breakdown."""
    ids = (
        _series_observations(series, sex=[slice_.sex], age=[slice_.age])
        .exclude(geography__kind=GeographyKind.COUNTRY)
        .order_by()
        .values("geography_id")
        .annotate(n=Count("year", distinct=True))
        .filter(n__gte=min_points)
        .values_list("geography_id", flat=True)
    )
    geos = list(Geography.objects.filter(id__in=list(ids)))
    kind_order: list[str] = [
        GeographyKind.WORLD,
        GeographyKind.SDG_REGION,
        GeographyKind.ILO_REGION,
        GeographyKind.INCOME_GROUP,
        GeographyKind.UN_REGION,
    ]

    def rank(geo: Geography) -> tuple[int, str]:
        kind = str(geo.kind)
        return (kind_order.index(kind) if kind in kind_order else 9, geo.code)

    geos.sort(key=rank)
    return geos


def series_top_countries(
    *, series: Series, slice_: Slice, limit: int = 4, min_points: int = 1
) -> list[Geography]:
    """Countries with the most years of the breakdown (a default chart selection)."""
    rows = (
        _series_observations(series, sex=[slice_.sex], age=[slice_.age])
        .filter(geography__kind=GeographyKind.COUNTRY)
        .order_by()
        .values("geography_id")
        .annotate(n=Count("year", distinct=True), last=Max("year"))
        .filter(n__gte=min_points)
        .order_by("-n", "-last", "geography_id")[:limit]
    )
    ids = [row["geography_id"] for row in rows]
    by_id = Geography.objects.in_bulk(ids)
    return [by_id[i] for i in ids if i in by_id]


def series_places(*, series: Series) -> list[Geography]:
    """Every place with data for the series in its newest release (any breakdown)."""
    ids = _series_observations(series).order_by().values_list("geography_id", flat=True).distinct()
    return list(Geography.objects.filter(id__in=list(ids)))


def geography_sdg_region(*, geography: Geography) -> Geography | None:
    return geography.groups.filter(kind=GeographyKind.SDG_REGION).order_by("code").first()


def world() -> Geography | None:
    return Geography.objects.filter(code=WORLD_CODE).first()


@dataclass
class CountrySeriesRow:
    """One series on a country profile: the latest value, its trend and the comparisons."""

    series: Series
    slice: Slice
    latest: Observation
    trend: list[Observation] = field(default_factory=list)
    region: Observation | None = None
    world: Observation | None = None


def country_series_rows(
    *,
    country: Geography,
    region: Geography | None,
    world_geo: Geography | None,
    max_year: int | None = None,
) -> list[CountrySeriesRow]:
    """Every series with data for the country (newest release), in series order.

    Years after `max_year` (projections, e.g. population to 2030) are left out, so that
    "latest" means the latest observed or estimated year."""
    geo_ids = [country.pk] + [g.pk for g in (region, world_geo) if g is not None]
    series_ids = list(
        Observation.objects.filter(geography=country)
        .order_by()
        .values_list("series_id", flat=True)
        .distinct()
    )
    if not series_ids:
        return []
    observations = observation_list(
        series_ids=series_ids, geography_ids=geo_ids, year_to=max_year
    ).order_by("series__sort_order", "series__code", "year", "id")
    by_series: dict[int, list[Observation]] = defaultdict(list)
    series_by_id: dict[int, Series] = {}
    for obs in observations:
        by_series[obs.series_id].append(obs)
        series_by_id[obs.series_id] = obs.series
    rows: list[CountrySeriesRow] = []
    for series_id, obs_list in by_series.items():
        own = [o for o in obs_list if o.geography_id == country.pk]
        if not own:
            continue
        series = series_by_id[series_id]
        default = series_default_slice(series=series)
        slice_ = _slice_from_rows(
            [(o.sex, o.age, o.dimensions_key) for o in own], preferred_age=default.age
        )
        if slice_ is None:
            continue

        def matching(geo_id: int | None, s: Slice = slice_, items: list = obs_list) -> list:
            return [
                o
                for o in items
                if o.geography_id == geo_id
                and (o.sex, o.age, o.dimensions_key) == (s.sex, s.age, s.dimensions_key)
            ]

        trend = matching(country.pk)
        region_obs = matching(region.pk) if region else []
        world_obs = matching(world_geo.pk) if world_geo else []
        rows.append(
            CountrySeriesRow(
                series=series,
                slice=slice_,
                latest=trend[-1],
                trend=trend,
                region=region_obs[-1] if region_obs else None,
                world=world_obs[-1] if world_obs else None,
            )
        )
    return rows


def _release_rank(obs: Observation) -> tuple:
    release = obs.release
    return (release.year, release.released_on or datetime.date.min, release.pk)


def estimate_history(
    *,
    series_code: str,
    geo_code: str = WORLD_CODE,
    sex: str = "_T",
    age: str | None = None,
    dimensions_key: str = "",
) -> dict[int, Observation]:
    """{year: observation} of a published estimate across all its releases.

    Global estimates are published one report per reference year (each report is a release);
    for each year the observation from the newest release holding that year is kept, so a
    revised figure replaces the original while years only found in older reports stay.
    """
    qs = Observation.objects.select_related("release__source", "series", "geography").filter(
        series__code=series_code,
        geography__code=geo_code,
        sex=sex,
        dimensions_key=dimensions_key,
    )
    if age is not None:
        qs = qs.filter(age=age)
    out: dict[int, Observation] = {}
    for obs in qs:
        current = out.get(obs.year)
        if current is None or _release_rank(obs) > _release_rank(current):
            out[obs.year] = obs
    return dict(sorted(out.items()))


def estimate_breakdown(
    *, series_code: str, year: int, geo_code: str = WORLD_CODE, dimension: str
) -> list[Observation]:
    """Observations of one year split by an extra dimension (e.g. `sector`), newest release."""
    qs = Observation.objects.select_related("release__source", "series", "geography").filter(
        series__code=series_code,
        geography__code=geo_code,
        year=year,
        dimensions_key__startswith=f"{dimension}=",
    )
    best: dict[str, Observation] = {}
    for obs in qs:
        current = best.get(obs.dimensions_key)
        if current is None or _release_rank(obs) > _release_rank(current):
            best[obs.dimensions_key] = obs
    return sorted(best.values(), key=lambda o: -o.value)


def estimate_observations(*, series_codes: Sequence[str]) -> list[Observation]:
    """Every published estimate of the series, one per key (series, geography, year, sex,
    age, dimensions): the newest release's figure where a year was published more than once."""
    qs = Observation.objects.select_related("release__source", "series", "geography").filter(
        series__code__in=list(series_codes)
    )
    best: dict[tuple, Observation] = {}
    for obs in qs:
        key = (obs.series_id, obs.geography_id, obs.year, obs.sex, obs.age, obs.dimensions_key)
        current = best.get(key)
        if current is None or _release_rank(obs) > _release_rank(current):
            best[key] = obs
    return list(best.values())


def aggregate_latest(
    *, series_code: str, geographies: Sequence[Geography], sex: str = "_T", age: str = "Y5T17"
) -> dict[int, Observation]:
    """{geography id: newest observation} of one breakdown for a few geographies."""
    series = Series.objects.filter(code=series_code).first()
    if series is None or not geographies:
        return {}
    qs = observation_list(
        series_ids=[series.pk], geography_ids=[g.pk for g in geographies], sex=[sex], age=[age]
    ).filter(dimensions_key="")
    out: dict[int, Observation] = {}
    for obs in qs.order_by("year", "id"):
        out[obs.geography_id] = obs
    return out
