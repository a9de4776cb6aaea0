"""SDMX in: data messages uploaded by contributors -> the ObservationRows a tidy CSV gives.

One module per format (`sdmxml`: SDMX-ML 2.1 generic and structure-specific; `sdmxcsv`:
SDMX-CSV 1.0 and 2.0; `sdmxjson`: SDMX-JSON 1.0 and 2.0) and the code mapping they share
(`common`, the inverse of `sdg87.sdmx.mapping`). Pure: no ORM, no settings. The catalog's
upload path (`sdg87.catalog.uploads`) sniffs the format and calls `read`; the rows then go
through the same checks and import service as a tidy CSV's.

The platform parses SDMX itself rather than with sdmx1: sdmx1 reads XML with lxml's defaults
(internal entities expanded) and pulls pandas into the web runtime (ADR 0015).
"""

from __future__ import annotations

from pathlib import Path

from django.utils.translation import gettext as _

from sdg87.core.ingest import Problems
from sdg87.sdmx.ingest import sdmxcsv, sdmxjson, sdmxml
from sdg87.sdmx.ingest.common import Parsed, SdmxError

__all__ = ["FORMATS", "Parsed", "SdmxError", "read", "sniff"]

FORMATS = ("SDMX-ML", "SDMX-CSV", "SDMX-JSON")
# The container each format is sniffed as, and the extension a file of it may carry.
CONTAINER = {"SDMX-ML": "XML", "SDMX-CSV": "CSV", "SDMX-JSON": "JSON"}
MEDIA_TYPES = {
    "SDMX-ML": "application/xml",
    "SDMX-CSV": "application/vnd.sdmx.data+csv",
    "SDMX-JSON": "application/vnd.sdmx.data+json",
}
_READERS = {"SDMX-ML": sdmxml.read, "SDMX-CSV": sdmxcsv.read, "SDMX-JSON": sdmxjson.read}


def sniff(head: bytes, text: str) -> str | None:
    """The SDMX format of a file from its start (`head` as bytes, `text` decoded and stripped
    of a BOM and leading blanks), or None if it is not SDMX data. An XML file with a DOCTYPE
    is an SdmxError here already, so that it is refused before it is stored."""
    if text.startswith("<"):
        if sdmxml.root_kind(head) is None:
            return None
        sdmxml.prolog_check(head)
        return "SDMX-ML"
    if text.startswith("{"):
        return "SDMX-JSON" if sdmxjson.is_sdmx_json(text) else None
    first_line = text.split("\n", 1)[0].rstrip("\r")
    return "SDMX-CSV" if sdmxcsv.is_sdmx_csv(first_line) else None


def read(
    path: Path,
    fmt: str,
    *,
    default_series: str,
    problems: Problems,
    max_bytes: int | None = None,
    max_observations: int | None = None,
) -> Parsed:
    """Read an SDMX file of format `fmt` (one of FORMATS) into ObservationRows.

    A file over `max_bytes` is refused from its size alone, before a byte is parsed; a file
    that cannot be read as SDMX at all (not well-formed, DOCTYPE, wrong structure, more than
    `max_observations`) raises SdmxError. Every problem of an observation that reads (unknown
    frequency or period, non-finite value, missing unit, duplicate key, ...) goes to `problems`
    named by its key and line; `Parsed.rows` holds the observations without a problem."""
    if fmt not in _READERS:
        raise SdmxError(_("Not an SDMX format: %(format)s") % {"format": fmt[:40]})
    size = path.stat().st_size
    if max_bytes is not None and size > max_bytes:
        raise SdmxError(
            _("The file is %(size)s bytes; the limit is %(limit)s bytes.")
            % {"size": size, "limit": max_bytes}
        )
    return _READERS[fmt](
        path, default_series=default_series, problems=problems, max_observations=max_observations
    )
