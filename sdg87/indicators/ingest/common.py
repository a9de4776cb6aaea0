"""What the statistics parsers share beyond the ingest toolkit (`sdg87.core.ingest`): the
observation row type and the UNSD label -> SDMX code tables."""

from __future__ import annotations

from dataclasses import dataclass, field

# UNSD labels -> SDMX codes (DESIGN.md, "Data conventions").
SEX_CODES = {
    "BOTHSEX": "_T",
    "FEMALE": "F",
    "MALE": "M",
    "_O": "_O",
    "_U": "_U",
}
AGE_CODES = {
    "5-17": "Y5T17",
    "5-14": "Y5T14",
    "5-11": "Y5T11",
    "10-17": "Y10T17",
    "6-17": "Y6T17",
    "7-17": "Y7T17",
    "7-14": "Y7T14",
    "10-14": "Y10T14",
    "10-13": "Y10T13",
    "12-14": "Y12T14",
    "15-17": "Y15T17",
    "<18Y": "Y_LT18",
    "18+": "Y_GE18",
    "ALLAGE": "_T",
    "_U": "_U",
    "20-24": "Y20T24",
}
NATURE_CODES = {"C", "CA", "E", "M", "N", "G", ""}


@dataclass(frozen=True)
class ObservationRow:
    """One parsed observation, still keyed by codes. `line` is the input row number.

    `geo` is an ISO3 code, an M49 code (digits) or a documented aggregate code (`ILO_AFRICA`).
    """

    series: str
    geo: str
    year: int
    value: float
    unit: str
    sex: str = "_T"
    age: str = "_T"
    nature: str = ""
    dimensions: dict[str, str] = field(default_factory=dict)
    note: str = ""
    line: int | None = None
