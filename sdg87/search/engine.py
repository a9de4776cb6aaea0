"""Full-text matching and ranking over modelsearch's index tables, for SQLite FTS5 and
PostgreSQL (ADR 0011).

modelsearch keeps the index (`wagtailsearch_indexentry` with an FTS5 shadow table on SQLite,
tsvector columns with GIN indexes on PostgreSQL); its own query compiler ranks every match
with a correlated subquery and cannot weight the title above the body. Here one statement
per question reads the same tables: the matching document ids with a weighted score
(FTS5 `bm25` with column weights; PostgreSQL `ts_rank` of title and body), limited by the
documents a caller may see and filter on (an ORM queryset compiled into the statement).

A query arrives as a `Plan`: AND of groups, each an OR of phrases (tuples of terms), and
groups to exclude. Terms are [a-z0-9]+ (sdg87.search.analysis), checked again here, so no
input reaches either engine's query syntax; they are bound as parameters all the same.

The statements are put together from constants (table names, weights), the terms above and
SQL compiled by the ORM from the caller's queryset; every value is a bound parameter (the
`noqa: S608` lines).
"""

from __future__ import annotations

import re
import sqlite3
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import OperationalError, connection, transaction
from django.db.models import QuerySet
from django.db.models.expressions import RawSQL
from modelsearch.conf import get_app_config

from sdg87.search.models import SearchDocument

TITLE_WEIGHT = 8.0  # a term in the title counts as much as eight in the body
_TERM = re.compile(r"^[a-z0-9]+$")

Phrase = tuple[str, ...]


@dataclass
class Plan:
    required: list[list[Phrase]] = field(default_factory=list)
    excluded: list[list[Phrase]] = field(default_factory=list)

    def __post_init__(self) -> None:
        for group in [*self.required, *self.excluded]:
            for phrase in group:
                if not phrase or not all(_TERM.match(t) for t in phrase):
                    raise ValueError(f"not an analysed phrase: {phrase!r}")

    @property
    def is_empty(self) -> bool:
        return not self.required

    def relaxed(self) -> Plan:
        """Any of the groups instead of all of them (when no document has every word)."""
        if len(self.required) < 2:
            return self
        anyof = [phrase for group in self.required for phrase in group]
        return Plan(required=[list(dict.fromkeys(anyof))], excluded=self.excluded)


class BudgetExceeded(Exception):
    """A statement ran past its time budget and was stopped."""


def _index_tables() -> tuple[str, str]:
    entry = get_app_config().get_model("IndexEntry")
    return entry._meta.db_table, f"{entry._meta.db_table}_fts"


def _content_type_id() -> int:
    return ContentType.objects.get_for_model(SearchDocument).pk


# --- query strings ----------


def _fts5_group(group: Sequence[Phrase]) -> str:
    return "(" + " OR ".join('"' + " ".join(p) + '"' for p in group) + ")"


def fts5_query(plan: Plan, columns: str = "{title body}") -> str:
    """`{title body} : ((...) AND (...)) NOT (...)`."""
    text = " AND ".join(_fts5_group(g) for g in plan.required)
    for group in plan.excluded:
        text = f"({text}) NOT {_fts5_group(group)}"
    return f"{columns} : ({text})"


def _tsquery_group(group: Sequence[Phrase]) -> str:
    return "(" + " | ".join(" <-> ".join(p) for p in group) + ")"


def tsquery(plan: Plan) -> str:
    """`(a | b <-> c) & (d) & !(e)` for to_tsquery('simple', ...)."""
    parts = [_tsquery_group(g) for g in plan.required]
    parts += ["!" + _tsquery_group(g) for g in plan.excluded]
    return " & ".join(parts)


def prefix_plan_sql(prefixes: Sequence[str]) -> tuple[str, str]:
    """Autocomplete: every folded word typed so far, the last one as a prefix."""
    words = [w for w in prefixes if _TERM.match(w)]
    if not words:
        raise ValueError("no word to complete")
    fts = "{autocomplete} : (" + " AND ".join(f'"{w}"' for w in words[:-1]) + ""
    fts = fts + (" AND " if len(words) > 1 else "") + f'"{words[-1]}"*)'
    ts = " & ".join([*words[:-1], f"{words[-1]}:*"])
    return fts, ts


# --- statements ----------


