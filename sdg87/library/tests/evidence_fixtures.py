"""Fixtures of the evidence map tests: a test-only country (ZZE) in a test-only region
(T_EV_REGION) and coded studies created here (slugs `t-ev-`), beside the bundled data.

Imported by the test modules that use them (`from ... import *` keeps the fixture names)."""

from __future__ import annotations

from typing import Any

import pytest

from sdg87.catalog.models import Theme
from sdg87.geo.models import Geography, GeographyKind, GeographyMembership
from sdg87.library.models import EvidenceCoding, Publication

T_QUOTE = "t-ev: enrolment in the test programme rose by a made-up amount"


@pytest.fixture
def ev_places(db: None) -> dict[str, Geography]:
    country = Geography.objects.create(
        code="ZZE", kind=GeographyKind.COUNTRY, iso3="ZZE", name_en="T-Evidenceland"
    )
    region = Geography.objects.create(
        code="T_EV_REGION", kind=GeographyKind.ILO_REGION, name_en="T-Evidence region"
    )
    GeographyMembership.objects.create(group=region, member=country)
    return {"country": country, "region": region}


def make_study(
    *,
    slug: str,
    intervention: str = "legal_and_policy_reform",
    outcome: str = "trafficking_victims_identified",
    design: str = "rct",
    direction: str = "increased",
    quote: str = T_QUOTE,
    year: int | None = 2011,
    places: tuple[Geography, ...] = (),
    themes: tuple[str, ...] = ("forced_marriage",),
    **fields: Any,
) -> Publication:
    """A coded study; public (live, verified, published) unless `fields` say otherwise. The
    default cell (legal reform x trafficking victims identified) is empty in the bundled data."""
    values: dict[str, Any] = {
        "title": f"T evidence study {slug}",
        "resource_type": "impact_evaluation",
        "year": year,
        "live": True,
        "verified": True,
        "status": "published",
        "visibility": "public",
    }
    values.update(fields)
    pub = Publication.objects.create(slug=slug, **values)
    pub.geographies.set(places)
    pub.themes.set(Theme.objects.filter(code__in=themes))
    EvidenceCoding.objects.create(
        publication=pub,
        intervention=intervention,
        outcome=outcome,
        design=design,
        direction=direction,
        finding_quote=quote,
    )
    return pub
