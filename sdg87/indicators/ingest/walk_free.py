"""Walk Free Global Slavery Index 2023 country estimates (data/walk_free/, PROVENANCE.md s. 4).

The GSI 2023 country estimates refer to 2021 (they are built on the 2021 Global Estimates of
Modern Slavery), so observations get year 2021. Countries without an estimate keep only their
population row (as used by Walk Free) when one is given.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from sdg87.core.ingest import ParseError, cell_float, read_rows
from sdg87.indicators.ingest.common import ObservationRow

COLUMNS = (
    "country",
    "iso3",
    "population",
    "gsi_region",
    "prevalence_per_1000",
    "estimated_number_in_modern_slavery",
)
REFERENCE_YEAR = 2021


@dataclass
class GsiTable:
    rows: list[ObservationRow] = field(default_factory=list)
    countries_with_estimates: int = 0
    # iso3 -> GSI region name, as published (ILO regions)
    regions: dict[str, str] = field(default_factory=dict)


def parse_gsi_country_estimates(text: str) -> GsiTable:
    table = GsiTable()
    for line, row in read_rows(text, required=COLUMNS):
        iso3 = row["iso3"].upper()
        if not (len(iso3) == 3 and iso3.isalpha()):
            raise ParseError(
                _("'%(iso3)s' is not an ISO3 code") % {"iso3": row["iso3"]}, row=line, column="iso3"
            )
        table.regions[iso3] = row["gsi_region"]
        prevalence, number = row["prevalence_per_1000"], row["estimated_number_in_modern_slavery"]
        if bool(prevalence) != bool(number):
            column = (
                "prevalence_per_1000" if not prevalence else "estimated_number_in_modern_slavery"
            )
            raise ParseError(_("prevalence and number must both be given"), row=line, column=column)
        values = [
            ("GSI_POPULATION", "population", "NUMBER"),
            ("GSI_PREV_1000", "prevalence_per_1000", "PER_1000_POPULATION"),
            ("GSI_NUMBER", "estimated_number_in_modern_slavery", "NUMBER"),
        ]
        for series, column, unit in values:
            if not row[column]:
                continue
            table.rows.append(
                ObservationRow(
                    series=series,
                    geo=iso3,
                    year=REFERENCE_YEAR,
                    value=cell_float(row, column, line, thousands=True),
                    unit=unit,
                    line=line,
                )
            )
        if prevalence:
            table.countries_with_estimates += 1
    return table
