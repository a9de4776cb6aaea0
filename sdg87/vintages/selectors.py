"""Reads over vintages: the statistics as published on a date, every vintage of a data point
with its validity, and what was added or revised after a date.

Terms. A *data point* is (series, geography, year, sex, age, dimensions). Every public release
holding a data point gives it one *vintage*. Releases are ordered by the one release order,
`indicators.models.release_rank` (ADR 0005); a release counts as published on
`release_published_on` (its `released_on`; undated, the last day of its year, but never after
the day it was loaded: a figure is never shown as published before it could have been).

* `observations_as_of(as_of=d)`: per data point, the vintage of the newest public release
  published on or before `d`: the default view (ADR 0005) as it stood on that day.
* `observation_history()` + `observation_validity(...)`: every public vintage, with
  `valid_from` (its release's publication date) and `valid_to` (the publication date of the
  next newer release holding the same point; None while it is the current value).
* `updated_after(since=t)`: vintages whose release was published after `t` (a release dated D
  counts as published at the start of D): new points and revisions, republished values too.

Only public releases are ever read (`Observation.objects`, `Release.objects.public()`): an
embargoed or retracted release never shows here (ADR 0006).

Querysets passed in must not already be narrowed to the newest values (`is_latest`): pass
`indicators.selectors.observation_list(..., all_releases=True)` or `Observation.objects`.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Case, Exists, IntegerField, OuterRef, QuerySet, Value, When
from django.utils.translation import gettext as _

from sdg87.geo.models import Geography
from sdg87.indicators.models import Observation, Release, Series, release_rank
from sdg87.vintages.compare import Differences, compare_values

POINT_FIELDS = ("series_id", "geography_id", "year", "sex", "age", "dimensions_key")

Point = tuple[int, int, int, str, str, str]


def release_published_on(release: Release) -> datetime.date:
    """The day a release counts as published (module docstring)."""
    if release.released_on is not None:
        return release.released_on
    end_of_year = datetime.date(release.year, 12, 31)
    loaded = release.loaded_at.date() if release.loaded_at else end_of_year
    return min(end_of_year, loaded)


def _rank(release: Release) -> tuple[int, datetime.date, int]:
    return release_rank(release.year, release.released_on, release.id)


def releases_public(*, as_of: datetime.date | None = None) -> list[Release]:
    """Public releases, oldest first by `release_rank`; with `as_of`, only those published on
    or before that day."""
    releases = list(Release.objects.public().select_related("source"))
    if as_of is not None:
        releases = [r for r in releases if release_published_on(r) <= as_of]
    return sorted(releases, key=_rank)


def _ordinal(releases: list[Release], field: str = "release_id") -> Case:
    """Each release's position in the release order, as a database expression."""
    return Case(
        *(When(**{field: r.id}, then=Value(i)) for i, r in enumerate(releases)),
        default=Value(-1),
        output_field=IntegerField(),
    )


def observations_as_of(
    *, as_of: datetime.date, queryset: QuerySet[Observation] | None = None
) -> QuerySet[Observation]:
    """The values current on `as_of`: per data point, the observation of the newest public
    release published on or before that day. Keeps the queryset's own filters and order."""
    visible = releases_public(as_of=as_of)
    ids = [r.id for r in visible]
    base = Observation.objects.all() if queryset is None else queryset
    newer = (
        Observation.objects.filter(release_id__in=ids, **{f: OuterRef(f) for f in POINT_FIELDS})
        .alias(_vintage_rank=_ordinal(visible))
        .filter(_vintage_rank__gt=OuterRef("_vintage_rank"))
    )
    return (
        base.filter(release_id__in=ids, release__is_public=True)
        .alias(_vintage_rank=_ordinal(visible))
        .filter(~Exists(newer))
    )


def observation_history(
    *, queryset: QuerySet[Observation] | None = None, as_of: datetime.date | None = None
) -> QuerySet[Observation]:
    """Every public vintage of the queryset's data points (its own filters and order kept);
    `observation_validity` dates them. With `as_of`, only the vintages published on or before
    that day (the history as it was known then)."""
    base = Observation.objects.all() if queryset is None else queryset
    if as_of is not None:
        base = base.filter(release_id__in=[r.id for r in releases_public(as_of=as_of)])
    return base.filter(release__is_public=True)


def updated_after(
    *, since: datetime.date | datetime.datetime, queryset: QuerySet[Observation] | None = None
) -> QuerySet[Observation]:
    """Vintages whose release was published after `since` (new points, revisions and values
    republished unchanged). Combine with `observations_as_of` or the default view to get one
    value per point."""
    day = since.date() if isinstance(since, datetime.datetime) else since
    ids = [r.id for r in releases_public() if release_published_on(r) > day]
    base = Observation.objects.all() if queryset is None else queryset
    return base.filter(release_id__in=ids, release__is_public=True)


@dataclass(frozen=True)
class Validity:
    valid_from: datetime.date
    valid_to: datetime.date | None  # None: still the current value of its point


def point_of(obs: Observation) -> Point:
    return (obs.series_id, obs.geography_id, obs.year, obs.sex, obs.age, obs.dimensions_key)


