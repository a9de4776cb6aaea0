"""ILOSTAT's own SDMX codes -> the platform's (pure).

ILOSTAT (agency ILO) publishes each indicator as its own dataflow, `DF_<indicator>`, keyed
REF_AREA (ISO3; X01 for the World), FREQ, MEASURE, SEX (`SEX_T`...), AGE and one dimension per
classification (`STU` for school attendance), with codes of its own (`AGE_CLDVERSION_Y05-17`,
`STU_EDU_TOTAL`). An upload in that shape maps onto the platform's series loaded from ILOSTAT
when its dataflow (SDMX-CSV DATAFLOW / STRUCTURE_ID, the SDMX-ML header's structure usage)
is one of `reference/ilostat_codes.json`, which holds only codes with a citation.
Every other code of such a dataflow is a problem of its observation, named by the dimension
and the codes that do map; a dataflow of agency ILO that is not in the file is one as well.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from django.utils.translation import gettext as _

from sdg87.core.ingest import shown

REFERENCE = Path(__file__).resolve().parent / "reference" / "ilostat_codes.json"
AGENCY = "ILO"
# "ILO:DF_X(1.0)" (SDMX-CSV), "ILO:DF_X(1.0)" or a bare id; the agency and version optional.
_FLOW = re.compile(r"^(?:(?P<agency>[A-Za-z0-9_.@-]+):)?(?P<id>[A-Za-z0-9_@$-]+)(?:\([^)]*\))?$")


@dataclass(frozen=True)
class Flow:
    """One mapped ILOSTAT dataflow: its platform series and unit, and for each coded
    dimension ILOSTAT code -> platform code."""

    id: str
    indicator: str
    series: str
    unit: str
    unit_mult: str
    dimensions: frozenset[str]
    ignored: frozenset[str]
    codes: Mapping[str, Mapping[str, str]]


@cache
def _reference() -> tuple[dict[str, Flow], dict[str, str]]:
    data = json.loads(REFERENCE.read_text(encoding="utf-8"))
    flows = {}
    for flow_id, spec in data["dataflows"].items():
        flows[flow_id] = Flow(
            id=flow_id,
            indicator=spec["indicator"],
            series=spec["series"],
            unit=spec["unit"],
            unit_mult=spec["unit_mult"],
            dimensions=frozenset(spec["dimensions"]),
            ignored=frozenset(spec["ignored"]),
            codes={
                dim: {code: entry["platform"] for code, entry in codes.items()}
                for dim, codes in spec["codes"].items()
            },
        )
    areas = {code: entry["geo"] for code, entry in data["areas"].items()}
    return flows, areas


def parse_flow(text: str) -> tuple[str, str]:
    """(agency, id) of a dataflow reference ("ILO:DF_X(1.0)" -> ("ILO", "DF_X")); ("", "")
    when `text` is not one."""
    match = _FLOW.match(text.strip())
    if not match:
        return "", ""
    return (match.group("agency") or "").upper(), match.group("id")


def find(flow: str) -> tuple[Flow | None, str | None]:
    """The mapped ILOSTAT dataflow of a message's dataflow reference `flow`, or (None,
    problem) for a dataflow of agency ILO that is not mapped, or (None, None) when the
    message is not ILOSTAT's."""
    flows, _areas = _reference()
    agency, flow_id = parse_flow(flow) if flow else ("", "")
    if flow_id in flows and agency in ("", AGENCY):
        return flows[flow_id], None
    if agency == AGENCY:
        return None, _(
            "ILOSTAT dataflow '%(flow)s' is not mapped to a platform series (mapped: %(known)s)"
        ) % {"flow": shown(flow_id), "known": ", ".join(sorted(flows))}
    return None, None


def translate(
    flow: Flow, components: Mapping[str, str], dimension_ids: list[str]
) -> tuple[dict[str, str], list[str], list[tuple[str, str]]]:
    """The observation's components in the platform's codes (SERIES, SEX, AGE, REF_AREA,
    UNIT_MEASURE, UNIT_MULT), its dimensions left to store (none: every mapped
    classification is at its total), and its problems as (message, column)."""
    _flows, areas = _reference()
    out = {k: v for k, v in components.items() if k not in flow.codes and k not in flow.ignored}
    problems: list[tuple[str, str]] = []
    for dim in dimension_ids:
        if dim not in flow.dimensions:
            problems.append(
                (
                    _("dimension %(dim)s is not one of ILOSTAT dataflow %(flow)s")
                    % {"dim": shown(dim), "flow": flow.id},
                    dim,
                )
            )
    for dim, codes in flow.codes.items():
        code = components.get(dim, "").strip()
        if code not in codes:
            problems.append(
                (
                    _(
                        "ILOSTAT %(dim)s code '%(code)s' is not mapped to series %(series)s "
                        "(mapped: %(known)s)"
                    )
                    % {
                        "dim": dim,
                        "code": shown(code) if code else "-",
                        "series": flow.series,
                        "known": ", ".join(sorted(codes)),
                    },
                    dim,
                )
            )
            continue
        if dim in ("SEX", "AGE"):
            out[dim] = codes[code]
    out["SERIES"] = flow.series
    area = components.get("REF_AREA", "").strip()
    out["REF_AREA"] = areas.get(area.upper(), area)
    mult = components.get("UNIT_MULT", "").strip()
    if mult and mult != flow.unit_mult:
        problems.append(
            (
                _(
                    "UNIT_MULT '%(mult)s': series %(series)s is counted in thousands "
                    "(UNIT_MULT %(expected)s)"
                )
                % {"mult": shown(mult), "series": flow.series, "expected": flow.unit_mult},
                "UNIT_MULT",
            )
        )
    out["UNIT_MEASURE"] = flow.unit
    out["UNIT_MULT"] = flow.unit_mult
    kept = [d for d in dimension_ids if d in ("REF_AREA", "FREQ", "SEX", "AGE", "TIME_PERIOD")]
    return out, kept, problems
