"""The words searches are read with: the SDG 8.7 thesaurus (data/search/thesaurus.csv)
joined with every country's names and aliases in English, French and Spanish (so "Ivory
Coast" finds a document that says "Côte d'Ivoire"), and the index's own vocabulary for
"did you mean". Both are cached per process; a rebuild clears them."""

from __future__ import annotations

from functools import lru_cache

from sdg87.geo.models import Geography, GeographyKind, GeographyMembership
from sdg87.search.models import SearchWord
from sdg87.search.thesaurus import Thesaurus, load_thesaurus


def place_rows() -> list[tuple[str, str, str]]:
    """(concept, lang, label) for each name and alias of each country."""
    rows: list[tuple[str, str, str]] = []
    countries = Geography.objects.filter(kind=GeographyKind.COUNTRY).prefetch_related("aliases")
    for geo in countries:
        concept = f"place-{geo.iso3 or geo.code}"
        for lang, name in (("en", geo.name_en), ("fr", geo.name_fr), ("es", geo.name_es)):
            if len(name) >= 3:
                rows.append((concept, lang, name))
        # short aliases ("UK", "US") would turn ordinary words into countries
        rows += [
            (concept, a.language or "en", a.name) for a in geo.aliases.all() if len(a.name) >= 3
        ]
    return rows


@lru_cache(maxsize=1)
def region_of_country() -> dict[str, str]:
    """ISO3 -> the code of its SDG region (the parent level of the place facet)."""
    from sdg87.search.sources.places import FACET_REGION_KIND

    rows = GeographyMembership.objects.filter(group__kind=FACET_REGION_KIND).values_list(
        "member__iso3", "group__code"
    )
    return {iso3: code for iso3, code in rows if iso3}


@lru_cache(maxsize=1)
def thesaurus() -> Thesaurus:
    return load_thesaurus(extra_rows=place_rows())


@lru_cache(maxsize=2)
def vocabulary(generation: int) -> dict[str, int]:
    return dict(SearchWord.objects.filter(generation=generation).values_list("word", "frequency"))


def clear() -> None:
    from sdg87.search import postings, ranking

    postings.clear()
    ranking.clear()
    thesaurus.cache_clear()
    vocabulary.cache_clear()
    region_of_country.cache_clear()
