"""SDMX-JSON 1.0 and 2.0 data writers (pure). No Python library writes SDMX-JSON 2.0: this
one is checked against the official JSON schema in the tests.

Both versions index values: each series key is "i:j:k" (positions in the dimension's value
list) and each observation array is [value, attribute value indices...].
"""

from __future__ import annotations

import datetime
import uuid
from typing import Any

from sdg87.sdmx.dataset import DataSet, first_name
from sdg87.sdmx.sdmxml import SENDER, urn

SCHEMA_2_0 = (
    "https://raw.githubusercontent.com/sdmx-twg/sdmx-json/master/data-message/tools/schemas/"
    "2.0.0/sdmx-json-data-schema.json"
)


def _values(data: DataSet, component: str, codes: list[str], *, v2: bool) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    coded = component == "TIME_PERIOD" or any(
        c.id == component and c.codelist is not None
        for c in [*data.dsd.dimensions, *data.dsd.attributes]
    )
    for code in codes:
        if not coded:
            # Free text (source, note): a value, not a code.
            out.append({"value": code} if v2 else {"id": code, "name": code})
            continue
        name = data.name_of(component, code)
        if v2:
            names = {lang: name for lang in data.languages[:1]}
            out.append({"id": code, "name": name, "names": names})
        else:
            out.append({"id": code, "name": name})
    return out


def _component(
    data: DataSet,
    cid: str,
    codes: list[str],
    concepts: dict[str, dict[str, str]],
    *,
    v2: bool,
    **extra: Any,
) -> dict[str, Any]:
    name = first_name(concepts.get(cid, {}), data.languages) or cid
    out: dict[str, Any] = {"id": cid, "name": name, **extra}
    if v2:
        out["names"] = {data.languages[0]: name}
    out["values"] = _values(data, cid, codes, v2=v2)
    return out


def _build(
    data: DataSet, *, at: str, concepts: dict[str, dict[str, str]], v2: bool
) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """(structure, dataSets) of either version: one data set, or one per vintage in a history
    answer (with validFrom, and validTo once superseded), all indexing the one structure."""
    observations = data.observations
    dims = data.dimension_ids
    dim_codes = [list(dict.fromkeys(o.key[i] for o in observations)) for i in range(len(dims))]
    periods = sorted({o.period for o in observations})
    series_attrs = data.series_attribute_ids()
    obs_attrs = data.observation_attribute_ids()
    if at == "AllDimensions":
        obs_attrs = [*series_attrs, *obs_attrs]
        series_attrs = []

    def codes_of(attr: str, level: str) -> list[str]:
        pairs = (
            o.series_attributes if level == "series" else [*o.series_attributes, *o.attributes]
            for o in observations
        )
        return list(dict.fromkeys(v for p in pairs for a, v in p if a == attr))

    s_codes = {a: codes_of(a, "series") for a in series_attrs}
    o_codes = {a: codes_of(a, "obs") for a in obs_attrs}
    time_component = _component(
        data, "TIME_PERIOD", periods, concepts, v2=v2, keyPosition=len(dims), role="time"
    )
    if at == "AllDimensions":
        dimensions = {
            "dataSet": [],
            "series": [],
            "observation": [
                *(
                    _component(data, d, dim_codes[i], concepts, v2=v2, keyPosition=i)
                    for i, d in enumerate(dims)
                ),
                time_component,
            ],
        }
    else:
        dimensions = {
            "dataSet": [],
            "series": [
                _component(data, d, dim_codes[i], concepts, v2=v2, keyPosition=i)
                for i, d in enumerate(dims)
            ],
            "observation": [time_component],
        }
    series_rel: dict[str, Any] = {"relationship": {"dimensions": dims}} if v2 else {}
    obs_rel: dict[str, Any] = {"relationship": {"observation": {}}} if v2 else {}
    attributes: dict[str, Any] = {
        "dataSet": [],
        "series": [
            _component(data, a, s_codes[a], concepts, v2=v2, **series_rel) for a in series_attrs
        ],
        "observation": [
            _component(data, a, o_codes[a], concepts, v2=v2, **obs_rel) for a in obs_attrs
        ],
    }
    if v2:
        attributes["dimensionGroup"] = []
    structure: dict[str, Any] = {"dimensions": dimensions, "attributes": attributes}

    def obs_array(o: Any, attr_ids: list[str], codes: dict[str, list[str]]) -> list[Any]:
        values = dict([*o.series_attributes, *o.attributes])
        value: Any = str(o.value) if v2 else o.value
        return [value, *(codes[a].index(values[a]) if a in values else None for a in attr_ids)]

    datasets = []
    for vintage, group in data.vintage_groups():
        dataset: dict[str, Any] = {"action": "Information"}
        if vintage is not None:
            dataset["validFrom"] = vintage.valid_from_time + "Z"
            if vintage.valid_to_time is not None:
                dataset["validTo"] = vintage.valid_to_time + "Z"
        _fill(
            dataset,
            group,
            at=at,
            dim_codes=dim_codes,
            periods=periods,
            obs_array=obs_array,
            obs_attrs=obs_attrs,
            o_codes=o_codes,
            series_attrs=series_attrs,
            s_codes=s_codes,
        )
        datasets.append(dataset)
    return structure, datasets


