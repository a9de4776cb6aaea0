"""Bundled-data load steps for government country assessments (data/PROVENANCE.md sections 2
and 8).

Releases: one per Findings edition (`us-dol-ilab-findings-<report year>`, shared by the
profile, value and suggested-action steps), one per List of Goods app file
(`us-dol-ilab-goods-<file stem>`), and one for the TIP tier table (`tip-heiss-kelley-2001-2015`).
Steps are independent of each other (no foreign keys between their tables), so any one can be
reloaded alone.

The goods embedded in each Findings country profile (dol_findings_country_goods.csv) are not
loaded a second time: they equal a List file edition for edition (see
`parsers.FINDINGS_GOODS_EQUIVALENT`), which the tests check.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TextIO

from sdg87.assessments import parsers, services
from sdg87.assessments.models import (
    CountryAssessment,
    GoodListing,
    TierPlacement,
)
from sdg87.core.ingest import ParseError, reading
from sdg87.core.loading import LoadStep
from sdg87.geo.models import Geography, GeographyKind
from sdg87.indicators.models import Release, Source
from sdg87.indicators.services import release_upsert, source_upsert

PROFILES = "dol_ilab/dol_findings_country_profiles.csv"
INDICATORS_LONG = "dol_ilab/dol_findings_country_indicators_long.csv"
SUGGESTED_ACTIONS = "dol_ilab/dol_findings_suggested_actions.csv"
GOODS_LIST = "dol_ilab/dol_goods_list_by_app_file.csv"
PROFILE_GOODS = "dol_ilab/dol_findings_country_goods.csv"
TIP_TIERS = "tip_report/us_tip_report_tiers_1999_2015_heiss_kelley.csv"

DOL_SOURCE = "us-dol-ilab"
TIP_SOURCE = "tip-heiss-kelley"
TIP_RELEASE = "tip-heiss-kelley-2001-2015"

_APP_REPOSITORY = (
    "repository USDepartmentofLabor/Child-Labor-Android (ILAB's Sweat & Toil app, HEAD "
    "b8891386cc88513baa4411196561934f0a36f063), app/src/main/assets/"
)
_PUBLIC_DOMAIN = "Public domain in the US (work of the US federal government, 17 U.S.C. §105)"
_PUBLIC_DOMAIN_URL = "https://www.law.cornell.edu/uscode/text/17/105"


def _open(data_dir: Path, name: str) -> TextIO:
    return (data_dir / name).open(encoding="utf-8", newline="")


# --- sources and releases ---------------------------------------------------------------------


def dol_source() -> Source:
    return source_upsert(
        code=DOL_SOURCE,
        title="US Department of Labor (ILAB): child labor and forced labor reports",
        publisher="US Department of Labor, Bureau of International Labor Affairs (ILAB)",
        url="https://www.dol.gov/agencies/ilab/resources/reports/child-labor",
        licence=_PUBLIC_DOMAIN,
        licence_url=_PUBLIC_DOMAIN_URL,
        description=(
            "ILAB's Findings on the Worst Forms of Child Labor (country assessments under the "
            "Trade and Development Act) and the List of Goods Produced by Child Labor or Forced "
            "Labor (TVPRA list), as packaged in ILAB's Sweat & Toil app. These are assessments "
            "by the US government. Statistics inside the Findings are ILAB re-publications of "
            "ILO/UNICEF survey analyses and UNESCO data."
        ),
    )


def findings_release(edition: parsers.Edition) -> Release:
    year = edition.report_year or 0
    return release_upsert(
        source=dol_source(),
        code=f"us-dol-ilab-findings-{year}",
        title=f"Findings on the Worst Forms of Child Labor, {year} reporting year",
        year=year + 1,  # each edition is published the year after the year it covers
        url="https://www.dol.gov/agencies/ilab/resources/reports/child-labor/findings",
        citation=(
            f"U.S. Department of Labor, Bureau of International Labor Affairs ({year + 1}). "
            f"{year} Findings on the Worst Forms of Child Labor. Washington, DC. Data as "
            f"packaged in ILAB's Sweat & Toil app (file {edition.source_file}). Statistics in "
            "the Findings re-publish ILO/UNICEF and UNESCO analyses: cite the original source "
            "too."
        ),
        provenance=(
            f"{_APP_REPOSITORY}{edition.source_file} (last changed in commit {edition.commit}, "
            f"{edition.shipped_on.isoformat()}), flattened to data/{PROFILES}, "
            f"data/{INDICATORS_LONG} and data/{SUGGESTED_ACTIONS}: whitespace normalised; "
            "report year taken as the modal 'In YYYY,' year of the descriptions "
            "(data/PROVENANCE.md section 2)."
        ),
    )


def goods_release(edition: parsers.Edition) -> Release:
    stem = edition.source_file.removesuffix(".xml")
    shipped = edition.shipped_on.isoformat()
    return release_upsert(
        source=dol_source(),
        code=f"us-dol-ilab-{stem.replace('_', '-')}",
        title=(
            f"List of Goods Produced by Child Labor or Forced Labor, app file "
            f"{edition.source_file} (shipped {shipped})"
        ),
        year=edition.shipped_on.year,
        url="https://www.dol.gov/agencies/ilab/reports/child-labor/list-of-goods",
        citation=(
            "U.S. Department of Labor, Bureau of International Labor Affairs. List of Goods "
            "Produced by Child Labor or Forced Labor, as packaged in ILAB's Sweat & Toil app "
            f"(file {edition.source_file}, shipped {shipped})."
        ),
        provenance=(
            f"{_APP_REPOSITORY}{edition.source_file} (last changed in commit {edition.commit}, "
            f"{shipped}), flattened to data/{GOODS_LIST}. The file name is the app's label, "
            "not the year of an official List edition; the release year is the year the app "
            "shipped the file (data/PROVENANCE.md section 2)."
        ),
    )


def tip_release() -> Release:
    source = source_upsert(
        code=TIP_SOURCE,
        title="US Trafficking in Persons Report tier placements (compiled by Kelley and Heiss)",
        publisher=(
            "US Department of State (tier placements); compiled by Judith G. Kelley and "
            "Andrew Heiss"
        ),
        url="https://github.com/andrewheiss/From-the-Trenches-Anti-TIP-NGOs-and-US",
        licence=(
            "Tier placements: public domain (US government). The compilation's repository has "
            "no licence file."
        ),
        licence_url=_PUBLIC_DOMAIN_URL,
        description=(
            "Tier placements of the US State Department's annual Trafficking in Persons Report, "
            "by country and report year, 2001-2015. These are assessments by the US government."
        ),
    )
    return release_upsert(
        source=source,
        code=TIP_RELEASE,
        title="TIP report tiers 2001-2015 (Kelley and Heiss compilation)",
        year=2017,
        url=(
            "https://github.com/andrewheiss/From-the-Trenches-Anti-TIP-NGOs-and-US/blob/"
            "a74d421bf3b6b6b93b27d95570b18522613da63c/data/tip_tiers_orig.csv"
        ),
        citation=(
            "US Department of State, Trafficking in Persons Report (2001-2015), tier placements "
            "as compiled by Judith G. Kelley and Andrew Heiss. Heiss, A. and Kelley, J. G. "
            "(2017). From the Trenches: A Global Survey of Anti-TIP NGOs and their Views of US "
            "Efforts. Journal of Human Trafficking. Kelley, J. G. (2017). Scorecard Diplomacy: "
            "Grading States to Influence their Reputation and Behavior. Cambridge University "
            "Press."
        ),
        provenance=(
            "Repository andrewheiss/From-the-Trenches-Anti-TIP-NGOs-and-US, file "
            "data/tip_tiers_orig.csv, commit a74d421bf3b6b6b93b27d95570b18522613da63c (HEAD "
            f"475c15bab196e3584d3c089234efb53e5bf1c7b7), copied to data/{TIP_TIERS}: trailing "
            "spaces trimmed in tier, NA -> empty. 'Watchlist' = Tier 2 Watch List; empty tier "
            "(all of 1999-2000, and countries not rated) is not loaded; Kosovo's code KOS is "
            "mapped to XKX (data/PROVENANCE.md section 8)."
        ),
    )


# --- countries -------------------------------------------------------------------------------


def country_matcher() -> parsers.CountryMatcher:
    rows = Geography.objects.filter(kind=GeographyKind.COUNTRY, iso3__isnull=False).values_list(
        "iso3", "name_en", "name_fr", "name_es", "official_name_en"
    )
    return parsers.CountryMatcher((iso3 or "", names) for iso3, *names in rows)


def country_ids() -> dict[str, int]:
    rows = Geography.objects.filter(kind=GeographyKind.COUNTRY, iso3__isnull=False)
    return {iso3 or "": pk for iso3, pk in rows.values_list("iso3", "id")}


class _Resolver:
    """Name -> geography id (None for names deliberately not loaded), remembered per name:
    the long tables repeat each country's name on thousands of rows."""

    def __init__(self) -> None:
        self.matcher = country_matcher()
        self.ids = country_ids()
        self.cache: dict[str, int | None] = {}

    def __call__(self, name: str, *, row: int, column: str) -> int | None:
        if name not in self.cache:
            iso3 = self.matcher.match(name, row=row, column=column)
            self.cache[name] = None if iso3 is None else self.ids[iso3]
        return self.cache[name]


