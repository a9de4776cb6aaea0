"""How the platform's statistics map onto SDMX structures (ADR 0015): pure, no ORM.

Two data structure definitions:

* `IAEG-SDGs:SDG(1.14)`, the IAEG-SDGs' global SDG DSD (`reference/iaeg_sdgs_sdg_1.14.json`),
  for the series of the SDG indicators 8.7.1, 16.2.2 and 5.3.1 as the UN SDG Global Database
  publishes them;
* `SDG87:DSD_SDG87(1.0)`, the platform's own DSD, for every other series (global estimates,
  Global Slavery Index, contributed series), reusing the SDMX and IAEG-SDGs cross-domain
  codelists (frequency, sex, observation status, unit multiplier, nature).

One dataflow per indicator (`SDG87:SDG_8_7_1(1.0)`, `SDG87:GE_CL(1.0)`, ...); the series is the
SERIES dimension, as in the UN SDG Global Database. A series without an indicator gets a
dataflow of its own, named after the series.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

AGENCY = "SDG87"
FLOW_VERSION = "1.0"
OWN_DSD = ("SDG87", "DSD_SDG87", "1.0")
OWN_CONCEPTS = ("SDG87", "SDG87_CONCEPTS", "1.0")
SDG_DSD = ("IAEG-SDGs", "SDG", "1.14")
SDG_INDICATORS = frozenset({"8.7.1", "16.2.2", "5.3.1"})
TOTAL = "_T"

REFERENCE = Path(__file__).resolve().parent / "reference" / "iaeg_sdgs_sdg_1.14.json"

# The platform's dimensions of the own DSD, in key order (TIME_PERIOD follows).
OWN_DIMENSIONS = ("FREQ", "SERIES", "REF_AREA", "SEX", "AGE", "BREAKDOWN")
OWN_ATTRIBUTES = (
    "UNIT_MEASURE",
    "UNIT_MULT",
    "OBS_STATUS",
    "NATURE",
    "SOURCE",
    "RELEASE",
    "COMMENT_OBS",
)

# Platform age codes that the IAEG-SDGs CL_AGE spells differently.
_SDG_AGE = {"Y_LT18": "Y0T17"}
# Platform unit codes and their CL_UNIT_MEASURE(1.8) code in the SDG DSD.
_SDG_UNIT = {"PERCENT": "PT", "PER_MARW_20T24Y": "PT", "NUMBER": "NUMBER"}
# Unit multiplier (power of ten) of platform units that count in thousands or millions.
_UNIT_MULT = {"THOUSANDS": "3"}
_ID_UNSAFE = re.compile(r"[^A-Za-z0-9_@$-]+")


@cache
def sdg_reference() -> dict[str, Any]:
    """The IAEG-SDGs SDG DSD 1.14 as extracted for the platform (see reference/README.md)."""
    with REFERENCE.open(encoding="utf-8") as handle:
        data: dict[str, Any] = json.load(handle)
    return data


def sdg_dimension_ids() -> list[str]:
    return [d["id"] for d in sdg_reference()["dimensions"] if d["id"] != "TIME_PERIOD"]


def sdmx_id(text: str) -> str:
    """`text` as an SDMX identifier ([A-Za-z0-9_@$-], not starting with a digit for flows)."""
    return _ID_UNSAFE.sub("_", text.strip()).strip("_").upper() or TOTAL


def flow_id(*, indicator_code: str | None, series_code: str) -> str:
    """The dataflow of a series: its indicator's (`8.7.1` -> `SDG_8_7_1`, `GE-CL` -> `GE_CL`),
    else the series' own."""
    if indicator_code is None:
        return sdmx_id(series_code)
    if indicator_code in SDG_INDICATORS:
        return "SDG_" + sdmx_id(indicator_code)
    return sdmx_id(indicator_code)


def uses_sdg_dsd(indicator_code: str | None) -> bool:
    return indicator_code in SDG_INDICATORS


def area_code(*, m49: str | None, code: str) -> str:
    """REF_AREA: the M49 code as the IAEG-SDGs CL_AREA writes it (no leading zeros: World is
    `1`, Nepal `524`); aggregates without an M49 code keep the platform's code (own DSD only)."""
    if m49 and m49.isdigit():
        return str(int(m49))
    return sdmx_id(code)


def sdg_age(age: str) -> str:
    return _SDG_AGE.get(age, age)


def platform_age(code: str) -> str:
    """Inverse of `sdg_age` for key filters."""
    return {v: k for k, v in _SDG_AGE.items()}.get(code, code)


def sdg_unit(unit: str) -> str:
    return _SDG_UNIT.get(unit.upper(), unit.upper())


def unit_mult(unit: str) -> str:
    """UNIT_MULT (SDMX CL_UNIT_MULT): 6 for units counted in millions, 3 in thousands."""
    unit = unit.upper()
    if unit.startswith("MILLION") or "_MILLION_" in unit:
        return "6"
    return _UNIT_MULT.get(unit, "0")


def obs_status(nature: str) -> str:
    """OBS_STATUS (SDMX CL_OBS_STATUS): E (estimated) for values the source flags as
    estimated or modelled, A (normal) otherwise."""
    return "E" if nature in {"E", "M"} else "A"


def breakdown_code(dimensions_key: str) -> str:
    """BREAKDOWN of the own DSD from an observation's canonical dimensions key:
    "" -> `_T`, "sector=AGRICULTURE" -> `SECTOR_AGRICULTURE`, several joined by `__`."""
    if not dimensions_key:
        return TOTAL
    parts = []
    for pair in dimensions_key.split("|"):
        key, _sep, value = pair.partition("=")
        parts.append(f"{sdmx_id(key)}_{sdmx_id(value)}")
    return "__".join(parts)


def breakdown_label(dimensions_key: str) -> str:
    """A readable name for a BREAKDOWN code: "sector: AGRICULTURE; area: RURAL"."""
    if not dimensions_key:
        return ""
    return "; ".join(
        f"{key}: {value}"
        for key, _s, value in (p.partition("=") for p in dimensions_key.split("|"))
    )


@dataclass(frozen=True)
class Ref:
    agency: str
    id: str
    version: str

    @property
    def triple(self) -> tuple[str, str, str]:
        return (self.agency, self.id, self.version)
