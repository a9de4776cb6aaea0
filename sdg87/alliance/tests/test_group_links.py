"""Links from an Action Group's hub to the library: the bundled news links, the secretariat's
service (permission first, public targets only, a source required, audited), what the hub
shows (only public targets, in the reader's language) and the secretariat's page."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from wagtail.models import Page

from sdg87.alliance import group_selectors
from sdg87.alliance.ingest import parse_group_links
from sdg87.alliance.models import ActionGroup, AllianceAuditEntry, GroupLink
from sdg87.alliance.services.group_links import group_link_add, group_link_remove
from sdg87.alliance.tests.contrib_fixtures import *  # noqa: F403
from sdg87.core.ingest import ParseError
from sdg87.library.models import Publication
from sdg87.library.selectors import publication_public_queryset

HEADER = "group_id,kind,target,evidence_url,verification_status,notes\n"


@pytest.fixture(autouse=True)
def _fresh_pages() -> Any:
    cache.clear()
    yield
    cache.clear()


def test_parser_keeps_verified_rows_and_names_bad_ones() -> None:
    rows = parse_group_links(
        HEADER
        + "supply_chains,news,sc-ag-launch-2017,https://example.org/a,verified,n\n"
        + "migration,output,some-report,https://example.org/b,unverified,\n"
    )
    assert [(r.group, r.kind, r.target) for r in rows] == [
        ("supply_chains", "news", "sc-ag-launch-2017")
    ]
    with pytest.raises(ParseError) as bad_kind:
        parse_group_links(HEADER + "migration,about,x,https://example.org,verified,\n")
    assert (bad_kind.value.row, bad_kind.value.column) == (2, "kind")
    with pytest.raises(ParseError) as bad_url:
        parse_group_links(HEADER + "migration,news,x,javascript:alert(1),verified,\n")
    assert bad_url.value.column == "evidence_url"
    with pytest.raises(ParseError) as twice:
        parse_group_links(
            HEADER + "migration,news,x,https://e.org,verified,\nmigration,news,x,https://e.org,"
            "verified,\n"
        )
    assert twice.value.row == 3


@pytest.mark.django_db
def test_bundled_links_reach_the_hubs(bundled_data: None) -> None:
    """The 7 verified rows of action_group_links.csv: 3 news items for Supply Chains, the 2017
    briefing for 4 more groups; no output (no source says which group produced what)."""
    assert GroupLink.objects.filter(bundled=True).count() == 7
    news = group_selectors.group_news(group=ActionGroup.objects.get(slug="supply_chains"))
    assert [item.title for item in news] == [
        "Second global workshop of the Supply Chains Action Group",
        "Alliance 8.7 briefing announces first Action Groups",
        "Supply Chains Action Group launched",
    ]
    assert news[-1].precision == "month"
    assert group_selectors.group_publications(group=ActionGroup.objects.get(slug="migration")) == []


def _public_publication() -> Publication:
    return publication_public_queryset().order_by("slug").first()  # type: ignore[return-value]


@pytest.mark.django_db
def test_only_the_secretariat_links(bundled_data: None, people: dict[str, Any]) -> None:
    group = ActionGroup.objects.get(slug="migration")
    pub = _public_publication()
    for role in ("anonymous", "focal_point", "reviewer"):
        with pytest.raises(PermissionDenied):
            group_link_add(
                actor=people[role], group=group, publication=pub, evidence_url="https://e.org"
            )
    link = group_link_add(
        actor=people["secretariat"],
        group=group,
        publication=pub,
        evidence_url="https://www.iom.int/news/x",
        note="Named as the group's output in the source.",
    )
    assert link.kind == "output" and not link.bundled
    assert AllianceAuditEntry.objects.filter(
        subject_type="group_link", subject_id=group.pk, action="link_added"
    ).exists()
    assert [row.publication for row in group_selectors.group_publications(group=group)] == [pub]
    with pytest.raises(ValidationError, match="already linked"):
        group_link_add(
            actor=people["secretariat"], group=group, publication=pub, evidence_url="https://e.org"
        )
    with pytest.raises(PermissionDenied):
        group_link_remove(actor=people["reviewer"], link=link)
    group_link_remove(actor=people["superuser"], link=link)
    assert not GroupLink.objects.filter(pk=link.pk).exists()


@pytest.mark.django_db
def test_a_link_needs_one_public_target_and_a_source(
    bundled_data: None, people: dict[str, Any]
) -> None:
    group = ActionGroup.objects.get(slug="migration")
    secretariat = people["secretariat"]
    pub = _public_publication()
    page = Page.objects.get(slug="sc-ag-launch-2017", locale__language_code="en")
    with pytest.raises(ValidationError, match="Choose one"):
        group_link_add(actor=secretariat, group=group, evidence_url="https://e.org")
    with pytest.raises(ValidationError, match="Choose one"):
        group_link_add(
            actor=secretariat, group=group, publication=pub, page=page, evidence_url="https://e.org"
        )
    with pytest.raises(ValidationError, match="source"):
        group_link_add(actor=secretariat, group=group, page=page, evidence_url="ftp://e.org/x")
    with pytest.raises(ValidationError, match="HTML"):
        group_link_add(
            actor=secretariat, group=group, page=page, evidence_url="https://e.org", note="<b>x"
        )
    hidden = Publication.objects.exclude(pk__in=publication_public_queryset()).first()
    if hidden is None:  # every bundled record is public: take one out of the public view
        hidden = pub
        Publication.objects.filter(pk=pub.pk).update(live=False)
    with pytest.raises(ValidationError, match="published library record"):
        group_link_add(
            actor=secretariat, group=group, publication=hidden, evidence_url="https://e.org"
        )
    index = Page.objects.get(pk=page.get_parent().pk)
    with pytest.raises(ValidationError, match="news or event page"):
        group_link_add(actor=secretariat, group=group, page=index, evidence_url="https://e.org")
    assert not GroupLink.objects.filter(group=group).exists()


@pytest.mark.django_db
def test_bundled_links_are_corrected_in_the_file(
    bundled_data: None, people: dict[str, Any]
) -> None:
    link = GroupLink.objects.filter(bundled=True).first()
    assert link is not None
    with pytest.raises(ValidationError, match=r"action_group_links\.csv"):
        group_link_remove(actor=people["secretariat"], link=link)
    assert GroupLink.objects.filter(pk=link.pk).exists()


@pytest.mark.django_db
def test_hub_hides_a_link_whose_page_is_unpublished(client: Client, bundled_data: None) -> None:
    page = Page.objects.get(slug="sc-ag-launch-2017", locale__language_code="en")
    html = client.get("/en/action-groups/supply_chains/").content.decode()
    assert "Supply Chains Action Group launched" in html
    assert 'href="https://www.alliance87.org/action-groups/"' in html
    Page.objects.filter(pk=page.pk).update(live=False)
    cache.clear()
    html = client.get("/en/action-groups/supply_chains/").content.decode()
    assert "Supply Chains Action Group launched" not in html


@pytest.mark.django_db
def test_hub_links_the_readers_translation(client: Client, bundled_data: None) -> None:
    """The French hub links the French page of a linked news item."""
    html = client.get("/fr/action-groups/supply_chains/").content.decode()
    assert "/fr/" in html and "sc-ag-launch-2017" in html
    assert "/en/news/sc-ag-launch-2017" not in html and "/en/events/sc-ag-launch-2017" not in html


@pytest.mark.django_db
def test_manage_page_is_for_the_secretariat(
    client: Client, bundled_data: None, people: dict[str, Any]
) -> None:
    path = "/en/action-groups/migration/links/"
    response = client.get(path)
    assert response.status_code == 302 and "/login/" in response["Location"]
    client.force_login(people["reviewer"])
    assert client.get(path).status_code == 403
    assert client.post(path, {}).status_code == 403
    client.force_login(people["secretariat"])
    response = client.get(path)
    assert response.status_code == 200
    assert "Add a link" in response.content.decode()
    assert (
        "/en/action-groups/migration/links/"
        in client.get("/en/action-groups/migration/").content.decode()
    )


@pytest.mark.django_db
def test_manage_page_adds_and_removes_a_link(
    client: Client, bundled_data: None, people: dict[str, Any]
) -> None:
    client.force_login(people["secretariat"])
    path = "/en/action-groups/migration/links/"
    page = Page.objects.get(slug="sc-ag-launch-2017", locale__language_code="en")
    bad = client.post(path, {"target": f"page:{page.pk}", "evidence_url": "not a url"})
    assert bad.status_code == 400
    assert not GroupLink.objects.filter(group__slug="migration").exists()
    response = client.post(
        path, {"target": f"page:{page.pk}", "evidence_url": "https://e.org/source", "note": ""}
    )
    assert response.status_code == 302
    link = GroupLink.objects.get(group__slug="migration")
    assert link.page_id == page.pk and link.kind == "news"
    cache.clear()
    assert (
        "Supply Chains Action Group launched"
        in client.get("/en/action-groups/migration/").content.decode()
    )
    response = client.post(f"{path}{link.pk}/remove/")
    assert response.status_code == 302
    assert not GroupLink.objects.filter(pk=link.pk).exists()
    client.force_login(people["reviewer"])
    other = GroupLink.objects.filter(bundled=True).first()
    assert other is not None
    assert (
        client.post(f"/en/action-groups/{other.group.slug}/links/{other.pk}/remove/").status_code
        == 403
    )
