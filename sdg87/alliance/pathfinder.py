"""Alliance 8.7 Pathfinder countries, read from the bundled, verified table.

Only rows marked `verified` are used (data/alliance87/pathfinder_countries.csv; see
data/PROVENANCE.md). The roadmaps and working structures of the Alliance grow here.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from django.conf import settings
from django.utils.translation import gettext as _

from sdg87.core.ingest import read_rows

PATHFINDER_FILE = Path("alliance87") / "pathfinder_countries.csv"


@dataclass(frozen=True)
class PathfinderEntry:
    iso3: str
    status: str
    notes: str
    source_url: str

    @property
    def status_label(self) -> str:
        return pathfinder_status_label(self.status)


def pathfinder_status_label(status: str) -> str:
    statuses = {
        "named_as_pathfinder": _("named as a Pathfinder Country"),
        "candidate_presented": _("candidacy presented"),
        "commitment_expressed": _("commitment expressed"),
        "strategic_workshop_held": _("national strategic workshop held"),
        "roadmap_drafted": _("national roadmap drafted"),
        "roadmap_adopted": _("national roadmap adopted"),
        "roadmap_launched": _("national roadmap launched"),
    }
    return statuses.get(status, status.replace("_", " "))


def parse_pathfinders(text: str) -> dict[str, PathfinderEntry]:
    """{ISO3: entry} for the verified rows of the Pathfinder table (ParseError, with its row,
    for a table that cannot be read)."""
    out: dict[str, PathfinderEntry] = {}
    for _row_number, row in read_rows(text, required=("iso3", "verification_status")):
        if row["verification_status"] != "verified":
            continue
        iso3 = row["iso3"].upper()
        if len(iso3) != 3:
            continue
        out[iso3] = PathfinderEntry(
            iso3=iso3,
            status=row.get("status", ""),
            notes=row.get("notes", ""),
            source_url=row.get("source_url", ""),
        )
    return out


@lru_cache(maxsize=1)
def pathfinder_countries() -> dict[str, PathfinderEntry]:
    path = Path(settings.SDG87_DATA_DIR) / PATHFINDER_FILE
    if not path.exists():
        return {}
    return parse_pathfinders(path.read_text(encoding="utf-8"))


def pathfinder_get(*, iso3: str) -> PathfinderEntry | None:
    return pathfinder_countries().get(iso3.upper())
