"""The full-text engine over modelsearch's tables (sdg87.search.engine): the query strings a
Plan becomes, ranking with the title weighted over the body, matching limited by the
caller's documents, and the time budget that stops a slow statement on either database."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection

from sdg87.search import engine
from sdg87.search.engine import BudgetExceeded, Plan, fts5_query, prefix_plan_sql, tsquery
from sdg87.search.models import SearchDocument
from sdg87.search.registry import DocumentData, Text

PLAN = Plan(
    required=[[("child", "labour"), ("zzchildlabour",)], [("kenya",)]],
    excluded=[[("cocoa",)], [("forc", "marriag")]],
)


def test_fts5_query_is_and_of_or_groups_with_phrases_and_not() -> None:
    """Required groups joined by AND, phrases quoted inside OR groups, each exclusion a NOT
    of everything before it, all restricted to the title and body columns."""
    assert fts5_query(PLAN) == (
        '{title body} : (((("child labour" OR "zzchildlabour") AND ("kenya")) '
        'NOT ("cocoa")) NOT ("forc marriag"))'
    )
    assert fts5_query(Plan(required=[[("trafficking",)]])) == '{title body} : (("trafficking"))'


def test_tsquery_is_and_of_or_groups_with_followed_by_and_negation() -> None:
    assert tsquery(PLAN) == (
        "(child <-> labour | zzchildlabour) & (kenya) & !(cocoa) & !(forc <-> marriag)"
    )
    assert tsquery(Plan(required=[[("871",), ("87",)]])) == "(871 | 87)"


@pytest.mark.parametrize(
    "phrase",
    [
        ("Child",),
        ("child-labour",),
        ("child labour",),
        ("",),
        (),
        ('labour"',),
        ("travail", "forcé"),
        ("x*",),
        ("a:b",),
    ],
)
def test_plan_rejects_anything_but_analysed_terms(phrase: tuple[str, ...]) -> None:
    """Terms are [a-z0-9]+ (the analysis' output), in required and excluded groups alike:
    nothing else can reach either engine's query syntax."""
    with pytest.raises(ValueError, match="not an analysed phrase"):
        Plan(required=[[("kenya",), phrase]])
    with pytest.raises(ValueError, match="not an analysed phrase"):
        Plan(required=[[("kenya",)]], excluded=[[phrase]])


def test_plan_relaxed_is_any_of_the_groups() -> None:
    relaxed = PLAN.relaxed()
    assert relaxed.required == [[("child", "labour"), ("zzchildlabour",), ("kenya",)]]
    assert relaxed.excluded == PLAN.excluded
    one = Plan(required=[[("kenya",)]])
    assert one.relaxed() is one
    assert Plan().is_empty and not PLAN.is_empty


def test_prefix_sql_for_autocomplete() -> None:
    """Every word typed so far is required, the last one as a prefix; words that are not
    terms are dropped, and nothing left is an error."""
    assert prefix_plan_sql(["child", "lab"]) == (
        '{autocomplete} : ("child" AND "lab"*)',
        "child & lab:*",
    )
    assert prefix_plan_sql(["ken"]) == ('{autocomplete} : ("ken"*)', "ken:*")
    assert prefix_plan_sql(["forced", "Lab!", "marr"]) == (
        '{autocomplete} : ("forced" AND "marr"*)',
        "forced & marr:*",
    )
    with pytest.raises(ValueError):
        prefix_plan_sql(["*", "NEAR("])


# --- against the database ----------


@pytest.fixture
def docs(
    search_rows: Callable[..., DocumentData],
    search_documents: Callable[..., dict[str, SearchDocument]],
) -> dict[str, SearchDocument]:
    """Written in this order on purpose: the body-only match gets the lower id, so a tie on
    score would put it first."""
    rows = [
        search_rows(
            "Survey of working children in Nepal",
            object_id="body-only",
            body="Hours of forced labour reported by households in agriculture and brick kilns.",
        ),
        search_rows("Forced labour in fishing", object_id="title", kind="publication"),
        search_rows("Detected victims of trafficking", object_id="other", kind="series"),
    ]
    rows[0].texts.append(Text("cocoa", "en", "body"))
    return search_documents(rows)


def _plan(*words: str) -> Plan:
    return Plan(required=[[(w,)] for w in words])


def _ids(docs: dict[str, SearchDocument], ranked: list[tuple[int, float]]) -> list[str]:
    by_pk = {d.pk: key for key, d in docs.items()}
    return [by_pk[pk] for pk, _score in ranked]


@pytest.mark.django_db
def test_ranked_ids_puts_a_title_match_above_a_body_only_match(
    docs: dict[str, SearchDocument],
) -> None:
    assert docs["body-only"].pk < docs["title"].pk
    served = SearchDocument.objects.filter(generation=docs["title"].generation)
    ranked = engine.ranked_ids(served, _plan("forc", "labour"), offset=0, limit=10)
    assert _ids(docs, ranked) == ["title", "body-only"]
    assert ranked[0][1] > ranked[1][1] > 0
    # paging is done in SQL
    assert _ids(docs, engine.ranked_ids(served, _plan("labour"), offset=1, limit=1)) == [
        "body-only"
    ]
    # a phrase: the words next to each other, in this order
    phrase = Plan(required=[[("labour", "forc")]])
    assert engine.ranked_ids(served, phrase, offset=0, limit=10) == []


@pytest.mark.django_db
def test_ranked_ids_and_matching_are_limited_by_the_callers_documents(
    docs: dict[str, SearchDocument],
) -> None:
    served = SearchDocument.objects.filter(generation=docs["title"].generation)
    plan = _plan("labour")
    assert {d.object_id for d in engine.matching(served, plan)} == {"title", "body-only"}
    only_publications = served.filter(kind="publication")
    assert [d.object_id for d in engine.matching(only_publications, plan)] == ["title"]
    assert _ids(docs, engine.ranked_ids(only_publications, plan, offset=0, limit=10)) == ["title"]
    # exclusions and OR groups reach the engine
    excluding = Plan(required=[[("labour",)]], excluded=[[("cocoa",)]])
    assert [d.object_id for d in engine.matching(served, excluding)] == ["title"]
    either = Plan(required=[[("traffick",), ("fish",)]])
    assert {d.object_id for d in engine.matching(served, either)} == {"title", "other"}
    # an empty plan matches everything it is given
    assert engine.matching(served, Plan()).count() == 3


@pytest.mark.django_db
def test_autocomplete_ranks_by_heading_prefixes(docs: dict[str, SearchDocument]) -> None:
    served = SearchDocument.objects.filter(generation=docs["title"].generation)
    ranked = engine.ranked_ids(served, Plan(), offset=0, limit=10, autocomplete=["forced", "la"])
    assert _ids(docs, ranked) == ["title"]
    ranked = engine.ranked_ids(served, Plan(), offset=0, limit=10, autocomplete=["det"])
    assert _ids(docs, ranked) == ["other"]


# --- time budget ----------

SLOW = (
    "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 100000000) "
    "SELECT count(*) FROM c"
)


def _one(sql: str, params: Any = ()) -> Any:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchone()[0]


@pytest.mark.django_db
def test_time_budget_stops_a_slow_statement_and_the_connection_stays_usable(
    docs: dict[str, SearchDocument],
) -> None:
    """Counting to 10^8 takes many seconds on either database; a 100 ms budget stops it
    with BudgetExceeded, well before it would end, and the same connection (and the test's
    transaction) goes on answering, without a budget left behind."""
    started = time.perf_counter()
    with pytest.raises(BudgetExceeded), engine.time_budget(100):
        _one(SLOW)
    assert time.perf_counter() - started < 3
    assert _one("SELECT 1") == 1
    assert SearchDocument.objects.filter(pk=docs["title"].pk).exists()
    # within budget, statements run as usual
    with engine.time_budget(2000):
        assert _one("SELECT 2") == 2
    if connection.vendor == "postgresql":
        assert _one("SHOW statement_timeout") == "0"
        _one("SELECT pg_sleep(0.3)")  # longer than the budget that fired: no budget remains
    else:
        # no progress handler remains: a statement longer than 100 ms completes
        assert _one(SLOW.replace("100000000", "2000000")) == 2_000_000
