"""Publications bibliography, read from the bundled, verified table, and its vocabulary.

Only rows marked `verified` in data/library/publications.csv are listed (see
data/PROVENANCE.md, section 11). Filtered reads are in `sdg87.library.selectors`.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from django.conf import settings
from django.utils.translation import gettext as _

from sdg87.core.ingest import read_rows

PUBLICATIONS_FILE = Path("library") / "publications.csv"


@dataclass(frozen=True)
class Publication:
    pub_id: str
    title: str
    kind: str
    year: int | None
    publisher: str
    language: str
    themes: tuple[str, ...]
    url: str
    summary: str

    @property
    def link(self) -> str:
        return self.url


def parse_publications(text: str) -> list[Publication]:
    """Verified rows, newest first then by title (ParseError, with its row, for a table
    that cannot be read)."""
    out = []
    for _row_number, row in read_rows(text, required=("pub_id", "title", "verification_status")):
        if row["verification_status"] != "verified":
            continue
        year_text = row.get("year", "")
        url = row.get("url", "") or row.get("source_url", "").split(";")[0]
        out.append(
            Publication(
                pub_id=row["pub_id"],
                title=row["title"],
                kind=row.get("publication_type", ""),
                year=int(year_text) if year_text.isdigit() else None,
                publisher=row.get("publisher", ""),
                language=row.get("language", "")[:2],
                themes=tuple(t for t in row.get("themes", "").split(";") if t),
                url=url.strip(),
                summary=row.get("summary", ""),
            )
        )
    out.sort(key=lambda p: (-(p.year or 0), p.title.casefold()))
    return out


@lru_cache(maxsize=1)
def publication_list() -> tuple[Publication, ...]:
    path = Path(settings.SDG87_DATA_DIR) / PUBLICATIONS_FILE
    if not path.exists():
        return ()
    return tuple(parse_publications(path.read_text(encoding="utf-8")))


def publication_theme_labels() -> dict[str, str]:
    return {
        "child_labour": _("Child labour"),
        "forced_labour": _("Forced labour"),
        "modern_slavery": _("Modern slavery"),
        "human_trafficking": _("Human trafficking"),
        "forced_marriage": _("Forced and child marriage"),
        "supply_chains": _("Supply chains"),
        "migration": _("Migration"),
        "rule_of_law": _("Rule of law and governance"),
        "conflict_humanitarian": _("Conflict and humanitarian settings"),
        "education": _("Education"),
        "social_protection": _("Social protection"),
        "measurement": _("Measurement and statistics"),
    }


def publication_kind_labels() -> dict[str, str]:
    return {
        "report": _("Report"),
        "global_estimate": _("Global estimate"),
        "guidance_toolkit": _("Guidance or toolkit"),
        "policy_brief": _("Policy brief"),
        "declaration": _("Declaration"),
        "research_article": _("Research article"),
        "evaluation": _("Evaluation"),
    }
