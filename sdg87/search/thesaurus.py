"""The SDG 8.7 thesaurus: concepts and their labels in English, French and Spanish (pure).

A *concept* ("child-labour", "ilo-c182", "place-CIV") has labels in several languages
("child labour", "child labor", "travail des enfants", "trabajo infantil"). Each label is
analysed in its own language with `analysis.analyse`, so it becomes the same term sequence as
the words of a document or a query written in that language. A label whose language is empty
or unknown (a place name used everywhere) is analysed in each of the three languages.

The index stores a concept as one extra term, `concept_token(concept)` ("zzchildlabour"),
wherever one of its labels occurs (`Thesaurus.index_concepts`); a query has the words that
spell a label replaced by that term (`Thesaurus.query_concepts`), so "travail des enfants"
finds documents that say "child labour" or "trabajo infantil".

The curated list is `data/search/thesaurus.csv` (provenance and how to change it:
`data/search/PROVENANCE.md`); its version is in `thesaurus.meta.json` beside it.
"""

from __future__ import annotations

import csv
import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

from django.conf import settings

from sdg87.search import analysis

CSV_COLUMNS = ("concept", "lang", "label", "source")
CONCEPT_PREFIX = "zz"
_NOT_TOKEN = re.compile(r"[^a-z0-9]")
# The repository's copy; load_thesaurus() reads settings.BASE_DIR, which is the same folder.
_DATA_DIR = Path(__file__).resolve().parents[2] / "data" / "search"


def concept_token(concept: str) -> str:
    """The index term that stands for a concept: "zz" + its id folded to [a-z0-9]
    ("child-labour" -> "zzchildlabour", "place-CIV" -> "zzplaceciv")."""
    return CONCEPT_PREFIX + _NOT_TOKEN.sub("", analysis.fold(concept))


class ThesaurusRow(NamedTuple):
    concept: str
    lang: str
    label: str
    source: str = ""


@dataclass(frozen=True)
class ConceptMatch:
    """A concept found in a query: `words[start:end]` spell one of its labels."""

    concept: str
    start: int
    end: int  # one past the last word
    lang: str  # the language the words were analysed in when they matched
    label: str  # the label they spell

    @property
    def token(self) -> str:
        return concept_token(self.concept)


Sequence_ = tuple[str, ...]


class Thesaurus:
    """Concepts and their labels, ready for matching term sequences.

    `rows` are (concept, lang, label) triples (a fourth item, the source, is ignored). Labels
    that analyse to no term (only stop words) cannot be matched and are left out.
    """

    def __init__(self, rows: Iterable[Sequence[str]], *, version: str = "") -> None:
        self.version = version
        self._labels: dict[str, list[tuple[str, str]]] = {}
        # analysis language -> term sequence -> {concept: label}
        self._table: dict[str, dict[Sequence_, dict[str, str]]] = {
            lang: {} for lang in analysis.LANGUAGES
        }
        tokens: dict[str, str] = {}
        for row in rows:
            concept, lang, label = (str(item).strip() for item in tuple(row)[:3])
            if not concept or not label:
                continue
            token = concept_token(concept)
            if tokens.setdefault(token, concept) != concept:
                raise ValueError(
                    f"concepts {tokens[token]!r} and {concept!r} have the same token {token!r}"
                )
            self._labels.setdefault(concept, [])
            if (lang, label) not in self._labels[concept]:
                self._labels[concept].append((lang, label))
            for analysed_in in (lang,) if lang in analysis.LANGUAGES else analysis.LANGUAGES:
                terms = tuple(analysis.analyse(label, analysed_in))
                if terms:
                    self._table[analysed_in].setdefault(terms, {}).setdefault(concept, label)
        # first term -> the sequences that start with it, longest first
        self._starts: dict[str, dict[str, list[Sequence_]]] = {}
        for lang, table in self._table.items():
            starts: dict[str, list[Sequence_]] = {}
            for terms in sorted(table, key=len, reverse=True):
                starts.setdefault(terms[0], []).append(terms)
            self._starts[lang] = starts
        # the same, all languages together, for documents (whose terms are in one language)
        self._index: dict[Sequence_, set[str]] = {}
        for table in self._table.values():
            for terms, concepts in table.items():
                self._index.setdefault(terms, set()).update(concepts)
        self._index_starts: dict[str, list[Sequence_]] = {}
        for terms in sorted(self._index, key=len, reverse=True):
            self._index_starts.setdefault(terms[0], []).append(terms)
        self._start_terms = frozenset(self._index_starts)
        self._needles = {terms: " " + " ".join(terms) + " " for terms in self._index}

    def __len__(self) -> int:
        return len(self._labels)

    def __contains__(self, concept: object) -> bool:
        return concept in self._labels

    @property
    def concepts(self) -> list[str]:
        return sorted(self._labels)

    def labels(self, concept: str, lang: str | None = None) -> list[str]:
        """The labels of a concept, in file order; only those of `lang` when given."""
        return [
            label
            for label_lang, label in self._labels.get(concept, [])
            if lang in (None, label_lang)
        ]

    def label(self, concept: str, lang: str = "en") -> str:
        """The concept's first label in `lang`, else in English, else any; the id if unknown."""
        for candidate in (lang, "en"):
            found = self.labels(concept, candidate)
            if found:
                return found[0]
        everything = self.labels(concept)
        return everything[0] if everything else concept

    def index_concepts(self, terms: Sequence[str]) -> set[str]:
        """The concepts one of whose labels occurs in `terms` (a document's analysed terms,
        in any of the three languages) as a contiguous run. Every occurrence counts, nested
        ones too: "worst forms of child labour" gives that concept and "child-labour"."""
        present = self._start_terms.intersection(terms)
        if not present:
            return set()
        # Terms are [a-z0-9]+: joined with spaces, a label occurs as a run exactly when
        # " its terms " occurs in " the document's terms " (a search in C, not a loop).
        joined = " " + " ".join(terms) + " "
        if joined.count(" ") != len(terms) + 1:  # a term with a space: match term by term
            return self._index_concepts_by_position(terms)
        found: set[str] = set()
        for term in present:
            for sequence in self._index_starts[term]:
                concepts = self._index[sequence]
                if concepts <= found:
                    continue
                if len(sequence) == 1 or self._needles[sequence] in joined:
                    found |= concepts
        return found

    def _index_concepts_by_position(self, terms: Sequence[str]) -> set[str]:
        found: set[str] = set()
        count = len(terms)
        for position, term in enumerate(terms):
            for sequence in self._index_starts.get(term, ()):
                length = len(sequence)
                if position + length > count:
                    continue
                concepts = self._index[sequence]
                if concepts <= found:
                    continue
                if tuple(terms[position : position + length]) == sequence:
                    found |= concepts
        return found

    def query_concepts(self, words: Sequence[str]) -> list[ConceptMatch]:
        """The concepts spelled by runs of query words (folded, as `analysis.words` gives).

        The query's language is unknown, so its words are analysed in English, French and
        Spanish in turn and matched against the labels of that language. The longest runs win
        (by words, then by terms) and matches never overlap: "worst forms of child labour"
        gives the worst-forms concept only, not also "child labour" or "labour". When one run
        spells labels of several concepts equally well, each is returned. Results are in word
        order."""
        candidates: list[tuple[int, int, int, str, str, str]] = []
        for lang in analysis.LANGUAGES:
            stream: list[tuple[str, int]] = [
                (term, index)
                for index, word in enumerate(words)
                for term in analysis.analyse(word, lang)
            ]
            starts = self._starts[lang]
            table = self._table[lang]
            for position, (term, start) in enumerate(stream):
                for sequence in starts.get(term, ()):
                    length = len(sequence)
                    run = stream[position : position + length]
                    if len(run) < length or tuple(t for t, _ in run) != sequence:
                        continue
                    end = run[-1][1] + 1
                    for concept, label in table[sequence].items():
                        candidates.append((end - start, length, start, concept, lang, label))
        candidates.sort(key=lambda c: (-c[0], -c[1], c[2]))
        chosen: dict[tuple[int, int], int] = {}  # (start, end) -> number of terms
        matches: dict[tuple[int, int, str], ConceptMatch] = {}
        for span, length, start, concept, lang, label in candidates:
            end = start + span
            if (start, end) in chosen:
                if chosen[(start, end)] != length:
                    continue
            elif any(start < e and s < end for s, e in chosen):
                continue
            chosen[(start, end)] = length
            matches.setdefault(
                (start, end, concept), ConceptMatch(concept, start, end, lang, label)
            )
        return sorted(matches.values(), key=lambda m: (m.start, m.end, m.concept))


