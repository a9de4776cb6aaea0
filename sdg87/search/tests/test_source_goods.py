"""Goods of the DOL List of Goods in the search index (sdg87.search.sources.goods), over the
bundled data: "cocoa", its Spanish and French name "cacao" (data/translations/dol_goods.csv and
the thesaurus) and its synonym "cocoa beans" (data/supplychains/goods_synonyms.csv) all find
the Cocoa page; the document links to the good page and carries its countries."""

from __future__ import annotations

from typing import Any

import pytest

from sdg87.assessments.models import GoodListing
from sdg87.search.indexing import index_rebuild
from sdg87.search.registry import sources
from sdg87.search.selectors import search
from sdg87.search.sources import goods
from sdg87.search.types import KINDS, SearchParams

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("bundled_data")]


@pytest.fixture
def indexed() -> list[Any]:
    """The goods documents only, as one served generation."""
    documents = [goods.build_good(row) for row in goods.goods()]
    index_rebuild(documents=documents)
    return documents


def hits(q: str) -> list[tuple[str, str]]:
    outcome = search(params=SearchParams(q=q, per_page=20), facets=False)
    return [(h.kind, h.object_id) for h in outcome.hits]


def test_registered_and_one_document_per_good(indexed: list[Any]) -> None:
    assert "good" in KINDS and sources()["good"].build is goods.build_good
    names = {g for g in GoodListing.objects.values_list("good", flat=True)}
    slugs = {d.object_id for d in indexed}
    assert len(slugs) == len(indexed)  # one per good
    assert len(indexed) <= len(names)  # names differing only by capitals are one good
    assert "cocoa" in slugs


def test_cocoa_document(indexed: list[Any]) -> None:
    doc = next(d for d in indexed if d.object_id == "cocoa")
    assert (doc.kind, doc.heading, doc.path) == ("good", "Cocoa", "/en/supply-chains/goods/cocoa/")
    assert doc.public
    assert doc.translations["es"] == {"heading": "Cacao"}
    assert "CIV" in doc.facets["place"] and "GHA" in doc.facets["place"]
    assert doc.facets["theme"] == ["supply_chains"]
    assert "cocoa beans" in doc.keys
    assert goods.good_get("cocoa") is not None and goods.good_get("no-such-good") is None


@pytest.mark.parametrize("q", ["cocoa", "Cocoa", "cacao", "cocoa beans", "cocoa Côte d'Ivoire"])
def test_cocoa_is_found_by_its_names(indexed: list[Any], q: str) -> None:
    found = hits(q)
    assert found and found[0] == ("good", "cocoa"), (q, found[:5])


def test_a_listing_or_a_translation_refreshes_its_good() -> None:
    kind_watches = dict(sources()["good"].watches)
    listing = GoodListing.objects.filter(good="Cocoa").first()
    assert listing is not None
    assert list(kind_watches[GoodListing](listing)) == ["cocoa"]
