"""Resolving the codes of an observations query to what `selectors.observation_list` filters on.

Callers pass the codes as given (series, indicator, geographies, countries, region, release);
an unknown code raises ObservationFilterError naming the parameter, with a translatable
message, and the REST API answers it as a 400. Codes are checked in the order of the
parameters below, so the first unknown one is the one reported.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.db.models.signals import post_delete, post_save
from django.utils.translation import gettext as _

from sdg87.core.cache import data_version
from sdg87.geo.models import Geography, GeographyKind
from sdg87.geo.selectors import geography_get, geography_resolve
from sdg87.indicators.models import Indicator, Release, Series
from sdg87.indicators.selectors import indicator_get, release_get, series_by_codes

# `release=all`: every release, superseded values included.
ALL_RELEASES = "all"


class ObservationFilterError(Exception):
    """A code that names nothing: `code` is the machine code, `parameter` the filter."""

    def __init__(self, *, code: str, message: str, parameter: str):
        super().__init__(message)
        self.code = code
        self.message = message
        self.parameter = parameter


@dataclass(frozen=True)
class ObservationFilter:
    """The resolved filters, as keyword arguments of `observation_list`."""

    series_ids: list[int] | None
    indicator: Indicator | None
    geography_ids: set[int] | None
    region: Geography | None
    release: Release | None
    all_releases: bool


def _unknown(code: str, kind: str, value: str, parameter: str) -> ObservationFilterError:
    return ObservationFilterError(
        code=code,
        message=_("Unknown %(kind)s: %(value)s.") % {"kind": kind, "value": value},
        parameter=parameter,
    )


# Resolved filters already found by this process, per data version: the same few questions
# (a country's history, an indicator) come again and again, and resolving them costs three or
# four queries. Codes map to objects only through writes that bump the data version
# (sdg87.core.cache); saving or deleting one of these models also empties the memo at once in
# this process. Unknown codes are not kept (they raise).
_MEMO_SIZE = 2048
_memo: dict[tuple[object, ...], ObservationFilter] = {}


def observation_filters_forget(**_kwargs: object) -> None:
    """Drop this process's resolved filters (connected to saves and deletes of the models)."""
    _memo.clear()


for _model in (Series, Indicator, Geography, Release):
    post_save.connect(observation_filters_forget, sender=_model, dispatch_uid=f"obs-f-{_model}")
    post_delete.connect(
        observation_filters_forget, sender=_model, dispatch_uid=f"obs-f-del-{_model}"
    )


def observation_filter_resolve(
    *,
    series: Sequence[str] = (),
    indicator: str | None = None,
    geo: Sequence[str] = (),
    country: Sequence[str] = (),
    region: str | None = None,
    release: str | None = None,
) -> ObservationFilter:
    """Series codes (any case), an indicator code, geographies (ISO3, M49 or aggregate code),
    country ISO3 codes, an aggregate whose members are kept, and a release code or `all`.
    Empty means no filter; without a release the default view applies (the newest public
    value of each data point, ADR 0005). Remembered per data version (`_memo`)."""
    key = (data_version(), tuple(series), indicator, tuple(geo), tuple(country), region, release)
    found = _memo.get(key)
    if found is None:
        found = _resolve(
            series=series,
            indicator=indicator,
            geo=geo,
            country=country,
            region=region,
            release=release,
        )
        if len(_memo) >= _MEMO_SIZE or any(k[0] != key[0] for k in _memo):
            _memo.clear()
        _memo[key] = found
    return found


def _resolve(
    *,
    series: Sequence[str] = (),
    indicator: str | None = None,
    geo: Sequence[str] = (),
    country: Sequence[str] = (),
    region: str | None = None,
    release: str | None = None,
) -> ObservationFilter:
    series_ids = None
    if series:
        found = {s.code.upper(): s.id for s in series_by_codes(codes=series)}
        missing = [code for code in series if code.upper() not in found]
        if missing:
            raise _unknown("unknown_series", _("series"), ", ".join(missing), "series")
        series_ids = sorted(set(found.values()))

    indicator_obj = None
    if indicator:
        indicator_obj = indicator_get(code=indicator)
        if indicator_obj is None:
            raise _unknown("unknown_indicator", _("indicator"), indicator, "indicator")

    geography_ids = None
    if geo or country:
        geography_ids = set()
        if geo:
            geos, missing = geography_resolve(codes=geo)
            if missing:
                raise _unknown("unknown_geography", _("geography"), ", ".join(missing), "geo")
            geography_ids |= {g.id for g in geos.values()}
        if country:
            geos, missing = geography_resolve(codes=country)
            missing += [code for code, g in geos.items() if g.kind != GeographyKind.COUNTRY]
            if missing:
                raise _unknown("unknown_country", _("country"), ", ".join(missing), "country")
            geography_ids |= {g.id for g in geos.values()}

    region_obj = None
    if region:
        region_obj = geography_get(code=region)
        if region_obj is None or region_obj.kind == GeographyKind.COUNTRY:
            raise _unknown("unknown_geography", _("region"), region, "region")

    release_obj = None
    all_releases = release == ALL_RELEASES
    if release and not all_releases:
        release_obj = release_get(code=release)
        if release_obj is None:
            raise _unknown("unknown_release", _("release"), release, "release")

    return ObservationFilter(
        series_ids=series_ids,
        indicator=indicator_obj,
        geography_ids=geography_ids,
        region=region_obj,
        release=release_obj,
        all_releases=all_releases,
    )
