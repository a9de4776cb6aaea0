"""SDMX-JSON 1.0 and 2.0 data messages -> ObservationRows (pure).

1.0: `{"header", "dataSets": [...], "structure": {...}}` (the pair may also sit under
`data`); 2.0: `{"meta", "data": {"dataSets": [...], "structures": [...]}}`, each data set
naming its structure by index. Keys are positions in the structure's value lists ("0:1:0" for
a series, "3" for its observation, or the whole key for flat data sets); an observation is
`[value, attribute value index, ...]`. Data set, series and observation attributes apply.
Anything not shaped so is an SdmxError naming where (`dataSets[0].series["0:0"]`).
JSON has no useful line numbers: problems are named by the observation's key alone.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.utils.translation import gettext as _

from sdg87.core.ingest import Problems
from sdg87.core.jsonsafe import MAX_JSON_DEPTH, JsonTooComplex, loads_bounded
from sdg87.sdmx.ingest.common import Mapper, Parsed, SdmxError


def is_sdmx_json(head: str) -> bool:
    """Whether the start of a JSON text looks like an SDMX-JSON data message."""
    return '"dataSets"' in head or "sdmx-json" in head.lower() or '"structures"' in head


def _shape(where: str, expected: str) -> SdmxError:
    return SdmxError(
        _("SDMX-JSON: %(where)s should be %(expected)s.") % {"where": where, "expected": expected}
    )


def _obj(value: Any, where: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise _shape(where, _("an object"))
    return value


def _list(value: Any, where: str) -> list[Any]:
    if not isinstance(value, list):
        raise _shape(where, _("an array"))
    return value


def _text(value: Any) -> str:
    """An attribute or dimension value's code or text: `id`, else `value` (a string or, in
    2.0, localised texts: the English one, else the first), else `name`."""
    if isinstance(value, dict):
        for key in ("id", "value", "name"):
            item = value.get(key)
            if isinstance(item, dict):
                item = item.get("en") or next(iter(item.values()), "")
            if item is not None and not isinstance(item, (dict, list)):
                return str(item)
        return ""
    return "" if value is None or isinstance(value, list) else str(value)


class _Component:
    def __init__(self, raw: Any, where: str):
        raw = _obj(raw, where)
        self.id = raw.get("id")
        if not isinstance(self.id, str) or not self.id:
            raise _shape(where + ".id", _("a text"))
        self.values = [_text(v) for v in _list(raw.get("values", []), where + ".values")]
        self.where = where

    def value(self, index: Any, where: str) -> str:
        if index is None:
            return ""
        if isinstance(index, bool) or not isinstance(index, int):
            try:
                index = int(index)
            except (TypeError, ValueError):
                raise _shape(where, _("a position in %(id)s's values") % {"id": self.id}) from None
        if not 0 <= index < len(self.values):
            raise SdmxError(
                _("SDMX-JSON: %(where)s refers to value %(index)s of %(id)s, which has %(n)s.")
                % {"where": where, "index": index, "id": self.id, "n": len(self.values)}
            )
        return self.values[index]


def _components(section: Any, level: str, where: str) -> list[_Component]:
    section = _obj(section, where)
    items = _list(section.get(level) or [], f"{where}.{level}")
    return [_Component(item, f"{where}.{level}[{i}]") for i, item in enumerate(items)]


def _load(path: Path) -> Any:
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise SdmxError(
            _("The file is not UTF-8 text (byte %(byte)s): save it as UTF-8.") % {"byte": exc.start}
        ) from exc
    try:
        return loads_bounded(text, max_bytes=len(text))
    except JsonTooComplex as exc:
        raise SdmxError(
            _("JSON is nested more than %(depth)s levels deep.") % {"depth": MAX_JSON_DEPTH}
        ) from exc
    except json.JSONDecodeError as exc:
        raise SdmxError(
            _("Invalid JSON at line %(line)s, column %(col)s.")
            % {"line": exc.lineno, "col": exc.colno}
        ) from exc


def read(
    path: Path, *, default_series: str, problems: Problems, max_observations: int | None = None
) -> Parsed:
    message = _obj(_load(path), _("the message"))
    inner = message.get("data")
    body: dict[str, Any] = inner if isinstance(inner, dict) else message
    datasets = _list(body.get("dataSets"), "dataSets")
    if "structures" in body:
        structures = _list(body["structures"], "structures")
    elif "structure" in body:
        structures = [body["structure"]]
    else:
        raise _shape("structure", _("the message's structure (dimensions and attributes)"))
    if not datasets:
        raise SdmxError(_("The SDMX-JSON message has no data set."))
    mapper = Mapper(
        default_series=default_series, problems=problems, max_observations=max_observations
    )
    for number, dataset in enumerate(datasets):
        where = f"dataSets[{number}]"
        dataset = _obj(dataset, where)
        index = dataset.get("structure", 0)
        valid = isinstance(index, int) and not isinstance(index, bool)
        if not valid or not 0 <= index < len(structures):
            raise _shape(where + ".structure", _("the position of a structure"))
        _dataset(dataset, _obj(structures[index], "structure"), where, mapper)
    if not mapper.parsed.observations:
        raise SdmxError(_("The SDMX-JSON message has no observations."))
    return mapper.parsed


def _dataset(
    dataset: dict[str, Any], structure: dict[str, Any], where: str, mapper: Mapper
) -> None:
    dims = structure.get("dimensions")
    attrs = structure.get("attributes") or {}
    ds_dims = _components(dims, "dataSet", "structure.dimensions")
    series_dims = _components(dims, "series", "structure.dimensions")
    obs_dims = _components(dims, "observation", "structure.dimensions")
    ds_attrs = _components(attrs, "dataSet", "structure.attributes")
    series_attrs = _components(attrs, "series", "structure.attributes")
    obs_attrs = _components(attrs, "observation", "structure.attributes")
    measures = _obj(structure.get("measures") or {}, "structure.measures")
    n_measures = max(1, len(_list(measures.get("observation") or [], "structure.measures")))
    base: dict[str, str] = {}
    for dim in ds_dims:
        base[dim.id] = dim.values[0] if dim.values else ""
    for attr, idx in zip(
        ds_attrs, _list(dataset.get("attributes") or [], where + ".attributes"), strict=False
    ):
        if idx is not None:
            base[attr.id] = attr.value(idx, where + ".attributes")
    dimension_ids = [d.id for d in [*ds_dims, *series_dims, *obs_dims]]
    mapper.flow = _dataflow(dataset, structure)

    def observations(
        items: Any, components: dict[str, str], key_dims: list[_Component], at: str
    ) -> None:
        for key, obs in _obj(items, at).items():
            here = f'{at}["{key}"]'
            found = dict(components)
            found.update(_key(key, key_dims, here))
            obs = _list(obs, here)
            value = obs[0] if obs else None
            if isinstance(value, (dict, list)):
                raise _shape(here + "[0]", _("a number"))
            for attr, idx in zip(obs_attrs, obs[n_measures:], strict=False):
                if idx is not None:
                    found[attr.id] = attr.value(idx, here)
            mapper.add(
                found,
                None if value is None else str(value),
                dimension_ids=dimension_ids,
                line=None,
            )

    if "series" in dataset:
        for key, series in _obj(dataset["series"], where + ".series").items():
            here = f'{where}.series["{key}"]'
            series = _obj(series, here)
            components = {**base, **_key(key, series_dims, here)}
            for attr, idx in zip(
                series_attrs, _list(series.get("attributes") or [], here), strict=False
            ):
                if idx is not None:
                    components[attr.id] = attr.value(idx, here + ".attributes")
            observations(
                series.get("observations") or {}, components, obs_dims, here + ".observations"
            )
    elif "observations" in dataset:
        observations(
            dataset["observations"], base, [*series_dims, *obs_dims], where + ".observations"
        )
    else:
        raise _shape(where, _("a data set with series or observations"))


def _dataflow(dataset: dict[str, Any], structure: dict[str, Any]) -> str:
    """The dataflow ("AGENCY:ID(VERSION)") a data set names by URN: its own or its
    structure's `links` (rel dataflow) or, in 2.0, the structure's `structure`; "" if none."""
    candidates: list[Any] = []
    for holder in (dataset, structure):
        links = holder.get("links")
        if isinstance(links, list):
            candidates += [
                link.get("urn") or link.get("href")
                for link in links
                if isinstance(link, dict) and link.get("rel") == "dataflow"
            ]
    candidates.append(structure.get("structure"))
    for text in candidates:
        if isinstance(text, str) and ".Dataflow=" in text:
            return text.rsplit(".Dataflow=", 1)[1].split("/", 1)[0].strip()
    return ""


def _key(key: str, components: list[_Component], where: str) -> dict[str, str]:
    positions = key.split(":") if key != "" else []
    if len(positions) != len(components):
        raise SdmxError(
            _("SDMX-JSON: the key %(where)s has %(n)s positions, the structure %(m)s.")
            % {"where": where, "n": len(positions), "m": len(components)}
        )
    return {c.id: c.value(p, where) for c, p in zip(components, positions, strict=True)}
