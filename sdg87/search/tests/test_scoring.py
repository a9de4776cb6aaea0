"""Scores kept per query and the engine's order (sdg87.search.scoring): a search asks the
full-text engine only for the scores it does not know yet, the kept scores never outlive the
index version they were computed for, and the order (numpy, with cut-offs) is the engine's
own (`engine.ranked_ids`), ties included."""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import replace
from typing import Any

import numpy as np
import pytest

from sdg87.search import engine, postings, scoring
from sdg87.search.indexing import served_generation, served_state
from sdg87.search.models import SearchDocument
from sdg87.search.registry import DocumentData, Text
from sdg87.search.selectors import analyse_query, search
from sdg87.search.types import SearchParams

pytestmark = pytest.mark.django_db

THEMES = ("child_labour", "forced_labour", "education")


@pytest.fixture
def corpus(
    search_rows: Callable[..., DocumentData],
    search_documents: Callable[..., dict[str, SearchDocument]],
) -> list[DocumentData]:
    """60 documents with "labour" in different amounts (many equal scores), 4 kinds, some
    without a year, a few boosted; each with one of three themes."""
    rnd = random.Random(87)
    rows = []
    for n in range(60):
        words = " ".join(["labour"] * rnd.randint(1, 3) + ["market"] * rnd.randint(0, 4))
        rows.append(
            search_rows(
                f"Report {n % 7} {'labour' if n % 5 == 0 else 'work'}",
                body=words,
                kind=("dataset", "publication", "news", "event")[n % 4],
                object_id=f"doc-{n}",
                year=None if n % 6 == 0 else 2010 + n % 4,
                boost=(1.0, 1.0, 1.0, 2.5)[n % 4 if n % 3 == 0 else 0],
                facets={"theme": [THEMES[n % 3]]},
            )
        )
    search_documents(rows)
    return rows


def _spy(monkeypatch: pytest.MonkeyPatch) -> list[list[int] | None]:
    asked: list[list[int] | None] = []
    real = engine.entry_scores

    def spying(plan: engine.Plan, entry_ids: Any) -> list[tuple[int, float]]:
        asked.append(None if entry_ids is None else list(entry_ids))
        return real(plan, entry_ids)

    monkeypatch.setattr(engine, "entry_scores", spying)
    return asked


def _ranked(outcome: Any) -> list[tuple[str, float]]:
    return [(h.object_id, h.score) for h in outcome.hits]


def test_a_search_asks_the_engine_only_for_scores_it_does_not_know(
    corpus: list[DocumentData], monkeypatch: pytest.MonkeyPatch
) -> None:
    postings.clear()
    asked = _spy(monkeypatch)
    child = search(params=SearchParams(q="labour", theme=("child_labour",), per_page=50))
    assert len(asked) == 1 and len(asked[0] or []) == child.total == 20
    again = search(params=SearchParams(q="labour", theme=("child_labour",), per_page=50))
    assert len(asked) == 1  # every score known: no full-text statement
    assert _ranked(again) == _ranked(child)
    both = search(params=SearchParams(q="labour", theme=("child_labour", "education"), per_page=50))
    assert len(asked) == 2 and len(asked[1] or []) == 20  # only the education documents
    everything = search(params=SearchParams(q="labour", per_page=50))
    assert len(asked) == 3 and len(asked[2] or []) == 20  # only the forced labour ones
    assert everything.total == 60 and both.total == 40

    # the same pages with nothing kept: every score from the engine, the same results
    monkeypatch.setattr(scoring, "SCORE_CACHE_BYTES", 0)
    postings.clear()
    for params, kept in (
        (SearchParams(q="labour", theme=("child_labour",), per_page=50), child),
        (SearchParams(q="labour", theme=("child_labour", "education"), per_page=50), both),
        (SearchParams(q="labour", per_page=50), everything),
    ):
        fresh = search(params=params)
        assert _ranked(fresh) == _ranked(kept)
        assert [(g.kind, _ranked(g)) for g in fresh.groups] == [
            (g.kind, _ranked(g)) for g in kept.groups
        ]


