"""SDMX-CSV 1.0 and 2.0 writers (pure).

`labels`: `id` (codes only) or `both` ("CODE: Name" in the header and in coded cells).
`time_format`: `original` (the period as stored, e.g. 2019) or `normalized` (the start of the
period as an ISO 8601 date-time, 2019-01-01T00:00:00).

A history answer (includeHistory) has one row per vintage, in the order of the data (a point's
vintages together, oldest first), and three columns after the components: RELEASE (the
release's code, when the DSD has no RELEASE attribute already), VALID_FROM and VALID_TO (the
validity of the value, as the validFromDate/validToDate of an SDMX-ML data set: inclusive
date-times, VALID_TO empty while the value is current). SDMX-CSV has no data sets, so the
validity goes in columns, which readers that do not know them ignore as unknown columns.
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
    history = data.has_history
    extra = (["RELEASE"] if "RELEASE" not in attrs else []) + ["VALID_FROM", "VALID_TO"]
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    flow = data.flow.ref
    flow_urn = f"{flow.agency}:{flow.id}({flow.version})"
    if version == "2.0":
        writer.writerow(
            [
                "STRUCTURE",
                "STRUCTURE_ID",
                "ACTION",
                *_header(data, components, labels, concepts),
                *(extra if history else []),
            ]
        )
        lead = ["dataflow", flow_urn, "I"]
    else:
        writer.writerow(
            ["DATAFLOW", *_header(data, components, labels, concepts), *(extra if history else [])]
        )
        lead = [flow_urn]
    for obs in data.observations:
        values = dict([*obs.series_attributes, *obs.attributes])
        row = [_label(data, d, v, labels) for d, v in zip(dims, obs.key, strict=True)]
        row += [_time(obs.period, time_format), format_value(obs.value)]
        row += [_label(data, a, values[a], labels) if a in values else "" for a in attrs]
        if history and obs.vintage is not None:
            vintage = obs.vintage
            row += [vintage.release] if "RELEASE" not in attrs else []
            row += [vintage.valid_from_time, vintage.valid_to_time or ""]
        writer.writerow([*lead, *row])
    return out.getvalue()