def _match_statement(
    plan: Plan, *, autocomplete: Sequence[str] = (), scored: bool = True
) -> tuple[str, list[Any]]:
    """SELECT document id, score FROM the index WHERE it matches (no filtering yet)."""
    entries, fts = _index_tables()
    ct = _content_type_id()
    if connection.vendor == "postgresql":
        if autocomplete:
            query, column = prefix_plan_sql(autocomplete)[1], "autocomplete"
            match = f"e.{column} @@ q.query"
            score = f"ts_rank(e.{column}, q.query)"
        else:
            query = tsquery(plan)
            match = "(e.title @@ q.query OR e.body @@ q.query)"
            score = f"(ts_rank(e.title, q.query) * {TITLE_WEIGHT} + ts_rank(e.body, q.query))"
        score = score if scored else "0"
        sql = (
            f"SELECT CAST(e.object_id AS bigint) AS doc_id, {score} AS score "  # noqa: S608
            f"FROM {entries} e, to_tsquery('simple', %s) q(query) "
            f"WHERE e.content_type_id = %s AND {match}"
        )
        return sql, [query, ct]
    query = prefix_plan_sql(autocomplete)[0] if autocomplete else fts5_query(plan)
    # FTS5 columns in modelsearch's table: autocomplete, body, title; bm25 is lower for better
    score = f"-bm25({fts}, 0.0, 1.0, {TITLE_WEIGHT})" if scored else "0"
    sql = (
        f"SELECT CAST(e.object_id AS INTEGER) AS doc_id, {score} AS score "  # noqa: S608
        # CROSS JOIN keeps the full-text match as the outer loop (SQLite does not reorder it)
        f"FROM {fts} CROSS JOIN {entries} e ON e.id = {fts}.rowid "
        f"WHERE {fts} MATCH %s AND e.content_type_id = %s"
    )
    return sql, [query, ct]


def matching(docs: QuerySet[SearchDocument], plan: Plan) -> QuerySet[SearchDocument]:
    """The documents of `docs` that match (no score: for counting and facets)."""
    if plan.is_empty and plan.excluded:  # only words to leave out: everything without them
        unwanted = Plan(required=[[phrase for group in plan.excluded for phrase in group]])
        sql, params = _match_statement(unwanted, scored=False)
        return docs.exclude(id__in=RawSQL(f"SELECT doc_id FROM ({sql}) m", params))  # noqa: S608,S611
    if plan.is_empty:
        return docs
    sql, params = _match_statement(plan, scored=False)
    return docs.filter(id__in=RawSQL(f"SELECT doc_id FROM ({sql}) m", params))  # noqa: S608,S611


def ranked_ids(
    docs: QuerySet[SearchDocument],
    plan: Plan,
    *,
    offset: int,
    limit: int,
    autocomplete: Sequence[str] = (),
) -> list[tuple[int, float]]:
    """(document id, score times boost) of the matching documents of `docs`, best first."""
    match_sql, match_params = _match_statement(plan, autocomplete=autocomplete)
    docs_sql, docs_params = docs.order_by().values("id").query.sql_with_params()
    table = SearchDocument._meta.db_table
    # the text's score times the document's boost (a country or an indicator over a page
    # that merely names it); on equal scores the latest edition first (gems-2022 over
    # gems-2017, which say the same words), except for completions (the order of the index)
    latest = "" if autocomplete else "COALESCE(d.year, 0) DESC, "
    sql = (
        f"SELECT m.doc_id, m.score * d.boost AS score FROM ({match_sql}) m "  # noqa: S608
        f"JOIN {table} d ON d.id = m.doc_id WHERE m.doc_id IN ({docs_sql}) "
        f"ORDER BY 2 DESC, {latest}m.doc_id LIMIT %s OFFSET %s"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*match_params, *docs_params, limit, offset])
        return [(int(doc_id), float(score or 0.0)) for doc_id, score in cursor.fetchall()]


# --- the matches as index entry ids, scores for some of them ----------


def _entry_match(plan: Plan) -> tuple[str, str, list[Any]]:
    """(FROM ... WHERE, score expression, parameters) over the index entries alone."""
    entries, fts = _index_tables()
    if connection.vendor == "postgresql":
        score = f"(ts_rank(e.title, q.query) * {TITLE_WEIGHT} + ts_rank(e.body, q.query))"
        where = (
            f"FROM {entries} e, to_tsquery('simple', %s) q(query) "
            "WHERE (e.title @@ q.query OR e.body @@ q.query)"
        )
        return where, score, [tsquery(plan)]
    score = f"-bm25({fts}, 0.0, 1.0, {TITLE_WEIGHT})"
    return f"FROM {fts} WHERE {fts} MATCH %s", score, [fts5_query(plan)]


