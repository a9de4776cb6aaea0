"""The partner directory's reads on the bundled data: who is a partner and why, the role with
its evidence and sources, Action Groups and Pathfinder involvement from public rows only, and
contribution counts equal to plain queries of what the public may see."""

from __future__ import annotations

import pytest
from django.db.models import Q
from django.utils import timezone

from sdg87.alliance import partner_selectors as sel
from sdg87.alliance.models import (
    SHOWN,
    ActionGroup,
    Plan,
    ReviewStatus,
    RoadmapAction,
    Verification,
)
from sdg87.catalog.models import Dataset, Visibility
from sdg87.geo.models import Geography
from sdg87.library.models import Publication
from sdg87.orgs.models import Organisation

pytestmark = pytest.mark.django_db


def _by_slug(partners: list[sel.Partner]) -> dict[str, sel.Partner]:
    return {p.organisation.slug: p for p in partners}


def _action(
    iso3: str, key: str, *, verification: str, live: bool, responsible: Organisation
) -> RoadmapAction:
    plan, _created = Plan.objects.get_or_create(
        country=Geography.objects.get(iso3=iso3), title=f"ZZ plan {iso3}"
    )
    action = RoadmapAction.objects.create(
        plan=plan,
        key=key,
        priority_area="Prevention",
        text="Strengthen labour inspection",
        source_url="https://example.org/plan",
        quote="Strengthen labour inspection",
        verification=verification,
        status=ReviewStatus.PUBLISHED if live else ReviewStatus.DRAFT,
        live=live,
    )
    action.responsible_organisations.add(responsible)
    return action


def test_the_bundled_ilo_with_its_role(bundled_data: None) -> None:
    """The ILO is a partner by its verified role (Action Group member), with the evidence and
    the two sources of organisations.csv."""
    ilo = _by_slug(sel.partner_list())["ilo"]
    assert ilo.criteria == [sel.ROLE]
    assert ilo.organisation.alliance87_role == "action_group_member"
    assert "Chairs the Supply Chains Action Group" in ilo.organisation.alliance87_role_evidence
    assert ilo.role_sources == [
        "https://www.alliance87.org/action-groups/",
        "https://globalmarch.org/alliance-8-7",
    ]
    assert ilo.organisation.country is not None and ilo.organisation.country.iso3 == "CHE"


def test_only_verified_roles_make_partners(bundled_data: None) -> None:
    """The IOE's GCG role is unverified in the bundled list: without a group or an action it is
    not a partner; every bundled role holder is."""
    partners = _by_slug(sel.partner_list())
    assert "ioe" not in partners
    holders = set(Organisation.objects.exclude(alliance87_role="").values_list("slug", flat=True))
    assert holders and holders == set(partners)


def test_group_members_and_roadmap_bodies_are_partners_with_their_criterion(
    bundled_data: None,
) -> None:
    unodc = Organisation.objects.get(slug="unodc")  # no verified role
    polaris = Organisation.objects.get(slug="polaris")
    ioe = Organisation.objects.get(slug="ioe")
    assert not (unodc.alliance87_role or polaris.alliance87_role or ioe.alliance87_role)
    ActionGroup.objects.get(slug="supply_chains").members.add(unodc)
    hidden = ActionGroup.objects.create(
        slug="zz-hidden", name="Hidden", group_type="action_group", verification="unverified"
    )
    hidden.members.add(ioe)
    _action("UGA", "zz-pub", verification=Verification.VERIFIED, live=True, responsible=polaris)
    _action("NPL", "zz-draft", verification=Verification.CONTRIBUTED, live=False, responsible=ioe)
    partners = _by_slug(sel.partner_list())
    assert partners["unodc"].criteria == [sel.ACTION_GROUP]
    assert [g.slug for g in partners["unodc"].action_groups] == ["supply_chains"]
    assert partners["polaris"].criteria == [sel.ROADMAP]
    assert partners["polaris"].pathfinder_countries == ["UGA"]
    assert partners["polaris"].actions == 1
    assert "ioe" not in partners  # an unverified group and a draft action do not count
    # The API's reader: role holders only.
    assert set(_by_slug(sel.partner_list(criteria=(sel.ROLE,)))) == set(
        Organisation.objects.exclude(alliance87_role="").values_list("slug", flat=True)
    )


