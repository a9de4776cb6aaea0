"""“Did you mean”: a query's misspelled words corrected against the index vocabulary (pure).

A query word is a candidate for correction when it is at least `MIN_LENGTH` letters long,
is not a stop word or an operator, and is not in the vocabulary (the folded words of the
index's titles with their document frequencies). Its correction is the vocabulary word with
the highest `rapidfuzz.fuzz.ratio` (normalised Indel similarity, 0-100) at or above
`min_score`, the more frequent word winning a tie. A word with a close vocabulary word that
shares one of its stems ("labours" and "labour" both stem to "labour") is a
variant the search already finds, not a misspelling, and is left as it is.

Speed: rapidfuzz rejects most of the vocabulary by length and compares the rest in C++, so
a misspelled word costs one pass over the vocabulary. Measured (one core of an AMD EPYC
server, a 50,000-word synthetic vocabulary of random words 3-14 letters long): about 3 ms per
misspelled word, about 4 µs for a query whose words are all in the vocabulary. CI checks a
generous bound (`tests/test_suggest.py::test_fast_with_a_large_vocabulary`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from rapidfuzz import fuzz, process

from sdg87.search.analysis import OPERATORS, STOPWORDS, fold, query_forms

MIN_LENGTH = 4


def did_you_mean(
    words: Sequence[str], vocabulary: Mapping[str, int], *, min_score: float = 80
) -> str | None:
    """The query with its misspelled words corrected, words joined by spaces, or None when no
    word changes. Words are folded first ("forcé" comes back as "force")."""
    folded = [fold(word) for word in words]
    choices: list[str] | None = None
    corrected: list[str] = []
    changed = False
    for word in folded:
        if not _may_be_misspelled(word, vocabulary):
            corrected.append(word)
            continue
        if choices is None:
            choices = list(vocabulary)
        best = _closest(word, choices, vocabulary, min_score)
        if best is not None:
            changed = True
            corrected.append(best)
        else:
            corrected.append(word)
    return " ".join(corrected) if changed else None


def _may_be_misspelled(word: str, vocabulary: Mapping[str, int]) -> bool:
    return (
        len(word) >= MIN_LENGTH
        and word.isalpha()  # codes and numbers are not spelled
        and word not in vocabulary
        and word not in STOPWORDS
        and word not in OPERATORS
    )


def _closest(
    word: str, choices: list[str], vocabulary: Mapping[str, int], min_score: float
) -> str | None:
    matches = process.extract(word, choices, scorer=fuzz.ratio, score_cutoff=min_score, limit=None)
    if not matches:
        return None
    stems = set(query_forms(word))
    if any(stems.intersection(query_forms(choice)) for choice, _score, _index in matches):
        return None
    # Ties go to the more frequent word, then the alphabetically first (never to the order).
    best = min(matches, key=lambda m: (-m[1], -vocabulary[m[0]], m[0]))
    return best[0]