def _once(seen: dict[tuple[object, ...], int], key: tuple[object, ...], *, row: int, what: str):
    if key in seen:
        raise ParseError(
            f"{what} already given in row {seen[key]} (two names for one country?)",
            row=row,
            column="country",
        )
    seen[key] = row


# --- steps -----------------------------------------------------------------------------------


def _findings_releases() -> dict[str, Release]:
    return {name: findings_release(e) for name, e in parsers.FINDINGS_EDITIONS.items()}


def load_profiles(data_dir: Path) -> int:
    releases = _findings_releases()
    resolve = _Resolver()
    seen: dict[tuple[object, ...], int] = {}
    assessments = []
    with reading(PROFILES), _open(data_dir, PROFILES) as fh:
        for row in parsers.parse_profiles(fh):
            country_id = resolve(row.country, row=row.line, column="country")
            if country_id is None:
                continue
            _once(seen, (row.source_file, country_id), row=row.line, what="assessment")
            adv = row.advancement
            assessments.append(
                CountryAssessment(
                    country_id=country_id,
                    release=releases[row.source_file],
                    report_year=row.report_year,
                    source_file=row.source_file,
                    source_name=row.country,
                    region=row.region,
                    advancement_level=adv.level,
                    advancement_text=adv.text,
                    automatic_downgrade=adv.automatic_downgrade,
                    downgrade_reason=adv.downgrade_reason,
                    multiple_territories=row.multiple_territories,
                    webpage=row.webpage,
                    description=row.description,
                )
            )
        return services.country_assessments_replace(
            releases=list(releases.values()), assessments=assessments
        )