def matching_entries(plan: Plan) -> list[int]:
    """The ids of the index entries that match (of every generation and model: the caller
    maps them to its documents). No score is computed."""
    where, _score, params = _entry_match(plan)
    column = "e.id" if connection.vendor == "postgresql" else "rowid"
    aggregate = (
        f"string_agg({column}::text, ',')"
        if connection.vendor == "postgresql"
        else f"group_concat({column})"
    )
    with full_text_scope(), connection.cursor() as cursor:
        cursor.execute(f"SELECT {aggregate} {where}", params)
        text = cursor.fetchone()[0]
    return list(map(int, text.split(","))) if text else []


def entry_scores(plan: Plan, entry_ids: Sequence[int] | None) -> list[tuple[int, float]]:
    """(index entry id, text score) of the given matching entries (None: of every match),
    the same score as ranked_ids() computes, for these rows only."""
    where, score, params = _entry_match(plan)
    if connection.vendor == "postgresql":
        sql = f"SELECT e.id, {score} {where}"
        if entry_ids is not None:
            sql, params = sql + " AND e.id = ANY(%s)", [*params, list(entry_ids)]
    else:
        sql = f"SELECT rowid, {score} {where}"
        if entry_ids is not None:
            # +rowid: a filter on FTS5's rows, not one full-text lookup per id
            sql += " AND +rowid IN (SELECT value FROM json_each(%s))"
            params = [*params, "[" + ",".join(map(str, entry_ids)) + "]"]
    if entry_ids is not None and not entry_ids:
        return []
    with full_text_scope(), connection.cursor() as cursor:
        cursor.execute(sql, params)
        # ids are integers and scores floats from both engines (bm25, ts_rank: never NULL)
        return list(cursor.fetchall())


# --- how the full-text statements run ----------


@contextmanager
def full_text_scope() -> Iterator[None]:
    """PostgreSQL: the statements inside run in one transaction without parallel workers (on
    a few cores they only add contention between searches) and through the GIN indexes, not
    a scan of every row: the planner counts a tsvector match as one cheap operator, but each
    row's body tsvector must be read (de-TOASTed) first, so for a word in three documents of
    four it chose the scan, 460 ms at 100,000 documents against 120-135 ms by the indexes
    (EXPLAIN ANALYZE, 2026-12-05). SQLite: nothing to do (FTS5 is its own index)."""
    if connection.vendor != "postgresql":
        yield
        return
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute(
                "SET LOCAL max_parallel_workers_per_gather = 0; SET LOCAL enable_seqscan = off"
            )
        yield


# --- time budget ----------


@contextmanager
def time_budget(milliseconds: int) -> Iterator[None]:
    """Stop the statements inside after `milliseconds` with BudgetExceeded.

    SQLite: a progress handler that interrupts the statement; PostgreSQL: statement_timeout
    inside a savepoint, rolled back when it fires."""
    if connection.vendor == "postgresql":
        try:
            with transaction.atomic():
                with connection.cursor() as cursor:
                    cursor.execute(
                        "SELECT current_setting('statement_timeout'), "
                        "set_config('statement_timeout', %s, true)",
                        [str(milliseconds)],
                    )
                    previous = cursor.fetchone()[0]
                yield
                with connection.cursor() as cursor:  # the search's own transaction goes on
                    cursor.execute("SELECT set_config('statement_timeout', %s, true)", [previous])
        except OperationalError as exc:
            if "statement timeout" in str(exc) or "canceling statement" in str(exc):
                raise BudgetExceeded from exc
            raise
        return
    connection.ensure_connection()
    raw = connection.connection
    deadline = time.perf_counter() + milliseconds / 1000

    def _progress() -> int:
        return 1 if time.perf_counter() > deadline else 0

    raw.set_progress_handler(_progress, 2000)
    try:
        yield
    except (OperationalError, sqlite3.OperationalError) as exc:  # the driver's, when fetching
        if "interrupted" in str(exc):
            raise BudgetExceeded from exc
        raise
    finally:
        raw.set_progress_handler(None, 0)