def _fill(
    dataset: dict[str, Any],
    observations: list[Any],
    *,
    at: str,
    dim_codes: list[list[str]],
    periods: list[str],
    obs_array: Any,
    obs_attrs: list[str],
    o_codes: dict[str, list[str]],
    series_attrs: list[str],
    s_codes: dict[str, list[str]],
) -> None:
    """A data set's observations (flat) or series, as indices into the structure."""
    if at == "AllDimensions":
        dataset["observations"] = {
            ":".join(
                [
                    *(str(dim_codes[i].index(v)) for i, v in enumerate(o.key)),
                    str(periods.index(o.period)),
                ]
            ): obs_array(o, obs_attrs, o_codes)
            for o in observations
        }
    else:
        series: dict[str, Any] = {}
        for o in observations:
            key = ":".join(str(dim_codes[i].index(v)) for i, v in enumerate(o.key))
            entry = series.get(key)
            if entry is None:
                s_values = dict(o.series_attributes)
                entry = series[key] = {
                    "attributes": [
                        s_codes[a].index(s_values[a]) if a in s_values else None
                        for a in series_attrs
                    ],
                    "observations": {},
                }
            entry["observations"][str(periods.index(o.period))] = obs_array(o, obs_attrs, o_codes)
        dataset["series"] = series


def write_v1(
    data: DataSet, *, at: str, concepts: dict[str, dict[str, str]], prepared: datetime.datetime
) -> dict[str, Any]:
    structure, datasets = _build(data, at=at, concepts=concepts, v2=False)
    flow = data.flow
    structure = {
        "name": first_name(flow.names, data.languages),
        **structure,
    }
    return {
        "header": {
            "id": "IREF" + uuid.uuid4().hex[:16].upper(),
            "test": False,
            "prepared": prepared.strftime("%Y-%m-%dT%H:%M:%SZ"),
            "sender": {"id": SENDER},
        },
        "dataSets": datasets,
        "structure": structure,
    }


def write_v2(
    data: DataSet, *, at: str, concepts: dict[str, dict[str, str]], prepared: datetime.datetime
) -> dict[str, Any]:
    structure, datasets = _build(data, at=at, concepts=concepts, v2=True)
    flow = data.flow
    lang = data.languages[0]
    name = first_name(flow.names, data.languages)
    structure = {
        "structure": urn("datastructure.Dataflow", flow.ref),
        "name": name,
        "names": {lang: name},
        **structure,
        "measures": {
            "observation": [
                {
                    "id": "OBS_VALUE",
                    "name": first_name(concepts.get("OBS_VALUE", {}), data.languages)
                    or "OBS_VALUE",
                }
            ]
        },
        "dataSets": list(range(len(datasets))),
    }
    for dataset in datasets:
        dataset["structure"] = 0
        # Required by the 2.0.0 schema: the dataflow the data set belongs to.
        dataset["links"] = [{"urn": urn("datastructure.Dataflow", flow.ref), "rel": "dataflow"}]
    return {
        "meta": {
            "schema": SCHEMA_2_0,
            "id": "IREF" + uuid.uuid4().hex[:16].upper(),
            "test": False,
            "prepared": prepared.strftime("%Y-%m-%dT%H:%M:%SZ"),
            "contentLanguages": [lang],
            "sender": {"id": SENDER},
        },
        "data": {"structures": [structure], "dataSets": datasets},
    }
