"""The published evidence maps and frameworks that the evidence map's categories map to:
a pure reader of data/library/egm_framework.csv (see data/library/PROVENANCE-evidence.md).

Only `verified` rows are read: an unverified row is never shown as a framework's category.
`maps_to_platform_category` holds the platform's own codes (`;` between two); the code
`other` exists on both axes, so a row's axis is that of the other codes of its block (the
rows of one framework and dimension): outcome when they are all outcome codes, otherwise
intervention.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from django.conf import settings

from sdg87.library.vocabulary import Intervention, Outcome

FRAMEWORK_CSV = "library/egm_framework.csv"
INTERVENTION, OUTCOME = "intervention", "outcome"
_BOTH = set(Intervention.values) & set(Outcome.values)  # {"other"}


@dataclass(frozen=True)
class FrameworkItem:
    dimension: str
    order: int
    label: str
    axis: str  # INTERVENTION, OUTCOME, or "" when the row maps to no platform category
    maps_to: tuple[str, ...]


@dataclass(frozen=True)
class Framework:
    id: str
    name: str
    source_title: str
    source_authors: str
    source_year: int | None
    source_url: str
    items: tuple[FrameworkItem, ...]

    @property
    def dimensions(self) -> list[str]:
        return list(dict.fromkeys(item.dimension for item in self.items))


@dataclass(frozen=True)
class Mapping:
    """The categories of one framework that map to one platform category."""

    framework: Framework
    labels: tuple[str, ...]


def _axis(codes: set[str]) -> str:
    """The axis of a block of rows from the codes they map to (see the module docstring)."""
    specific = codes - _BOTH
    if specific and specific <= set(Outcome.values):
        return OUTCOME
    return INTERVENTION


def frameworks_parse(text: str) -> list[Framework]:
    """Frameworks in file order, each with its verified rows in `item_order` order."""
    rows = [
        r
        for r in csv.DictReader(io.StringIO(text))
        if (r.get("verification_status") or "").strip() == "verified"
    ]
    blocks: dict[tuple[str, str], set[str]] = {}
    for r in rows:
        codes = {c.strip() for c in (r.get("maps_to_platform_category") or "").split(";")}
        blocks.setdefault((r["framework_id"], r["dimension"]), set()).update(c for c in codes if c)
    frameworks: dict[str, dict[str, object]] = {}
    items: dict[str, list[FrameworkItem]] = {}
    for r in rows:
        fid = r["framework_id"].strip()
        if fid not in frameworks:
            year = (r.get("source_year") or "").strip()
            frameworks[fid] = {
                "name": r["framework_name"].strip(),
                "source_title": (r.get("source_title") or "").strip(),
                "source_authors": (r.get("source_authors") or "").strip(),
                "source_year": int(year) if year.isdigit() else None,
                "source_url": (r.get("source_url") or "").strip(),
            }
            items[fid] = []
        maps_to = tuple(
            c.strip() for c in (r.get("maps_to_platform_category") or "").split(";") if c.strip()
        )
        order = (r.get("item_order") or "").strip()
        items[fid].append(
            FrameworkItem(
                dimension=r["dimension"].strip(),
                order=int(order) if order.isdigit() else 0,
                label=r["category_label"].strip(),
                axis=_axis(blocks[(r["framework_id"], r["dimension"])]) if maps_to else "",
                maps_to=maps_to,
            )
        )
    return [
        Framework(
            id=fid,
            name=str(meta["name"]),
            source_title=str(meta["source_title"]),
            source_authors=str(meta["source_authors"]),
            source_year=meta["source_year"] if isinstance(meta["source_year"], int) else None,
            source_url=str(meta["source_url"]),
            items=tuple(sorted(items[fid], key=lambda item: (item.dimension, item.order))),
        )
        for fid, meta in frameworks.items()
    ]


def mappings_for(frameworks: Iterable[Framework], *, axis: str, code: str) -> list[Mapping]:
    """The frameworks with a category mapped to the platform's `code` on `axis`, with the
    labels of those categories as the framework prints them."""
    out = []
    for framework in frameworks:
        labels = tuple(
            item.label for item in framework.items if item.axis == axis and code in item.maps_to
        )
        if labels:
            out.append(Mapping(framework=framework, labels=labels))
    return out


@lru_cache(maxsize=1)
def _read(path: str) -> tuple[Framework, ...]:
    return tuple(frameworks_parse(Path(path).read_text("utf-8")))


def framework_list() -> list[Framework]:
    """The bundled frameworks (data/library/egm_framework.csv, verified rows only)."""
    return list(_read(str(Path(settings.SDG87_DATA_DIR) / FRAMEWORK_CSV)))