def test_contribution_counts_equal_plain_queries(bundled_data: None) -> None:
    """Datasets and publications: live, past their publication time, not members-only
    (publications also verified); actions: live public roadmap actions naming the partner.
    A draft dataset and a members-only publication of the ILO are not counted."""
    ilo = Organisation.objects.get(slug="ilo")
    Dataset.objects.create(slug="zz-ilo-draft", title="Draft", publisher=ilo, live=False)
    pub = Publication.objects.filter(publisher=ilo, live=True).first()
    if pub is not None:
        Publication.objects.filter(pk=pub.pk).update(visibility=Visibility.ORGANISATION)
    _action("UGA", "zz-ilo-1", verification=Verification.VERIFIED, live=True, responsible=ilo)
    _action("UGA", "zz-ilo-2", verification=Verification.UNVERIFIED, live=True, responsible=ilo)
    now = timezone.now()
    timely = Q(publish_at__isnull=True) | Q(publish_at__lte=now)
    partners = sel.partner_list()
    assert partners
    for p in partners:
        org = p.organisation
        datasets = (
            Dataset.objects.filter(publisher=org, live=True)
            .filter(timely)
            .exclude(visibility=Visibility.ORGANISATION)
            .count()
        )
        publications = (
            Publication.objects.filter(publisher=org, live=True, verified=True)
            .filter(timely)
            .exclude(visibility=Visibility.ORGANISATION)
            .count()
        )
        actions = (
            RoadmapAction.objects.filter(responsible_organisations=org, live=True)
            .filter(verification__in=[*SHOWN, Verification.CONTRIBUTED])
            .count()
        )
        assert (p.datasets, p.publications, p.actions) == (datasets, publications, actions), (
            org.slug
        )
    ilo_row = _by_slug(partners)["ilo"]
    assert ilo_row.datasets > 0 and ilo_row.publications > 0 and ilo_row.actions == 1


def test_filters(bundled_data: None) -> None:
    partners = sel.partner_list()
    un = sel.partner_filter(partners, filters=sel.PartnerFilters(type="un_agency"))
    assert un and all(p.organisation.type == "un_agency" for p in un)
    che = sel.partner_filter(partners, filters=sel.PartnerFilters.from_query({"country": "che"}))
    assert {p.organisation.slug for p in che} == {"ilo", "iom"}
    gcg = sel.partner_filter(partners, filters=sel.PartnerFilters(role="gcg_member"))
    assert {p.organisation.slug for p in gcg} >= {"gov-france", "global-march"}
    both = sel.partner_filter(
        partners, filters=sel.PartnerFilters(type="government", role="gcg_member")
    )
    assert {p.organisation.slug for p in both} == {
        p.organisation.slug for p in gcg if p.organisation.type == "government"
    }
    assert sel.partner_filter(partners, filters=sel.PartnerFilters(group="supply_chains")) == []


def test_count_by_country(bundled_data: None) -> None:
    partners = sel.partner_list()
    counts, without = sel.partner_count_by_country(partners)
    assert sum(c.partners for c in counts) + without == len(partners)
    assert {c.country.iso3: c.partners for c in counts}["CHE"] == 2
    assert without == sum(1 for p in partners if p.organisation.country is None)


def test_role_sources_parse_reads_verified_roles_only() -> None:
    text = (
        "org_id,alliance87_role,role_source_url,role_verification_status,verification_status\n"
        "a_b,gcg_member,https://x.example/1; https://x.example/2,verified,verified\n"
        "c,gcg_member,https://x.example/3,unverified,verified\n"
        "d,partner,https://x.example/4,verified,unverified\n"
        "e,partner,,verified,verified\n"
    )
    assert sel.role_sources_parse(text.splitlines(keepends=True)) == {
        "a-b": ["https://x.example/1", "https://x.example/2"]
    }


def test_filters_from_query_are_bounded() -> None:
    f = sel.PartnerFilters.from_query({"type": "x" * 500, "country": "chey", "group": " g "})
    assert (len(f.type), f.country, f.group, f.role) == (40, "CHE", "g", "")
    assert f.active and not sel.PartnerFilters().active
