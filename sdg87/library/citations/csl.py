"""CSL-JSON (https://citeproc-js.readthedocs.io/en/latest/csl-json/markup.html) from records:
the input of citeproc-py and the `.json` export (Zotero, Pandoc and Mendeley read it)."""

from __future__ import annotations

import json
from typing import Any

from sdg87.library.citations.record import CitationRecord, Person, unique_keys

# The item types of CSL 1.0.2 (csl-data.json schema).
CSL_TYPES = frozenset(
    {
        "article",
        "article-journal",
        "article-magazine",
        "article-newspaper",
        "bill",
        "book",
        "broadcast",
        "chapter",
        "classic",
        "collection",
        "dataset",
        "document",
        "entry",
        "entry-dictionary",
        "entry-encyclopedia",
        "event",
        "figure",
        "graphic",
        "hearing",
        "interview",
        "legal_case",
        "legislation",
        "manuscript",
        "map",
        "motion_picture",
        "musical_score",
        "pamphlet",
        "paper-conference",
        "patent",
        "performance",
        "periodical",
        "personal_communication",
        "post",
        "post-weblog",
        "regulation",
        "report",
        "review",
        "review-book",
        "software",
        "song",
        "speech",
        "standard",
        "thesis",
        "treaty",
        "webpage",
    }
)


def _name(creator: Any) -> dict[str, str]:
    if isinstance(creator, Person):
        name = {"family": creator.family}
        if creator.given:
            name["given"] = creator.given
        return name
    # An organisation is one literal name: citeproc never initialises or inverts it.
    return {"literal": creator.name}


def csl_item(record: CitationRecord, key: str = "") -> dict[str, Any]:
    """One CSL-JSON item. Empty fields are left out."""
    item: dict[str, Any] = {
        "id": key or record.slug or "item",
        "type": record.mapping.csl,
        "title": record.title,
    }
    if record.creators:
        item["author"] = [_name(c) for c in record.creators]
    if record.issued:
        item["issued"] = {"date-parts": [record.issued.parts()]}
    if record.accessed:
        a = record.accessed
        item["accessed"] = {"date-parts": [[a.year, a.month, a.day]]}
    optional = {
        "publisher": record.publisher,
        "publisher-place": record.publisher_place,
        "container-title": record.container_title,
        "volume": record.volume,
        "issue": record.issue,
        "page": record.pages,
        "number": record.number,
        "DOI": record.doi,
        "ISBN": record.isbns[0] if record.isbns else "",
        "URL": record.url,
        "language": record.language,
        "version": record.version,
        "abstract": record.abstract,
    }
    item.update({k: v for k, v in optional.items() if v})
    return item


def csl_items(records: list[CitationRecord]) -> list[dict[str, Any]]:
    return [csl_item(r, key) for r, key in zip(records, unique_keys(records), strict=True)]


def csl_json(records: list[CitationRecord]) -> str:
    """The records as a CSL-JSON array (always an array, even of one)."""
    return json.dumps(csl_items(records), ensure_ascii=False, indent=2) + "\n"
