"""SDMX codes back to the platform's: one observation's components -> an ObservationRow.

The inverse of what the SDMX service writes (`sdg87.sdmx.mapping`, ADR 0015), so that the
platform's own SDMX output reads back as the observations it was written from:

- SERIES (else INDICATOR, as ILOSTAT names it; else the dataset's default series) -> the
  series code;
- REF_AREA -> the geography: an M49 code (`524`, `1`; matched zero-padded by the import), an
  ISO3 code (`NPL`) or a platform code (`ILO_AFRICA`);
- SEX and AGE -> the stored codes (`Y0T17` -> `Y_LT18`; ILOSTAT's `SEX_F` -> `F`);
- UNIT_MEASURE -> the unit (`PT` -> `PERCENT`); UNIT_MULT -> the value is scaled from that
  multiple to the unit's own (`NUMBER` with 3: x 1000; `MILLION_CHILDREN` with 6: as is;
  `MILLION_CHILDREN` with 3: / 1000);
- NATURE -> the nature flag, else OBS_STATUS `E` -> `E`; COMMENT_OBS -> the note;
- BREAKDOWN (the platform's DSD) and any other dimension not at its total (`_T`, `_Z`) ->
  the observation's dimensions (`SECTOR_AGRICULTURE` -> sector=AGRICULTURE).

Only annual data (FREQ `A`, periods `2014`, `2014-A1`, `2014-01-01`, `2014-01-01T00:00:00`).
Every problem is added to a `Problems`, named by the observation's key
(SERIES/REF_AREA/TIME_PERIOD/SEX/AGE) and, where the format has one, its line.
Pure: geography, series owner and the sex/age/nature code lists are checked by the import
service, as for a tidy CSV.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

from sdg87.core.ingest import YEAR_MAX, YEAR_MIN, Problems, shown
from sdg87.indicators.ingest.common import ObservationRow
from sdg87.indicators.ingest.unsd_sdg import EXPLOITATION_BY_SERIES
from sdg87.sdmx import mapping
from sdg87.sdmx.ingest import ilostat

TOTALS = frozenset({"_T", "_Z"})
# Dimensions that become an ObservationRow field (or say nothing about the observation).
KEY_DIMENSIONS = frozenset(
    {"FREQ", "REPORTING_TYPE", "SERIES", "INDICATOR", "REF_AREA", "SEX", "AGE", "TIME_PERIOD"}
)
# Attributes known from the two DSDs the platform writes, and SDMX's cross-domain ones: in a
# flat format (SDMX-CSV) every other column is taken to be a dimension.
KNOWN_ATTRIBUTES = frozenset(
    {
        *mapping.OWN_ATTRIBUTES,
        *(a["id"] for a in mapping.sdg_reference()["attributes"]),
        "OBS_CONF",
        "OBS_PRE_BREAK",
        "DECIMALS",
        "TITLE",
        "COMMENT_DSET",
        "UNIT_MEAS_DETAIL",
        "NOTE_CLASSIF",
        "NOTE_INDICATOR",
        "NOTE_SOURCE",
        "SOURCE",
    }
)
# Longest text per field: the database fields (uploads.TIDY_MAX_LENGTH for a tidy CSV).
MAX_LENGTH = {"SERIES": 64, "REF_AREA": 24, "UNIT_MEASURE": 40, "COMMENT_OBS": 500}
_PERIOD = re.compile(r"^(\d{4})(?:-A1|-01-01(?:T00:00:00(?:Z|[+-]00:00)?)?)?$")
_SEX = {"SEX_T": "_T", "SEX_F": "F", "SEX_M": "M", "SEX_O": "_O", "SEX_U": "_U"}
# CL_UNIT_MEASURE codes of the SDG DSD -> platform units (inverse of mapping.sdg_unit: the
# platform's PERCENT and PER_MARW_20T24Y are both written PT; PT reads back as PERCENT).
_UNIT = {"PT": "PERCENT"}
MAX_MESSAGE_KEY = 120


class SdmxError(ValueError):
    """The file cannot be read as SDMX at all (not well-formed, refused, wrong structure,
    too large). The message is translated and says where, when known."""


@dataclass
class Parsed:
    """What a file maps to: ObservationRows (those without a problem) and, in the same order,
    each one's key as written in the file (for messages of later checks)."""

    rows: list[ObservationRow] = field(default_factory=list)
    keys: list[str] = field(default_factory=list)
    observations: int = 0  # observations read, with or without a problem


