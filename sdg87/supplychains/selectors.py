"""Reads for the goods x country explorer, its API and the due-diligence packs.

The US DOL List of Goods is stored as one `assessments.GoodListing` per good x country x
edition (app file). Here the editions are laid side by side: for each good x country x
exploitation type, the editions in which DOL listed it, the first of them and, when it is no
longer on the newest edition, the last one and the edition from which it is missing.

Rules kept from the data:
- An edition is known by its app-file year (goods_2021.xml -> 2021), as the country pages
  label it (`assessments.selectors.goods_edition_year`); its `Release` carries the
  publisher's URL and citation.
- DOL's own spelling is shown; names that differ only by capitals are one good
  (`goods.normalise_good`). Renames between editions are not merged (see
  data/supplychains/PROVENANCE-supplychains.md), so a rename shows as one listing removed and
  another added, as DOL printed them.
- "First edition" is the first of the bundled editions (goods_2016.xml on), not the year DOL
  first listed the good: earlier Lists are not bundled, so a listing present in the oldest
  bundled edition says "listed by then".
- A country's region is DOL's region on its newest listing, with "and" and "&" taken as the
  same word ("Latin America and the Caribbean" == "Latin America & the Caribbean").

The whole List is 2,120 rows, so it is read once per call and shaped in Python.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from django.db.models import QuerySet

from sdg87.assessments.models import CountryAssessment, GoodListing, TierPlacement
from sdg87.assessments.selectors import goods_edition_year
from sdg87.geo.models import Geography
from sdg87.indicators.models import Release, release_newest_first
from sdg87.supplychains.goods import good_slug, normalise_good

CHILD_LABOUR = "cl"
FORCED_LABOUR = "fl"
FORCED_CHILD_LABOUR = "fcl"
# DOL's "derived" listings (from the 2021 app file on): the good is listed because an input to
# it is produced with child or forced labour; such rows carry no cl/fl/fcl flag of their own.
INPUT = "input"
EXPLOITATION_TYPES = (CHILD_LABOUR, FORCED_LABOUR, FORCED_CHILD_LABOUR, INPUT)

# Bounds on user-chosen filters (pages and API).
MAX_FILTER_VALUES = 20


@dataclass(frozen=True)
class Edition:
    year: int  # the app file's year, the label pages show
    source_file: str
    release: Release


@dataclass(frozen=True)
class Good:
    slug: str
    name: str  # DOL's spelling on the newest edition that lists it
    sector: str  # Sector value on that edition


@dataclass
class TypeHistory:
    """One exploitation type of one good x country across the bundled editions."""

    type: str
    editions: list[int] = field(default_factory=list)  # edition years, oldest first
    newest_year: int = 0  # year of the newest bundled edition
    next_year: int | None = None  # the bundled edition after `last`, if any
    span: int = 0  # bundled editions from `first` to `last`

    @property
    def first(self) -> int:
        return self.editions[0]

    @property
    def last(self) -> int:
        return self.editions[-1]

    @property
    def current(self) -> bool:
        return self.last == self.newest_year

    @property
    def removed_in(self) -> int | None:
        """The first bundled edition after the last one that lists it, if it is not current."""
        return None if self.current else self.next_year

    @property
    def gaps(self) -> bool:
        """Listed, then not, then listed again within the bundled editions."""
        return self.span != len(self.editions)


@dataclass
class Listing:
    """One good x country across the bundled editions."""

    good: Good
    country: Geography
    region: str
    types: dict[str, TypeHistory]  # only the types ever flagged
    editions: list[int]  # edition years in which the pair is listed at all, oldest first
    derived: bool  # on the newest edition listing it: listed because of an input
    derived_country: Geography | None

    @property
    def current(self) -> bool:
        return any(t.current for t in self.types.values())


@dataclass(frozen=True)
class ListingRow:
    """One good x country x exploitation type (a row of the explorer)."""

    listing: Listing
    history: TypeHistory

    @property
    def good(self) -> Good:
        return self.listing.good

    @property
    def country(self) -> Geography:
        return self.listing.country

    @property
    def type(self) -> str:
        return self.history.type


@dataclass
class Explorer:
    editions: list[Edition]  # newest first
    goods: dict[str, Good]  # by slug
    listings: list[Listing]  # by good name, then country name

    @property
    def newest(self) -> Edition | None:
        return self.editions[0] if self.editions else None

    def edition(self, year: int) -> Edition | None:
        return next((e for e in self.editions if e.year == year), None)


def region_key(text: str) -> str:
    """DOL's region names with 'and' and '&' as one word ('Europe and Eurasia' -> 'Europe &
    Eurasia'); other differences are kept."""
    return " ".join(text.replace(" and ", " & ").split())


