"""Memberships edited in the Wagtail admin go through sdg87.orgs.services and are audited."""

from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from sdg87.orgs.models import Membership, MembershipAuditEntry, Organisation
from sdg87.orgs.roles import role_in
from sdg87.orgs.services import membership_set, organisation_upsert

pytestmark = pytest.mark.django_db

BASE = "/admin/snippets/orgs/membership/"


@pytest.fixture
def setup() -> dict[str, Any]:
    users = get_user_model().objects
    return {
        "org": organisation_upsert(slug="zz-org", name="ZZ", type="ngo"),
        "other_org": organisation_upsert(slug="zz-other", name="ZZ other", type="ngo"),
        "member": users.create_user("zz_member"),
        "other": users.create_user("zz_other"),
        "staff": users.create_user("zz_staff", is_superuser=True, is_staff=True),
    }


def _client(s: dict[str, Any]) -> Client:
    client = Client()
    client.force_login(s["staff"])
    return client


def _audit() -> list[tuple[str, str, str, str, str | None]]:
    return list(
        MembershipAuditEntry.objects.order_by("id").values_list(
            "username", "action", "from_role", "to_role", "actor__username"
        )
    )


def test_admin_add_edit_and_delete_are_audited(setup: dict[str, Any]) -> None:
    """Adding a membership, changing its role and deleting it in the admin each write an
    audit entry naming the staff member who did it."""
    s, client = setup, _client(setup)
    response = client.post(
        f"{BASE}add/",
        {"user": s["member"].pk, "organisation": s["org"].pk, "role": "contributor"},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    membership = Membership.objects.get(user=s["member"], organisation=s["org"])
    assert membership.role == "contributor"

    response = client.post(
        f"{BASE}edit/{membership.pk}/",
        # the person and the organisation of an existing membership are not taken from the form
        {"user": s["other"].pk, "organisation": s["other_org"].pk, "role": "editor"},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    membership.refresh_from_db()
    assert (membership.user, membership.organisation, membership.role) == (
        s["member"],
        s["org"],
        "editor",
    )
    assert not Membership.objects.filter(user=s["other"]).exists()

    assert client.post(f"{BASE}delete/{membership.pk}/").status_code == 302
    assert not Membership.objects.filter(pk=membership.pk).exists()
    assert role_in(get_user_model().objects.get(pk=s["member"].pk), s["org"].pk) is None
    assert _audit() == [
        ("zz_member", "add", "", "contributor", "zz_staff"),
        ("zz_member", "change", "contributor", "editor", "zz_staff"),
        ("zz_member", "remove", "editor", "", "zz_staff"),
    ]


def test_admin_refuses_a_second_membership_of_the_same_pair(setup: dict[str, Any]) -> None:
    """One membership per person and organisation: the add form says so and writes nothing."""
    s = setup
    membership_set(user=s["member"], organisation=s["org"], role="member")
    response = _client(s).post(
        f"{BASE}add/", {"user": s["member"].pk, "organisation": s["org"].pk, "role": "admin"}
    )
    assert response.status_code == 200  # the form again, with its error
    assert Membership.objects.get(user=s["member"], organisation=s["org"]).role == "member"
    assert [row[1] for row in _audit()] == ["add"]


def test_admin_bulk_delete_is_audited(setup: dict[str, Any]) -> None:
    """The listing's "Delete selected" removes each membership through the service."""
    s = setup
    first = membership_set(user=s["member"], organisation=s["org"], role="member")
    second = membership_set(user=s["other"], organisation=s["other_org"], role="editor")
    url = f"/admin/bulk/orgs/membership/delete/?id={first.pk}&id={second.pk}"
    client = _client(s)
    assert client.get(url).status_code == 200  # the confirmation page deletes nothing
    assert Membership.objects.count() == 2
    assert client.post(url).status_code == 302
    assert not Membership.objects.filter(pk__in=[first.pk, second.pk]).exists()
    removed = MembershipAuditEntry.objects.filter(action="remove", actor=s["staff"])
    assert sorted(removed.values_list("username", "from_role")) == [
        ("zz_member", "member"),
        ("zz_other", "editor"),
    ]


def test_membership_audit_is_read_only_in_the_admin(setup: dict[str, Any]) -> None:
    """The audit trail is listed, never added to, edited or deleted in the admin; copying a
    membership (which would bypass the one-per-pair rule's form) is not offered."""
    s = setup
    membership = membership_set(user=s["member"], organisation=s["org"], role="member")
    entry = MembershipAuditEntry.objects.get()
    client = _client(s)
    audit = "/admin/snippets/orgs/membershipauditentry/"
    assert client.get(audit).status_code == 200
    assert "zz_member" in client.get(audit).content.decode()
    for url in (f"{audit}add/", f"{audit}edit/{entry.pk}/", f"{audit}delete/{entry.pk}/"):
        assert client.get(url).status_code in (302, 403, 404), url
    assert client.get(f"{BASE}copy/{membership.pk}/").status_code == 404
    assert MembershipAuditEntry.objects.count() == 1
    assert Organisation.objects.filter(slug="zz-org").exists()
