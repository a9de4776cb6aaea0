"""Publications bibliography, read from the bundled, verified table, and its vocabulary.

Only rows marked `verified` in data/library/publications.csv are listed (see
data/PROVENANCE.md, section 11). Filtered reads are in `sdg87.library.selectors`.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from urllib.parse import urlsplit

from django.conf import settings
from django.utils.translation import gettext as _

from sdg87.core.ingest import read_rows

PUBLICATIONS_FILE = Path("library") / "publications.csv"

# The web domain of each publisher that has one, by a fragment of its name as the table spells
# it ("International Labour Organization (IPEC)", "20th International Conference of Labour
# Statisticians (ILO)"). A copy found on one of its publishers' own domains is the publisher's
# page, not a mirror; a copy on any other domain (UN country offices included) is a mirror.
PUBLISHER_DOMAINS: tuple[tuple[str, str], ...] = (
    ("International Labour Organization", "ilo.org"),
    ("(ILO)", "ilo.org"),
    ("UNICEF", "unicef.org"),
    ("UNODC", "unodc.org"),
    ("OECD", "oecd.org"),
    ("FAO", "fao.org"),
    ("International Organization for Migration", "iom.int"),
    ("Walk Free", "walkfree.org"),
    ("U.S. Department of Labor", "dol.gov"),
    ("U.S. Department of State", "state.gov"),
)


@dataclass(frozen=True)
class Publication:
    """A verified publication. `url` is the publisher's own page and `doi` its DOI; where
    neither is known, `copy_url` is where a copy was found (a mirror, a repost: never shown
    as the source)."""

    pub_id: str
    title: str
    kind: str
    year: int | None
    publishers: tuple[str, ...]
    language: str
    themes: tuple[str, ...]
    url: str
    summary: str
    doi: str = ""
    isbns: tuple[str, ...] = ()
    copy_url: str = ""

    @property
    def publisher(self) -> str:
        return "; ".join(self.publishers)

    @property
    def link(self) -> str:
        """The publisher's page, else the DOI's resolver; empty when neither is known."""
        if self.url:
            return self.url
        return f"https://doi.org/{self.doi}" if self.doi else ""

    @property
    def copy_host(self) -> str:
        host = urlsplit(self.copy_url).hostname or ""
        return host.removeprefix("www.")


def on_publisher_domain(url: str, publishers: tuple[str, ...]) -> bool:
    """Whether `url` is on the web domain of one of `publishers` (subdomains included)."""
    host = (urlsplit(url).hostname or "").lower()
    return any(
        fragment in name and (host == domain or host.endswith("." + domain))
        for name in publishers
        for fragment, domain in PUBLISHER_DOMAINS
    )


def _identifiers(text: str) -> tuple[str, tuple[str, ...]]:
    """(DOI, ISBNs) from the `isbn_or_doi` cell, e.g. "doi:10.1002/cl2.1116" or
    "ISBN 978-92-2-130152-3 (print); ISBN 978-92-2-130153-0 (web pdf)"."""
    doi = ""
    isbns = []
    for part in (p.strip() for p in text.split(";")):
        if part.lower().startswith("doi:"):
            doi = part[4:].strip()
        elif part.upper().startswith("ISBN"):
            isbns.append(part[4:].strip())
    return doi, tuple(isbns)


def parse_publications(text: str) -> list[Publication]:
    """Verified rows, newest first then by title (ParseError, with its row, for a table
    that cannot be read)."""
    out = []
    for _row_number, row in read_rows(text, required=("pub_id", "title", "verification_status")):
        if row["verification_status"] != "verified":
            continue
        year_text = row.get("year", "")
        url = row.get("url", "")
        doi, isbns = _identifiers(row.get("isbn_or_doi", ""))
        found_at = row.get("source_url", "").split(";")[0].strip()
        publishers = tuple(
            name.strip() for name in row.get("publisher", "").split(";") if name.strip()
        )
        if not url and on_publisher_domain(found_at, publishers):
            url = found_at
        out.append(
            Publication(
                pub_id=row["pub_id"],
                title=row["title"],
                kind=row.get("publication_type", ""),
                year=int(year_text) if year_text.isdigit() else None,
                publishers=publishers,
                language=row.get("language", "")[:2],
                themes=tuple(t for t in row.get("themes", "").split(";") if t),
                url=url,
                summary=row.get("summary", ""),
                doi=doi,
                isbns=isbns,
                copy_url="" if (url or doi) else found_at,
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
