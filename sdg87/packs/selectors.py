"""Reads for the due-diligence packs: which good a slug names, the pack's content assembled
from the loaded data, and its stored versions.

`pack_content_build` returns plain JSON values with no translated words (codes, numbers and the
publishers' own text), so the same content hashes alike in every language; pages, the PDF and
the exports put labels on the codes when they show them. Every figure carries the code of its
`indicators.Release`, described once in `sources` (publisher, URL, year, citation, licence).

The number of queries does not grow with the data: about twenty per pack.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils.text import slugify

from sdg87.assessments import selectors as assessments
from sdg87.assessments.models import GoodListing
from sdg87.geo.models import Geography, GeographyKind
from sdg87.indicators.models import Observation, Release
from sdg87.indicators.selectors import observation_list
from sdg87.library.evidence import matrix_compute
from sdg87.library.evidence_selectors import evidence_filters_resolve, evidence_rows
from sdg87.packs.diff import listing_history
from sdg87.packs.models import PackVersion

CONTENT_SCHEMA = 1
CHILD_LABOUR_SERIES = ("SL_TLF_CHLDEA", "SL_TLF_CHLDEC")
GSI_SERIES = ("GSI_PREV_1000", "GSI_NUMBER", "GSI_POPULATION")
# Forced-labour instruments the pack should show but no bundled source holds (the DOL Findings
# state only C138, C182, the CRC and its protocols, and Palermo): shown as "not in our data".
CONVENTIONS_WITHOUT_SOURCE = ("C029", "P029", "C105")


def pack_good_names() -> dict[str, str]:
    """{slug: the good as DOL writes it} over every List edition (one query)."""
    names = GoodListing.objects.order_by("good").values_list("good", flat=True).distinct()
    return {slugify(name): name for name in names}


def pack_good_resolve(*, slug: str) -> str | None:
    """The good a slug names (`slugify` of DOL's spelling), or None."""
    return pack_good_names().get(slug.strip().lower())


def pack_country_get(*, iso3: str) -> Geography | None:
    code = iso3.strip().upper()
    if len(code) != 3 or not code.isascii() or not code.isalpha():
        return None
    return Geography.objects.filter(kind=GeographyKind.COUNTRY, iso3=code).first()


def pack_listings(*, good: str, country: Geography) -> QuerySet[GoodListing]:
    return (
        GoodListing.objects.filter(good=good, country=country)
        .select_related("release__source", "derived_country")
        .order_by("source_file")
    )


def _source(release: Release) -> dict[str, Any]:
    return {
        "code": release.code,
        "title": release.title,
        "publisher": release.source.publisher,
        "url": release.url or release.source.url,
        "year": release.year,
        "citation": release.citation,
        "licence": release.source.licence,
    }


def _observation(obs: Observation) -> dict[str, Any]:
    return {
        "series": obs.series.code,
        "series_name": obs.series.name,
        "year": obs.year,
        "sex": obs.sex,
        "age": obs.age,
        "dimensions": obs.dimensions_key,
        "value": obs.value,
        "unit": obs.unit,
        "nature": obs.nature,
        "release": obs.release.code,
    }


def _observations(country: Geography, codes: tuple[str, ...]) -> list[Observation]:
    """The newest published value of each data point (all years), newest year first."""
    rows = observation_list(geography_ids=[country.pk]).filter(series__code__in=codes)
    order = {code: i for i, code in enumerate(codes)}
    return sorted(rows, key=lambda o: (order[o.series.code], -o.year, o.sex, o.age, o.id))


def pack_content_build(*, good: str, country: Geography) -> dict[str, Any] | None:
    """The pack's content for a good (DOL's spelling) and a country; None when the good was
    never listed for the country in any edition (such a pair has no pack: see the docs)."""
    listings = list(pack_listings(good=good, country=country))
    if not listings:
        return None
    releases: dict[str, Release] = {}

    def cite(release: Release) -> str:
        releases[release.code] = release
        return release.code

    edition_years = sorted(
        {
            year
            for year in (
                assessments.goods_edition_year(f)
                for f in GoodListing.objects.values_list("source_file", flat=True).distinct()
            )
            if year is not None
        }
    )
    listing_rows = []
    for row in listings:
        year = assessments.goods_edition_year(row.source_file)
        listing_rows.append(
            {
                "edition": year,
                "source_file": row.source_file,
                "sector": row.sector,
                "child_labour": row.child_labor,
                "forced_labour": row.forced_labor,
                "forced_child_labour": row.forced_child_labor,
                "derived_labour_exploitation": row.derived_labor_exploitation,
                "derived_country": row.derived_country.iso3 if row.derived_country else "",
                "release": cite(row.release),
            }
        )
    listing_rows.sort(key=lambda r: r["edition"] or 0)
    listed_years = [int(r["edition"]) for r in listing_rows if r["edition"] is not None]
    history = [
        {"edition": e.edition, "event": e.event}
        for e in listing_history(editions=edition_years, listed=listed_years)
    ]

    child_labour = []
    for obs in _observations(country, CHILD_LABOUR_SERIES):
        cite(obs.release)
        child_labour.append(_observation(obs))
    gsi = []
    for obs in _observations(country, GSI_SERIES):
        cite(obs.release)
        gsi.append(_observation(obs))

    tiers = [
        {"year": t.year, "tier": t.tier, "release": cite(t.release)}
        for t in assessments.tier_history(country=country)
    ]
    advancement = [
        {
            "report_year": a.report_year,
            "level": a.advancement_level,
            "level_text": a.advancement_text,
            "webpage": a.webpage,
            "release": cite(a.release),
        }
        for a in assessments.assessment_history(country=country)
    ]

    ratified = assessments.ratifications(country=country)
    ratifications = (
        {
            "report_year": ratified.report_year,
            "release": cite(ratified.release),
            "items": [
                {"code": i.code, "ratified": i.ratified, "value_text": i.value_text}
                for i in ratified.items
            ],
            "not_in_sources": list(CONVENTIONS_WITHOUT_SOURCE),
        }
        if ratified
        else None
    )
    standards = assessments.legal_standards(country=country)
    legal_standards = (
        {
            "report_year": standards.report_year,
            "release": cite(standards.release),
            "items": [
                {
                    "code": s.code,
                    "territory": s.territory,
                    "standard": s.standard,
                    "age": s.age,
                    "conforms_to_intl_standard": s.conforms_to_intl_standard,
                }
                for s in standards.items
            ],
        }
        if standards
        else None
    )
    figures = assessments.enforcement_figures(country=country)
    latest_enforcement = figures[0].report_year if figures else None
    enforcement = [
        {
            "code": f.code,
            "kind": f.kind,
            "report_year": f.report_year,
            "territory": f.territory,
            "value_text": f.value_text,
            "value_number": f.value_number,
            "release": cite(f.release),
        }
        for f in figures
        if f.report_year == latest_enforcement
    ]
    actions = list(assessments.suggested_actions(country=country))
    suggested_actions = (
        {
            "report_year": actions[0].report_year,
            "release": cite(actions[0].release),
            "items": [
                {"report_year": a.report_year, "order": a.order, "area": a.area, "action": a.action}
                for a in actions
            ],
        }
        if actions
        else None
    )

    rows = evidence_rows(filters=evidence_filters_resolve(country=[country.iso3 or ""]))
    matrix = matrix_compute(rows)
    evidence = {
        "studies": matrix.total,
        "cells": [
            {"intervention": cell.intervention, "outcome": cell.outcome, "studies": cell.studies}
            for cell in (matrix.cell(i, o) for i in matrix.interventions for o in matrix.outcomes)
            if cell.studies
        ],
    }

    return {
        "schema": CONTENT_SCHEMA,
        "good": {"name": good, "slug": slugify(good), "sector": listing_rows[-1]["sector"]},
        "country": {"iso3": country.iso3, "name": country.name_en},
        "editions": edition_years,
        "listings": listing_rows,
        "history": history,
        "child_labour": child_labour,
        "gsi": gsi,
        "tiers": tiers,
        "advancement": advancement,
        "ratifications": ratifications,
        "legal_standards": legal_standards,
        "enforcement": enforcement,
        "suggested_actions": suggested_actions,
        "evidence": evidence,
        "sources": {code: _source(r) for code, r in sorted(releases.items())},
    }


def pack_version_latest(*, good_slug: str, country: Geography) -> PackVersion | None:
    return (
        PackVersion.objects.filter(good_slug=good_slug, country=country).order_by("-number").first()
    )


def pack_version_get(*, good_slug: str, country: Geography, number: int) -> PackVersion | None:
    return PackVersion.objects.filter(good_slug=good_slug, country=country, number=number).first()


def pack_version_previous(*, version: PackVersion) -> PackVersion | None:
    return (
        PackVersion.objects.filter(
            good_slug=version.good_slug, country_id=version.country_id, number__lt=version.number
        )
        .order_by("-number")
        .first()
    )


def pack_version_numbers(*, good_slug: str, country: Geography) -> list[tuple[int, Any]]:
    """(number, created_at) of every version, newest first."""
    return list(
        PackVersion.objects.filter(good_slug=good_slug, country=country)
        .order_by("-number")
        .values_list("number", "created_at")
    )
