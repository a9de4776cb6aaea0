"""`manage.py search_reindex`: rebuilds the index and says how many documents of each kind;
`--if-stale` rebuilds only when there is no index yet, the thesaurus changed or data was
loaded since the last rebuild."""

from __future__ import annotations

import re
from io import StringIO

import pytest
from django.core.management import call_command

from sdg87.core.models import DataLoad
from sdg87.geo.models import Geography, GeographyKind
from sdg87.search.indexing import search_state
from sdg87.search.models import SearchDocument, SearchState
from sdg87.search.thesaurus import THESAURUS_VERSION

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("bundled_data")]


def reindex(*args: str, verbosity: int = 1) -> str:
    out = StringIO()
    call_command("search_reindex", *args, stdout=out, verbosity=verbosity)
    return out.getvalue()


def test_reindex_prints_the_counts_of_each_kind() -> None:
    output = reindex()
    served = search_state().served_generation
    docs = SearchDocument.objects.filter(generation=served)
    countries = Geography.objects.filter(kind=GeographyKind.COUNTRY).count()
    assert countries > 200  # the bundled countries and areas
    assert re.search(rf"^  country +{countries}$", output, re.M)
    for kind in ("region", "indicator", "series", "dataset"):
        n = docs.filter(kind=kind).count()
        assert n > 0 and re.search(rf"^  {kind} +{n}$", output, re.M), kind
    total = docs.count()
    assert re.search(
        rf"Search index: {total} documents \(generation {served}\) in [0-9.]+ s; "
        r"0 old documents removed",
        output,
    )
    # a second run replaces the generation and removes the first
    again = reindex()
    assert search_state().served_generation == served + 1
    assert f"{total} old documents removed" in again


def test_if_stale_rebuilds_only_when_something_changed() -> None:
    first = reindex("--if-stale")
    assert "Rebuilding the search index (no index yet)" in first
    served = search_state().served_generation

    assert reindex("--if-stale") == ""
    assert reindex("--if-stale", verbosity=2) == "Search index is up to date.\n"
    assert search_state().served_generation == served

    load = DataLoad.objects.order_by("pk").first()
    assert load is not None
    load.save()  # touched: loaded_at moves past the last rebuild
    touched = reindex("--if-stale")
    assert "Rebuilding the search index (data loaded since the last rebuild)" in touched
    assert search_state().served_generation == served + 1
    assert reindex("--if-stale") == ""

    SearchState.objects.update(thesaurus_version="0.0.1")
    changed = reindex("--if-stale")
    assert f"Rebuilding the search index (thesaurus 0.0.1 -> {THESAURUS_VERSION})" in changed
    assert search_state().thesaurus_version == THESAURUS_VERSION
