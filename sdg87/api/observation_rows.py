"""API v1 observations: flat database rows shaped into ObservationOut dicts, for the JSON pages
and the CSV export alike, and written as one JSON page from pre-encoded pieces."""

from __future__ import annotations

import datetime
import json
from collections.abc import Mapping
from json.encoder import encode_basestring_ascii
from typing import Any, TypedDict

from django.core.serializers.json import DjangoJSONEncoder
from django.db.models.signals import post_delete, post_save
from django.utils.translation import get_language

from sdg87.api.indicator_schemas import ReleaseDict, SourceDict, release_out, source_out
from sdg87.core.cache import data_version
from sdg87.geo.models import Geography
from sdg87.indicators.models import Indicator, Release, Series, Source

# Observation pages are built from flat rows plus small per-id lookups of series,
# geographies and releases: instantiating five models per row and validating 10,000 nested
# objects through pydantic cost seconds per page; this costs tens of milliseconds.
OBSERVATION_COLUMNS = (
    "id",
    "series_id",
    "geography_id",
    "release_id",
    "year",
    "sex",
    "age",
    "dimensions",
    "value",
    "unit",
    "nature",
    "note",
)
# One row of OBSERVATION_COLUMNS as the database returns it; `dimensions` is the JSON field
# (a {code: value} object, empty when the series has no extra dimensions).
ObservationRow = tuple[
    int, int, int, int, int, str, str, dict[str, str] | None, float, str, str, str
]


class GeographyRefDict(TypedDict):
    code: str
    iso3: str | None
    m49: str | None
    name: str


class ObservationDict(TypedDict):
    """ObservationOut's shape."""

    id: int
    series: str
    indicator: str | None
    geography: GeographyRefDict
    year: int
    sex: str
    age: str
    dimensions: dict[str, str]
    value: float
    unit: str
    nature: str
    note: str
    source: SourceDict
    release: ReleaseDict
    valid_from: datetime.date | None  # set with include_history (sdg87.vintages)
    valid_to: datetime.date | None


class _Labels:
    """Serialised series, geographies and releases by id, in one language; and the same as
    JSON text for `ObservationRows.json_page`."""

    def __init__(self) -> None:
        self.series: dict[int, tuple[str, str | None]] = {}
        self.geographies: dict[int, GeographyRefDict] = {}
        self.releases: dict[int, tuple[SourceDict, ReleaseDict]] = {}
        # '"series":…,"indicator":…', '{…}' (a geography), '"source":{…},"release":{…}'
        self.series_json: dict[int, str] = {}
        self.geographies_json: dict[int, str] = {}
        self.releases_json: dict[int, str] = {}


# The labels already serialised by this process, per (data version, language). Every write the
# public can see bumps the data version (sdg87.core.cache), as for the API's response cache;
# saving or deleting a labelled object also empties them at once in this process. Only the
# current version is kept: a few thousand small dicts per language at most.
_labels: dict[tuple[int, str], _Labels] = {}


def _labels_current() -> _Labels:
    key = (data_version(), get_language() or "en")
    found = _labels.get(key)
    if found is None:
        if any(version != key[0] for version, _lang in _labels):
            _labels.clear()
        found = _labels[key] = _Labels()
    return found


def observation_labels_forget(**_kwargs: object) -> None:
    """Drop this process's serialised labels (connected to saves and deletes of the labelled
    models, so a change is visible to the next request of this process at once)."""
    _labels.clear()


for _model in (Series, Indicator, Geography, Release, Source):
    post_save.connect(observation_labels_forget, sender=_model, dispatch_uid=f"obs-labels-{_model}")
    post_delete.connect(
        observation_labels_forget, sender=_model, dispatch_uid=f"obs-labels-del-{_model}"
    )