def goods_editions() -> list[Edition]:
    """The bundled List editions with a year label, newest first."""
    releases = (
        Release.objects.filter(dol_goods__isnull=False)
        .distinct()
        .select_related("source")
        .order_by(*release_newest_first())
    )
    files = dict(GoodListing.objects.order_by().values_list("release_id", "source_file").distinct())
    out = []
    for release in releases:
        source_file = files.get(release.pk, "")
        year = goods_edition_year(source_file)
        if year is not None:
            out.append(Edition(year=year, source_file=source_file, release=release))
    out.sort(key=lambda e: -e.year)
    return out


@dataclass(frozen=True)
class _Row:
    year: int
    good: str
    sector: str
    country_id: int
    region: str
    flags: dict[str, bool]
    derived: bool
    derived_country_id: int | None


def explorer_load() -> Explorer:
    """Every good x country of every bundled edition, with its history per exploitation type."""
    editions = goods_editions()
    by_release = {e.release.pk: e for e in editions}
    years = sorted(e.year for e in editions)
    newest = years[-1] if years else 0
    rows = list(
        GoodListing.objects.filter(release_id__in=list(by_release))
        .order_by()
        .values_list(
            "release_id",
            "good",
            "sector",
            "country_id",
            "country_region",
            "child_labor",
            "forced_labor",
            "forced_child_labor",
            "derived_labor_exploitation",
            "derived_country_id",
        )
    )
    raw = [
        _Row(
            year=by_release[r[0]].year,
            good=r[1],
            sector=r[2],
            country_id=r[3],
            region=r[4],
            flags={
                CHILD_LABOUR: r[5],
                FORCED_LABOUR: r[6],
                FORCED_CHILD_LABOUR: r[7],
                INPUT: bool(r[8]),
            },
            derived=bool(r[8]),
            derived_country_id=r[9],
        )
        for r in rows
    ]
    countries = Geography.objects.in_bulk(
        {r.country_id for r in raw} | {r.derived_country_id for r in raw if r.derived_country_id}
    )
    # The newest spelling and sector of each good.
    newest_row: dict[str, _Row] = {}
    pairs: dict[tuple[str, int], list[_Row]] = {}
    for row in raw:
        key = normalise_good(row.good)
        kept = newest_row.get(key)
        if kept is None or kept.year < row.year:
            newest_row[key] = row
        pairs.setdefault((key, row.country_id), []).append(row)
    goods = {
        key: Good(slug=good_slug(r.good), name=r.good, sector=r.sector)
        for key, r in newest_row.items()
    }
    listings = []
    for (key, country_id), found in pairs.items():
        found.sort(key=lambda item: item.year)
        types: dict[str, TypeHistory] = {}
        for row in found:
            for code in EXPLOITATION_TYPES:
                if row.flags[code]:
                    types.setdefault(code, TypeHistory(type=code, newest_year=newest))
                    types[code].editions.append(row.year)
        for history in types.values():
            history.span = len([y for y in years if history.first <= y <= history.last])
            later = [y for y in years if y > history.last]
            history.next_year = later[0] if later else None
        last = found[-1]
        listings.append(
            Listing(
                good=goods[key],
                country=countries[country_id],
                region=region_key(last.region),
                types={code: types[code] for code in EXPLOITATION_TYPES if code in types},
                editions=[row.year for row in found],
                derived=last.derived,
                derived_country=(
                    countries.get(last.derived_country_id) if last.derived_country_id else None
                ),
            )
        )
    listings.sort(key=lambda item: (normalise_good(item.good.name), item.country.name_en))
    return Explorer(
        editions=editions,
        goods={g.slug: g for g in sorted(goods.values(), key=lambda g: normalise_good(g.name))},
        listings=listings,
    )


