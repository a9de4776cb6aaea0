"""'What changed' between two dataset versions (pure: works on the versions' JSON).

Metadata: every snapshot field whose value differs. Files: distributions are matched by id,
then a new file with the file it replaces (its `replaces` id), then by title. For tabular
files, rows are compared through the version's row summary (uploads.row_hashes): rows are
keyed by the data dictionary's primary key or else the first column; a key only in the newer
version is *added*, only in the older *removed*, in both with a different row hash *changed*.
If the key column is not unique, rows are keyed by their whole-row hash, so an edited row
counts as one removed plus one added.

Changed rows themselves (`row_diff`) are compared from the two files' rows: a tidy table is
keyed by its dimension columns (series, geography, year, sex, age: what identifies a data
point), so a revised figure shows as "value 12.5 → 13.1" for its key; another table by its
key column. Every change is counted, the first ROW_LIMIT of each kind listed.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

ROW_LIMIT = 50  # rows listed per kind of change (added, removed, changed) and file
# A tidy table's dimension columns (catalog.uploads.TIDY_*): one value per combination.
TIDY_DIMENSIONS = ("series", "geo", "year", "sex", "age")
GEO_ALIASES = ("geo", "iso3", "m49", "geography", "country")


@dataclass(frozen=True)
class RowChange:
    status: str  # added | removed | changed
    key: tuple[str, ...]
    # (column, old, new) of the cells that differ (changed), or (column, "", value) /
    # (column, value, "") of the other cells of an added / removed row
    cells: tuple[tuple[str, str, str], ...]


@dataclass
class RowDiff:
    """The rows that differ between two versions of a table: all counted, the first
    ROW_LIMIT of each kind listed in `rows` (added, then removed, then changed)."""

    key_columns: list[str]
    added: int = 0
    removed: int = 0
    changed: int = 0
    rows: list[RowChange] = field(default_factory=list)

    @property
    def listed(self) -> int:
        return len(self.rows)

    @property
    def more(self) -> int:
        return self.added + self.removed + self.changed - len(self.rows)


def tidy_key_columns(header: Sequence[str]) -> list[str]:
    """The dimension columns of a tidy table's header (names as written), or [] if it is not
    one (no geography, year or value column)."""
    names = [h.strip().lower() for h in header]
    geo = next((a for a in GEO_ALIASES if a in names), None)
    if geo is None or "year" not in names or "value" not in names:
        return []
    wanted = [geo if d == "geo" else d for d in TIDY_DIMENSIONS]
    return [header[names.index(d)] for d in wanted if d in names]


def row_diff(
    old_rows: Iterator[list[str]],
    new_rows: Iterator[list[str]],
    *,
    key_columns: Sequence[str],
    limit: int = ROW_LIMIT,
) -> RowDiff:
    """Compare two tables (header first) row by row, keyed by `key_columns` (names in both
    headers). Without a key, or when a key is not unique in either table, whole rows are
    compared: an edited row is then one removed and one added. Blank rows are ignored."""
    old_header, new_header = next(old_rows, []), next(new_rows, [])
    old_list = [_record(old_header, r) for r in old_rows if any(c.strip() for c in r)]
    new_list = [_record(new_header, r) for r in new_rows if any(c.strip() for c in r)]
    keys = list(key_columns)
    old, new = _keyed(old_list, keys), _keyed(new_list, keys)
    if old is None or new is None:
        keys = []
        old, new = _keyed(old_list, keys), _keyed(new_list, keys)
    assert old is not None and new is not None
    out = RowDiff(key_columns=keys)
    added = [k for k in new if k not in old]
    removed = [k for k in old if k not in new]
    changed = [k for k in new if k in old and old[k] != new[k]]
    out.added, out.removed, out.changed = len(added), len(removed), len(changed)
    columns = list(dict.fromkeys([*old_header, *new_header]))
    others = [c for c in columns if c not in keys]
    for k in added[:limit]:
        cells = tuple((c, "", new[k].get(c, "")) for c in others if new[k].get(c, ""))
        out.rows.append(RowChange("added", k, cells))
    for k in removed[:limit]:
        cells = tuple((c, old[k].get(c, ""), "") for c in others if old[k].get(c, ""))
        out.rows.append(RowChange("removed", k, cells))
    for k in changed[:limit]:
        cells = tuple(
            (c, old[k].get(c, ""), new[k].get(c, ""))
            for c in others
            if old[k].get(c, "") != new[k].get(c, "")
        )
        out.rows.append(RowChange("changed", k, cells))
    return out


def _record(header: list[str], row: list[str]) -> dict[str, str]:
    return {name: cell.strip() for name, cell in zip(header, row, strict=False)}


def _keyed(
    records: list[dict[str, str]], keys: list[str]
) -> dict[tuple[str, ...], dict[str, str]] | None:
    """{key: record}; None when a key repeats. Without key columns, a record is its own key."""
    out: dict[tuple[str, ...], dict[str, str]] = {}
    for record in records:
        key = (
            tuple(record.get(c, "") for c in keys)
            if keys
            else tuple(f"{c}={v}" for c, v in record.items())
        )
        if key in out:
            if keys:
                return None
            continue  # an identical row twice: compared once
        out[key] = record
    return out


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
    old_id: int | None = None
    new_id: int | None = None
    rows: RowDiff | None = None  # the changed rows, when the files could be read

    def show_rows(self, diff: RowDiff) -> None:
        """Take the counts and key of the row comparison `diff` (read from the files)."""
        self.rows = diff
        self.rows_added, self.rows_removed, self.rows_changed = (
            diff.added,
            diff.removed,
            diff.changed,
        )
        self.key_column = ", ".join(diff.key_columns)
        self.rows_compared = True


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
            old_id=before.get("id"),
            new_id=after.get("id"),
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
