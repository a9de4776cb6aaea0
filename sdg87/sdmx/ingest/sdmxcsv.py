"""SDMX-CSV 1.0 and 2.0 data -> ObservationRows (pure).

1.0: the first column is DATAFLOW; 2.0: STRUCTURE, STRUCTURE_ID and optionally ACTION (only
`I` information, `A` append and `R` replace are read: a new release holds data, it cannot
delete any). Headers and coded cells may carry labels ("REF_AREA: Reference area",
"524: Nepal", as `labels=both` writes them); the code before ": " is used. Each data row is
one observation; its line (header = 1) names it in every problem. Columns other than the
dimensions and attributes of the platform's two DSDs and SDMX's cross-domain attributes are
read as dimensions (common.KNOWN_ATTRIBUTES).
"""

from __future__ import annotations

import csv
from pathlib import Path

from django.utils.translation import gettext as _

from sdg87.core.ingest import Problems
from sdg87.core.textsafe import bad_reason
from sdg87.sdmx.ingest.common import KNOWN_ATTRIBUTES, Mapper, Parsed, SdmxError

MAX_CELL_CHARS = 131_072
LEADS = {"DATAFLOW": 1, "STRUCTURE": 2}
ACTIONS = {"I", "A", "R"}
# Columns whose cells are free text: a ": " in them is part of the text, not a label.
TEXT_COLUMNS = frozenset(
    {
        "OBS_VALUE",
        "TIME_PERIOD",
        "COMMENT_OBS",
        "COMMENT_TS",
        "SOURCE_DETAIL",
        "SOURCE",
        "RELEASE",
        "TIME_DETAIL",
        "GEO_INFO_URL",
    }
)


def is_sdmx_csv(first_line: str) -> bool:
    """Whether the first line of a CSV file is an SDMX-CSV header."""
    try:
        header = next(csv.reader([first_line]))
    except (csv.Error, StopIteration):
        return False
    cells = [c.strip().lstrip("\ufeff") for c in header]
    if cells[:1] == ["DATAFLOW"]:
        return True
    return cells[:2] == ["STRUCTURE", "STRUCTURE_ID"]


def _code(cell: str) -> str:
    """The code of a labelled cell ("524: Nepal" -> "524")."""
    code, sep, _label = cell.partition(": ")
    return code.strip() if sep else cell.strip()


def read(
    path: Path, *, default_series: str, problems: Problems, max_observations: int | None = None
) -> Parsed:
    mapper = Mapper(
        default_series=default_series, problems=problems, max_observations=max_observations
    )
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            reader = csv.reader(handle)
            header = next(reader, None)
            if not header:
                raise SdmxError(_("The SDMX-CSV file is empty."))
            ids = [_code(h) for h in header]
            version = LEADS.get(ids[0])
            if version is None or (version == 2 and ids[1:2] != ["STRUCTURE_ID"]):
                raise SdmxError(
                    _("Line 1 is not an SDMX-CSV header (it starts with DATAFLOW or STRUCTURE).")
                )
            lead = 1 if version == 1 else 2
            action = ids.index("ACTION") if version == 2 and "ACTION" in ids else None
            if action is not None:
                lead = max(lead, action + 1)
            components = ids[lead:]
            for required in ("TIME_PERIOD", "OBS_VALUE"):
                if required not in components:
                    raise SdmxError(
                        _("The SDMX-CSV header has no %(column)s column.") % {"column": required}
                    )
            dimension_ids = [
                c for c in components if c not in KNOWN_ATTRIBUTES and c != "OBS_VALUE"
            ]
            line = 1
            for row in reader:
                line += 1
                _check_cells(row, line)
                if not any(cell.strip() for cell in row):
                    continue
                if action is not None and action < len(row):
                    verb = row[action].strip() or "I"
                    if verb not in ACTIONS:
                        raise SdmxError(
                            _(
                                "Line %(line)s: ACTION '%(action)s' cannot be imported (only "
                                "I, A and R: a new release adds data, it deletes none)."
                            )
                            % {"line": line, "action": verb[:20]}
                        )
                # the dataflow of the row (DATAFLOW; STRUCTURE_ID): ILOSTAT's map its codes
                flow_at = 0 if version == 1 else 1
                mapper.flow = _code(row[flow_at]) if flow_at < len(row) else ""
                cells = row[lead:]
                values = {
                    cid: (cell.strip() if cid in TEXT_COLUMNS else _code(cell))
                    for cid, cell in zip(components, cells, strict=False)
                    if cell.strip()
                }
                value = values.pop("OBS_VALUE", None)
                mapper.add(values, value, dimension_ids=dimension_ids, line=line)
    except UnicodeDecodeError as exc:
        raise SdmxError(
            _("The file is not UTF-8 text (byte %(byte)s): save it as UTF-8.") % {"byte": exc.start}
        ) from exc
    except csv.Error as exc:
        raise SdmxError(_("The file cannot be read as CSV: %(error)s") % {"error": exc}) from exc
    if not mapper.parsed.observations:
        raise SdmxError(_("The SDMX-CSV file has no observations."))
    return mapper.parsed


def _check_cells(row: list[str], line: int) -> None:
    for cell in row:
        if len(cell) > MAX_CELL_CHARS:
            raise SdmxError(
                _("Line %(line)s has a cell longer than %(limit)s characters.")
                % {"line": line, "limit": MAX_CELL_CHARS}
            )
        if bad_reason(cell) is not None:
            raise SdmxError(
                _("Line %(line)s holds a character no database can store (NUL).") % {"line": line}
            )
