"""Goods of the US DOL List of Goods in the index: one document per good of the bundled
editions, linking to its page (/<lang>/supply-chains/goods/<slug>/).

Found by DOL's own name, by its French and Spanish names (data/translations/dol_goods.csv, the
"dol-good" vocabulary), by the other names of data/supplychains/goods_synonyms.csv ("cocoa
beans" -> Cocoa) and, through the thesaurus (data/search/thesaurus.csv), by the concept's
labels ("cacao"); also by the sector and the countries it is listed for. The List is public
data: every good is public.

Facets: place (the countries the newest edition lists it for), theme (supply chains).
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from typing import Any

from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from sdg87.assessments.models import GoodListing
from sdg87.catalog.models import ThemeCode
from sdg87.core.models import Translation
from sdg87.core.translations.selectors import term_translated, vocabulary_load
from sdg87.search.registry import DocumentData, Source, Text
from sdg87.supplychains import selectors as sel
from sdg87.supplychains.goods import good_slug, load_synonyms

VOCABULARY = "dol-good"
SYNONYMS_FILE = "supplychains/goods_synonyms.csv"

# A good's summary, its listings and the loaded translations of the good names.
type Row = tuple[sel.GoodSummary, list[sel.Listing], Mapping[str, Any]]


@cache
def _synonyms_by_good() -> dict[str, tuple[str, ...]]:
    """{good slug: its other names} from the synonym file (read once per process)."""
    path = settings.BASE_DIR / "data" / SYNONYMS_FILE
    out: dict[str, list[str]] = {}
    for synonym, good in load_synonyms(path).items():
        out.setdefault(good_slug(good), []).append(synonym)
    return {slug: tuple(sorted(names)) for slug, names in out.items()}


def _translations(name: str, loaded: Mapping[str, Any]) -> dict[str, str]:
    out = {}
    for lang in ("fr", "es"):
        shown = term_translated(VOCABULARY, name, language=lang, loaded=loaded)
        if not shown.fallback and shown.text and shown.text != name:
            out[lang] = shown.text
    return out


def build_good(row: Row) -> DocumentData:
    summary, listings, loaded = row
    good = summary.good
    with translation.override("en"):
        path = reverse("supplychains:good", kwargs={"slug": good.slug})
    names = _translations(good.name, loaded)
    synonyms = _synonyms_by_good().get(good.slug, ())
    current = [item.country for item in listings if item.current]
    countries = [item.country for item in listings]
    texts = [Text(good.name, "en", "title")]
    texts += [Text(text, lang, "title") for lang, text in names.items()]
    texts += [Text(s, "en", "title") for s in synonyms]
    if good.sector:
        texts.append(Text(good.sector, "en"))
    for geo in countries:
        for lang, name in (("en", geo.name_en), ("fr", geo.name_fr), ("es", geo.name_es)):
            if name:
                texts.append(Text(name, lang))
    countries_text = ", ".join(geo.name_en for geo in countries[:12])
    return DocumentData(
        kind="good",
        object_id=good.slug,
        heading=good.name,
        path=path,
        summary=countries_text,
        translations={lang: {"heading": text} for lang, text in names.items()},
        meta=[good.sector] if good.sector else [],
        year=summary.last_edition,
        texts=texts,
        facets={
            "place": sorted({geo.iso3 for geo in current if geo.iso3}),
            "theme": [ThemeCode.SUPPLY_CHAINS.value],
        },
        keys=[good.name, *names.values(), *synonyms],
        # above a country's 1.5: "bricks Pakistan" has the good in the title and the country in
        # the body, the country profile the country only; with the same title match PostgreSQL's
        # ts_rank put Pakistan first at 1.2. A country's own name still finds its profile first
        # (title weight 8 against a body mention, and the top result card).
        boost=1.8,
    )


def goods(*, slug: str | None = None) -> list[Row]:
    """Every good of the bundled editions (or the one of `slug`) with its listings and the
    loaded translations of the good names: three queries for any number of goods."""
    explorer = sel.explorer_load()
    loaded = vocabulary_load(VOCABULARY)
    by_slug: dict[str, list[sel.Listing]] = {}
    for listing in explorer.listings:
        by_slug.setdefault(listing.good.slug, []).append(listing)
    chosen = [explorer.goods[slug]] if slug is not None and slug in explorer.goods else None
    if slug is not None and chosen is None:
        return []
    return [
        (summary, by_slug.get(summary.good.slug, []), loaded)
        for summary in sel.good_summaries(explorer, goods=chosen)
    ]


def good_get(object_id: str) -> Row | None:
    rows = goods(slug=object_id)
    return rows[0] if rows else None


def _translated_goods(row: Translation) -> list[str]:
    return [good_slug(row.term)] if row.content_type_id is None and row.field == VOCABULARY else []


SOURCES = [
    Source(
        kind="good",
        label=_("Goods (List of Goods)"),
        rows=goods,
        build=build_good,
        get=good_get,
        watches=(
            (GoodListing, lambda listing: [good_slug(listing.good)]),
            (Translation, _translated_goods),
        ),
    ),
]
