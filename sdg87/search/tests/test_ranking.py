"""Ranking tests on real queries (issue 11 item 4): data/search/ranking_queries.csv names, for
each query in English, French or Spanish, the result that must come first over the bundled
data. "First" is the top result card when the search shows one, else the first hit of the
page in relevance order (data/search/PROVENANCE.md, "Ranking queries").

A row names its result by kind and key: ISO3 for countries, the code for regions, indicators
and series, the slug for datasets, publications, organisations, news and events (their
primary keys change from one load to the next; the slug is in the result's URL). A row may
accept alternatives, `|`-separated in both columns, only where they open the same page (an
indicator and its primary series).
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.conf import settings

from sdg87.search import vocabulary
from sdg87.search.indexing import index_rebuild, served_generation
from sdg87.search.models import SearchDocument
from sdg87.search.selectors import search
from sdg87.search.tests.conftest import empty_search_index
from sdg87.search.types import KINDS, SearchOutcome, SearchParams

CSV_PATH = Path(settings.BASE_DIR) / "data" / "search" / "ranking_queries.csv"
COLUMNS = ["query", "lang", "expected_kind", "expected_id", "why"]
LANGS = ("en", "fr", "es")
MIN_PER_LANG = 12
# Kinds named by slug (a path segment of their URL) rather than by object id.
SLUG_KINDS = frozenset({"dataset", "publication", "organisation", "news", "event"})

# Rows that fail because of a known ranking weakness, kept so that the fix shows (strict: the
# row must start passing the day the engine is tuned, and then this entry goes).
KNOWN_WEAKNESSES: dict[tuple[str, str], str] = {}
# The same, on PostgreSQL only (its ts_rank weighs the documents otherwise than FTS5's bm25).
KNOWN_WEAKNESSES_POSTGRESQL: dict[tuple[str, str], str] = {}
ON_POSTGRESQL = "postgresql" in settings.DATABASES["default"]["ENGINE"]


@dataclass(frozen=True)
class Row:
    query: str
    lang: str
    expected: tuple[tuple[str, str], ...]  # (kind, key) alternatives
    why: str


def ranking_rows() -> list[Row]:
    with CSV_PATH.open(encoding="utf-8", newline="") as f:
        reader = csv.DictReader(f)
        assert reader.fieldnames == COLUMNS, reader.fieldnames
        rows = []
        for raw in reader:
            kinds, keys = raw["expected_kind"].split("|"), raw["expected_id"].split("|")
            assert len(kinds) == len(keys), raw
            rows.append(
                Row(
                    query=raw["query"],
                    lang=raw["lang"],
                    expected=tuple(zip(kinds, keys, strict=True)),
                    why=raw["why"],
                )
            )
    return rows


ROWS = ranking_rows()


def _params() -> Iterator[Any]:
    for row in ROWS:
        reason = KNOWN_WEAKNESSES.get((row.lang, row.query))
        if ON_POSTGRESQL:
            reason = reason or KNOWN_WEAKNESSES_POSTGRESQL.get((row.lang, row.query))
        marks = [pytest.mark.xfail(strict=True, reason=reason)] if reason else []
        yield pytest.param(row, id=f"{row.lang}:{row.query}", marks=marks)


@pytest.fixture(scope="module")
def search_index(bundled_data: None, django_db_blocker: Any) -> Iterator[None]:
    """The bundled data (conftest.bundled_data) indexed once for this module; emptied after, so
    later modules find the index as the bundled data gives it (without documents)."""
    with django_db_blocker.unblock():
        # the thesaurus with the countries' names, read now: one cached by an earlier module
        # over other rows would index the documents without their place concepts ("Kenia",
        # "Nepal" would then find nothing, or not the document about that country)
        vocabulary.clear()
        index_rebuild()
        vocabulary.clear()
    yield
    with django_db_blocker.unblock():
        empty_search_index()


@dataclass
class Result:
    kind: str
    object_ids: set[str]
    url: str
    title: str

    def is_(self, kind: str, key: str) -> bool:
        if self.kind != kind:
            return False
        if kind in SLUG_KINDS:
            return key in urlsplit(self.url).path.strip("/").split("/")
        return key in self.object_ids

    def __str__(self) -> str:
        return f"{self.kind} {'/'.join(sorted(self.object_ids))} {self.url} {self.title!r}"


def _documents_at(kind: str, url: str, lang: str) -> set[str]:
    docs = SearchDocument.objects.filter(generation=served_generation(), kind=kind)
    return {d.object_id for d in docs if d.path_in(lang) == url}


def results(outcome: SearchOutcome, lang: str) -> list[Result]:
    """The top result card (it carries no object id: the documents at its URL), then the hits."""
    found = []
    if outcome.top is not None:
        top = outcome.top
        found.append(Result(top.kind, _documents_at(top.kind, top.url, lang), top.url, top.title))
    for hit in outcome.hits:
        found.append(Result(hit.kind, {hit.object_id}, hit.url, str(hit.title)))
    return found


def _describe(found: list[Result], top_card: bool) -> str:
    lines = [
        f"{'card' if top_card and i == 0 else i + 1 - top_card}: {r}" for i, r in enumerate(found)
    ]
    return "\n".join(lines[: 3 + top_card]) or "(no result)"


def test_the_list_covers_three_languages() -> None:
    langs = [row.lang for row in ROWS]
    assert set(langs) == set(LANGS)
    for lang in LANGS:
        assert langs.count(lang) >= MIN_PER_LANG, lang
    assert len({(row.lang, row.query) for row in ROWS}) == len(ROWS), "a query is listed twice"
    for row in ROWS:
        assert row.query.strip() and row.why.strip(), row
        assert all(kind in KINDS for kind, _key in row.expected), row
    listed = {(row.lang, row.query) for row in ROWS}
    assert set(KNOWN_WEAKNESSES) | set(KNOWN_WEAKNESSES_POSTGRESQL) <= listed, (
        "a known weakness names a query not in the list"
    )


@pytest.mark.django_db
def test_every_expected_result_is_in_the_index(search_index: None) -> None:
    """A failing ranking row is a ranking failure, not a misspelled key."""
    docs = SearchDocument.objects.filter(generation=served_generation())
    present = [Result(d.kind, {d.object_id}, d.path, d.heading) for d in docs]
    missing = [
        (row.lang, row.query, kind, key)
        for row in ROWS
        for kind, key in row.expected
        if not any(r.is_(kind, key) for r in present)
    ]
    assert not missing


@pytest.mark.django_db
@pytest.mark.parametrize("row", list(_params()))
def test_the_expected_result_comes_first(search_index: None, row: Row) -> None:
    outcome = search(params=SearchParams(q=row.query), lang=row.lang, facets=False)
    found = results(outcome, row.lang)
    expected = " or ".join(f"{kind} {key}" for kind, key in row.expected)
    assert found, f"{row.query!r} ({row.lang}) found nothing; expected {expected}"
    first = found[0]
    assert any(first.is_(kind, key) for kind, key in row.expected), (
        f"{row.query!r} ({row.lang}): expected {expected} first ({row.why}); got\n"
        + _describe(found, outcome.top is not None)
    )
