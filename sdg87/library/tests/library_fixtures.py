"""Fixtures of the library page, feed and API tests: records of two organisations created here
(slugs `t-lib-`), in two private-use geographies (QZA, QZB), plus one record of each kind the
public must never see (draft, unverified, organisation-only, scheduled).

Public records of `t-lib-org` (hand-counted in the tests):

| slug     | type              | year | lang | themes                       | places   |
|----------|-------------------|------|------|------------------------------|----------|
| t-lib-a  | report            | 2020 | en   | child_labour                 | QZA      |
| t-lib-b  | report            | 2021 | fr   | child_labour, forced_labour  | QZA, QZB |
| t-lib-c  | policy_brief      | 2021 | en   | forced_labour                | QZB      |
| t-lib-d  | impact_evaluation | 2019 | es   | child_labour                 | -        |

and `t-lib-e` (report, 2020, en, child_labour, QZA) of `t-lib-org2`. t-lib-a and t-lib-b are
editions of one work (with the draft). Imported by the test modules that use them."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from sdg87.catalog.models import Status, Theme, Visibility
from sdg87.geo.models import Geography, GeographyKind
from sdg87.library.models import Creator, EvidenceCoding, Publication
from sdg87.orgs.models import Organisation, Role
from sdg87.orgs.services import membership_set, organisation_upsert


@pytest.fixture(autouse=True)
def fresh_page_cache() -> Any:
    """Pages and feeds are cached per URL (sdg87.core.cache): each test starts and ends
    without another test's answers. Imported with `from ... import *`, like `lib`."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


HIDDEN = ("t-lib-draft", "t-lib-unverified", "t-lib-orgonly", "t-lib-scheduled")


def make_pub(
    slug: str,
    org: Organisation | None,
    *,
    themes: tuple[str, ...] = (),
    places: tuple[Geography, ...] = (),
    published_days_ago: int = 1,
    **extra: Any,
) -> Publication:
    now = timezone.now()
    defaults: dict[str, Any] = {
        "title": f"T-Lib {slug} title",
        "resource_type": "report",
        "publisher": org,
        "year": 2020,
        "language": "en",
        "verified": True,
        "live": True,
        "status": Status.PUBLISHED,
        "visibility": Visibility.PUBLIC,
        "first_published_at": now - timedelta(days=published_days_ago),
        "last_published_at": now - timedelta(days=published_days_ago),
        "url": f"https://example.org/{slug}",
    }
    defaults.update(extra)
    pub = Publication.objects.create(slug=slug, **defaults)
    pub.themes.set(Theme.objects.filter(code__in=themes))
    pub.geographies.set(places)
    return pub


@dataclass
class LibraryFixture:
    org: Organisation
    org2: Organisation
    qza: Geography
    qzb: Geography
    pubs: dict[str, Publication] = field(default_factory=dict)
    editor: Any = None


@pytest.fixture
def lib(db: None) -> LibraryFixture:
    org = organisation_upsert(slug="t-lib-org", name="T-Lib Research Office", type="ngo")
    org2 = organisation_upsert(
        slug="t-lib-org2", name="T-Lib Second Office", acronym="TL2", type="ngo"
    )
    qza = Geography.objects.create(
        code="QZA", iso3="QZA", kind=GeographyKind.COUNTRY, name_en="Qza"
    )
    qzb = Geography.objects.create(
        code="QZB", iso3="QZB", kind=GeographyKind.COUNTRY, name_en="Qzb"
    )
    f = LibraryFixture(org=org, org2=org2, qza=qza, qzb=qzb)
    p = f.pubs
    p["a"] = make_pub(
        "t-lib-a",
        org,
        themes=("child_labour",),
        places=(qza,),
        work="t-lib-work",
        published_days_ago=5,
        abstract="An abstract of A.",
    )
    p["b"] = make_pub(
        "t-lib-b",
        org,
        themes=("child_labour", "forced_labour"),
        places=(qza, qzb),
        year=2021,
        language="fr",
        work="t-lib-work",
        published_days_ago=4,
    )
    p["c"] = make_pub(
        "t-lib-c",
        org,
        themes=("forced_labour",),
        places=(qzb,),
        resource_type="policy_brief",
        year=2021,
        published_days_ago=3,
    )
    p["d"] = make_pub(
        "t-lib-d",
        org,
        themes=("child_labour",),
        resource_type="impact_evaluation",
        year=2019,
        language="es",
        published_days_ago=2,
        url="",
        copy_url="https://www.docslib.org/doc/t-lib-d",
    )
    p["e"] = make_pub("t-lib-e", org2, themes=("child_labour",), places=(qza,))
    Creator.objects.create(
        publication=p["a"], position=0, family="Doe", given="Jane", orcid="0000-0002-1825-0097"
    )
    Creator.objects.create(publication=p["a"], position=1, name="T-Lib Research Office")
    EvidenceCoding.objects.create(
        publication=p["d"],
        intervention="cash_transfers",
        outcome="child_labour_incidence",
        design="rct",
        direction="reduced",
        finding_quote="Child labour fell by a tenth.",
    )
    # Never public: each reason once, all about QZA with the same themes as t-lib-a.
    for slug, extra in (
        ("t-lib-draft", {"live": False, "status": Status.DRAFT, "work": "t-lib-work"}),
        ("t-lib-unverified", {"verified": False}),
        ("t-lib-orgonly", {"visibility": Visibility.ORGANISATION}),
        ("t-lib-scheduled", {"publish_at": timezone.now() + timedelta(days=3)}),
    ):
        p[slug] = make_pub(
            slug,
            org,
            themes=("child_labour",),
            places=(qza,),
            title=f"Hidden {slug}",
            published_days_ago=0,
            **extra,
        )
    editor = get_user_model().objects.create_user("t-lib-editor", "t-lib@example.org", "pw-Zz-1")
    membership_set(user=editor, organisation=org, role=Role.EDITOR)
    f.editor = editor
    return f
