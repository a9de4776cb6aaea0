"""Names of goods on the DOL List of Goods: how to compare them and the synonym table.

Pure code (no Django): the explorer, the packs and the sourcing-list screening all compare a
good's name the same way. `normalise_good` is the comparison key: case, accents, spacing and
typographic dashes or quotes do not matter ("Açaí Berries" == "acai  berries"). DOL prints a few
goods with different capitals in different editions ("Cereal grains" in goods_2017.xml,
"Cereal Grains" after it); with this key they are one good.

`data/supplychains/goods_synonyms.csv` maps other names to DOL's own good names, one source
per row (see data/supplychains/PROVENANCE-supplychains.md). Nothing else is mapped: a name that
is neither a DOL good nor a listed synonym stays unmatched.
"""

from __future__ import annotations

import csv
import re
import unicodedata
from pathlib import Path

SYNONYM_COLUMNS = ("synonym", "good", "source_url", "note")
MAX_SYNONYM_ROWS = 5_000

_SPACES = re.compile(r"\s+")
_DASHES = str.maketrans(dict.fromkeys("\u2010\u2011\u2012\u2013\u2014", "-") | {"\u2019": "'"})
_SLUG_DROP = re.compile(r"[^a-z0-9]+")


def normalise_good(text: str) -> str:
    """The comparison key of a good's name: NFKD without accents, casefolded, dashes and
    quotes unified, spaces collapsed, stripped. '' for a blank name."""
    decomposed = unicodedata.normalize("NFKD", text)
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return _SPACES.sub(" ", bare.translate(_DASHES).casefold()).strip()


def good_slug(name: str) -> str:
    """URL slug of a good: its comparison key with every run of other characters as one
    hyphen ('Khat/Miraa (stimulant plant)' -> 'khat-miraa-stimulant-plant')."""
    return _SLUG_DROP.sub("-", normalise_good(name)).strip("-")


class SynonymFileError(ValueError):
    """The synonym file is malformed; the message names the row and column."""


def parse_synonyms(lines: list[str] | tuple[str, ...]) -> dict[str, str]:
    """{normalised synonym: DOL good name} from the CSV text lines of a synonym file.

    Every row needs a synonym, a good and an http(s) source URL; a synonym listed twice for
    two different goods is an error (a name that could mean two goods is left out instead).
    """
    reader = csv.DictReader(lines)
    missing = [c for c in SYNONYM_COLUMNS if c not in (reader.fieldnames or [])]
    if missing:
        raise SynonymFileError(f"header: missing column(s) {', '.join(missing)}")
    mapping: dict[str, str] = {}
    for number, row in enumerate(reader, start=2):
        if number - 1 > MAX_SYNONYM_ROWS:
            raise SynonymFileError(f"more than {MAX_SYNONYM_ROWS} rows")
        for column in ("synonym", "good", "source_url"):
            if not (row.get(column) or "").strip():
                raise SynonymFileError(f"row {number}, column {column}: empty")
        source = row["source_url"].strip()
        if not source.startswith(("https://", "http://")):
            raise SynonymFileError(f"row {number}, column source_url: not an http(s) URL")
        key = normalise_good(row["synonym"])
        good = _SPACES.sub(" ", row["good"]).strip()
        if key in mapping and normalise_good(mapping[key]) != normalise_good(good):
            raise SynonymFileError(
                f"row {number}, column synonym: {row['synonym']!r} already maps to {mapping[key]!r}"
            )
        mapping[key] = good
    return mapping


def load_synonyms(path: str | Path) -> dict[str, str]:
    """{normalised synonym: DOL good name} read from a synonym CSV file (UTF-8)."""
    with Path(path).open(encoding="utf-8-sig", newline="") as handle:
        return parse_synonyms(handle.read().splitlines())


def resolve_good(
    text: str, *, goods: dict[str, str], synonyms: dict[str, str]
) -> tuple[str, str] | None:
    """(DOL good name, rule) for a name as a user typed it, or None.

    `goods` is {normalise_good(name): name} of the DOL goods; the rule is 'exact' when the
    name is a DOL good (ignoring case, accents and spacing) and 'synonym' when it comes from
    the synonym table. A synonym whose good is not in `goods` does not match.
    """
    key = normalise_good(text)
    if not key:
        return None
    if key in goods:
        return goods[key], "exact"
    target = synonyms.get(key)
    if target is not None and normalise_good(target) in goods:
        return goods[normalise_good(target)], "synonym"
    return None