@dataclass(frozen=True)
class Filters:
    """What the explorer shows. Empty tuples mean "all"."""

    goods: tuple[str, ...] = ()  # slugs
    countries: tuple[str, ...] = ()  # ISO3
    regions: tuple[str, ...] = ()  # region_key values
    sectors: tuple[str, ...] = ()  # Sector values
    types: tuple[str, ...] = ()  # EXPLOITATION_TYPES
    edition: int | None = None  # only what that edition lists
    status: str = ""  # "" all, "current" on the newest edition, "removed" no longer on it

    @property
    def active(self) -> bool:
        return bool(
            self.goods
            or self.countries
            or self.regions
            or self.sectors
            or self.types
            or self.edition
            or self.status
        )


def _listing_matches(listing: Listing, filters: Filters) -> bool:
    if filters.goods and listing.good.slug not in filters.goods:
        return False
    if filters.countries and (listing.country.iso3 or "") not in filters.countries:
        return False
    if filters.regions and listing.region not in filters.regions:
        return False
    return not (filters.sectors and listing.good.sector not in filters.sectors)


def _history_matches(history: TypeHistory, filters: Filters) -> bool:
    if filters.types and history.type not in filters.types:
        return False
    if filters.edition is not None and filters.edition not in history.editions:
        return False
    if filters.status == "current" and not history.current:
        return False
    return not (filters.status == "removed" and history.current)


def listing_rows(explorer: Explorer, *, filters: Filters) -> list[ListingRow]:
    """Good x country x exploitation type rows matching the filters, by good then country."""
    out = []
    for listing in explorer.listings:
        if not _listing_matches(listing, filters):
            continue
        for history in listing.types.values():
            if _history_matches(history, filters):
                out.append(ListingRow(listing=listing, history=history))
    return out


def listings_filter(explorer: Explorer, *, filters: Filters) -> list[Listing]:
    """Good x country pairs with at least one row matching the filters."""
    return [
        listing
        for listing in explorer.listings
        if _listing_matches(listing, filters)
        and any(_history_matches(h, filters) for h in listing.types.values())
    ]


def regions(explorer: Explorer) -> list[str]:
    return sorted({listing.region for listing in explorer.listings if listing.region})


def countries(explorer: Explorer) -> list[Geography]:
    found = {listing.country.pk: listing.country for listing in explorer.listings}
    return sorted(found.values(), key=lambda g: g.name)


def good_listings(explorer: Explorer, *, slug: str) -> list[Listing]:
    """Every country listed for the good in any bundled edition, by country name."""
    return sorted(
        (item for item in explorer.listings if item.good.slug == slug),
        key=lambda item: item.country.name,
    )


def country_listings(explorer: Explorer, *, iso3: str) -> list[Listing]:
    """Every good listed for the country in any bundled edition, by good name."""
    return [item for item in explorer.listings if item.country.iso3 == iso3.upper()]


# --- what changed between two editions ------------------------------------------------------


ADDED = "added"
REMOVED = "removed"


@dataclass(frozen=True)
class Change:
    change: str  # ADDED or REMOVED
    listing: Listing
    type: str


def editions_diff(explorer: Explorer, *, old: int, new: int) -> list[Change]:
    """Good x country x type listings on `new` but not on `old` (added) and on `old` but not on
    `new` (removed), by good, country and type. `old` and `new` are edition years; the order
    given is kept (comparing a newer with an older edition swaps the meaning of the words)."""
    out = []
    for listing in explorer.listings:
        for history in listing.types.values():
            on_old, on_new = old in history.editions, new in history.editions
            if on_new and not on_old:
                out.append(Change(change=ADDED, listing=listing, type=history.type))
            elif on_old and not on_new:
                out.append(Change(change=REMOVED, listing=listing, type=history.type))
    return out


# --- matrix and map -------------------------------------------------------------------------


@dataclass(frozen=True)
class Matrix:
    goods: list[Good]
    countries: list[Geography]
    cells: dict[tuple[str, int], list[str]]  # (good slug, country pk) -> types on the edition
    goods_total: int
    countries_total: int

    def cell(self, slug: str, country_pk: int) -> list[str]:
        return self.cells.get((slug, country_pk), [])


