"""What a search asks and what it answers: plain data shared by the search service, the
results page, `/api/v1/search` and the CKAN `package_search` action."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.utils.safestring import SafeString

# Content kinds in the index, in the order the results page groups them.
KINDS = (
    "country",
    "region",
    "indicator",
    "series",
    "dataset",
    "publication",
    "organisation",
    "news",
    "event",
    "pathfinder",
    "roadmap_action",
    "action_group",
    "good",
)
SORTS = ("relevance", "date")
# Facets, in the order pages show them. "year" is a range (year_from/year_to) shown as counts.
FACETS = (
    "kind",
    "theme",
    "place",
    "organisation",
    "language",
    "year",
    "resource_type",
    "format",
    "licence",
    "freshness",
)
MAX_QUERY_CHARS = 500
MAX_PAGE = 50
PER_PAGE_DEFAULT = 20
PER_PAGE_MAX = 100


@dataclass(frozen=True)
class SearchParams:
    """One search. Multi-valued filters are OR within a facet and AND across facets."""

    q: str = ""
    kind: tuple[str, ...] = ()
    theme: tuple[str, ...] = ()  # catalog theme codes
    place: tuple[str, ...] = ()  # ISO3 or region codes; a region selects its countries too
    organisation: tuple[str, ...] = ()  # organisation slugs
    language: tuple[str, ...] = ()  # en, fr, es, ... (the document's language)
    year_from: int | None = None
    year_to: int | None = None
    resource_type: tuple[str, ...] = ()
    format: tuple[str, ...] = ()  # upper case: CSV, XLSX, PDF
    licence: tuple[str, ...] = ()
    freshness: tuple[str, ...] = ()
    sort: str = "relevance"
    page: int = 1
    per_page: int = PER_PAGE_DEFAULT

    def selected(self, facet: str) -> tuple[str, ...]:
        if facet == "year":
            return ()
        return getattr(self, facet)


@dataclass
class Hit:
    kind: str
    object_id: str
    title: SafeString  # highlighted, escaped
    url: str
    snippet: SafeString  # highlighted, escaped; may be empty
    date: date | None = None
    language: str = ""
    meta: list[str] = field(default_factory=list)  # short facts: publisher, year, type
    score: float = 0.0


@dataclass
class Group:
    kind: str
    label: str
    total: int
    hits: list[Hit]


@dataclass(slots=True)  # hundreds per results page: no __dict__ each (less to allocate and collect)
class FacetValue:
    value: str
    label: str
    count: int
    selected: bool = False
    children: list[FacetValue] = field(default_factory=list)


@dataclass
class Facet:
    name: str
    label: str
    values: list[FacetValue]
    # the facet's time budget ran out: counts are missing; the page says so
    cut_short: bool = False


@dataclass
class TopResult:
    """An exact country or indicator match, linking straight to its profile or chart."""

    kind: str
    title: str
    url: str
    summary: str = ""
    facts: list[str] = field(default_factory=list)


@dataclass
class SearchOutcome:
    params: SearchParams
    total: int
    hits: list[Hit]  # this page, in the chosen order
    groups: list[Group]  # first page only: the best hits of each kind, best kind first
    facets: list[Facet]
    top: TopResult | None = None
    suggestion: str | None = None  # "did you mean"
    notices: list[str] = field(default_factory=list)  # plain-language messages (query cut, ...)
    pages: int = 0
