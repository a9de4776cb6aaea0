"""Hand-built global estimates tables (data/global_estimates/, PROVENANCE.md section 3).

Rows whose `verification_status` is `unverified` are never loaded: the parsers skip them and
report their row numbers. Other statuses than `verified` are kept and named in the note.

Mapping (documented in docs and the Series metadata):
* `dimension` total/region_*/income_group: the category is the age band; the geography is World,
  the ILO region (`ILO_AFRICA` ...), the SDG region (M49) or the income group (`WB_LIC` ...).
* sex: girls/boys -> F/M; age: the category is the age band (`5-11` -> Y5T11).
* sector/area -> dimensions {"sector": AGRICULTURE|INDUSTRY|SERVICES} / {"area": RURAL|URBAN}.
* change_since_2016, out_of_school, covid_projection_end_2022 -> separate series (a change, a
  share of child labourers out of school and a projection are not levels of the same measure).
* Units are the file's unit names in upper case (MILLION_CHILDREN, PER_1000_POPULATION, ...);
  values are never rescaled.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from sdg87.core.ingest import ParseError, cell_float, cell_text, cell_year, read_rows
from sdg87.indicators.ingest.common import AGE_CODES, ObservationRow

STATUSES = {"verified", "verified_secondary", "verified_approx", "verified_conflicting"}
UNVERIFIED = "unverified"

ILO_REGIONS = {
    "Africa": "ILO_AFRICA",
    "Americas": "ILO_AMERICAS",
    "Arab States": "ILO_ARAB_STATES",
    "Asia and the Pacific": "ILO_ASIA_PACIFIC",
    "Europe and Central Asia": "ILO_EUROPE_CENTRAL_ASIA",
    # ILO-IPEC (2013) grouped Africa as Sub-Saharan Africa; stored against the M49 region with a
    # note that the report's own grouping applies.
    "Sub-Saharan Africa": "202",
}
SDG_REGIONS = {
    "World": "001",
    "Sub-Saharan Africa": "202",
    "Central and Southern Asia": "062",
    "Eastern and South-Eastern Asia": "753",
    "Europe and Northern America": "513",
    "Latin America and the Caribbean": "419",
    "Northern Africa and Western Asia": "747",
    "Oceania": "009",
}
INCOME_GROUPS = {
    "Low income countries": "WB_LIC",
    "Lower-middle income countries": "WB_LMC",
    "Upper-middle income countries": "WB_UMC",
    "High income countries": "WB_HIC",
}
SECTORS = {"agriculture": "AGRICULTURE", "industry": "INDUSTRY", "services": "SERVICES"}
AREAS = {"rural": "RURAL", "urban": "URBAN"}
SEX_CATEGORIES = {"girls": "F", "boys": "M"}

CHILD_LABOUR_REPORTS = {
    "ILO (2010) Accelerating action against child labour (Global Report)": "ilo-cl-ge-2010",
    "ILO-IPEC (2013) Marking progress against child labour: Global estimates and trends "
    "2000-2012": "ilo-cl-ge-2013",
    "ILO (2017) Global estimates of child labour: Results and trends, 2012-2016": "ilo-cl-ge-2017",
    "ILO & UNICEF (2021) Child Labour: Global estimates 2020, trends and the road forward": (
        "ilo-unicef-cl-ge-2021"
    ),
    "ILO & UNICEF (2025) Child Labour: Global estimates 2024, trends and the road forward": (
        "ilo-unicef-cl-ge-2025"
    ),
}
MODERN_SLAVERY_REPORTS = {
    "ILO & Walk Free Foundation, with IOM (2017) Global Estimates of Modern Slavery: Forced "
    "Labour and Forced Marriage (reference year 2016)": "gems-2017",
    "ILO, Walk Free & IOM (2022) Global Estimates of Modern Slavery: Forced Labour and Forced "
    "Marriage (reference year 2021)": "gems-2022",
    "ILO (2024) Profits and poverty: The economics of forced labour (uses the 2021 estimates)": (
        "ilo-profits-poverty-2024"
    ),
    "Walk Free (2023) Global Slavery Index 2023 - Regional overview": "gsi-2023",
}

CL_SERIES = {
    ("child_labour", "million_children"): "ILO_CL_NUM",
    ("child_labour", "percent_of_children_5_17"): "ILO_CL_PCT",
    ("child_labour", "percent_of_child_labour"): "ILO_CL_SHARE",
    ("hazardous_work", "million_children"): "ILO_HAZ_NUM",
    ("hazardous_work", "percent_of_children_5_17"): "ILO_HAZ_PCT",
}
CL_SPECIAL_SERIES = {
    ("change_since_2016", "child_labour"): "ILO_CL_CHANGE_NUM",
    ("change_since_2016", "hazardous_work"): "ILO_HAZ_CHANGE_NUM",
    ("out_of_school", "child_labour"): "ILO_CL_OUT_OF_SCHOOL_PCT",
    ("covid_projection_end_2022", "child_labour"): "ILO_CL_COVID_PROJ_NUM",
}

# Modern slavery categories -> (form, sex, age, subgroup). Subgroup is set only for shares
# whose numerator is a sub-form (e.g. state-imposed forced labour as a share of forced labour).
MS_CATEGORIES: dict[str, tuple[str, str, str, str]] = {
    "modern_slavery_total": ("MODERN_SLAVERY", "_T", "_T", ""),
    "forced_labour": ("FORCED_LABOUR", "_T", "_T", ""),
    "forced_marriage": ("FORCED_MARRIAGE", "_T", "_T", ""),
    "forced_labour_exploitation_private_economy": ("FL_PRIVATE_ECONOMY", "_T", "_T", ""),
    "forced_sexual_exploitation": ("FL_COMMERCIAL_SEXUAL", "_T", "_T", ""),
    "forced_commercial_sexual_exploitation": ("FL_COMMERCIAL_SEXUAL", "_T", "_T", ""),
    "state_imposed_forced_labour": ("FL_STATE_IMPOSED", "_T", "_T", ""),
    "privately_imposed_forced_labour": ("FL_PRIVATELY_IMPOSED", "_T", "_T", ""),
    "children_in_forced_labour": ("FORCED_LABOUR", "_T", "Y_LT18", ""),
    "children_in_modern_slavery": ("MODERN_SLAVERY", "_T", "Y_LT18", ""),
    "women_and_girls_in_forced_labour": ("FORCED_LABOUR", "F", "_T", ""),
    "women_and_girls_share_of_modern_slavery": ("MODERN_SLAVERY", "F", "_T", ""),
    "women_share_of_forced_marriage": ("FORCED_MARRIAGE", "F", "_T", ""),
    "women_share_of_forced_commercial_sexual_exploitation": ("FL_COMMERCIAL_SEXUAL", "F", "_T", ""),
    "children_share_of_modern_slavery": ("MODERN_SLAVERY", "_T", "Y_LT18", ""),
    "privately_imposed_share_of_forced_labour": (
        "FORCED_LABOUR",
        "_T",
        "_T",
        "FL_PRIVATELY_IMPOSED",
    ),
    "state_imposed_share_of_forced_labour": ("FORCED_LABOUR", "_T", "_T", "FL_STATE_IMPOSED"),
    "commercial_sexual_exploitation_share_of_forced_labour": (
        "FORCED_LABOUR",
        "_T",
        "_T",
        "FL_COMMERCIAL_SEXUAL",
    ),
}
MS_SERIES = {
    "million_people": "GEMS_NUM",
    "per_1000_population": "GEMS_PREV",
    "percent": "GEMS_SHARE_PCT",
    "fraction": "GEMS_SHARE_FRACTION",
}
GSI_SERIES = {
    ("MODERN_SLAVERY", "per_1000_population"): "GSI_PREV_1000",
    ("MODERN_SLAVERY", "million_people"): "GSI_NUMBER_MILLIONS",
    ("FORCED_MARRIAGE", "per_1000_population"): "GSI_FM_PREV_1000",
}

CL_COLUMNS = (
    "reference_year",
    "geography",
    "dimension",
    "category",
    "indicator",
    "unit",
    "value",
    "verification_status",
    "source_report",
    "evidence_location",
    "evidence_quote",
)
MS_COLUMNS = tuple(c for c in CL_COLUMNS if c != "indicator")


@dataclass
class EstimatesTable:
    """Rows grouped by release code (one release per source report)."""

    rows_by_release: dict[str, list[ObservationRow]] = field(default_factory=dict)
    unverified_lines: list[int] = field(default_factory=list)

    @property
    def row_count(self) -> int:
        return sum(len(rows) for rows in self.rows_by_release.values())

    def add(self, release: str, row: ObservationRow) -> None:
        """Hand-typed estimates state no nature flag: rows keep the default (not stated)."""
        self.rows_by_release.setdefault(release, []).append(row)


def _status(row: dict[str, str], line: int) -> str:
    status = row["verification_status"]
    if status != UNVERIFIED and status not in STATUSES:
        raise ParseError(
            _("unknown verification status '%(status)s'") % {"status": status},
            row=line,
            column="verification_status",
        )
    return status


def _note(row: dict[str, str], status: str, regional: bool) -> str:
    parts = []
    if status != "verified":
        parts.append(f"Verification: {status}.")
    if regional:
        parts.append("Regional grouping as used in the source report.")
    parts.append(f"Evidence: {row['evidence_location']}")
    if row["evidence_quote"]:
        parts.append(f"\u2014 \u201c{row['evidence_quote']}\u201d")
    return " ".join(parts)[:500]


def _geo(row: dict[str, str], line: int) -> tuple[str, bool]:
    """Geography code for the row and whether it is a regional grouping."""
    name, dimension = row["geography"], row["dimension"]
    if name == "World":
        return "001", False
    table = {"region_ilo": ILO_REGIONS, "income_group": INCOME_GROUPS}.get(dimension, SDG_REGIONS)
    if name not in table:
        raise ParseError(
            _("unknown geography '%(name)s'") % {"name": name}, row=line, column="geography"
        )
    return table[name], True


def _release(row: dict[str, str], line: int, reports: dict[str, str]) -> str:
    report = row["source_report"]
    if report not in reports:
        raise ParseError(
            _("unknown source report '%(report)s'") % {"report": report},
            row=line,
            column="source_report",
        )
    return reports[report]


# What a parser makes of one row's own columns: (series, sex, age, dimensions).
Classified = tuple[str, str, str, dict[str, str]]


def _known(table: dict[str, str], category: str, message: str, line: int) -> str:
    """`table[category]`; a category outside the table is a ParseError on the category column
    (`message` is translated and formatted with `%(category)s`)."""
    if category not in table:
        raise ParseError(message % {"category": category}, row=line, column="category")
    return table[category]


def _parse(
    text: str,
    columns: tuple[str, ...],
    reports: dict[str, str],
    classify: Callable[[dict[str, str], int, str, str], Classified],
) -> EstimatesTable:
    """The steps both tables share: unverified rows skipped and counted; year, value, release
    and geography read the same way; `classify(row, line, release, dimension)` maps the rest."""
    table = EstimatesTable()
    for line, row in read_rows(text, required=columns):
        status = _status(row, line)
        if status == UNVERIFIED:
            table.unverified_lines.append(line)
            continue
        year = cell_year(row, "reference_year", line)
        value = cell_float(row, "value", line, thousands=True)
        release = _release(row, line, reports)
        geo, regional = _geo(row, line)
        dimension = cell_text(row, "dimension", line)
        series, sex, age, dims = classify(row, line, release, dimension)
        table.add(
            release,
            ObservationRow(
                series=series,
                geo=geo,
                year=year,
                value=value,
                unit=row["unit"].upper(),
                sex=sex,
                age=age,
                dimensions=dims,
                note=_note(row, status, regional),
                line=line,
            ),
        )
    return table


CL_AGE_DIMENSIONS = {
    "total",
    "age",
    "region_ilo",
    "region_sdg",
    "change_since_2016",
    "out_of_school",
    "covid_projection_end_2022",
}


def _classify_child_labour(
    row: dict[str, str], line: int, release: str, dimension: str
) -> Classified:
    indicator, unit, category = row["indicator"], row["unit"], row["category"]
    series = CL_SPECIAL_SERIES.get((dimension, indicator)) or CL_SERIES.get((indicator, unit))
    if series is None:
        raise ParseError(
            _("no series for indicator '%(indicator)s' in unit '%(unit)s'")
            % {"indicator": indicator, "unit": unit},
            row=line,
            column="unit",
        )
    sex, age, dims = "_T", "Y5T17", {}
    if dimension == "sex":
        sex = _known(SEX_CATEGORIES, category, _("unknown sex category '%(category)s'"), line)
    elif dimension == "sector":
        dims = {"sector": _known(SECTORS, category, _("unknown sector '%(category)s'"), line)}
    elif dimension == "area":
        dims = {"area": _known(AREAS, category, _("unknown area '%(category)s'"), line)}
    elif dimension in CL_AGE_DIMENSIONS:
        age = _known(AGE_CODES, category, _("unknown age label '%(category)s'"), line)
    else:
        raise ParseError(
            _("unknown dimension '%(dimension)s'") % {"dimension": dimension},
            row=line,
            column="dimension",
        )
    return series, sex, age, dims


def parse_child_labour_estimates(text: str) -> EstimatesTable:
    """ilo_unicef_child_labour_global_estimates.csv -> rows per report release."""
    return _parse(text, CL_COLUMNS, CHILD_LABOUR_REPORTS, _classify_child_labour)


def _classify_modern_slavery(
    row: dict[str, str], line: int, release: str, dimension: str
) -> Classified:
    category, unit = row["category"], row["unit"]
    if category not in MS_CATEGORIES:
        raise ParseError(
            _("unknown category '%(category)s'") % {"category": category},
            row=line,
            column="category",
        )
    form, sex, age, subgroup = MS_CATEGORIES[category]
    if release == "gsi-2023":
        series = GSI_SERIES.get((form, unit))
        dims: dict[str, str] = {}
    elif dimension == "change_since_2016":
        series = "GEMS_CHANGE_NUM" if unit == "million_people" else None
        dims = {"form": form}
    else:
        series = MS_SERIES.get(unit)
        dims = {"form": form}
        if subgroup:
            dims["subgroup"] = subgroup
    if series is None:
        raise ParseError(
            _("no series for unit '%(unit)s'") % {"unit": unit}, row=line, column="unit"
        )
    return series, sex, age, dims


def parse_modern_slavery_estimates(text: str) -> EstimatesTable:
    """global_estimates_of_modern_slavery.csv -> rows per report release.

    Rows from the GSI 2023 regional overview go to release `gsi-2023` with GSI series codes.
    """
    return _parse(text, MS_COLUMNS, MODERN_SLAVERY_REPORTS, _classify_modern_slavery)
