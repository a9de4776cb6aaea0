"""The country pages: the searchable list of countries and one country's profile (latest
values with trends and comparisons, data gaps, assessments, progress, summary)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from sdg87.alliance.pathfinder import PathfinderEntry, pathfinder_countries, pathfinder_get
from sdg87.assessments import selectors as assessment_selectors
from sdg87.geo.models import Geography
from sdg87.geo.selectors import country_get, country_list
from sdg87.indicators.models import Observation, Release
from sdg87.library.models import Publication
from sdg87.library.selectors import publication_public_queryset
from sdg87.site import charts as site_charts
from sdg87.site import selectors as sel
from sdg87.site import summaries
from sdg87.site.contexts.base import PageContext, api_url, releases_of
from sdg87.site.contexts.country_key import KeyFigure, headline_chart, key_figures
from sdg87.site.contexts.progress import ProgressItem, country_progress
from sdg87.site.contexts.text import country_matches, sort_key
from sdg87.site.gaps import GapReport, data_gaps


@dataclass(frozen=True)
class CountryIndexContext(PageContext):
    countries: list[tuple[Geography, bool]]
    regions: list[Geography]
    region: Geography | None
    q: str


def country_index_context(*, q: str, region_code: str) -> CountryIndexContext:
    """Countries whose name (any language, accents ignored) or ISO3 matches `q`, within an
    SDG region, each flagged when it is an Alliance 8.7 Pathfinder Country."""
    regions = sel.sdg_regions()
    region = next((r for r in regions if r.code == region_code), None)
    # Matched here rather than in SQL so that "cote" finds "Côte d'Ivoire".
    countries = [c for c in country_list(region=region) if country_matches(c, q)]
    countries.sort(key=lambda g: sort_key(g.name))
    pathfinders = pathfinder_countries()
    return CountryIndexContext(
        countries=[(c, c.iso3 in pathfinders) for c in countries],
        regions=regions,
        region=region,
        q=q,
    )


COUNTRY_PUBLICATIONS = 5  # newest publications about the country listed on its page


@dataclass(frozen=True)
class CountryDetailContext(PageContext):
    country: Geography
    region: Geography | None
    world: Geography | None
    rows: list[sel.CountrySeriesRow]
    rows_by_code: dict[str, sel.CountrySeriesRow]
    pathfinder: PathfinderEntry | None
    gaps: GapReport
    gap_labels: dict[str, str]
    current_year: int
    assessments: dict[str, Any]
    releases: list[Release]
    api_csv: str
    api_json: str
    summary: list[str]
    progress: list[ProgressItem]
    key_figures: list[KeyFigure]
    headline: dict[str, Any] | None
    sections: list[tuple[str, str]]
    charts: dict[str, Any]
    publications: list[Publication]
    publication_count: int


def country_detail_context(*, iso3: str) -> CountryDetailContext | None:
    """One country's profile; None when no country has the code. Years after the current one
    (projections) are left out, so that "latest" means observed or estimated."""
    country = country_get(iso3=iso3)
    if country is None:
        return None
    region = sel.geography_sdg_region(geography=country)
    world_geo = sel.world()
    current_year = timezone.localdate().year
    rows = sel.country_series_rows(
        country=country, region=region, world_geo=world_geo, max_year=current_year
    )
    rows_by_code = {row.series.code: row for row in rows}
    gap_report = data_gaps(
        key_codes=[code for code, _label in KEY_SERIES],
        latest_years=key_series_latest_years(rows),
        current_year=current_year,
    )
    assessments = country_assessments(country=country)
    progress = country_progress(country=country, rows=rows)
    pathfinder = pathfinder_get(iso3=country.iso3 or "")
    about = publication_public_queryset().filter(geographies=country)
    publication_count = about.count()
    publications = list(
        about.select_related("publisher").order_by(
            F("year").desc(nulls_last=True), F("issued").desc(nulls_last=True), "title", "id"
        )[:COUNTRY_PUBLICATIONS]
    )
    return CountryDetailContext(
        country=country,
        region=region,
        world=world_geo,
        rows=rows,
        rows_by_code=rows_by_code,
        pathfinder=pathfinder,
        gaps=gap_report,
        gap_labels=dict(key_series_labels()),
        current_year=current_year,
        assessments=assessments,
        releases=releases_of(*[r.trend for r in rows]),
        api_csv=api_url([("country", country.iso3 or ""), ("format", "csv")]),
        api_json=api_url([("country", country.iso3 or "")]),
        summary=summaries.country_summary(
            country=country,
            region=region,
            rows_by_code=rows_by_code,
            gaps=gap_report,
            assessments=assessments,
            references=child_labour_references(region=region, world_geo=world_geo),
        ),
        progress=progress,
        key_figures=key_figures(rows_by_code=rows_by_code, assessments=assessments),
        headline=headline_chart(country=country, rows=rows),
        sections=page_sections(
            has_progress=bool(progress),
            has_goods=bool(assessments["goods"]),
            has_pathfinder=pathfinder is not None,
        ),
        charts=site_charts.country_charts(rows=rows),
        publications=publications,
        publication_count=publication_count,
    )


def page_sections(
    *, has_progress: bool, has_goods: bool, has_pathfinder: bool
) -> list[tuple[str, str]]:
    """(anchor, label) of the profile's sections, in page order, for the jump menu; sections
    the country has nothing for are left out."""
    sections = [("summary", _("In brief")), ("statistics", _("Statistics"))]
    if has_progress:
        sections.append(("progress", _("Progress to the target")))
    sections.append(("assessments", _("Laws and assessments")))
    if has_goods:
        sections.append(("goods", _("Goods")))
    sections.append(("publications", _("Data and publications")))
    if has_pathfinder:
        sections.append(("pathfinder", _("Pathfinder")))
    sections.append(("sources", _("Sources")))
    return sections


# Key series of the data-gaps panel, in display order.
KEY_SERIES: tuple[tuple[str, str], ...] = (
    ("SL_TLF_CHLDEA", "8.7.1"),
    ("SL_TLF_CHLDEC", "8.7.1"),
    ("SP_DYN_MRBF18", "5.3.1"),
    ("VC_HTF_DETV", "16.2.2"),
    ("GSI_PREV_1000", "GSI"),
    ("SP_POP_5T17", "WPP"),
)


def key_series_labels() -> list[tuple[str, str]]:
    return [
        ("SL_TLF_CHLDEA", _("Child labour (economic activity), SDG 8.7.1")),
        ("SL_TLF_CHLDEC", _("Child labour including household chores, SDG 8.7.1")),
        ("SP_DYN_MRBF18", _("Child marriage before age 18, SDG 5.3.1")),
        ("VC_HTF_DETV", _("Detected victims of trafficking, SDG 16.2.2")),
        ("GSI_PREV_1000", _("Modern slavery prevalence, Global Slavery Index")),
        ("SP_POP_5T17", _("Population aged 5-17")),
    ]


def child_labour_references(
    *, region: Geography | None, world_geo: Geography | None
) -> dict[str, tuple[Observation | None, Observation | None]]:
    """Per 8.7.1 series: the region's and the world's latest 5-17 figures (both sexes)."""
    geos = [g for g in (region, world_geo) if g is not None]
    out = {}
    for code in ("SL_TLF_CHLDEA", "SL_TLF_CHLDEC"):
        latest = sel.aggregate_latest(series_code=code, geographies=geos)
        out[code] = (
            latest.get(region.pk) if region is not None else None,
            latest.get(world_geo.pk) if world_geo is not None else None,
        )
    return out


def key_series_latest_years(rows: Sequence[sel.CountrySeriesRow]) -> dict[str, int | None]:
    by_code = {row.series.code: row.latest.year for row in rows}
    return {code: by_code.get(code) for code, _ in KEY_SERIES}


def country_assessments(*, country: Geography) -> dict[str, Any]:
    """US DOL findings, listed goods, ratifications and TIP tiers for a country."""
    history = list(assessment_selectors.assessment_history(country=country))
    assessed = [a for a in history if a.advancement_level != "not_covered"]
    actions = list(assessment_selectors.suggested_actions(country=country))
    goods = assessment_selectors.goods_by_edition(country=country)
    tiers = list(assessment_selectors.tier_history(country=country))
    return {
        "dol": assessed,
        "dol_latest": assessed[0] if assessed else None,
        "goods": goods,
        "goods_latest": goods[0] if goods else None,
        "goods_earlier": goods[1:],
        "goods_groups": goods_groups(goods[0]) if goods else [],
        "ratifications": assessment_selectors.ratifications(country=country),
        "tiers": tiers,
        "tier_latest": tiers[-1] if tiers else None,
        "actions": actions,
        "actions_year": actions[0].report_year if actions else None,
    }


def goods_groups(edition: assessment_selectors.GoodsEdition) -> list[tuple[str, list[str]]]:
    """The goods of one List edition grouped by what they are listed for (child labour,
    forced labour, both, made with an exploited input), each group's goods by name."""
    groups: dict[str, list[str]] = {}
    for good in edition.goods:
        if good.derived_labor_exploitation:
            kind = _("Made with an input produced with exploited labour")
        elif good.child_labor and good.forced_labor:
            kind = _("Child labour and forced labour")
        elif good.forced_labor:
            kind = _("Forced labour")
        else:
            kind = _("Child labour")
        groups.setdefault(kind, []).append(good.good)
    return [(kind, sorted(names, key=str.casefold)) for kind, names in groups.items()]
