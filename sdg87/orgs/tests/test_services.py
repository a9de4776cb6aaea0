import pytest
from django.contrib.auth import get_user_model

from sdg87.catalog.permissions import role_in
from sdg87.orgs.html import sanitise_html
from sdg87.orgs.models import Membership
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
