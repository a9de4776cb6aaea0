"""What changed between two versions of a publication (pure: works on the versions' metadata
snapshots, sdg87.library.snapshots).

A field is listed when its value differs. Lists of plain values (themes, countries, ISBNs, SDG
targets) say what was added and removed; creators and files are compared as whole entries
(an author or a file whose details changed is one removed and one added).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class FieldChange:
    field: str
    old: str
    new: str
    added: tuple[str, ...] = ()
    removed: tuple[str, ...] = ()


def _text(value: Any) -> str:
    if value is None or value == "" or value == []:
        return ""
    if isinstance(value, dict):
        if value.get("family") or value.get("name"):  # a creator
            name = value.get("name") or ", ".join(
                p for p in (value.get("family"), value.get("given")) if p
            )
            return f"{name} (ORCID {value['orcid']})" if value.get("orcid") else str(name)
        if "sha256" in value:  # a file
            return f"{value.get('title') or value.get('media_type', '')} ({value['sha256'][:12]})"
        return json.dumps(value, sort_keys=True, ensure_ascii=False)
    if isinstance(value, list):
        return "; ".join(_text(v) for v in value)
    return str(value)


def snapshot_diff(old: dict[str, Any], new: dict[str, Any]) -> list[FieldChange]:
    """The fields whose values differ, in the newer snapshot's key order (then the older's)."""
    changes: list[FieldChange] = []
    keys = list(new) + [k for k in old if k not in new]
    for key in keys:
        a, b = old.get(key), new.get(key)
        if a == b or (not a and not b):
            continue
        if isinstance(a, list | type(None)) and isinstance(b, list | type(None)):
            before = [_text(v) for v in a or []]
            after = [_text(v) for v in b or []]
            changes.append(
                FieldChange(
                    key,
                    _text(a),
                    _text(b),
                    added=tuple(v for v in after if v not in before),
                    removed=tuple(v for v in before if v not in after),
                )
            )
        else:
            changes.append(FieldChange(key, _text(a), _text(b)))
    return changes