def key_label(components: Mapping[str, str]) -> str:
    """SERIES/REF_AREA/TIME_PERIOD/SEX/AGE as written in the file ("?" where missing)."""
    series = components.get("SERIES") or components.get("INDICATOR") or ""
    parts = [
        series,
        components.get("REF_AREA", "?"),
        components.get("TIME_PERIOD", "?"),
        components.get("SEX", "_T"),
        components.get("AGE", "_T"),
    ]
    label = "/".join(p or "?" for p in parts)
    # cut at MAX_MESSAGE_KEY, not at a cell's SHOWN_CHARS (40): an ILOSTAT key is longer,
    # and its end (AGE) is often the code in question
    return label if len(label) <= MAX_MESSAGE_KEY else label[:MAX_MESSAGE_KEY] + "…"


def annual_year(period: str) -> int | None:
    match = _PERIOD.match(period.strip())
    return int(match.group(1)) if match else None


def platform_unit(code: str) -> str:
    code = code.strip().upper()
    return _UNIT.get(code, code)


def platform_sex(code: str) -> str:
    return _SEX.get(code, code)


def breakdown_dimensions(code: str) -> dict[str, str]:
    """Inverse of mapping.breakdown_code: `_T` -> {}, `SECTOR_AGRICULTURE` ->
    {sector: AGRICULTURE}, several parts joined by `__`. A part without `_` is kept whole
    under `breakdown`."""
    if not code or code in TOTALS:
        return {}
    out: dict[str, str] = {}
    for part in code.split("__"):
        key, sep, value = part.partition("_")
        if sep and key and value:
            out[key.lower()] = value
        else:
            out["breakdown"] = part
    return out


def scaled(text: str, power: int) -> float | None:
    """The number `text` holds times 10**power (decimal arithmetic, so 19.03 x 1000 is
    19030 exactly), or None when it is not a finite number."""
    try:
        number = Decimal(text.strip())
    except InvalidOperation:
        return None
    if not number.is_finite():
        return None
    value = float(number.scaleb(power))
    return value if math.isfinite(value) else None


