"""The freshness facet's sets (freshness -> the dataset documents that have it), computed once
and kept while they cannot change, instead of once per search.

A dataset's freshness depends on its row (sdg87.catalog.selectors.FRESHNESS_FIELDS) and on
the time. Each search reads those columns of every dataset as one string (one statement, no
ORM: about 0.1 ms at a few hundred datasets), and the sets kept with the served index's
postings are reused when that string is the same and the search's moment lies in the
interval in which no dataset's freshness changes (catalog.selectors.freshness_snapshot: until
the next threshold crossing or scheduled publication of a superseding edition). Any change to
a dataset's row (through a service, a bulk `update()` or by hand) changes the string, so the
counts stay exact; the classification itself is the catalog's pure rule
(freshness.freshness_of), not a second copy of it.
"""

from __future__ import annotations

from datetime import datetime

from django.db import connection

from sdg87.catalog.models import Dataset
from sdg87.catalog.selectors import FRESHNESS_FIELDS, FreshnessSnapshot, freshness_snapshot
from sdg87.core.dbrouter import pin_to_primary
from sdg87.search.documents import column
from sdg87.search.postings import Postings

_statements: dict[str, str] = {}


def _fingerprint_sql(vendor: str) -> str:
    """SELECT the freshness columns of every dataset, in id order, as one string."""
    found = _statements.get(vendor)
    if found is not None:
        return found
    # NULL as "~" (no value of these columns is that string), "|" between columns
    row = " || '|' || ".join(
        f"COALESCE(CAST({column(Dataset, name)} AS TEXT), '~')" for name in FRESHNESS_FIELDS
    )
    table, pk = connection.ops.quote_name(Dataset._meta.db_table), column(Dataset, "id")
    if vendor == "postgresql":
        sql = f"SELECT COUNT(*), string_agg({row}, ';' ORDER BY {pk}) FROM {table}"  # noqa: S608
    else:
        sql = (
            "SELECT COUNT(*), group_concat(r, ';') FROM "  # noqa: S608
            f"(SELECT {row} AS r FROM {table} ORDER BY {pk})"
        )
    _statements[vendor] = sql
    return sql


def datasets_fingerprint() -> tuple[int, str]:
    """(number of datasets, their freshness columns as one string): equal only when no
    dataset's freshness inputs changed."""
    with connection.cursor() as cursor:
        cursor.execute(_fingerprint_sql(connection.vendor))
        count, text = cursor.fetchone()
    return int(count), text or ""


def freshness_sets(index: Postings, now: datetime) -> dict[str, int]:
    """freshness -> the documents of the datasets with it at `now` (datasets in the index)."""
    fingerprint = datasets_fingerprint()
    kept = index.freshness_kept
    if kept is not None and kept[0] == fingerprint and kept[1].holds_at(now):
        return kept[2]
    pin_to_primary()  # the fingerprint was read on the primary: the snapshot must match it
    snapshot: FreshnessSnapshot = freshness_snapshot(now=now)
    sets = index.datasets_by(snapshot.by_dataset.items())
    index.freshness_kept = (fingerprint, snapshot, sets)
    return sets