def observation_validity(observations: list[Observation]) -> dict[int, Validity]:
    """Validity of each observation (by id): from its release's publication day to the
    publication day of the next newer public release holding the same point."""
    return validity_by_id([(o.id, point_of(o)) for o in observations])


def validity_by_id(
    rows: list[tuple[int, Point]], *, as_of: datetime.date | None = None
) -> dict[int, Validity]:
    """`observation_validity` for (observation id, data point) pairs: one query for the points
    (callers bound the list: a page). With `as_of`, as known on that day: releases published
    later do not end a validity."""
    if not rows:
        return {}
    releases = {r.id: r for r in releases_public(as_of=as_of)}
    points = {point for _id, point in rows}
    vintages: dict[Point, list[tuple[tuple[int, datetime.date, int], int, int]]] = {}
    siblings = Observation.objects.filter(
        series_id__in={p[0] for p in points},
        geography_id__in={p[1] for p in points},
        year__in={p[2] for p in points},
        release_id__in=releases.keys(),
    ).values_list("id", "release_id", *POINT_FIELDS)
    for obs_id, release_id, *key in siblings:
        point: Point = tuple(key)
        if point in points:
            rank = _rank(releases[release_id])
            vintages.setdefault(point, []).append((rank, obs_id, release_id))
    out: dict[int, Validity] = {}
    for entries in vintages.values():
        entries.sort()
        for index, (_rank_key, obs_id, release_id) in enumerate(entries):
            start = release_published_on(releases[release_id])
            end = None
            if index + 1 < len(entries):
                end = max(start, release_published_on(releases[entries[index + 1][2]]))
            out[obs_id] = Validity(valid_from=start, valid_to=end)
    return out


# --- release comparison and one point across vintages ------------------------------------------

CompareKey = tuple[str, int, str, str, str]  # geography code, year, sex, age, dimensions key


def series_releases(*, series: Series) -> list[Release]:
    """Public releases holding the series, newest first (`release_rank`)."""
    ids = Observation.objects.filter(series=series).values("release_id").distinct()
    releases = Release.objects.public().filter(id__in=ids).select_related("source")
    return sorted(releases, key=_rank, reverse=True)


@dataclass
class Comparison:
    series: Series
    from_release: Release
    to_release: Release
    differences: Differences[CompareKey]
    geographies: dict[str, Geography]  # by code, for names


def release_compare(*, series: Series, from_release: Release, to_release: Release) -> Comparison:
    """The series' values in two public releases, compared point by point (`compare.py`)."""
    values: dict[int, dict[CompareKey, float]] = {from_release.id: {}, to_release.id: {}}
    geographies: dict[str, Geography] = {}
    rows = (
        Observation.objects.filter(series=series, release__in=[from_release, to_release])
        .filter(release__is_public=True)
        .select_related("geography")
    )
    for obs in rows:
        geographies[obs.geography.code] = obs.geography
        key = (obs.geography.code, obs.year, obs.sex, obs.age, obs.dimensions_key)
        values[obs.release_id][key] = obs.value
    return Comparison(
        series=series,
        from_release=from_release,
        to_release=to_release,
        differences=compare_values(values[from_release.id], values[to_release.id]),
        geographies=geographies,
    )


@dataclass(frozen=True)
class PointVintage:
    observation: Observation
    release: Release
    validity: Validity


def point_vintages(
    *, series: Series, geography: Geography, year: int, sex: str, age: str, dimensions_key: str = ""
) -> list[PointVintage]:
    """Every public vintage of one data point, oldest release first."""
    observations = list(
        Observation.objects.filter(
            series=series,
            geography=geography,
            year=year,
            sex=sex,
            age=age,
            dimensions_key=dimensions_key,
            release__is_public=True,
        ).select_related("release__source")
    )
    observations.sort(key=lambda o: _rank(o.release))
    validity = observation_validity(observations)
    return [PointVintage(o, o.release, validity[o.id]) for o in observations]


class CompareError(Exception):
    """A comparison that cannot be made: `status` 404 (unknown series) or 400."""

    def __init__(self, *, status: int, code: str, message: str, parameter: str) -> None:
        super().__init__(message)
        self.status, self.code, self.message, self.parameter = status, code, message, parameter


def comparison_get(*, series_code: str, from_code: str, to_code: str) -> Comparison:
    """Resolve a series and two of its public releases by code and compare them."""
    series = (
        Series.objects.public().select_related("indicator").filter(code=series_code.strip()).first()
    )
    if series is None:
        raise CompareError(
            status=404,
            code="not_found",
            message=_("No series with this code."),
            parameter="code",
        )
    held = {r.code: r for r in series_releases(series=series)}
    chosen = []
    for parameter, code in (("from", from_code), ("to", to_code)):
        release = held.get((code or "").strip())
        if release is None:
            raise CompareError(
                status=400,
                code="unknown_release",
                message=_("%(parameter)s: no public release of this series has this code.")
                % {"parameter": parameter},
                parameter=parameter,
            )
        chosen.append(release)
    if chosen[0] == chosen[1]:
        raise CompareError(
            status=400,
            code="same_release",
            message=_("Choose two different releases."),
            parameter="to",
        )
    return release_compare(series=series, from_release=chosen[0], to_release=chosen[1])