class Mapper:
    """Collects a file's observations: `add` maps one (components: every dimension and
    attribute value that applies to it, by component id; `value`: OBS_VALUE as written;
    `dimension_ids`: which components are dimensions), recording its problems."""

    def __init__(self, *, default_series: str, problems: Problems, max_observations: int | None):
        self.default_series = default_series
        self.problems = problems
        self.max_observations = max_observations
        self.parsed = Parsed()
        # the dataflow the readers found for the observations that follow ("ILO:DF_X(1.0)"),
        # "" if none: ILOSTAT's dataflows map their own codes (ilostat)
        self.flow = ""
        self._seen: dict[tuple[object, ...], int | None] = {}

    def add(
        self,
        components: Mapping[str, str],
        value: str | None,
        *,
        dimension_ids: Iterable[str],
        line: int | None,
    ) -> None:
        self.parsed.observations += 1
        if self.max_observations is not None and self.parsed.observations > self.max_observations:
            raise SdmxError(
                _("The file has more than %(limit)s observations; split it into smaller files.")
                % {"limit": self.max_observations}
            )
        label = key_label(components)
        found = 0
        flow_problems: list[tuple[str, str]] = []
        if self.flow:
            ilo, refusal = ilostat.find(self.flow)
            if ilo is not None:
                label = key_label({**components, "SERIES": ilo.indicator})
                components, dimension_ids, flow_problems = ilostat.translate(
                    ilo, components, list(dimension_ids)
                )
            elif refusal:
                # ILOSTAT names a dataflow DF_<indicator>: the key says which indicator
                indicator = ilostat.parse_flow(self.flow)[1].removeprefix("DF_")
                label = key_label({"SERIES": indicator, **components})
                flow_problems = [(refusal, "DATAFLOW")]

        def problem(message: str, column: str) -> None:
            nonlocal found
            found += 1
            self.problems.add(
                _("%(key)s: %(problem)s") % {"key": label, "problem": message},
                row=line,
                column=column,
            )

        for message, column in flow_problems:
            problem(message, column)
        for column, limit in MAX_LENGTH.items():
            text = components.get(column, "")
            if len(text) > limit:
                problem(
                    _("'%(text)s' is too long: at most %(limit)s characters")
                    % {"text": shown(text), "limit": limit},
                    column,
                )
        freq = components.get("FREQ", "A")
        if freq != "A":
            problem(
                _("frequency '%(freq)s': only annual data (FREQ A) can be imported")
                % {"freq": shown(freq)},
                "FREQ",
            )
        series = components.get("SERIES") or components.get("INDICATOR") or self.default_series
        area = components.get("REF_AREA", "").strip()
        if not area:
            problem(_("no REF_AREA"), "REF_AREA")
        period = components.get("TIME_PERIOD", "").strip()
        year = annual_year(period)
        if not period:
            problem(_("no TIME_PERIOD"), "TIME_PERIOD")
        elif year is None:
            problem(
                _("period '%(period)s' is not a year") % {"period": shown(period)},
                "TIME_PERIOD",
            )
        elif not YEAR_MIN <= year <= YEAR_MAX:
            problem(
                _("year %(year)s is out of range (%(min)s to %(max)s)")
                % {"year": year, "min": YEAR_MIN, "max": YEAR_MAX},
                "TIME_PERIOD",
            )
        unit_code = components.get("UNIT_MEASURE", "").strip()
        if not unit_code:
            problem(_("no UNIT_MEASURE"), "UNIT_MEASURE")
        unit = platform_unit(unit_code)
        mult_text = components.get("UNIT_MULT", "").strip() or mapping.unit_mult(unit)
        power = 0
        if not re.fullmatch(r"-?\d{1,2}", mult_text):
            problem(
                _("UNIT_MULT '%(mult)s' is not a power of ten") % {"mult": shown(mult_text)},
                "UNIT_MULT",
            )
        else:
            # scaled from the file's multiple to the one the unit counts in itself: 12.5 with
            # UNIT_MULT 3 is 12500 NUMBER, 151600 thousand is 151.6 MILLION_CHILDREN
            power = int(mult_text) - int(mapping.unit_mult(unit))
        number = None
        if value is None or not value.strip():
            problem(_("no OBS_VALUE"), "OBS_VALUE")
        else:
            number = scaled(value, power)
            if number is None:
                problem(
                    _("value '%(value)s' is not a finite number") % {"value": shown(value)},
                    "OBS_VALUE",
                )
        if found or number is None or year is None:
            return
        dimensions: dict[str, str] = {}
        for dim in dimension_ids:
            code = components.get(dim, "")
            if dim in KEY_DIMENSIONS or not code or code in TOTALS:
                continue
            if dim == "BREAKDOWN":
                dimensions.update(breakdown_dimensions(code))
            else:
                dimensions[dim.lower()] = code
        if "REPORTING_TYPE" in components and series in EXPLOITATION_BY_SERIES:
            # the SDG DSD's 16.2.2 series carry the form of exploitation (mapping, ADR 0015)
            dimensions.setdefault("exploitation", EXPLOITATION_BY_SERIES[series])
        nature = components.get("NATURE", "").strip()
        if not nature and components.get("OBS_STATUS", "").strip() == "E":
            nature = "E"
        row = ObservationRow(
            series=series,
            geo=area if area.isdigit() else area.upper(),
            year=year,
            value=number,
            unit=unit,
            sex=platform_sex(components.get("SEX", "").strip() or mapping.TOTAL),
            age=mapping.platform_age(components.get("AGE", "").strip() or mapping.TOTAL),
            nature=nature,
            dimensions=dimensions,
            note=components.get("COMMENT_OBS", "").strip(),
            line=line,
        )
        key = (
            row.series.upper(),
            row.geo.lstrip("0") if row.geo.isdigit() else row.geo,
            row.year,
            row.sex,
            row.age,
            tuple(sorted(dimensions.items())),
        )
        if key in self._seen:
            first = self._seen[key]
            self.problems.add(
                (
                    _("%(key)s: duplicate observation (also at line %(line)s)")
                    % {"key": label, "line": first}
                    if first is not None
                    else _("%(key)s: duplicate observation") % {"key": label}
                ),
                row=line,
                column=None,
            )
            return
        self._seen[key] = line
        self.parsed.rows.append(row)
        self.parsed.keys.append(label)
