import pytest
from wagtail.models import APIToken

from sdg87.catalog.ckan.errors import NotAuthorized
from sdg87.catalog.ckan.selectors import ckan_dataset_get, is_id, token_user


def test_is_id_accepts_only_ascii_digits_that_fit_the_database():
    """'12' is an id; '²', '1e3' and 30-digit numbers are not."""
    assert is_id("12")
    assert not is_id("²") and not is_id("1e3") and not is_id("9" * 30)


@pytest.mark.django_db
def test_token_user_resolves_bearer_and_plain_tokens(mini_catalog):
    """A Wagtail API token names its user, with or without 'Bearer '; none sent is None."""
    assert token_user(raw=mini_catalog.editor_token) == mini_catalog.editor
    assert token_user(raw="Bearer " + mini_catalog.editor_token) == mini_catalog.editor
    assert token_user(raw="") is None


@pytest.mark.django_db
def test_revoked_token_is_refused(mini_catalog):
    """A revoked token is an authorisation error, not an anonymous call."""
    APIToken.objects.filter(user=mini_catalog.editor).get().revoke()
    with pytest.raises(NotAuthorized):
        token_user(raw=mini_catalog.editor_token)


@pytest.mark.django_db
def test_dataset_get_applies_visibility(mini_catalog):
    """Organisation-only datasets are found for members only."""
    assert ckan_dataset_get(user=None, ident="zz-org-only") is None
    assert ckan_dataset_get(user=mini_catalog.contributor, ident="zz-org-only") is not None
    assert ckan_dataset_get(user=None, ident=str(mini_catalog.public.pk)) is not None
