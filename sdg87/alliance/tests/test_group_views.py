"""The public Action Group hubs on the bundled data, in English, French and Spanish: only
verified facts, each with its source; plain words for statuses; honest empty states."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client
from django.utils import translation

from sdg87.alliance.models import ActionGroup, ActionGroupEvent, Verification
from sdg87.orgs.models import Organisation


@pytest.fixture(autouse=True)
def _fresh_pages() -> Iterator[None]:
    """Pages are cached by data version; rows changed with .update() here do not bump it."""
    cache.clear()
    yield
    cache.clear()


def _get(client: Client, path: str, lang: str = "en"):
    with translation.override(lang):
        return client.get(f"/{lang}{path}")


@pytest.mark.django_db
@pytest.mark.parametrize("lang", ["en", "fr", "es"])
def test_index_lists_every_verified_group(client: Client, bundled_data: None, lang: str) -> None:
    response = _get(client, "/action-groups/", lang)
    assert response.status_code == 200
    html = response.content.decode()
    for group in ActionGroup.objects.filter(verification=Verification.VERIFIED):
        assert f"/{lang}/action-groups/{group.slug}/" in html
    assert 'href="https://www.alliance87.org/action-groups/"' in html


@pytest.mark.django_db
def test_index_hides_an_unverified_group(client: Client, bundled_data: None) -> None:
    ActionGroup.objects.filter(slug="migration").update(verification=Verification.UNVERIFIED)
    html = _get(client, "/action-groups/").content.decode()
    assert "/en/action-groups/migration/" not in html
    assert _get(client, "/action-groups/migration/").status_code == 404


@pytest.mark.django_db
def test_supply_chains_hub(client: Client, bundled_data: None) -> None:
    """Verified chair (ILO), established June 2017, 130+ members as of 2025, working groups in
    the source's order, events with source and quote, newest first."""
    response = _get(client, "/action-groups/supply_chains/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "International Labour Organization (ILO)" in html
    assert "June 2017" in html
    assert "130+ organisations, as of 2025" in html
    order = [
        "Working Group on Knowledge Gaps and Research",
        "Working Group on Capacity Building and Tools",
        "Working Group on Priority Countries and Supply Chains",
        "Working Group on Advocacy and Partnerships",
        "Mapping of supply chain initiatives on child labour",
    ]
    positions = [html.index(name) for name in order]
    assert positions == sorted(positions)
    assert "2nd Global Workshop of the Supply Chains Action Group" in html
    assert (
        'href="https://www.readkong.com/page/supply-chains-action-group-2nd-global-workshop-of-2058451"'
        in html
    )
    assert "Briefing Pack Abidjan, 14-15 May, 2019" in html  # the quote
    assert html.index("9th GCG meeting") < html.index("2nd Global Workshop")
    assert "Active" in html


@pytest.mark.django_db
def test_unverified_chair_is_not_shown(client: Client, bundled_data: None) -> None:
    """Migration: no chair verified. A chair name typed in the row is not shown as fact."""
    ActionGroup.objects.filter(slug="migration").update(chair="Someone Unchecked")
    html = _get(client, "/action-groups/migration/").content.decode()
    assert "Someone Unchecked" not in html
    assert "Not verified" in html
    assert "42 organisations, as of 2024" in html


@pytest.mark.django_db
def test_unverified_events_are_not_shown(client: Client, bundled_data: None) -> None:
    ActionGroupEvent.objects.filter(group__slug="supply_chains").update(
        verification=Verification.CONFLICTING
    )
    html = _get(client, "/action-groups/supply_chains/").content.decode()
    assert "2nd Global Workshop" not in html
    assert "No meeting or output of this group has been verified yet" in html


@pytest.mark.django_db
def test_empty_states_for_members_and_outputs(client: Client, bundled_data: None) -> None:
    html = _get(client, "/action-groups/rule_of_law_governance/").content.decode()
    assert "No member organisation is recorded" in html
    assert "No library publication is linked to this group as its output" in html
    assert "Alliance 8.7 briefing announces first Action Groups" in html  # a bundled news link
    assert "The number of members is not published" in html
    assert "Listed" in html and "Historical" not in html
    html = _get(client, "/action-groups/migration/").content.decode()
    assert "No news is linked to this group yet" in html


@pytest.mark.django_db
def test_recorded_members_are_listed(client: Client, bundled_data: None) -> None:
    group = ActionGroup.objects.get(slug="supply_chains")
    org = Organisation.objects.get(name="International Labour Organization")
    group.members.add(org)
    html = _get(client, "/action-groups/supply_chains/").content.decode()
    assert f"/en/organisations/{org.slug}/" in html or org.name in html
    assert "No member organisation is recorded" not in html


@pytest.mark.django_db
def test_historical_status_is_explained(client: Client, bundled_data: None) -> None:
    html = _get(client, "/action-groups/rural_development/", "en").content.decode()
    assert "Historical" in html and "absent from later lists" in html


@pytest.mark.django_db
def test_unknown_group_is_404(client: Client, bundled_data: None) -> None:
    assert _get(client, "/action-groups/nothing-here/").status_code == 404


@pytest.mark.parametrize("superuser_first", [True, False])
def test_cached_hub_keeps_the_workspace_link_to_those_who_may_see_it(
    client: Client, bundled_data: None, django_user_model: Any, superuser_first: bool
) -> None:
    """The hub is cached; whichever visitor comes first, the workspace link (secretariat and
    superusers, members) is not served to an anonymous visitor, nor hidden from a superuser."""
    admin = django_user_model.objects.create_superuser("hubadmin", "a@example.org", "pw-12345678")
    url = "/en/action-groups/supply_chains/"

    def as_admin() -> str:
        other = Client()
        other.force_login(admin)
        return other.get(url).content.decode()

    def as_anonymous() -> str:
        return Client().get(url).content.decode()

    if superuser_first:
        admin_page, anonymous_page = as_admin(), as_anonymous()
    else:
        anonymous_page, admin_page = as_anonymous(), as_admin()
    assert "/workspace/" in admin_page
    assert "/workspace/" not in anonymous_page
