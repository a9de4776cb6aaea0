"""Our World in Data child labour datasets (data/owid/, PROVENANCE.md section 7).

OWID's unit annotations in the datapackages are partly wrong (e.g. "people" for a share); the
units here follow the column descriptions: shares are percent, counts are numbers of children.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from sdg87.core.ingest import ParseError, cell_float, cell_year, read_rows
from sdg87.indicators.ingest.common import ObservationRow

WORLD_ILO_COLUMNS = (
    "Entity",
    "Year",
    "Child Labor (All, World, ILO-IPEC)",
    "Child Labor (Boys, World, 2000-2012) (ILO)",
    "Child Labor (Girls, World, 2000-2012) (ILO)",
    "Children (5-14 years) in employment (ILO)",
    "Children (5-14 years) not in employment (ILO)",
    "Child labor (incidence) (ILO)",
)
# column -> (series, unit, sex, age) for the World rows
WORLD_COLUMNS = {
    "Child Labor (All, World, ILO-IPEC)": ("OWID_CHILD_EMPL_PCT", "PERCENT", "_T", "Y5T17"),
    "Child Labor (Boys, World, 2000-2012) (ILO)": ("OWID_CHILD_EMPL_PCT", "PERCENT", "M", "Y5T17"),
    "Child Labor (Girls, World, 2000-2012) (ILO)": ("OWID_CHILD_EMPL_PCT", "PERCENT", "F", "Y5T17"),
    "Children (5-14 years) in employment (ILO)": ("OWID_CHILD_EMPL_NUM", "NUMBER", "_T", "Y5T14"),
    "Children (5-14 years) not in employment (ILO)": (
        "OWID_CHILD_NOT_EMPL_NUM",
        "NUMBER",
        "_T",
        "Y5T14",
    ),
}
INCIDENCE_COLUMN = "Child labor (incidence) (ILO)"
AGE_ENTITIES = {"5-14 years": "Y5T14", "15-17 years": "Y15T17"}

HISTORICAL_COLUMN = (
    "Child Labor (% children recorded as working) (Cunningham and Viazzo (1996) and others)"
)
# entity -> (geography, age, dimensions, note); see the datapackage description
HISTORICAL_ENTITIES: dict[str, tuple[str, str, dict[str, str], str]] = {
    "England": ("GBR", "Y10T14", {"coverage": "ENGLAND"}, "England only (Cunningham and Viazzo)"),
    "Italy": ("ITA", "Y10T14", {}, "Toniolo and Vecchi (2007)"),
    "United States": ("USA", "Y10T13", {}, "Long (1958); weighted average of boys and girls"),
    "World, ILO-EPEAP": ("001", "Y10T14", {"estimate": "ILO_EPEAP"}, "ILO-EPEAP (Basu, 1999)"),
    "World, ILO-IPEC": ("001", "Y5T17", {"estimate": "ILO_IPEC"}, "ILO-IPEC (2013)"),
}


def parse_owid_child_labor_world(text: str) -> list[ObservationRow]:
    rows: list[ObservationRow] = []
    for line, row in read_rows(text, required=WORLD_ILO_COLUMNS):
        entity = row["Entity"]
        year = cell_year(row, "Year", line)
        if entity == "World":
            for column, (series, unit, sex, age) in WORLD_COLUMNS.items():
                if row[column]:
                    rows.append(
                        ObservationRow(
                            series=series,
                            geo="001",
                            year=year,
                            value=cell_float(row, column, line, thousands=True),
                            unit=unit,
                            sex=sex,
                            age=age,
                            line=line,
                        )
                    )
        elif entity in AGE_ENTITIES:
            if row[INCIDENCE_COLUMN]:
                rows.append(
                    ObservationRow(
                        series="OWID_CHILD_EMPL_PCT",
                        geo="001",
                        year=year,
                        value=cell_float(row, INCIDENCE_COLUMN, line, thousands=True),
                        unit="PERCENT",
                        age=AGE_ENTITIES[entity],
                        line=line,
                    )
                )
        else:
            raise ParseError(
                _("unknown entity '%(entity)s'") % {"entity": entity}, row=line, column="Entity"
            )
    return rows


def parse_owid_incidence_historical(text: str) -> list[ObservationRow]:
    rows: list[ObservationRow] = []
    for line, row in read_rows(text, required=("Entity", "Year", HISTORICAL_COLUMN)):
        entity = row["Entity"]
        if entity not in HISTORICAL_ENTITIES:
            raise ParseError(
                _("unknown entity '%(entity)s'") % {"entity": entity}, row=line, column="Entity"
            )
        geo, age, dims, note = HISTORICAL_ENTITIES[entity]
        rows.append(
            ObservationRow(
                series="OWID_CL_INCIDENCE",
                geo=geo,
                year=cell_year(row, "Year", line),
                value=cell_float(row, HISTORICAL_COLUMN, line, thousands=True),
                unit="PERCENT",
                age=age,
                dimensions=dict(dims),
                note=note,
                line=line,
            )
        )
    return rows