def load_indicators_long(data_dir: Path) -> int:
    releases = _findings_releases()
    resolve = _Resolver()

    def values() -> Iterator[services.FindingValueRow]:
        with _open(data_dir, INDICATORS_LONG) as fh:
            for row in parsers.parse_indicators_long(fh):
                country_id = resolve(row.country, row=row.line, column="country")
                if country_id is None:
                    continue
                yield services.FindingValueRow(
                    country_id=country_id,
                    release_id=releases[row.source_file].pk,
                    report_year=row.report_year,
                    source_file=row.source_file,
                    section=row.section,
                    field_path=row.field_path,
                    territory=row.territory,
                    value_text=row.value_text,
                    value_number=row.value_number,
                )

    with reading(INDICATORS_LONG):
        return services.finding_values_replace(releases=list(releases.values()), values=values())


def load_suggested_actions(data_dir: Path) -> int:
    releases = _findings_releases()
    resolve = _Resolver()
    actions = []
    with reading(SUGGESTED_ACTIONS), _open(data_dir, SUGGESTED_ACTIONS) as fh:
        for row in parsers.parse_suggested_actions(fh):
            country_id = resolve(row.country, row=row.line, column="country")
            if country_id is None:
                continue
            actions.append(
                services.SuggestedActionRow(
                    country_id=country_id,
                    release_id=releases[row.source_file].pk,
                    report_year=row.report_year,
                    source_file=row.source_file,
                    area=row.area,
                    action=row.action,
                    order=row.order,
                )
            )
        return services.suggested_actions_replace(releases=list(releases.values()), actions=actions)


