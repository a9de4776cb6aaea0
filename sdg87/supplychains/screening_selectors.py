"""Reads for sourcing-list screenings: what rows are matched against (every edition of the
DOL List of Goods, the countries and their names) and who may see a screening.

Who sees a screening:
- saved to an organisation: that organisation's members, nobody else (not the API);
- unsaved, made on the web: the signed-in user who made it, or the browser session that
  made it (anonymous visitors);
- unsaved, made through the API (anonymous): whoever holds its unguessable token.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db.models import QuerySet
from django.utils.text import slugify

from sdg87.assessments.models import GoodListing
from sdg87.core.actors import Actor
from sdg87.geo.models import Geography, GeographyKind
from sdg87.indicators.models import Release
from sdg87.orgs.roles import role_in, user_roles
from sdg87.supplychains import matching
from sdg87.supplychains.goods import load_synonyms, normalise_good
from sdg87.supplychains.models import Screening, ScreeningChannel, ScreeningRow

SYNONYMS_FILE = "supplychains/goods_synonyms.csv"
MAX_PAGE_SIZE = 500


@dataclass(frozen=True)
class ScreeningReference:
    """The editions (oldest first), listings, goods, countries and synonyms rows are
    matched against."""

    edition_labels: list[str]  # source files ("goods_2021.xml"), oldest first
    latest_edition: dict[str, Any]  # file, title, year, url, citation of the latest
    listings: dict[tuple[str, str], matching.Listing]
    goods: list[str]
    countries: list[matching.Country]
    synonyms: dict[str, str]

    @property
    def latest(self) -> int:
        return len(self.edition_labels) - 1

    def screener(self) -> matching.Screener:
        return matching.Screener(
            goods=matching.GoodMatcher(
                self.goods, synonyms=self.synonyms, exact_key=normalise_good
            ),
            countries=matching.CountryMatcher(self.countries),
            listings=self.listings,
            latest=self.latest,
        )


def screening_reference() -> ScreeningReference:
    """Everything a screening matches against, in four queries."""
    releases = {
        r.pk: r
        for r in Release.objects.filter(dol_goods__isnull=False).distinct().order_by("year", "code")
    }
    files: dict[str, tuple[int, int]] = {}  # source file -> (release year, release id)
    rows = list(
        GoodListing.objects.values(
            "release_id",
            "source_file",
            "good",
            "country__iso3",
            "source_name",
            "child_labor",
            "forced_labor",
            "forced_child_labor",
        )
    )
    for row in rows:
        files[row["source_file"]] = (releases[row["release_id"]].year, row["release_id"])
    labels = sorted(files, key=lambda f: (files[f][0], f))
    index = {label: i for i, label in enumerate(labels)}
    seen: dict[tuple[str, str], list[tuple[int, dict[str, Any]]]] = {}
    variants: dict[str, set[str]] = {}
    for row in rows:
        iso3 = row["country__iso3"] or ""
        seen.setdefault((row["good"], iso3), []).append((index[row["source_file"]], dict(row)))
        variants.setdefault(iso3, set()).add(row["source_name"])
    listings = {}
    for (good, iso3), found in seen.items():
        found.sort(key=lambda pair: pair[0])
        last = found[-1][1]
        listings[(good, iso3)] = matching.Listing(
            good=good,
            iso3=iso3,
            editions=tuple(i for i, _ in found),
            child_labour=last["child_labor"],
            forced_labour=last["forced_labor"],
            forced_child_labour=last["forced_child_labor"],
        )
    countries = [
        matching.Country(
            iso3=c.iso3 or c.code,
            name=c.name,
            names=(c.name_en, c.name_fr, c.name_es),
            variants=(*(a.name for a in c.aliases.all()), *sorted(variants.get(c.iso3 or "", ()))),
            iso2=c.iso2,
        )
        for c in Geography.objects.filter(kind=GeographyKind.COUNTRY, iso3__isnull=False)
        .prefetch_related("aliases")
        .order_by("iso3")
    ]
    latest_edition: dict[str, Any] = {}
    if labels:
        release = releases[files[labels[-1]][1]]
        latest_edition = {
            "file": labels[-1],
            "title": release.title,
            "year": release.year,
            "url": release.url,
            "citation": release.citation,
        }
    synonyms_path = Path(settings.SDG87_DATA_DIR) / SYNONYMS_FILE
    return ScreeningReference(
        edition_labels=labels,
        latest_edition=latest_edition,
        listings=listings,
        goods=sorted({good for good, _ in seen}),
        countries=countries,
        synonyms=load_synonyms(synonyms_path) if synonyms_path.is_file() else {},
    )


def pack_path(*, lang: str, good: str, iso3: str) -> str:
    """The due-diligence pack of a good from a country (sdg87.packs resolves the slug)."""
    return f"/{lang}/supply-chains/packs/{slugify(good)}/{iso3}/"


def screening_visible(
    *, token: str, user: Actor | None, session_key: str | None
) -> Screening | None:
    """The screening behind `token` if this web visitor may see it (module docstring)."""
    screening = Screening.objects.filter(token=token).first()
    if screening is None:
        return None
    if screening.organisation_id is not None:
        return screening if role_in(user, screening.organisation_id) is not None else None
    if user is not None and user.is_authenticated and screening.created_by_id == user.pk:
        return screening
    if session_key and screening.created_by_id is None and screening.session_key == session_key:
        return screening
    return None


def screening_for_api(*, token: str) -> Screening | None:
    """An unsaved screening made through the API, by its token (the capability)."""
    return Screening.objects.filter(
        token=token, channel=ScreeningChannel.API, organisation__isnull=True
    ).first()


def screening_saved_list(*, user: Actor | None) -> QuerySet[Screening]:
    """Screenings saved to the organisations the user belongs to, newest first."""
    return Screening.objects.filter(organisation_id__in=list(user_roles(user))).select_related(
        "organisation"
    )


def screening_rows(*, screening: Screening, status: str = "") -> QuerySet[ScreeningRow]:
    """The screened rows in file order, optionally of one status (matching's codes)."""
    rows = ScreeningRow.objects.filter(screening=screening)
    if status:
        rows = rows.filter(status=status)
    return rows.order_by("row")