def matrix(
    explorer: Explorer, *, filters: Filters, edition: int, max_goods: int, max_countries: int
) -> Matrix:
    """Goods (rows) x countries (columns) with the exploitation types listed on `edition`,
    cut to the goods and countries with the most listings (ties by name)."""
    cells: dict[tuple[str, int], list[str]] = {}
    for listing in listings_filter(explorer, filters=filters):
        types = [
            h.type
            for h in listing.types.values()
            if edition in h.editions and (not filters.types or h.type in filters.types)
        ]
        if types:
            cells[(listing.good.slug, listing.country.pk)] = types
    good_count: dict[str, int] = {}
    country_count: dict[int, int] = {}
    for slug, country_pk in cells:
        good_count[slug] = good_count.get(slug, 0) + 1
        country_count[country_pk] = country_count.get(country_pk, 0) + 1
    geos = {item.country.pk: item.country for item in explorer.listings}
    top_goods = sorted(
        good_count, key=lambda s: (-good_count[s], normalise_good(explorer.goods[s].name))
    )[:max_goods]
    top_countries = sorted(country_count, key=lambda c: (-country_count[c], geos[c].name))[
        :max_countries
    ]
    return Matrix(
        goods=sorted((explorer.goods[s] for s in top_goods), key=lambda g: normalise_good(g.name)),
        countries=sorted((geos[c] for c in top_countries), key=lambda g: g.name),
        cells=cells,
        goods_total=len(good_count),
        countries_total=len(country_count),
    )


@dataclass(frozen=True)
class CountryCount:
    country: Geography
    goods: int


def goods_per_country(explorer: Explorer, *, filters: Filters, edition: int) -> list[CountryCount]:
    """Number of goods listed per country on `edition` (within the filters), most first."""
    counts: dict[int, int] = {}
    geos: dict[int, Geography] = {}
    for listing in listings_filter(explorer, filters=filters):
        if any(
            edition in h.editions and (not filters.types or h.type in filters.types)
            for h in listing.types.values()
        ):
            counts[listing.country.pk] = counts.get(listing.country.pk, 0) + 1
            geos[listing.country.pk] = listing.country
    return sorted(
        (CountryCount(country=geos[pk], goods=n) for pk, n in counts.items()),
        key=lambda c: (-c.goods, c.country.name),
    )


# --- per good and country summaries (API) ---------------------------------------------------


@dataclass(frozen=True)
class GoodSummary:
    good: Good
    countries_ever: int
    countries_current: int
    types: list[str]  # ever flagged, in EXPLOITATION_TYPES order
    first_edition: int
    last_edition: int


def good_summaries(explorer: Explorer, *, goods: Iterable[Good] | None = None) -> list[GoodSummary]:
    """One summary per good (all goods by name unless `goods`)."""
    by_slug: dict[str, list[Listing]] = {}
    for listing in explorer.listings:
        by_slug.setdefault(listing.good.slug, []).append(listing)
    out = []
    for good in goods if goods is not None else explorer.goods.values():
        items = by_slug.get(good.slug, [])
        if not items:
            continue
        kinds = {code for item in items for code in item.types}
        years = [y for item in items for y in item.editions]
        out.append(
            GoodSummary(
                good=good,
                countries_ever=len(items),
                countries_current=sum(1 for item in items if item.current),
                types=[code for code in EXPLOITATION_TYPES if code in kinds],
                first_edition=min(years),
                last_edition=max(years),
            )
        )
    return out


# --- country context: TIP tiers and DOL advancement levels ----------------------------------


def tier_placements(*, countries: Sequence[str] = ()) -> QuerySet[TierPlacement]:
    """TIP tiers by country and year (ISO3 filter optional), with their release."""
    rows = TierPlacement.objects.select_related("country", "release__source")
    if countries:
        rows = rows.filter(country__iso3__in=[c.upper() for c in countries])
    return rows.order_by("country__iso3", "year")


def advancement_levels(*, countries: Sequence[str] = ()) -> QuerySet[CountryAssessment]:
    """DOL Findings advancement levels by country and report year, with their release."""
    rows = CountryAssessment.objects.select_related("country", "release__source")
    if countries:
        rows = rows.filter(country__iso3__in=[c.upper() for c in countries])
    return rows.order_by("country__iso3", "report_year")
