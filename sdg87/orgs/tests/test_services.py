import pytest
from django.contrib.auth import get_user_model

from sdg87.core.html import sanitise_html
from sdg87.orgs.models import Membership, MembershipAuditEntry
from sdg87.orgs.roles import role_in
from sdg87.orgs.services import membership_remove, membership_set, organisation_upsert

pytestmark = pytest.mark.django_db


def test_sanitise_html_keeps_structure_drops_scripts() -> None:
    dirty = '<p style="x">A <a href="javascript:alert(1)">b</a> <a href="https://x.org">c</a><script>1</script></p>'
    clean = sanitise_html(dirty)
    assert "script" not in clean and "style" not in clean and "javascript" not in clean
    assert '<a href="https://x.org" rel="noopener noreferrer">c</a>' in clean


def test_organisation_upsert_updates_in_place() -> None:
    a = organisation_upsert(slug="zz-org", name="ZZ", type="ngo", description="<b>x</b><img src=x>")
    b = organisation_upsert(slug="zz-org", name="ZZ renamed", type="academia")
    assert a.pk == b.pk and b.name == "ZZ renamed" and b.type == "academia"
    assert a.description == "<b>x</b>"


def test_membership_one_role_per_organisation() -> None:
    """One membership per user and organisation; the per-request role cache follows changes."""
    org = organisation_upsert(slug="zz-org", name="ZZ", type="ngo")
    user = get_user_model().objects.create_user("zz_u")
    membership_set(user=user, organisation=org, role="member")
    assert role_in(user, org.pk) == "member"
    membership_set(user=user, organisation=org, role="editor")
    assert role_in(user, org.pk) == "editor"  # the cached roles were refreshed
    assert Membership.objects.filter(user=user).count() == 1
    membership_remove(user=user, organisation=org)
    assert role_in(user, org.pk) is None
    with pytest.raises(ValueError):
        membership_set(user=user, organisation=org, role="owner")


def test_membership_changes_are_audited() -> None:
    """Adding, changing and removing a role each leave an entry naming who did it, from which
    role to which; setting the role already held writes nothing; the entries outlive the
    membership."""
    org = organisation_upsert(slug="zz-org", name="ZZ", type="ngo")
    users = get_user_model().objects
    member, admin = users.create_user("zz_member"), users.create_user("zz_admin")
    membership_set(user=member, organisation=org, role="contributor", actor=admin)
    membership_set(user=member, organisation=org, role="contributor", actor=admin)
    membership_set(user=member, organisation=org, role="editor")
    membership_remove(user=member, organisation=org, actor=admin)
    membership_remove(user=member, organisation=org, actor=admin)  # nothing left to remove
    rows = list(
        MembershipAuditEntry.objects.order_by("id").values_list(
            "organisation_slug", "username", "action", "from_role", "to_role", "actor__username"
        )
    )
    assert rows == [
        ("zz-org", "zz_member", "add", "", "contributor", "zz_admin"),
        ("zz-org", "zz_member", "change", "contributor", "editor", None),
        ("zz-org", "zz_member", "remove", "editor", "", "zz_admin"),
    ]
    assert not Membership.objects.filter(user=member).exists()
    assert MembershipAuditEntry.objects.filter(user=member, organisation=org).count() == 3


def test_a_refused_role_changes_nothing() -> None:
    """An unknown role raises before anything is written or audited."""
    org = organisation_upsert(slug="zz-org", name="ZZ", type="ngo")
    user = get_user_model().objects.create_user("zz_u")
    membership_set(user=user, organisation=org, role="member")
    with pytest.raises(ValueError):
        membership_set(user=user, organisation=org, role="owner")
    assert Membership.objects.get(user=user).role == "member"
    assert MembershipAuditEntry.objects.filter(user=user).count() == 1