def read_rows(path: Path | str) -> list[ThesaurusRow]:
    """The rows of a thesaurus CSV (columns concept,lang,label,source), checked: every cell
    filled, lang one of en/fr/es. Raises ValueError naming the line of a bad row."""
    path = Path(path)
    rows: list[ThesaurusRow] = []
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle)
        header = next(reader, None)
        if header is None or tuple(cell.strip() for cell in header) != CSV_COLUMNS:
            raise ValueError(f"{path}: the header must be {','.join(CSV_COLUMNS)}")
        for line, cells in enumerate(reader, start=2):
            if not any(cell.strip() for cell in cells):
                continue
            if len(cells) != len(CSV_COLUMNS):
                raise ValueError(f"{path}:{line}: {len(cells)} cells, expected 4")
            row = ThesaurusRow(*(cell.strip() for cell in cells))
            if not all(row):
                raise ValueError(f"{path}:{line}: an empty cell")
            if row.lang not in analysis.LANGUAGES:
                raise ValueError(f"{path}:{line}: language {row.lang!r} is not en, fr or es")
            rows.append(row)
    return rows


def read_version(meta_path: Path | str) -> str:
    """The "version" of a thesaurus.meta.json; empty when the file is missing or unreadable."""
    try:
        meta = json.loads(Path(meta_path).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return ""
    version = meta.get("version") if isinstance(meta, dict) else None
    return version if isinstance(version, str) else ""


THESAURUS_VERSION = read_version(_DATA_DIR / "thesaurus.meta.json")


def load_thesaurus(
    path: Path | str | None = None, extra_rows: Iterable[Sequence[str]] = ()
) -> Thesaurus:
    """The thesaurus of `path` (default: BASE_DIR/data/search/thesaurus.csv) plus
    `extra_rows`, (concept, lang, label) triples such as place names from the database
    ("place-CIV", "", "Côte d'Ivoire"); an empty lang means any language. Its `version` is
    the one of the thesaurus.meta.json beside the CSV."""
    if path is None:
        path = Path(settings.BASE_DIR) / "data" / "search" / "thesaurus.csv"
    path = Path(path)
    rows: list[Sequence[str]] = [*read_rows(path), *extra_rows]
    return Thesaurus(rows, version=read_version(path.with_name("thesaurus.meta.json")))
