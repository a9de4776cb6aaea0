"""Pure comparisons of pack content (no Django): a listing's history across List editions, and
what changed between two versions of a pack.

Content is the JSON-ready dict built by sdg87.packs.selectors.pack_content_build. Figures are
compared by a key naming the data point (series, year, sex, age; tier year; convention code
...), so a changed value shows as "changed", a new data point as "added", a dropped one as
"removed".
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

Content = Mapping[str, Any]


@dataclass(frozen=True)
class HistoryEvent:
    edition: int
    event: str  # "added" (first listed), "removed" (absent after being listed), "relisted"


def listing_history(*, editions: Sequence[int], listed: Iterable[int]) -> list[HistoryEvent]:
    """Events of one good-country pair across the List editions (`editions`: every edition
    year, any order; `listed`: the years in which the pair appears)."""
    listed_years = set(listed)
    events: list[HistoryEvent] = []
    was_listed = False
    seen = False
    for year in sorted(set(editions)):
        now = year in listed_years
        if now and not was_listed:
            events.append(HistoryEvent(year, "relisted" if seen else "added"))
            seen = True
        elif was_listed and not now:
            events.append(HistoryEvent(year, "removed"))
        was_listed = now
    return events


@dataclass(frozen=True)
class Change:
    section: str  # the content key: listings, child_labour, gsi, tiers, ...
    key: str  # the data point, readable: "2021", "SL_TLF_CHLDEA 2016 F Y5T17", "C182"
    change: str  # "added", "removed", "changed"
    before: str = ""
    after: str = ""


def _listing_value(row: Mapping[str, Any]) -> str:
    kinds = [k for k in ("child_labour", "forced_labour", "forced_child_labour") if row.get(k)]
    return "+".join(kinds) or "-"


def _observation_key(row: Mapping[str, Any]) -> str:
    return " ".join(
        str(part)
        for part in (row["series"], row["year"], row["sex"], row["age"], row.get("dimensions", ""))
        if part != ""
    )


def _value(field: str) -> Callable[[Mapping[str, Any]], str]:
    return lambda row: "" if row.get(field) is None else str(row.get(field))


# section -> (rows of the content, key of a row, shown value of a row)
KeyFn = Callable[[Mapping[str, Any]], str]
SECTIONS: dict[str, tuple[Callable[[Content], list[Mapping[str, Any]]], KeyFn, KeyFn]] = {
    "listings": (lambda c: c["listings"], lambda r: str(r["edition"]), _listing_value),
    "child_labour": (lambda c: c["child_labour"], _observation_key, _value("value")),
    "gsi": (lambda c: c["gsi"], _observation_key, _value("value")),
    "tiers": (lambda c: c["tiers"], lambda r: str(r["year"]), _value("tier")),
    "advancement": (lambda c: c["advancement"], lambda r: str(r["report_year"]), _value("level")),
    "ratifications": (
        lambda c: (c["ratifications"] or {}).get("items", []),
        lambda r: str(r["code"]),
        _value("value_text"),
    ),
    "legal_standards": (
        lambda c: (c["legal_standards"] or {}).get("items", []),
        lambda r: " ".join(p for p in (r["code"], r["territory"]) if p),
        lambda r: f"{r['standard']} {r['age']}".strip(),
    ),
    "enforcement": (
        lambda c: c["enforcement"],
        lambda r: " ".join(str(p) for p in (r["code"], r["report_year"], r["territory"]) if p),
        _value("value_text"),
    ),
    "suggested_actions": (
        lambda c: (c["suggested_actions"] or {}).get("items", []),
        lambda r: f"{r['report_year']} #{r['order']}",
        _value("action"),
    ),
    "evidence": (
        lambda c: (c["evidence"] or {}).get("cells", []),
        lambda r: f"{r['intervention']} / {r['outcome']}",
        _value("studies"),
    ),
}


def content_diff(*, before: Content | None, after: Content) -> list[Change]:
    """What changed from `before` to `after`, section by section in SECTIONS order; an empty
    list when nothing did (and when there is no previous version)."""
    if before is None:
        return []
    changes: list[Change] = []
    for section, (rows_of, key_of, value_of) in SECTIONS.items():
        old = {key_of(r): value_of(r) for r in rows_of(before)}
        new = {key_of(r): value_of(r) for r in rows_of(after)}
        for key, value in new.items():
            if key not in old:
                changes.append(Change(section, key, "added", after=value))
            elif old[key] != value:
                changes.append(Change(section, key, "changed", before=old[key], after=value))
        for key, value in old.items():
            if key not in new:
                changes.append(Change(section, key, "removed", before=value))
    return changes
