"""Reads of the statistics spine: indicators, series, releases and observations."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass

from django.db.models import Count, Max, Min, OuterRef, Q, QuerySet, Subquery
from django.db.models.fields.json import KeyTransform

from sdg87.geo.models import Geography, GeographyKind
from sdg87.indicators.models import Indicator, Observation, Release, Series, release_rank


def indicator_list() -> QuerySet[Indicator]:
    return Indicator.objects.prefetch_related("series").order_by("sort_order", "code")


def indicator_get(*, code: str) -> Indicator | None:
    return Indicator.objects.filter(code__iexact=code.strip()).first()


def series_list(*, indicator: Indicator | None = None) -> QuerySet[Series]:
    """Public series (a contributed series shows once one of its releases is public)."""
    qs = Series.objects.public().select_related("indicator")
    if indicator is not None:
        qs = qs.filter(indicator=indicator)
    return qs.order_by("sort_order", "code")


def series_get(*, code: str) -> Series | None:
    return (
        Series.objects.public()
        .select_related("indicator")
        .filter(code__iexact=code.strip())
        .first()
    )


def series_by_codes(*, codes: Collection[str]) -> QuerySet[Series]:
    cleaned = {code.strip() for code in codes}
    return Series.objects.public().filter(code__in=cleaned | {code.upper() for code in cleaned})


def release_get(*, code: str) -> Release | None:
    return Release.objects.public().select_related("source").filter(code=code.strip()).first()


def newest_value_per_point() -> Q:
    """Observations that are the newest published value of their data point (series, place,
    year, sex, age, dimensions): one is dropped only where a newer public release holds the same
    point (ADR 0005; release order: `models.release_rank`).

    Editions that publish only their own reference year (the global estimates) therefore keep
    the earlier years from earlier editions. `Observation.is_latest` stores the result and is
    kept by services.observations_mark_latest.
    """
    return Q(is_latest=True)


def observation_list(
    *,
    series_ids: Collection[int] | None = None,
    indicator: Indicator | None = None,
    geography_ids: Collection[int] | None = None,
    region: Geography | None = None,
    year_from: int | None = None,
    year_to: int | None = None,
    sex: Collection[str] | None = None,
    age: Collection[str] | None = None,
    release: Release | None = None,
    all_releases: bool = False,
    dimensions: Mapping[str, str] | None = None,
    latest_year_only: bool = False,
    after_id: int | None = None,
) -> QuerySet[Observation]:
    """Observations ordered by id, with everything needed to show them joined in.

    Without `release` (and unless `all_releases`), only the newest value of each data point is
    kept (`newest_value_per_point`): superseded values stay stored and can be asked for by
    release code. `geography_ids` and `region`
    (members of an aggregate) are alternatives: an observation matching either is kept.
    Dimension keys must be plain identifiers (checked by the caller).
    """
    qs = Observation.objects.select_related(
        "series__indicator", "geography", "release__source"
    ).order_by("id")
    if series_ids is not None:
        qs = qs.filter(series_id__in=series_ids)
    if indicator is not None:
        qs = qs.filter(series__indicator=indicator)
    if geography_ids is not None or region is not None:
        where = Q(pk__in=[])
        if geography_ids is not None:
            where |= Q(geography_id__in=geography_ids)
        if region is not None:
            members = Geography.objects.filter(groups=region).values("id")
            where |= Q(geography_id__in=members)
        qs = qs.filter(where)
    if year_from is not None:
        qs = qs.filter(year__gte=year_from)
    if year_to is not None:
        qs = qs.filter(year__lte=year_to)
    if sex:
        qs = qs.filter(sex__in=sex)
    if age:
        qs = qs.filter(age__in=age)
    for index, (key, value) in enumerate((dimensions or {}).items()):
        # The key as an explicit KeyTransform: through filter(dimensions__<key>=...) a key
        # named like a lookup ("contains", "range", "isnull") would run that lookup (a 500).
        alias = f"_dimension_{index}"
        qs = qs.alias(**{alias: KeyTransform(key, "dimensions")}).filter(**{alias: value})
    if release is not None:
        qs = qs.filter(release=release)
    elif not all_releases:
        qs = qs.filter(newest_value_per_point())
    if latest_year_only:
        # The most recent year of each place and breakdown among the rows already selected.
        newest_year = (
            qs.filter(
                series_id=OuterRef("series_id"),
                geography_id=OuterRef("geography_id"),
                sex=OuterRef("sex"),
                age=OuterRef("age"),
                dimensions_key=OuterRef("dimensions_key"),
            )
            .order_by("-year")
            .values("year")[:1]
        )
        qs = qs.filter(year=Subquery(newest_year))
    if after_id is not None:
        qs = qs.filter(id__gt=after_id)
    return qs


@dataclass(frozen=True)
class ReleaseCoverage:
    release: Release
    observations: int
    geographies: int
    year_min: int
    year_max: int
    is_latest: bool


@dataclass(frozen=True)
class SeriesSummary:
    releases: list[ReleaseCoverage]
    geographies: int
    year_min: int | None
    year_max: int | None
    latest_release: Release | None


def series_summary(*, series: Series) -> SeriesSummary:
    """Releases holding the series with their coverage (newest release first, flagged
    `is_latest`), and overall coverage over every release. Three queries.

    A release's coverage counts all its values, superseded or not; the default view of the
    observations is still the newest value of each data point (ADR 0005)."""
    per_release = {
        row["release_id"]: row
        for row in Observation.objects.filter(series=series)
        .order_by()
        .values("release_id")
        .annotate(
            n=Count("id"),
            geos=Count("geography_id", distinct=True),
            year_min=Min("year"),
            year_max=Max("year"),
        )
    }
    releases = list(Release.objects.select_related("source").filter(id__in=per_release))
    releases.sort(key=lambda r: release_rank(r.year, r.released_on, r.id), reverse=True)
    latest = releases[0] if releases else None
    overall = Observation.objects.filter(series=series).aggregate(
        geos=Count("geography_id", distinct=True), year_min=Min("year"), year_max=Max("year")
    )
    return SeriesSummary(
        releases=[
            ReleaseCoverage(
                release=r,
                observations=per_release[r.id]["n"],
                geographies=per_release[r.id]["geos"],
                year_min=per_release[r.id]["year_min"],
                year_max=per_release[r.id]["year_max"],
                is_latest=r is latest,
            )
            for r in releases
        ],
        geographies=overall["geos"] or 0,
        year_min=overall["year_min"],
        year_max=overall["year_max"],
        latest_release=latest,
    )


@dataclass(frozen=True)
class SeriesCoverage:
    series: Series
    observations: int
    year_min: int
    year_max: int


def geography_series_coverage(*, geography: Geography) -> list[SeriesCoverage]:
    """Series with data for a geography, with year range: counts the newest value of each data
    point (ADR 0005)."""
    rows = (
        Observation.objects.filter(geography=geography)
        .filter(newest_value_per_point())
        .order_by()
        .values("series_id")
        .annotate(n=Count("id"), year_min=Min("year"), year_max=Max("year"))
    )
    by_id = {row["series_id"]: row for row in rows}
    series = Series.objects.select_related("indicator").filter(id__in=by_id)
    return [
        SeriesCoverage(
            series=s,
            observations=by_id[s.id]["n"],
            year_min=by_id[s.id]["year_min"],
            year_max=by_id[s.id]["year_max"],
        )
        for s in series.order_by("sort_order", "code")
    ]


def series_without_indicator() -> QuerySet[Series]:
    """Public series that belong to no indicator (documented non-SDG measures)."""
    return Series.objects.public().filter(indicator__isnull=True).order_by("sort_order", "code")


# --- reads behind the public pages ----------------------------------------------------------
# Every one shows the default view: the newest value of each data point (ADR 0005).


def observation_history(
    *,
    series_code: str,
    geography_code: str,
    sex: str,
    age: str,
    dimensions_key: str = "",
) -> dict[int, Observation]:
    """{year: observation} of one breakdown of a series for one place, in year order.

    Global estimates are published one report (release) per reference year: a revised figure
    replaces the original while years only found in older reports stay."""
    qs = observation_list().filter(
        series__code=series_code,
        geography__code=geography_code,
        sex=sex,
        age=age,
        dimensions_key=dimensions_key,
    )
    return {obs.year: obs for obs in qs.order_by("year", "id")}


def observations_of_series(*, series_codes: Collection[str]) -> list[Observation]:
    """Every observation of these series (all places, years and breakdowns), in id order."""
    ids = Series.objects.filter(code__in=list(series_codes)).values_list("id", flat=True)
    return list(observation_list(series_ids=list(ids)))


def observation_breakdown_counts(*, series: Series) -> list[tuple[str, str, str, int]]:
    """(sex, age, dimensions key, number of observations) of each breakdown of the series."""
    return list(
        observation_list(series_ids=[series.pk])
        .order_by()
        .values_list("sex", "age", "dimensions_key")
        .annotate(n=Count("id"))
    )


def observation_breakdown_years(*, series: Series) -> list[tuple[str, str, int]]:
    """(sex, age, year) of every observation of the series."""
    return list(
        observation_list(series_ids=[series.pk]).order_by().values_list("sex", "age", "year")
    )


FEW_PLACES = 8


def observation_newest_by_geography(
    *,
    series: Series,
    sex: str,
    age: str,
    dimensions_key: str | None = None,
    year_to: int | None = None,
    geography_ids: Collection[int] | None = None,
    kinds: Collection[str] | None = None,
) -> dict[int, Observation]:
    """{geography id: its observation of the newest year} for one breakdown, up to `year_to`.

    Without `dimensions_key` any set of extra dimensions counts (the highest id wins a year)."""
    qs = observation_list(
        series_ids=[series.pk],
        geography_ids=geography_ids,
        sex=[sex],
        age=[age],
        year_to=year_to,
    )
    if kinds is not None:
        qs = qs.filter(geography__kind__in=list(kinds))
    if dimensions_key is not None:
        qs = qs.filter(dimensions_key=dimensions_key)
    if geography_ids is not None and len(geography_ids) <= FEW_PLACES:
        # A few places (a profile's region and world): their rows directly, in one query.
        return {obs.geography_id: obs for obs in qs.order_by("geography_id", "year", "id")}
    # Every place: the breakdown's (place, year, id) as tuples, then only the chosen rows as
    # model instances. Reading every row of the breakdown as instances (with their series,
    # place and release) cost 1,250 rows x 6 models for detected victims of trafficking.
    newest: dict[int, tuple[int, int]] = {}
    for geography_id, year, obs_id in qs.order_by().values_list("geography_id", "year", "id"):
        known = newest.get(geography_id)
        if known is None or (year, obs_id) > known:
            newest[geography_id] = (year, obs_id)
    if not newest:
        return {}
    chosen = Observation.objects.select_related("geography", "release__source").filter(
        pk__in=[obs_id for _year, obs_id in newest.values()]
    )
    by_geography = {}
    for obs in chosen:
        obs.series = series  # one instance for all rows rather than one joined in per row
        by_geography[obs.geography_id] = obs
    return {geo: by_geography[geo] for geo in sorted(by_geography)}


def observation_timelines(
    *,
    series: Series,
    geography_ids: Collection[int],
    sex: str,
    age: str,
    dimensions_key: str | None = None,
) -> dict[int, list[Observation]]:
    """{geography id: observations in year order} for one breakdown."""
    qs = observation_list(series_ids=[series.pk], geography_ids=geography_ids, sex=[sex], age=[age])
    if dimensions_key is not None:
        qs = qs.filter(dimensions_key=dimensions_key)
    out: dict[int, list[Observation]] = {}
    for obs in (
        qs.select_related(None)
        .select_related("geography", "release__source")
        .order_by("geography_id", "year", "id")
    ):
        obs.series = series  # one instance for all rows rather than one joined in per row
        out.setdefault(obs.geography_id, []).append(obs)
    return out


def series_geography_years(
    *, series: Series, sex: str, age: str, countries: bool, min_points: int = 1
) -> list[tuple[int, int, int]]:
    """(geography id, number of years, newest year) of the countries (or else the aggregates)
    holding at least `min_points` years of one breakdown; most years first, then the most
    recent, then geography id."""
    qs = observation_list(series_ids=[series.pk], sex=[sex], age=[age])
    if countries:
        qs = qs.filter(geography__kind=GeographyKind.COUNTRY)
    else:
        qs = qs.exclude(geography__kind=GeographyKind.COUNTRY)
    rows = (
        qs.order_by()
        .values("geography_id")
        .annotate(n=Count("year", distinct=True), last=Max("year"))
        .filter(n__gte=min_points)
        .order_by("-n", "-last", "geography_id")
        .values_list("geography_id", "n", "last")
    )
    return list(rows)


def series_geographies(*, series: Series) -> list[Geography]:
    """Every place with data for the series (any breakdown)."""
    ids = (
        observation_list(series_ids=[series.pk])
        .order_by()
        .values_list("geography_id", flat=True)
        .distinct()
    )
    return list(Geography.objects.filter(id__in=list(ids)))


def geography_series_ids(*, geography: Geography) -> list[int]:
    """Ids of the series with data for a place."""
    return list(
        observation_list(geography_ids=[geography.pk])
        .order_by()
        .values_list("series_id", flat=True)
        .distinct()
    )


def observations_by_series(
    *, series_ids: Collection[int], geography_ids: Collection[int], year_to: int | None = None
) -> list[Observation]:
    """Observations of these series for these places, in series order, then year and id."""
    return list(
        observation_list(
            series_ids=series_ids, geography_ids=geography_ids, year_to=year_to
        ).order_by("series__sort_order", "series__code", "year", "id")
    )


def countries_with_trend(
    *, series_codes: Collection[str], min_years: int = 2, sex: str = "_T"
) -> dict[str, set[str]]:
    """{series code: ISO3 codes of the countries holding at least `min_years` years of one
    breakdown (this sex, one age band, one set of dimensions)}, newest value of each data point
    (ADR 0005). Age bands are never pooled: 2014 at ages 5-14 and 2019 at 5-17 are no trend."""
    years: dict[tuple[str, str, str, str], set[int]] = {}
    rows = (
        observation_list(sex=[sex])
        .filter(series__code__in=list(series_codes), geography__kind=GeographyKind.COUNTRY)
        .order_by()
        .values_list("series__code", "geography__iso3", "age", "dimensions_key", "year")
    )
    for code, iso3, age, dims, year in rows:
        years.setdefault((code, iso3 or "", age, dims), set()).add(year)
    out: dict[str, set[str]] = {code: set() for code in series_codes}
    for (code, iso3, _age, _dims), found in years.items():
        if len(found) >= min_years and iso3:
            out[code].add(iso3)
    return out
