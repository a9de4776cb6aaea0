"""Reads of geographies: countries, aggregates and their memberships."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from django.db.models import Prefetch, Q, QuerySet

from sdg87.geo.models import Geography, GeographyKind
from sdg87.geo.names import name_key, names_equal, names_match


def country_names(country: Geography) -> list[str]:
    """The names a country is searched by: English, French, Spanish and its aliases (use a
    queryset with `aliases` prefetched, as `country_list` gives)."""
    names = [country.name_en, country.name_fr, country.name_es]
    return names + [alias.name for alias in country.aliases.all()]


def country_matches(country: Geography, q: str) -> bool:
    """Whether the typed `q` finds `country` (the rule of `sdg87.geo.names`: every word begins
    a word of one of its names or aliases in any language, accents, case and punctuation
    ignored; or `q` is its ISO3 or ISO2 code)."""
    return names_match(q, names=country_names(country), codes=(country.iso3 or "", country.iso2))


def country_list(*, region: Geography | None = None, q: str | None = None) -> QuerySet[Geography]:
    """Countries by English name, with their aliases prefetched; optionally members of an
    aggregate and/or found by `q` (`country_matches`)."""
    qs = Geography.objects.filter(kind=GeographyKind.COUNTRY).prefetch_related("aliases")
    if region is not None:
        qs = qs.filter(groups=region)
    if q and q.strip():
        # Matched in Python: SQL cannot ignore accents alike on SQLite and PostgreSQL, and
        # there are 250 countries.
        qs = qs.filter(pk__in=[c.pk for c in qs if country_matches(c, q)])
    return qs.order_by("name_en")


def country_codes_matching(*, terms: Iterable[str]) -> dict[str, set[str]]:
    """{term: ISO3 codes of the countries that each typed term finds} (`country_matches`),
    with one read of the countries for all the terms."""
    wanted = [term for term in terms if term.strip()]
    countries = list(country_list()) if wanted else []
    return {term: {c.code for c in countries if country_matches(c, term)} for term in wanted}


def _all_names(countries: Iterable[Geography]) -> list[str]:
    """Every name and alias of the countries, once each, with a straight-apostrophe copy of
    a name written with a typographic one ("Côte d\u2019Ivoire"), as stored texts write both."""
    names: dict[str, str] = {}
    for country in countries:
        for name in country_names(country):
            for variant in (name, name.replace("\u2019", "'")):
                if variant:
                    names.setdefault(variant.casefold(), variant)
    return sorted(names.values())


def country_search_terms(
    *, words: Sequence[str], most: int = 3
) -> tuple[list[str], dict[str, list[str]]]:
    """The terms of a text search and, for the terms that name countries, every name of
    those countries, so that a search for "Vietnam" also looks for "Viet Nam".

    Consecutive words that are together a country's name or alias ("Costa de Marfil",
    "Ivory Coast") become one term; another word is a term of its own, with the names of the
    countries it finds (`country_matches`) unless it finds more than `most` ("republic",
    "de": a word many countries share names none of them). One read of the countries."""
    countries = list(country_list()) if words else []
    keys = {c.pk: {name_key(n) for n in country_names(c) if n} for c in countries}
    terms: list[str] = []
    synonyms: dict[str, list[str]] = {}
    i = 0
    while i < len(words):
        for n in range(min(6, len(words) - i), 1, -1):
            phrase = " ".join(words[i : i + n])
            found = [c for c in countries if name_key(phrase) in keys[c.pk]]
            if found:
                terms.append(phrase)
                synonyms[phrase] = _all_names(found)
                i += n
                break
        else:
            word = words[i]
            terms.append(word)
            found = [c for c in countries if country_matches(c, word)]
            if 0 < len(found) <= most:
                synonyms[word] = _all_names(found)
            i += 1
    return terms, synonyms


def country_codes_named(*, names: Iterable[str]) -> dict[str, set[str]]:
    """{name: ISO3 codes of the countries so named}: a whole name or alias in any language,
    or an ISO3/ISO2 code (accents, case and punctuation ignored); "Vietnam" gives {"VNM"},
    "Korea" {"KOR"} (an alias), "Congo" {"COG"}."""
    wanted = [name for name in names if name.strip()]
    countries = list(country_list()) if wanted else []
    return {
        name: {
            c.code
            for c in countries
            if names_equal(name, names=country_names(c), codes=(c.iso3 or "", c.iso2))
        }
        for name in wanted
    }


def geography_get(*, code: str) -> Geography | None:
    """Find a geography by its code, ISO3 or M49 code (case-insensitive for ISO3)."""
    code = code.strip()
    if code.isdigit():
        padded = code.zfill(3)
        return Geography.objects.filter(Q(m49=padded) | Q(code=padded)).first()
    return Geography.objects.filter(code__iexact=code).first()


def country_get(*, iso3: str) -> Geography | None:
    """A country by ISO3 code (case-insensitive), with its groups prefetched."""
    return (
        Geography.objects.filter(kind=GeographyKind.COUNTRY, iso3__iexact=iso3.strip())
        .prefetch_related(Prefetch("groups", queryset=Geography.objects.order_by("kind", "code")))
        .first()
    )


def geography_list(*, kind: str | None = None) -> QuerySet[Geography]:
    """Aggregates (everything but countries), with their country members prefetched."""
    qs = Geography.objects.exclude(kind=GeographyKind.COUNTRY)
    if kind:
        qs = qs.filter(kind=kind)
    countries = Geography.objects.filter(kind=GeographyKind.COUNTRY).order_by("iso3")
    return qs.prefetch_related(Prefetch("members", queryset=countries)).order_by("kind", "code")


def geography_resolve(*, codes: Iterable[str]) -> tuple[dict[str, Geography], list[str]]:
    """Map each of `codes` (geography code, ISO3 or M49) to a geography in one query.

    Returns the found mapping (keyed by the code as given) and the codes that matched nothing.
    """
    wanted = [code.strip() for code in codes if code.strip()]
    m49s = {code.zfill(3) for code in wanted if code.isdigit() and len(code) <= 3}
    texts = {code.upper() for code in wanted if not code.isdigit()}
    condition = Q(m49__in=m49s) | Q(code__in=m49s | texts) | Q(iso3__in=texts)
    rows = list(Geography.objects.filter(condition)) if wanted else []
    found: dict[str, Geography] = {}
    missing: list[str] = []
    for code in wanted:
        match = None
        for geo in rows:
            if code.isdigit():
                if code.zfill(3) in {geo.m49, geo.code}:
                    match = geo
            elif code.upper() in {geo.code.upper(), (geo.iso3 or "").upper()}:
                match = geo
            if match:
                break
        if match is None:
            missing.append(code)
        else:
            found[code] = match
    return found, missing
