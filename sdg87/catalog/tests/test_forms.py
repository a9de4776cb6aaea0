from typing import Any

import pytest

from sdg87.catalog.forms import DatasetForm
from sdg87.orgs import selectors as org_selectors
from sdg87.orgs.models import Role
from sdg87.orgs.services import membership_set

pytestmark = pytest.mark.django_db


def test_publisher_is_preselected_for_a_single_organisation(
    users: dict[str, Any], org: Any
) -> None:
    """A contributor of exactly one organisation finds it already selected as the publisher,
    and can choose only that organisation."""
    orgs = org_selectors.user_organisations(user=users["contributor"])
    form = DatasetForm(organisations=orgs)
    assert form["publisher"].value() == org.pk
    assert list(form.fields["publisher"].queryset) == [org]  # type: ignore[attr-defined]


def test_publisher_is_not_preselected_among_several(
    users: dict[str, Any], org: Any, other_org: Any
) -> None:
    """With several organisations where they may create datasets, the contributor chooses;
    organisations where they are only a member are not offered."""
    user = users["contributor"]
    membership_set(user=user, organisation=other_org, role=Role.CONTRIBUTOR)
    form = DatasetForm(organisations=org_selectors.user_organisations(user=user))
    assert form["publisher"].value() is None
    assert set(form.fields["publisher"].queryset) == {org, other_org}  # type: ignore[attr-defined]
    membership_set(user=user, organisation=other_org, role=Role.MEMBER)
    form = DatasetForm(organisations=org_selectors.user_organisations(user=user))
    assert form["publisher"].value() == org.pk