class ObservationRows:
    """Serialised series, geographies and releases by id, fetched only when first needed and
    kept by the process for the data version and language (so a page usually costs no lookup
    query, a cold one at most three, and a long CSV only a few)."""

    def __init__(self) -> None:
        self.series: dict[int, tuple[str, str | None]] = {}
        self.geographies: dict[int, GeographyRefDict] = {}
        self.releases: dict[int, tuple[SourceDict, ReleaseDict]] = {}
        self._labels = _Labels()

    def load(self, rows: list[ObservationRow]) -> None:
        """Make the labels of these rows available to `observation` (in the active language)."""
        labels = self._labels = _labels_current()
        self.series, self.geographies, self.releases = (
            labels.series,
            labels.geographies,
            labels.releases,
        )
        series_ids = {row[1] for row in rows} - self.series.keys()
        geo_ids = {row[2] for row in rows} - self.geographies.keys()
        release_ids = {row[3] for row in rows} - self.releases.keys()
        if series_ids:
            for s in Series.objects.select_related("indicator").filter(id__in=series_ids):
                self.series[s.id] = (s.code, s.indicator.code if s.indicator else None)
        if geo_ids:
            for g in Geography.objects.filter(id__in=geo_ids):
                self.geographies[g.id] = {
                    "code": g.code,
                    "iso3": g.iso3,
                    "m49": g.m49,
                    "name": g.name,
                }
        if release_ids:
            for r in Release.objects.select_related("source").filter(id__in=release_ids):
                self.releases[r.id] = (source_out(r.source, release=r), release_out(r))

    def observation(self, row: ObservationRow) -> ObservationDict:
        (obs_id, series_id, geo_id, release_id, year, sex, age, dims, value, unit, nature, note) = (
            row
        )
        series_code, indicator_code = self.series[series_id]
        source, release = self.releases[release_id]
        return {
            "id": obs_id,
            "series": series_code,
            "indicator": indicator_code,
            "geography": self.geographies[geo_id],
            "year": year,
            "sex": sex,
            "age": age,
            "dimensions": dims or {},
            "value": value,
            "unit": unit,
            "nature": nature,
            "note": note,
            "source": source,
            "release": release,
            "valid_from": None,
            "valid_to": None,
        }

    def json_page(
        self,
        rows: list[ObservationRow],
        *,
        next_url: str | None,
        validity: Mapping[int, tuple[Any, Any]] | None = None,
    ) -> bytes:
        """`{"next": next_url, "results": [observation(row), ...]}` as compact JSON: the same
        bytes as `json.dumps(..., cls=DjangoJSONEncoder, separators=(",", ":"))` of those
        dicts (test_observation_rows), with `valid_from`/`valid_to` from `validity` (by id).
        Call `load(rows)` first, in the same language.

        Encoding the dicts cost a third of a 262-row answer (issue 15 item 2). A page repeats
        a few series, one or two geographies and releases: those are encoded once per process
        (kept with the labels), and each row only writes its own numbers and short texts."""
        labels = self._labels
        series_json = labels.series_json
        geographies_json = labels.geographies_json
        releases_json = labels.releases_json
        text = encode_basestring_ascii
        # '"sex":…,"age":…' and '"unit":…,"nature":…,"note":…' by their texts: a page holds a
        # few distinct ones; None when one of them is no text
        texts_json: dict[tuple[Any, ...], tuple[str, str] | None] = {}
        dims_json: dict[int, str] = {}
        no_validity = ',"valid_from":null,"valid_to":null}'
        parts: list[str] = []
        for row in rows:
            (obs_id, series_id, geo_id, release_id, year, sex, age, dims, value, unit) = row[:10]
            nature, note = row[10], row[11]
            key = (sex, age, unit, nature, note)
            if key in texts_json:
                texts = texts_json[key]
            else:
                texts = texts_json[key] = (
                    (
                        f'"sex":{text(sex)},"age":{text(age)},"dimensions":',
                        f',"unit":{text(unit)},"nature":{text(nature)},"note":{text(note)},',
                    )
                    if all(type(t) is str for t in key)
                    else None
                )
            if (
                texts is None
                or type(obs_id) is not int
                or type(year) is not int
                or type(value) is not float
                or value - value != 0.0  # NaN and infinities: as the encoder writes them
            ):
                # An unusual type or value, as the encoder writes it.
                observation = self.observation(row)
                if validity is not None:
                    observation["valid_from"], observation["valid_to"] = validity[obs_id]
                parts.append(_dumps(observation))
                continue
            series = series_json.get(series_id)
            if series is None:
                code, indicator = self.series[series_id]
                series = series_json[series_id] = f'"series":{_dumps(code)},"indicator":' + (
                    _dumps(indicator)
                )
            geography = geographies_json.get(geo_id)
            if geography is None:
                geography = geographies_json[geo_id] = _dumps(self.geographies[geo_id])
            release = releases_json.get(release_id)
            if release is None:
                source_dict, release_dict = self.releases[release_id]
                release = releases_json[release_id] = (
                    f'"source":{_dumps(source_dict)},"release":{_dumps(release_dict)}'
                )
            if dims:
                dimensions = dims_json.get(id(dims))
                if dimensions is None:
                    # by identity: rows of one page share a decoded value (observation_query)
                    dimensions = dims_json[id(dims)] = _dumps(dims)
            else:
                dimensions = "{}"
            if validity is None:
                end = no_validity
            else:
                valid_from, valid_to = validity[obs_id]
                end = (
                    f',"valid_from":{"null" if valid_from is None else _dumps(valid_from)}'
                    f',"valid_to":{"null" if valid_to is None else _dumps(valid_to)}}}'
                )
            parts.append(
                f'{{"id":{obs_id},{series},"geography":{geography},"year":{year},{texts[0]}'
                f'{dimensions},"value":{value!r}{texts[1]}{release}{end}'
            )
        head = '{"next":' + _dumps(next_url) + ',"results":['
        return (head + ",".join(parts) + "]}").encode()


def _dumps(value: object) -> str:
    """Compact JSON as Django's JsonResponse encoder writes it (ASCII, dates in ISO 8601)."""
    return json.dumps(value, cls=DjangoJSONEncoder, separators=(",", ":"))
