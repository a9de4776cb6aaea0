"""The library listing: filters, disjunctive facets and sort over the public publications.

Every read starts from `selectors.publication_public_queryset` (drafts, unverified, scheduled
and organisation-only records are never listed). Filters are OR within one facet and AND across
facets. Facet counts are disjunctive: the counts of a facet are computed with every other
facet's selection applied but not its own, so that selecting "Report" still shows how many
"Policy briefs" a second click would add. `q` keeps titles containing the text (a plain
`icontains`; full-text search is a later issue).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db.models import Count, F, Q, QuerySet
from django.db.models.expressions import OrderBy
from django.utils.translation import get_language

from sdg87.catalog.models import ThemeCode
from sdg87.catalog.validators import language_name
from sdg87.library.models import Publication
from sdg87.library.resource_types import ResourceType
from sdg87.library.selectors import publication_public_queryset

FACETS = ("type", "theme", "country", "language", "year", "organisation")
MAX_Q_CHARS = 200
# A filter value longer than this is no code of ours: ignored rather than queried.
MAX_VALUE_CHARS = 100
MAX_VALUES = 50  # values per facet taken from one request

SORTS: dict[str, tuple[str | OrderBy, ...]] = {
    "newest": (
        F("year").desc(nulls_last=True),
        F("issued").desc(nulls_last=True),
        "title",
        "id",
    ),
    "title": ("title", "id"),
}
DEFAULT_SORT = "newest"


@dataclass(frozen=True)
class LibraryFilters:
    """What a listing, feed or API request selects (codes as in the URLs)."""

    type: tuple[str, ...] = ()
    theme: tuple[str, ...] = ()
    country: tuple[str, ...] = ()
    language: tuple[str, ...] = ()
    year: tuple[str, ...] = ()
    organisation: tuple[str, ...] = ()
    q: str = ""
    sort: str = DEFAULT_SORT

    @classmethod
    def from_query(cls, query: Mapping[str, Iterable[str]]) -> LibraryFilters:
        """From a query dict of lists (`request.GET.lists()` as a dict); values cleaned, an
        unknown sort replaced by the default."""

        def values(name: str, upper: bool = False) -> tuple[str, ...]:
            seen: list[str] = []
            for raw in query.get(name, ()):
                value = raw.strip().upper() if upper else raw.strip()
                if value and len(value) <= MAX_VALUE_CHARS and value not in seen:
                    seen.append(value)
            return tuple(seen[:MAX_VALUES])

        q_values = list(query.get("q", ()))
        sort_values = list(query.get("sort", ()))
        sort = sort_values[0] if sort_values and sort_values[0] in SORTS else DEFAULT_SORT
        return cls(
            type=values("type"),
            theme=values("theme"),
            country=values("country", upper=True),
            language=values("language"),
            year=tuple(v for v in values("year") if v.isdigit() and len(v) == 4),
            organisation=values("organisation"),
            q=(q_values[0].strip() if q_values else "")[:MAX_Q_CHARS],
            sort=sort,
        )

    def selected(self, facet: str) -> tuple[str, ...]:
        return tuple(getattr(self, facet))

    @property
    def any_selected(self) -> bool:
        return any(self.selected(f) for f in FACETS)


def _facet_q(facet: str, values: tuple[str, ...]) -> Q:
    if facet == "type":
        return Q(resource_type__in=values)
    if facet == "theme":
        return Q(themes__code__in=values)
    if facet == "country":
        return Q(geographies__iso3__in=values) | Q(geographies__code__in=values)
    if facet == "language":
        return Q(language__in=values)
    if facet == "year":
        return Q(year__in=[int(v) for v in values])
    if facet == "organisation":
        return Q(publisher__slug__in=values)
    raise ValueError(facet)


def publication_filter(
    qs: QuerySet[Publication], *, filters: LibraryFilters, skip: str = ""
) -> QuerySet[Publication]:
    """`qs` narrowed by every facet of `filters` except `skip`, and by the title text. Joins
    over many-to-many fields go through id subqueries, so no row is counted twice."""
    for facet in FACETS:
        values = filters.selected(facet)
        if facet == skip or not values:
            continue
        if facet in ("theme", "country"):
            ids = Publication.objects.filter(_facet_q(facet, values)).values("id")
            qs = qs.filter(id__in=ids)
        else:
            qs = qs.filter(_facet_q(facet, values))
    if filters.q:
        qs = qs.filter(title__icontains=filters.q)
    return qs


@dataclass(frozen=True)
class FacetItem:
    value: str
    label: str
    count: int
    selected: bool = False


@dataclass
class LibraryResult:
    """`publications` is ordered (page it yourself); `facets` maps facet -> items."""

    publications: QuerySet[Publication]
    count: int
    facets: dict[str, list[FacetItem]] = field(default_factory=dict)


def publication_search(
    *, filters: LibraryFilters, facets: bool = True, now: datetime | None = None
) -> LibraryResult:
    """The public publications matching `filters`, in its sort, with facet counts."""
    base = publication_public_queryset(now=now)
    qs = (
        publication_filter(base, filters=filters)
        .select_related("publisher")
        .prefetch_related("creators", "themes")
        .order_by(*SORTS.get(filters.sort, SORTS[DEFAULT_SORT]))
    )
    result = LibraryResult(publications=qs, count=qs.count())
    if facets:
        result.facets = {
            facet: facet_items(
                facet,
                publication_filter(base, filters=filters, skip=facet),
                set(filters.selected(facet)),
            )
            for facet in FACETS
        }
    return result


def type_label(code: str) -> str:
    return str(ResourceType(code).label) if code in ResourceType.values else code


def theme_label(code: str) -> str:
    return str(ThemeCode(code).label) if code in ThemeCode.values else code


def facet_items(facet: str, qs: QuerySet[Publication], selected: set[str]) -> list[FacetItem]:
    """One facet's values with their counts in `qs`; a selected value is kept (count 0) when
    the other facets leave none, so that it can still be removed."""
    items: list[FacetItem] = []
    rows: Any  # values() rows, a different shape per facet
    ids = qs.values("id")
    pubs = Publication.objects.filter(id__in=ids)
    if facet == "type":
        rows = pubs.values("resource_type").annotate(n=Count("id")).order_by("-n")
        items = [
            FacetItem(r["resource_type"], type_label(r["resource_type"]), r["n"]) for r in rows
        ]
    elif facet == "theme":
        rows = (
            pubs.filter(themes__isnull=False)
            .values("themes__code")
            .annotate(n=Count("id", distinct=True))
        )
        items = [FacetItem(r["themes__code"], theme_label(r["themes__code"]), r["n"]) for r in rows]
    elif facet == "country":
        lang = (get_language() or "en")[:2]
        name = f"geographies__name_{lang}" if lang in ("fr", "es") else "geographies__name_en"
        rows = (
            pubs.filter(geographies__isnull=False)
            .values("geographies__iso3", "geographies__code", "geographies__name_en", name)
            .annotate(n=Count("id", distinct=True))
        )
        items = [
            FacetItem(
                r["geographies__iso3"] or r["geographies__code"],
                r[name] or r["geographies__name_en"],
                r["n"],
            )
            for r in rows
        ]
    elif facet == "language":
        rows = pubs.values("language").annotate(n=Count("id"))
        items = [
            FacetItem(r["language"], language_name(r["language"]) or r["language"], r["n"])
            for r in rows
        ]
    elif facet == "year":
        rows = pubs.filter(year__isnull=False).values("year").annotate(n=Count("id"))
        items = [FacetItem(str(r["year"]), str(r["year"]), r["n"]) for r in rows]
    elif facet == "organisation":
        rows = (
            pubs.filter(publisher__isnull=False)
            .values("publisher__slug", "publisher__name", "publisher__acronym")
            .annotate(n=Count("id"))
        )
        items = [
            FacetItem(r["publisher__slug"], r["publisher__acronym"] or r["publisher__name"], r["n"])
            for r in rows
        ]
    if facet == "year":
        items.sort(key=lambda i: i.value, reverse=True)
    else:
        items.sort(key=lambda i: (-i.count, i.label.casefold()))
    present = {i.value for i in items}
    items = [FacetItem(i.value, i.label, i.count, i.value in selected) for i in items]
    for value in sorted(selected - present):
        label = {"type": type_label, "theme": theme_label}.get(facet, str)(value)
        items.append(FacetItem(value, label, 0, True))
    return items
