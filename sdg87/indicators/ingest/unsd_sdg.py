"""UN SDG Global Database extracts (data/unsd_sdg/*.csv, Dec 2023, via Open Numbers DDF).

Sex and age labels become SDMX codes; units and the UNSD nature flag are kept as published.
16.2.2 series carry the form of exploitation as the dimension `exploitation`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from sdg87.core.ingest import ParseError, cell_code, cell_float, cell_text, cell_year, read_rows
from sdg87.indicators.ingest.common import AGE_CODES, NATURE_CODES, SEX_CODES, ObservationRow

COLUMNS = (
    "series_code",
    "series_description",
    "sdg_indicator",
    "geo_area_code_m49",
    "geo_area_name",
    "iso3",
    "age_group",
    "sex",
    "nature",
    "units",
    "year",
    "value",
)

# Form of exploitation of the 16.2.2 series (UNODC), as an SDMX-style dimension code.
EXPLOITATION_BY_SERIES = {
    "VC_HTF_DETV": "_T",
    "VC_HTF_DETVR": "_T",
    "VC_HTF_DETVFL": "FORCED_LABOUR",
    "VC_HTF_DETVFLR": "FORCED_LABOUR",
    "VC_HTF_DETVSX": "SEXUAL",
    "VC_HTF_DETVSXR": "SEXUAL",
    "VC_HTF_DETVOG": "ORGAN_REMOVAL",
    "VC_HTF_DETVOGR": "ORGAN_REMOVAL",
    "VC_HTF_DETVOP": "OTHER",
    "VC_HTF_DETVOPR": "OTHER",
}


@dataclass
class UnsdTable:
    rows: list[ObservationRow] = field(default_factory=list)
    # series code -> (UN series description, SDG indicator, unit)
    series: dict[str, tuple[str, str, str]] = field(default_factory=dict)
    # M49 code -> UN area name, for areas without ISO3 (World, regions, groups)
    aggregates: dict[str, str] = field(default_factory=dict)


def parse_unsd_sdg(text: str) -> UnsdTable:
    """Parse one UN SDG extract. Countries are keyed by ISO3, aggregates by M49 code."""
    table = UnsdTable()
    for line, row in read_rows(text, required=COLUMNS):
        series = cell_text(row, "series_code", line)
        indicator = cell_text(row, "sdg_indicator", line)
        unit = cell_text(row, "units", line)
        m49 = cell_text(row, "geo_area_code_m49", line)
        if not m49.isdigit() or len(m49) > 3:
            raise ParseError(
                _("'%(m49)s' is not an M49 code") % {"m49": m49},
                row=line,
                column="geo_area_code_m49",
            )
        iso3 = row["iso3"].upper()
        if iso3 and not (len(iso3) == 3 and iso3.isalpha()):
            raise ParseError(
                _("'%(iso3)s' is not an ISO3 code") % {"iso3": iso3}, row=line, column="iso3"
            )
        nature = row["nature"]
        if nature not in NATURE_CODES:
            raise ParseError(
                _("unknown nature flag '%(nature)s'") % {"nature": nature},
                row=line,
                column="nature",
            )
        dimensions: dict[str, str] = {}
        if series.startswith("VC_HTF_"):
            if series not in EXPLOITATION_BY_SERIES:
                raise ParseError(
                    _("unknown 16.2.2 series '%(series)s'") % {"series": series},
                    row=line,
                    column="series_code",
                )
            dimensions["exploitation"] = EXPLOITATION_BY_SERIES[series]
        table.rows.append(
            ObservationRow(
                series=series,
                geo=iso3 or m49.zfill(3),
                year=cell_year(row, "year", line),
                value=cell_float(row, "value", line, thousands=True),
                unit=unit,
                sex=cell_code(row, "sex", line, SEX_CODES),
                age=cell_code(row, "age_group", line, AGE_CODES),
                nature=nature,
                dimensions=dimensions,
                line=line,
            )
        )
        table.series.setdefault(series, (row["series_description"], indicator, unit))
        if not iso3:
            table.aggregates.setdefault(m49.zfill(3), row["geo_area_name"])
    return table