def test_kept_scores_do_not_outlive_the_index_version(
    corpus: list[DocumentData],
    search_documents: Callable[..., dict[str, SearchDocument]],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """doc-1 gains "labour" four times in its title: after the index changes, the same
    search scores it anew (the engine's new score, not the kept one)."""
    postings.clear()
    params = SearchParams(q="labour", per_page=60)
    before = {h.object_id: h.score for h in search(params=params).hits}
    changed = [
        replace(row, texts=[Text("Labour labour labour labour", "en", "title")])
        if row.object_id == "doc-1"
        else row
        for row in corpus
    ]
    docs = search_documents(changed)
    asked = _spy(monkeypatch)
    after = {h.object_id: h.score for h in search(params=params).hits}
    assert asked == [None]  # every match scored again, in one statement
    served = SearchDocument.objects.filter(generation=served_generation())
    fresh = dict(engine.ranked_ids(served, analyse_query("labour").plan, offset=0, limit=100))
    assert after["doc-1"] == pytest.approx(fresh[docs["doc-1"].pk]) != before["doc-1"]


def test_kept_scores_are_bounded(
    corpus: list[DocumentData], monkeypatch: pytest.MonkeyPatch
) -> None:
    postings.clear()
    generation, version = served_state()
    index = postings.postings(version=version, generation=generation)
    monkeypatch.setattr(scoring, "SCORE_CACHE_BYTES", index.size * 9 * 2)
    for q in ("labour", "market", "report", "work"):
        search(params=SearchParams(q=q))
    assert len(index.scores_kept) == 2
    assert [key[0][0][0][0] for key in index.scores_kept] == ["report", "work"]


@pytest.mark.parametrize("select_above", [0, 3, 2_000])
@pytest.mark.parametrize(("first", "per_kind"), [(1, 0), (5, 0), (0, 3), (10, 2), (100, 50)])
def test_the_order_is_the_engines_ties_included(
    corpus: list[DocumentData],
    monkeypatch: pytest.MonkeyPatch,
    select_above: int,
    first: int,
    per_kind: int,
) -> None:
    """ordered() keeps exactly the `first` rows of engine.ranked_ids and each kind's first
    `per_kind` of its rows (the cut-offs keep every tied row), in the engine's order."""
    monkeypatch.setattr(scoring, "_SELECT_ABOVE", select_above)
    plan = analyse_query("labour").plan
    served = SearchDocument.objects.filter(generation=served_generation())
    engine_order = engine.ranked_ids(served, plan, offset=0, limit=1000)
    assert len(engine_order) == 60
    generation, version = served_state()
    index = postings.postings(version=version, generation=generation)
    positions = np.array(sorted(index.position_of(i) or 0 for i, _s in engine_order), np.int64)
    assert len(set(positions.tolist())) == len(engine_order)
    text = scoring.text_scores(index, plan, ("test", first), positions, every=True)
    got = [
        (index.ids[p], s)
        for p, s in scoring.ordered(index, positions, text, first=first, per_kind=per_kind).rows()
    ]

    # the kept rows are in the engine's order (same scores), hold its first `first` rows and
    # each kind's first `per_kind`; rows beyond those only when tied with a cut-off
    exact = {doc_id: score for doc_id, score in engine_order}
    assert [(i, pytest.approx(exact[i], rel=1e-12)) for i, _s in got] == got
    assert [i for i, _s in got] == [i for i, _s in engine_order if i in {g for g, _ in got}]
    assert [i for i, _s in got[:first]] == [i for i, _s in engine_order[:first]]
    kinds = dict(SearchDocument.objects.values_list("id", "kind"))
    for kind in set(kinds.values()):
        of_kind = [i for i, _s in engine_order if kinds[i] == kind]
        assert [i for i, _s in got if kinds[i] == kind][:per_kind] == of_kind[:per_kind]
    if per_kind:  # each kind's first rows, the kinds in the order of their first row
        heads = scoring.ordered(index, positions, text, first=first, per_kind=per_kind).heads(
            index, per_kind
        )
        expected: dict[str, list[int]] = {}
        for i, _s in engine_order:
            expected.setdefault(kinds[i], [])
            if len(expected[kinds[i]]) < per_kind:
                expected[kinds[i]].append(i)
        assert {k: [i for i, _s in rows] for k, rows in heads.items()} == expected
        assert list(heads) == list(expected)
        assert all(s == pytest.approx(exact[i], rel=1e-12) for r in heads.values() for i, s in r)
    if len(engine_order) > select_above:  # cut: nothing below both cut-offs
        cut = engine_order[min(first, len(engine_order)) - 1][1] if first else float("inf")
        for i, score in got:
            kind_scores = [s for j, s in engine_order if kinds[j] == kinds[i]]
            kind_cut = (
                kind_scores[min(per_kind, len(kind_scores)) - 1] if per_kind else float("inf")
            )
            assert score >= cut or score >= kind_cut
        assert len(got) < len(engine_order) or first + per_kind * 4 >= 60
    else:
        assert len(got) == len(engine_order)
