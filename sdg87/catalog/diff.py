"""'What changed' between two dataset versions (pure: works on the versions' JSON).

Metadata: every snapshot field whose value differs. Files: distributions are matched by id,
then a new file with the file it replaces (its `replaces` id), then by title. For tabular
files, rows are compared through the version's row summary (uploads.row_hashes): rows are
keyed by the data dictionary's primary key or else the first column; a key only in the newer
version is *added*, only in the older *removed*, in both with a different row hash *changed*.
If the key column is not unique, rows are keyed by their whole-row hash, so an edited row
counts as one removed plus one added.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class FieldChange:
    field: str
    old: Any
    new: Any


@dataclass
class FileChange:
    title: str
    status: str  # added | removed | changed | unchanged
    old_sha256: str = ""
    new_sha256: str = ""
    key_column: str = ""
    rows_added: int | None = None
    rows_removed: int | None = None
    rows_changed: int | None = None
    rows_compared: bool = False


@dataclass
class VersionDiff:
    old_number: int
    new_number: int
    metadata: list[FieldChange] = field(default_factory=list)
    files: list[FileChange] = field(default_factory=list)

    @property
    def has_changes(self) -> bool:
        return bool(self.metadata) or any(f.status != "unchanged" for f in self.files)


def diff_rows(old: dict[str, str], new: dict[str, str]) -> tuple[int, int, int]:
    """(added, removed, changed) between two {key: row hash} summaries."""
    added = sum(1 for key in new if key not in old)
    removed = sum(1 for key in old if key not in new)
    changed = sum(1 for key, digest in new.items() if key in old and old[key] != digest)
    return added, removed, changed


def diff_metadata(old: dict[str, Any], new: dict[str, Any]) -> list[FieldChange]:
    return [
        FieldChange(name, old.get(name), new.get(name))
        for name in sorted(set(old) | set(new))
        if old.get(name) != new.get(name)
    ]


def _match(old: list[dict[str, Any]], new: list[dict[str, Any]]) -> list[tuple[Any, Any]]:
    """(old, new) pairs: by id, then a replacement with the file it replaces, then by title.
    Identity is settled for every file before titles are tried, so a title never takes a file
    that another new file replaces."""
    partners: dict[int, Any] = {}
    remaining = list(old)
    for key in ("id", "replaces"):
        for i, item in enumerate(new):
            if i in partners or item.get(key) is None:
                continue
            partner = next((o for o in remaining if o.get("id") == item[key]), None)
            if partner is not None:
                remaining.remove(partner)
                partners[i] = partner
    for i, item in enumerate(new):
        if i not in partners:
            partner = next((o for o in remaining if o.get("title") == item.get("title")), None)
            if partner is not None:
                remaining.remove(partner)
                partners[i] = partner
    pairs: list[tuple[Any, Any]] = [(partners.get(i), item) for i, item in enumerate(new)]
    pairs += [(o, None) for o in remaining]
    return pairs


def diff_files(old: list[dict[str, Any]], new: list[dict[str, Any]]) -> list[FileChange]:
    out: list[FileChange] = []
    for before, after in _match(old, new):
        if before is None:
            rows = after.get("row_hashes")
            out.append(
                FileChange(
                    title=after.get("title", ""),
                    status="added",
                    new_sha256=after.get("sha256", ""),
                    rows_added=len(rows) if rows is not None else None,
                    rows_compared=rows is not None,
                )
            )
            continue
        if after is None:
            rows = before.get("row_hashes")
            out.append(
                FileChange(
                    title=before.get("title", ""),
                    status="removed",
                    old_sha256=before.get("sha256", ""),
                    rows_removed=len(rows) if rows is not None else None,
                    rows_compared=rows is not None,
                )
            )
            continue
        same = (before.get("sha256"), before.get("url")) == (after.get("sha256"), after.get("url"))
        change = FileChange(
            title=after.get("title", ""),
            status="unchanged" if same else "changed",
            old_sha256=before.get("sha256", ""),
            new_sha256=after.get("sha256", ""),
            key_column=after.get("key_column", ""),
        )
        old_rows, new_rows = before.get("row_hashes"), after.get("row_hashes")
        if old_rows is not None and new_rows is not None:
            if before.get("key_column", "") != after.get("key_column", ""):
                # keys are not comparable: fall back to whole-row comparison
                old_rows = {v: v for v in old_rows.values()}
                new_rows = {v: v for v in new_rows.values()}
                change.key_column = ""
            added, removed, changed = diff_rows(old_rows, new_rows)
            change.rows_added, change.rows_removed, change.rows_changed = added, removed, changed
            change.rows_compared = True
        out.append(change)
    return out


def version_diff(
    *,
    old_number: int,
    old_metadata: dict[str, Any],
    old_files: list[dict[str, Any]],
    new_number: int,
    new_metadata: dict[str, Any],
    new_files: list[dict[str, Any]],
) -> VersionDiff:
    return VersionDiff(
        old_number=old_number,
        new_number=new_number,
        metadata=diff_metadata(old_metadata, new_metadata),
        files=diff_files(old_files, new_files),
    )
