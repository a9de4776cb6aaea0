"""SDMX-CSV 1.0 and 2.0 writers (pure).

`labels`: `id` (codes only) or `both` ("CODE: Name" in the header and in coded cells).
`time_format`: `original` (the period as stored, e.g. 2019) or `normalized` (the start of the
period as an ISO 8601 date-time, 2019-01-01T00:00:00).
"""

from __future__ import annotations

import csv
import io
import re

from sdg87.sdmx.dataset import DataSet, format_value

_YEAR = re.compile(r"^\d{4}$")


def _time(period: str, time_format: str) -> str:
    if time_format == "normalized" and _YEAR.match(period):
        return f"{period}-01-01T00:00:00"
    return period


def _label(data: DataSet, component: str, code: str, labels: str) -> str:
    if labels != "both" or component not in data.codelists:
        return code
    return f"{code}: {data.name_of(component, code)}"


def _header(
    data: DataSet, ids: list[str], labels: str, concepts: dict[str, dict[str, str]]
) -> list[str]:
    if labels != "both":
        return ids
    return [f"{i}: {data.component_name(i, concepts)}" for i in ids]


def write(
    data: DataSet,
    *,
    version: str,
    labels: str,
    time_format: str,
    concepts: dict[str, dict[str, str]],
) -> str:
    dims = data.dimension_ids
    attrs = [*data.series_attribute_ids(), *data.observation_attribute_ids()]
    components = [*dims, "TIME_PERIOD", "OBS_VALUE", *attrs]
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    flow = data.flow.ref
    flow_urn = f"{flow.agency}:{flow.id}({flow.version})"
    if version == "2.0":
        writer.writerow(
            ["STRUCTURE", "STRUCTURE_ID", "ACTION", *_header(data, components, labels, concepts)]
        )
        lead = ["dataflow", flow_urn, "I"]
    else:
        writer.writerow(["DATAFLOW", *_header(data, components, labels, concepts)])
        lead = [flow_urn]
    for obs in data.observations:
        values = dict([*obs.series_attributes, *obs.attributes])
        row = [_label(data, d, v, labels) for d, v in zip(dims, obs.key, strict=True)]
        row += [_time(obs.period, time_format), format_value(obs.value)]
        row += [_label(data, a, values[a], labels) if a in values else "" for a in attrs]
        writer.writerow([*lead, *row])
    return out.getvalue()
