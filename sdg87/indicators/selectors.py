"""Reads of the statistics spine: indicators, series, releases and observations."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass

from django.db.models import Count, Max, Min, OuterRef, Q, QuerySet, Subquery
from django.db.models.fields.json import KeyTransform

from sdg87.geo.models import Geography
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


_release_rank = release_rank


def _release_ranks(*, series_ids: Collection[int] | None) -> dict[int, dict[int, tuple]]:
    """{series id: {release id: rank}} for every release holding the series. One query."""
    pairs = Observation.objects.all()
    if series_ids is not None:
        pairs = pairs.filter(series_id__in=series_ids)
    rows = (
        pairs.order_by()
        .values_list("series_id", "release_id", "release__year", "release__released_on")
        .distinct()
    )
    ranks: dict[int, dict[int, tuple]] = {}
    for series_id, release_id, year, released_on in rows:
        ranks.setdefault(series_id, {})[release_id] = _release_rank(year, released_on, release_id)
    return ranks


def series_latest_release_ids(*, series_ids: Collection[int] | None = None) -> dict[int, int]:
    """{series id: id of the newest release holding observations of that series}. One query."""
    return {
        series_id: max(releases.values())[2]
        for series_id, releases in _release_ranks(series_ids=series_ids).items()
    }


def latest_release_filter() -> Q:
    """Keep the newest published value of each data point (series, place, year, sex, age,
    dimensions): an observation is dropped only where a newer release holds the same point.

    Editions that publish only their own reference year (the global estimates) therefore keep
    the earlier years from earlier editions. `Observation.is_latest` is maintained by
    services.observations_import.
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

    Without `release` (and unless `all_releases`), only each series' newest release is kept:
    old releases stay stored and can be asked for by code. `geography_ids` and `region`
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
        qs = qs.filter(latest_release_filter())
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
    """Releases holding the series with their coverage, and overall coverage. Three queries."""
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
    releases.sort(key=lambda r: _release_rank(r.year, r.released_on, r.id), reverse=True)
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
    """Series with data for a geography (newest release of each series), with year range."""
    rows = (
        Observation.objects.filter(geography=geography)
        .filter(latest_release_filter())
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