def load_goods_list(data_dir: Path) -> int:
    releases = {name: goods_release(e) for name, e in parsers.GOODS_EDITIONS.items()}
    resolve = _Resolver()
    seen: dict[tuple[object, ...], int] = {}
    listings = []
    with reading(GOODS_LIST), _open(data_dir, GOODS_LIST) as fh:
        for row in parsers.parse_goods_list(fh):
            country_id = resolve(row.country, row=row.line, column="country")
            derived_id = (
                resolve(row.derived_country, row=row.line, column="derived_country")
                if row.derived_country
                else None
            )
            if country_id is None:
                continue
            _once(seen, (row.source_file, row.good, country_id), row=row.line, what="good")
            listings.append(
                GoodListing(
                    release=releases[row.source_file],
                    source_file=row.source_file,
                    good=row.good,
                    sector=row.sector,
                    country_id=country_id,
                    source_name=row.country,
                    country_region=row.country_region,
                    child_labor=row.child_labor,
                    forced_labor=row.forced_labor,
                    forced_child_labor=row.forced_child_labor,
                    derived_labor_exploitation=row.derived_labor_exploitation,
                    derived_country_id=derived_id,
                )
            )
        return services.good_listings_replace(releases=list(releases.values()), listings=listings)


def load_tip_tiers(data_dir: Path) -> int:
    release = tip_release()
    ids = country_ids()
    placements = []
    with reading(TIP_TIERS), _open(data_dir, TIP_TIERS) as fh:
        for row in parsers.parse_tip_tiers(fh):
            if row.iso3 in parsers.TIP_ISO3_SKIPS:
                continue
            iso3 = parsers.TIP_ISO3_ALIASES.get(row.iso3, row.iso3)
            if iso3 not in ids:
                raise ParseError(f"unknown country code '{row.iso3}'", row=row.line, column="iso3")
            placements.append(
                TierPlacement(
                    country_id=ids[iso3],
                    release=release,
                    year=row.year,
                    tier=row.tier,
                    source_name=row.country_name,
                )
            )
        return services.tier_placements_replace(releases=[release], placements=placements)


_COUNTRIES = ("geo.countries",)


def _step(key: str, label: str, file: str, run: Callable[[Path], int]) -> LoadStep:
    return LoadStep(key=key, label=label, files=(file,), run=run, depends_on=_COUNTRIES)


STEPS = [
    _step(
        "assessments.dol_profiles", "US DOL Findings: country assessments", PROFILES, load_profiles
    ),
    _step(
        "assessments.dol_values",
        "US DOL Findings: statistics, conventions, laws and enforcement",
        INDICATORS_LONG,
        load_indicators_long,
    ),
    _step(
        "assessments.dol_actions",
        "US DOL Findings: suggested government actions",
        SUGGESTED_ACTIONS,
        load_suggested_actions,
    ),
    _step(
        "assessments.dol_goods", "US DOL List of Goods (all editions)", GOODS_LIST, load_goods_list
    ),
    _step("assessments.tip_tiers", "US TIP report tiers 2001-2015", TIP_TIERS, load_tip_tiers),
]
