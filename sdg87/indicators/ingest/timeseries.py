"""Country time series of child labour and children in employment (data/timeseries/).

Three files, three measures, never one line (data/timeseries/PROVENANCE-timeseries.md):

* `wdi_children_in_employment_7_14.csv` (World Bank WDI, via Open Numbers DDF): children in
  employment aged 7-14, % of the age group. WDI codes become SDMX-style codes (dots ->
  underscores, as the UN series are written): total, female and male are one series,
  `SL_TLF_0714_ZS`, by sex; "work only" and "study and work" (`SL_TLF_0714_WK_ZS`,
  `SL_TLF_0714_SW_ZS`) are shares of the children in employment, so series of their own.
* `unsd_sdg_8_7_1_all_extracts_2018_2023.csv` (UN SDG Global Database, 17 extracts, Oct 2018 to
  May 2023): every 8.7.1 value (`SL_TLF_CHLDEA`, `SL_TLF_CHLDEC`) seen in any extract.
* `ilostat_children_in_employment_5_17_thousands.csv` (ILOSTAT `CLD_XSNA_SEX_AGE_STU_NB`):
  children in employment, thousands (a count, not a rate).

How the UN extracts map to releases. The file holds one row per data point (series, area,
year, sex, age) seen in any extract, valued as in the most recent extract holding it, with
the first and last extract that held it; earlier values survive only as text in `note`. So
the extracts cannot be rebuilt one by one, and they are not: the 622 rows still in the newest
extract (`in_latest_extract = yes`) are exactly the bundled December 2023 extract (release
`unsd-sdg-2023-12`, loaded from data/unsd_sdg/; a test keeps the two files equal), and the rows
the UN database no longer holds form ONE older release, `unsd-sdg-extracts-2018-2022`, with
each observation's first and last extract in its note. The two releases therefore share no
data point: the newest-value rule (ADR 0005) keeps every current value from the December 2023
extract, adds the dropped survey years, and counts nothing twice. Rows whose note says
`REPLACED` (a survey re-dated by a year, or re-tabulated for another age band, in a later
extract) are duplicates of a current row and are not loaded at all: loaded, they would draw
a false trend. Age bands stay apart as the `age` code (5-17, 5-14, 6-17, 7-17, 10-17).

ILOSTAT: only the totals a trend needs are loaded: ages 5-17, school attendance "Total"
(present for every row group, so nothing is summed), by sex. Rows the provenance flags
"IMPLAUSIBLY SMALL" (sample counts of some DHS rounds) are not loaded. Regional rows (the
ILO's 2020 modelled estimates, nature M) load only where a geography exists: World and the
five ILO regions; the ILO's subregions are reported as skipped.

Pure: no ORM. Row numbers are spreadsheet rows (header = 1).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from sdg87.core.ingest import ParseError, cell_code, cell_float, cell_text, cell_year, read_rows
from sdg87.indicators.ingest.common import AGE_CODES, NATURE_CODES, SEX_CODES, ObservationRow

COMMON_COLUMNS = (
    "source",
    "indicator_code",
    "indicator_name",
    "iso3",
    "country",
    "year",
    "sex",
    "age",
    "value",
    "unit",
    "note",
)

# --- World Bank WDI ---------------------------------------------------------------------------

# WDI code -> (series code, sex code, unit label as the file writes it)
WDI_SERIES = {
    "SL.TLF.0714.ZS": ("SL_TLF_0714_ZS", "_T", "percent of children aged 7-14"),
    "SL.TLF.0714.FE.ZS": ("SL_TLF_0714_ZS", "F", "percent of female children aged 7-14"),
    "SL.TLF.0714.MA.ZS": ("SL_TLF_0714_ZS", "M", "percent of male children aged 7-14"),
    "SL.TLF.0714.WK.ZS": (
        "SL_TLF_0714_WK_ZS",
        "_T",
        "percent of children in employment aged 7-14",
    ),
    "SL.TLF.0714.SW.ZS": (
        "SL_TLF_0714_SW_ZS",
        "_T",
        "percent of children in employment aged 7-14",
    ),
}
WDI_UNITS = {
    "SL_TLF_0714_ZS": "PERCENT",
    "SL_TLF_0714_WK_ZS": "PERCENT_OF_CHILDREN_IN_EMPLOYMENT",
    "SL_TLF_0714_SW_ZS": "PERCENT_OF_CHILDREN_IN_EMPLOYMENT",
}


def _iso3(row: dict[str, str], line: int, *, required: bool = True) -> str:
    iso3 = row.get("iso3", "").upper()
    if not iso3 and not required:
        return ""
    if not (len(iso3) == 3 and iso3.isascii() and iso3.isalpha()):
        raise ParseError(
            _("'%(iso3)s' is not an ISO3 code") % {"iso3": iso3}, row=line, column="iso3"
        )
    return iso3


def _sex(row: dict[str, str], line: int) -> str:
    return cell_code(row, "sex", line, SEX_CODES)


def _age(row: dict[str, str], line: int) -> str:
    return cell_code(row, "age", line, AGE_CODES)


def parse_wdi_children_in_employment(text: str) -> list[ObservationRow]:
    """The WDI file as observations: sex from the WDI code (checked against `sex`), age
    7-14, values as published, the cross-check remark as the note."""
    rows = []
    for line, row in read_rows(text, required=COMMON_COLUMNS):
        wdi = cell_code(row, "indicator_code", line, WDI_SERIES)
        series, sex, unit_label = wdi
        if _sex(row, line) != sex:
            raise ParseError(
                _("sex '%(sex)s' does not match the WDI code %(code)s")
                % {"sex": row["sex"], "code": row["indicator_code"]},
                row=line,
                column="sex",
            )
        if row["unit"] != unit_label:
            raise ParseError(
                _("unit '%(unit)s' is not the unit of %(code)s")
                % {"unit": row["unit"], "code": row["indicator_code"]},
                row=line,
                column="unit",
            )
        age = _age(row, line)
        if age != "Y7T14":
            raise ParseError(_("WDI series cover ages 7-14 only"), row=line, column="age")
        rows.append(
            ObservationRow(
                series=series,
                geo=_iso3(row, line),
                year=cell_year(row, "year", line),
                value=cell_float(row, "value", line),
                unit=WDI_UNITS[series],
                sex=sex,
                age=age,
                note=row["note"],
                line=line,
            )
        )
    return rows


# --- UN SDG Global Database, all extracts ------------------------------------------------------

UNSD_COLUMNS = (
    *COMMON_COLUMNS,
    "first_seen_extract",
    "last_seen_extract",
    "in_latest_extract",
    "nature",
)
UNSD_SERIES = frozenset({"SL_TLF_CHLDEA", "SL_TLF_CHLDEC"})
REPLACED = "REPLACED"
M49_NOTE = "M49="


@dataclass
class UnsdHistory:
    """`history`: rows no longer in the newest extract (loaded as the older release);
    `current`: rows of the newest extract (the bundled December 2023 extract, loaded from
    data/unsd_sdg/); `replaced_lines`: re-dated or re-tabulated duplicates, never loaded."""

    history: list[ObservationRow] = field(default_factory=list)
    current: list[ObservationRow] = field(default_factory=list)
    replaced_lines: list[int] = field(default_factory=list)
    first_extract: str = ""
    last_extract: str = ""


def _extract_date(row: dict[str, str], column: str, line: int) -> str:
    text = cell_text(row, column, line)
    year, _dash, rest = text.partition("-")
    if not (len(text) == 10 and year.isdigit() and rest[:2].isdigit() and rest[3:].isdigit()):
        raise ParseError(
            _("'%(text)s' is not a date (YYYY-MM-DD)") % {"text": text}, row=line, column=column
        )
    return text


def _unsd_geo(row: dict[str, str], line: int) -> str:
    """ISO3 for a country; the M49 code the note gives (`M49=62` -> `062`) for an aggregate."""
    iso3 = _iso3(row, line, required=False)
    if iso3:
        return iso3
    note = row["note"]
    code = note[len(M49_NOTE) :].split(";")[0].strip() if note.startswith(M49_NOTE) else ""
    if not (code.isdigit() and len(code) <= 3):
        raise ParseError(
            _("an area without ISO3 needs 'M49=<code>' in the note"), row=line, column="note"
        )
    return code.zfill(3)


def parse_unsd_extract_history(text: str) -> UnsdHistory:
    """The UN all-extracts file, split into the rows to load as the older release, the
    current rows and the REPLACED duplicates (see the module docstring)."""
    out = UnsdHistory()
    firsts: list[str] = []
    lasts: list[str] = []
    for line, row in read_rows(text, required=UNSD_COLUMNS):
        series = cell_code(row, "indicator_code", line, {code: code for code in UNSD_SERIES})
        if row["unit"] != "PERCENT":
            raise ParseError(
                _("unit '%(unit)s' is not PERCENT") % {"unit": row["unit"]},
                row=line,
                column="unit",
            )
        nature = row["nature"]
        if nature not in NATURE_CODES:
            raise ParseError(
                _("unknown nature flag '%(nature)s'") % {"nature": nature},
                row=line,
                column="nature",
            )
        first = _extract_date(row, "first_seen_extract", line)
        last = _extract_date(row, "last_seen_extract", line)
        if last < first:
            raise ParseError(_("last seen before first seen"), row=line, column="last_seen_extract")
        latest = cell_code(row, "in_latest_extract", line, {"yes": True, "no": False})
        firsts.append(first)
        lasts.append(last)
        if REPLACED in row["note"]:
            if latest:
                raise ParseError(
                    _("a row of the newest extract cannot be REPLACED"),
                    row=line,
                    column="note",
                )
            out.replaced_lines.append(line)
            continue
        # Notes are data, stored in English like the publishers' own notes.
        seen = f"In UN SDG database extracts {first} to {last}."
        obs = ObservationRow(
            series=series,
            geo=_unsd_geo(row, line),
            year=cell_year(row, "year", line),
            value=cell_float(row, "value", line),
            unit="PERCENT",
            sex=_sex(row, line),
            age=_age(row, line),
            nature=nature,
            note=f"{seen} {row['note']}".strip() if row["note"] else seen,
            line=line,
        )
        (out.current if latest else out.history).append(obs)
    out.first_extract = min(firsts, default="")
    out.last_extract = max(lasts, default="")
    return out


# --- ILOSTAT ------------------------------------------------------------------------------------

ILOSTAT_COLUMNS = (*COMMON_COLUMNS, "school_attendance", "survey_source", "obs_status")
ILOSTAT_SERIES = "CLD_XSNA_SEX_AGE_STU_NB"
ILOSTAT_UNIT = "thousands of children"
ILOSTAT_AGES = frozenset({"Y5T17"})  # the totals of a trend; the other bands stay in the file
ILOSTAT_ATTENDANCE = ("Total", "Attending", "Not attending", "Not elsewhere classified")
IMPLAUSIBLE = "IMPLAUSIBLY SMALL"
MODELLED_SOURCE = "ILO - Modelled Estimates"
# ILOSTAT region names (no ISO3) -> geography codes of the bundled geographies (sdg87.geo):
# World (M49 001) and the five ILO regions. ILO subregions have no geography: skipped.
ILO_REGIONS = {
    "World": "001",
    "Africa": "ILO_AFRICA",
    "Americas": "ILO_AMERICAS",
    "Arab States": "ILO_ARAB_STATES",
    "Asia and the Pacific": "ILO_ASIA_PACIFIC",
    "Europe and Central Asia": "ILO_EUROPE_CENTRAL_ASIA",
}


@dataclass
class IlostatTable:
    rows: list[ObservationRow] = field(default_factory=list)
    implausible_lines: list[int] = field(default_factory=list)  # flagged, not loaded
    skipped_regions: set[str] = field(default_factory=set)  # no geography for them


def parse_ilostat_children_in_employment(text: str) -> IlostatTable:
    """ILOSTAT children in employment (thousands): ages 5-17, school attendance Total, every
    sex; flagged implausible rows and subregions left out (see the module docstring)."""
    out = IlostatTable()
    for line, row in read_rows(text, required=ILOSTAT_COLUMNS):
        cell_code(row, "indicator_code", line, {ILOSTAT_SERIES: ILOSTAT_SERIES})
        attendance = cell_code(row, "school_attendance", line, {a: a for a in ILOSTAT_ATTENDANCE})
        sex, age = _sex(row, line), _age(row, line)
        year = cell_year(row, "year", line)
        value = cell_float(row, "value", line)
        if row["unit"] != ILOSTAT_UNIT:
            raise ParseError(
                _("unit '%(unit)s' is not '%(expected)s'")
                % {"unit": row["unit"], "expected": ILOSTAT_UNIT},
                row=line,
                column="unit",
            )
        if value < 0:
            raise ParseError(_("a count cannot be negative"), row=line, column="value")
        if attendance != "Total" or age not in ILOSTAT_AGES:
            continue
        if IMPLAUSIBLE in row["note"]:
            out.implausible_lines.append(line)
            continue
        geo = _iso3(row, line, required=False)
        if not geo:
            name = cell_text(row, "country", line)
            if name not in ILO_REGIONS:
                out.skipped_regions.add(name)
                continue
            geo = ILO_REGIONS[name]
        survey = row["survey_source"]
        parts = [
            f"Survey: {survey}" if survey else "",
            row["obs_status"],
            row["note"],
        ]
        out.rows.append(
            ObservationRow(
                series=ILOSTAT_SERIES,
                geo=geo,
                year=year,
                value=value,
                unit="THOUSANDS",
                sex=sex,
                age=age,
                nature="M" if survey == MODELLED_SOURCE else "",
                note="; ".join(p for p in parts if p),
                line=line,
            )
        )
    return out
