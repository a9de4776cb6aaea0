import pytest
from django.contrib.auth import get_user_model

from sdg87.core import mail
from sdg87.orgs import selectors
from sdg87.orgs.models import Organisation
from sdg87.orgs.roles import EDIT_ROLES, role_in, user_roles
from sdg87.orgs.services import membership_set, organisation_upsert

pytestmark = pytest.mark.django_db


def _orgs() -> tuple[Organisation, Organisation, Organisation]:
    return (
        organisation_upsert(slug="zz-a", name="ZZ A", type="ngo"),
        organisation_upsert(slug="zz-b", name="ZZ B", type="ngo"),
        organisation_upsert(slug="zz-c", name="ZZ C", type="ngo"),
    )


def test_user_organisations_by_role() -> None:
    """Edit roles by default (not plain members); any roles asked for; all for superusers."""
    a, b, c = _orgs()
    user = get_user_model().objects.create_user("zz_u")
    membership_set(user=user, organisation=a, role="contributor")
    membership_set(user=user, organisation=b, role="member")
    assert list(selectors.user_organisations(user=user)) == [a]
    assert list(selectors.user_organisations(user=user, roles={"member"})) == [b]
    assert list(selectors.user_organisations(user=None)) == []
    boss = get_user_model().objects.create_superuser("zz_boss", "boss@example.org", "x")
    assert {a, b, c} <= set(selectors.user_organisations(user=boss, roles=EDIT_ROLES))


def test_roles_are_read_once_per_user_object(django_assert_num_queries: object) -> None:
    """The roles are cached on the user object: a second question costs no query."""
    a, b, _c = _orgs()
    user = get_user_model().objects.create_user("zz_u")
    membership_set(user=user, organisation=a, role="editor")
    fresh = get_user_model().objects.get(pk=user.pk)
    with django_assert_num_queries(1):  # type: ignore[operator]
        assert role_in(fresh, a.pk) == "editor"
        assert role_in(fresh, b.pk) is None
        assert user_roles(fresh) == {a.pk: "editor"}


def test_managed_organisations_are_those_of_admins_and_editors() -> None:
    """Administrators and editors manage an organisation's notifications; others do not.
    core.mail gets this answer through the lookup this app registers when it is ready."""
    a, b, c = _orgs()
    user = get_user_model().objects.create_user("zz_u")
    membership_set(user=user, organisation=a, role="admin")
    membership_set(user=user, organisation=b, role="editor")
    membership_set(user=user, organisation=c, role="contributor")
    assert selectors.managed_organisation_ids(user=user) == sorted([a.pk, b.pk])
    assert mail._managed_organisation_ids(user) == sorted([a.pk, b.pk])
    assert selectors.managed_organisation_ids(user=None) == []


def test_organisation_get_and_list() -> None:
    _a, b, _c = _orgs()
    assert selectors.organisation_get(slug="zz-b") == b
    assert selectors.organisation_get(slug="zz-none") is None
    names = [o.name for o in selectors.organisation_list().filter(slug__startswith="zz-")]
    assert names == ["ZZ A", "ZZ B", "ZZ C"]


def test_reviewer_emails_are_those_of_admins_and_editors() -> None:
    """The mail about an organisation's content awaiting review goes to its administrators and
    editors with an address: not to contributors or members, nor to other organisations."""
    a, b, _c = _orgs()
    make = get_user_model().objects.create_user
    membership_set(user=make("zz_admin", "admin@example.org"), organisation=a, role="admin")
    membership_set(user=make("zz_editor", "editor@example.org"), organisation=a, role="editor")
    membership_set(user=make("zz_silent", ""), organisation=a, role="editor")
    membership_set(user=make("zz_contrib", "c@example.org"), organisation=a, role="contributor")
    membership_set(user=make("zz_member", "m@example.org"), organisation=a, role="member")
    membership_set(user=make("zz_elsewhere", "b@example.org"), organisation=b, role="admin")
    assert sorted(selectors.organisation_reviewer_emails(organisation_id=a.pk)) == [
        "admin@example.org",
        "editor@example.org",
    ]
