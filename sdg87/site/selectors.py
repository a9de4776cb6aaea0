"""Reads for the public pages, combining the statistics, geography and assessment selectors.

Everything here is a read, and every observation comes through `sdg87.indicators.selectors`:
pages show the newest value of each data point (ADR 0005); superseded values stay reachable
through the API with `release=<code>`. What is left here is presentation: the default
breakdown of a series, the order of places, the rows of a country profile.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from django.core.cache import cache

from sdg87.geo.models import Geography, GeographyKind
from sdg87.indicators import selectors as stats
from sdg87.indicators.models import Observation, Series

WORLD_CODE = "001"
CACHE_SECONDS = 300


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
    if isinstance(cached, Slice):
        return cached
    counts = stats.observation_breakdown_counts(series=series)
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
    """The sexes, age bands and years present in the series."""
    rows = stats.observation_breakdown_years(series=series)
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
    """The observation of the newest year per geography for one breakdown."""
    return list(
        stats.observation_newest_by_geography(
            series=series,
            sex=sex,
            age=age,
            dimensions_key=dimensions_key,
            year_to=year_to,
            kinds=kinds,
        ).values()
    )


def series_timelines(
    *,
    series: Series,
    geographies: Sequence[Geography],
    sex: str,
    age: str,
    dimensions_key: str | None = None,
) -> dict[int, list[Observation]]:
    """{geography id: observations by year} for one breakdown."""
    return stats.observation_timelines(
        series=series,
        geography_ids=[g.pk for g in geographies],
        sex=sex,
        age=age,
        dimensions_key=dimensions_key,
    )


def series_geographies_with_data(
    *, series: Series, slice_: Slice, min_points: int = 1
) -> list[Geography]:
    """Aggregates (world first, then regions) holding at least `min_points` years of data
    for the breakdown."""
    rows = stats.series_geography_years(
        series=series, sex=slice_.sex, age=slice_.age, countries=False, min_points=min_points
    )
    geos = list(Geography.objects.filter(id__in=[geo_id for geo_id, _n, _last in rows]))
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
    rows = stats.series_geography_years(
        series=series, sex=slice_.sex, age=slice_.age, countries=True, min_points=min_points
    )
    ids = [geo_id for geo_id, _n, _last in rows[:limit]]
    by_id = Geography.objects.in_bulk(ids)
    return [by_id[i] for i in ids if i in by_id]


def series_places(*, series: Series) -> list[Geography]:
    """Every place with data for the series (any breakdown)."""
    return stats.series_geographies(series=series)


def geography_sdg_region(*, geography: Geography) -> Geography | None:
    return geography.groups.filter(kind=GeographyKind.SDG_REGION).order_by("code").first()


def world() -> Geography | None:
    return Geography.objects.filter(code=WORLD_CODE).first()


def aggregates_except_world() -> list[Geography]:
    """Every region and group of countries, the world left out."""
    return list(Geography.objects.exclude(kind=GeographyKind.COUNTRY).exclude(code=WORLD_CODE))


def sdg_regions() -> list[Geography]:
    """The SDG regions, by name."""
    regions = list(Geography.objects.filter(kind=GeographyKind.SDG_REGION))
    regions.sort(key=lambda g: g.name)
    return regions


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
    """Every series with data for the country, in series order.

    Years after `max_year` (projections, e.g. population to 2030) are left out, so that
    "latest" means the latest observed or estimated year."""
    geo_ids = [country.pk] + [g.pk for g in (region, world_geo) if g is not None]
    series_ids = stats.geography_series_ids(geography=country)
    if not series_ids:
        return []
    observations = stats.observations_by_series(
        series_ids=series_ids, geography_ids=geo_ids, year_to=max_year
    )
    by_series: dict[int, list[Observation]] = {}
    series_by_id: dict[int, Series] = {}
    for obs in observations:
        by_series.setdefault(obs.series_id, []).append(obs)
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

        def matching(
            geo_id: int | None, s: Slice = slice_, items: list[Observation] = obs_list
        ) -> list[Observation]:
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


def aggregate_latest(
    *, series_code: str, geographies: Sequence[Geography], sex: str = "_T", age: str = "Y5T17"
) -> dict[int, Observation]:
    """{geography id: observation of the newest year} of one breakdown (no extra dimensions)
    for a few geographies."""
    series = stats.series_get(code=series_code)
    if series is None or not geographies:
        return {}
    return stats.observation_newest_by_geography(
        series=series,
        geography_ids=[g.pk for g in geographies],
        sex=sex,
        age=age,
        dimensions_key="",
    )
