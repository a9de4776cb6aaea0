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
from django.db.models import Count

from sdg87.core.translations.selectors import translations_prefetch
from sdg87.geo.models import Geography, GeographyKind
from sdg87.indicators import selectors as stats
from sdg87.indicators.models import Observation, Release, Series

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


def series_breakdowns(*, series: Series) -> tuple[Slice, FilterOptions]:
    """series_default_slice and series_filter_options from one grouped query (the indicator
    page needs both; each otherwise reads every observation of the series)."""
    rows = list(
        stats.observation_list(series_ids=[series.pk])
        .order_by()
        .values_list("sex", "age", "dimensions_key", "year")
        .annotate(n=Count("id"))
    )
    weighted: list[tuple[str, str, str]] = []
    for sex, age, dims, _year, n in rows:
        weighted.extend([(sex, age, dims)] * n)
    default = _slice_from_rows(weighted) or Slice(sex="_T", age="_T")
    cache.set(f"site:slice:{series.pk}", default, CACHE_SECONDS)
    sex_order = {"_T": 0, "F": 1, "M": 2}
    options = FilterOptions(
        sexes=sorted({r[0] for r in rows}, key=lambda s: (sex_order.get(s, 9), s)),
        ages=sorted({r[1] for r in rows}),
        years=sorted({r[3] for r in rows}),
    )
    return default, options


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


# (id, series id, year, sex, age, dimensions key) of one observation: what choosing a
# profile's rows needs, read as plain tuples rather than model instances.
_Point = tuple[int, int, int, str, str, str]
_POINT_FIELDS = ("id", "series_id", "year", "sex", "age", "dimensions_key")


def _points(
    *, series_ids: Sequence[int] | None, geography: Geography, max_year: int | None
) -> list[_Point]:
    """One place's observations as tuples. One place per query: with a single geography both
    SQLite and PostgreSQL use the (series, geography, year) index."""
    return list(
        stats.observation_list(
            series_ids=series_ids, geography_ids=[geography.pk], year_to=max_year
        )
        .order_by()
        .values_list(*_POINT_FIELDS)
    )


def _own_slice_is_exact(points: Sequence[_Point]) -> bool:
    """Whether the country's own rows decide its breakdown without the series' default age.

    The default (series_default_slice) is both sexes and then "_T", "Y5T17" or the series'
    most common age. When the country has both sexes and its ages there include "_T" or
    "Y5T17", or it has a single age band, the pick from its own rows is the same with or
    without it; only the rare rest needs the series-wide counts."""
    sex = _pick(Counter(p[3] for p in points), ["_T"])
    ages = {p[4] for p in points if p[3] == sex}
    if len(ages) <= 1:
        return True
    return sex == "_T" and ("_T" in ages or "Y5T17" in ages)


def series_default_slices(*, series_ids: Sequence[int]) -> dict[int, Slice]:
    """{series id: its headline breakdown} (as series_default_slice), in one query for all."""
    out: dict[int, Slice] = {}
    if not series_ids:
        return out
    weighted: dict[int, list[tuple[str, str, str]]] = {}
    counts = (
        stats.observation_list(series_ids=list(series_ids))
        .order_by()
        .values_list("series_id", "sex", "age", "dimensions_key")
        .annotate(n=Count("id"))
    )
    for series_id, sex, age, dims, n in counts:
        weighted.setdefault(series_id, []).extend([(sex, age, dims)] * n)
    for series_id in series_ids:
        out[series_id] = _slice_from_rows(weighted.get(series_id, [])) or Slice(sex="_T", age="_T")
    return out


def _newest(points: Iterable[_Point], slice_: Slice, series_id: int) -> int | None:
    """Id of the newest point (year, then id) of the series in the breakdown."""
    best: tuple[int, int] | None = None
    wanted = (series_id, slice_.sex, slice_.age, slice_.dimensions_key)
    for obs_id, sid, year, sex, age, dims in points:
        if (sid, sex, age, dims) == wanted and (best is None or (year, obs_id) > best):
            best = (year, obs_id)
    return best[1] if best is not None else None


def country_series_rows(
    *,
    country: Geography,
    region: Geography | None,
    world_geo: Geography | None,
    max_year: int | None = None,
) -> list[CountrySeriesRow]:
    """Every series with data for the country, in series order.

    Years after `max_year` (projections, e.g. population to 2030) are left out, so that
    "latest" means the latest observed or estimated year.

    A fixed number of queries whatever the number of series: the country's, the region's and
    the world's observations as plain tuples (one query each), the series-wide breakdown counts
    only for series whose own rows leave the breakdown open (at most one query), and then model
    instances only for the points shown (the country's trend in its breakdown and the newest
    comparable region and world value)."""
    own_points = _points(series_ids=None, geography=country, max_year=max_year)
    if not own_points:
        return []
    own_by_series: dict[int, list[_Point]] = {}
    for point in own_points:
        own_by_series.setdefault(point[1], []).append(point)
    series_ids = list(own_by_series)
    open_ids = [sid for sid, pts in own_by_series.items() if not _own_slice_is_exact(pts)]
    defaults = series_default_slices(series_ids=open_ids)
    slices: dict[int, Slice] = {}
    for series_id, pts in own_by_series.items():
        default = defaults.get(series_id)
        slice_ = _slice_from_rows(
            [(p[3], p[4], p[5]) for p in pts],
            preferred_age=default.age if default is not None else None,
        )
        if slice_ is not None:
            slices[series_id] = slice_
    trend_ids = {
        p[0]
        for series_id, slice_ in slices.items()
        for p in own_by_series[series_id]
        if (p[3], p[4], p[5]) == (slice_.sex, slice_.age, slice_.dimensions_key)
    }
    region_ids: dict[int, int] = {}
    world_ids: dict[int, int] = {}
    for geo, found in ((region, region_ids), (world_geo, world_ids)):
        if geo is None:
            continue
        pts = _points(series_ids=series_ids, geography=geo, max_year=max_year)
        for series_id, slice_ in slices.items():
            newest = _newest(pts, slice_, series_id)
            if newest is not None:
                found[series_id] = newest
    wanted = trend_ids | set(region_ids.values()) | set(world_ids.values())
    by_id = {
        obs.pk: obs
        for obs in stats.observation_list(series_ids=series_ids).filter(pk__in=list(wanted))
    }
    trends: dict[int, list[Observation]] = {}
    series_by_id: dict[int, Series] = {}
    releases_by_id: dict[int, Release] = {}
    for obs in sorted(by_id.values(), key=lambda o: (o.year, o.pk)):
        # One Series instance per series, its translations read once for all (one query).
        obs.series = series_by_id.setdefault(obs.series_id, obs.series)
        obs.release = releases_by_id.setdefault(obs.release_id, obs.release)
        if obs.pk in trend_ids:
            trends.setdefault(obs.series_id, []).append(obs)
    translations_prefetch(series_by_id.values())
    translations_prefetch(releases_by_id.values())
    translations_prefetch({r.source_id: r.source for r in releases_by_id.values()}.values())
    rows: list[CountrySeriesRow] = []
    for series_id, trend in trends.items():
        region_id = region_ids.get(series_id)
        world_id = world_ids.get(series_id)
        rows.append(
            CountrySeriesRow(
                series=series_by_id[series_id],
                slice=slices[series_id],
                latest=trend[-1],
                trend=trend,
                region=by_id.get(region_id) if region_id is not None else None,
                world=by_id.get(world_id) if world_id is not None else None,
            )
        )
    rows.sort(key=lambda row: (row.series.sort_order, row.series.code))
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
