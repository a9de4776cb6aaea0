"""Publications bibliography, read from the bundled, verified table. Pure reader.

A stopgap until a library app owns publications: only rows marked `verified` in
data/library/publications.csv are listed (see data/PROVENANCE.md, section 11).
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from django.conf import settings

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
    """Verified rows, newest first then by title."""
    out = []
    for row in csv.DictReader(io.StringIO(text)):
        if (row.get("verification_status") or "").strip() != "verified":
            continue
        year_text = (row.get("year") or "").strip()
        url = (row.get("url") or "").strip() or (row.get("source_url") or "").split(";")[0]
        out.append(
            Publication(
                pub_id=(row.get("pub_id") or "").strip(),
                title=(row.get("title") or "").strip(),
                kind=(row.get("publication_type") or "").strip(),
                year=int(year_text) if year_text.isdigit() else None,
                publisher=(row.get("publisher") or "").strip(),
                language=(row.get("language") or "").strip()[:2],
                themes=tuple(t for t in (row.get("themes") or "").split(";") if t),
                url=url.strip(),
                summary=(row.get("summary") or "").strip(),
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
