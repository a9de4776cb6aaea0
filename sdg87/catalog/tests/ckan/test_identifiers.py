"""CKAN `id` parameters resolve unambiguously: all digits is the primary key only, anything else
the name, and no dataset can be named with digits only. Another organisation can therefore
never shadow, or reach, a dataset through any form of its identifier."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from sdg87.catalog.models import Dataset, Status, Visibility
from sdg87.catalog.services import datasets
from sdg87.catalog.tests.ckan.test_actions import call, error, ok
from sdg87.catalog.tests.mini_catalog import make_dataset, publish

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("name", ["27", 27, "0042"])
def test_package_create_refuses_an_all_digit_name(client, mini_catalog, name):
    """package_create with a name made of digits only is a Validation Error on `name` (409),
    and nothing is created."""
    before = Dataset.objects.count()
    err = error(
        call(
            client,
            "package_create",
            {"name": name, "title": "Digits", "owner_org": "zz-other-ngo"},
            token=mini_catalog.outsider_token,
        ),
        409,
        "Validation Error",
    )
    assert "at least one letter" in err["name"][0]
    assert Dataset.objects.count() == before


def test_dataset_create_service_refuses_digit_slugs_and_derives_lettered_ones(mini_catalog):
    """The service refuses an explicit all-digit slug; a slug derived from an all-digit title
    gets a letter ("2024" -> "dataset-2024")."""
    with pytest.raises(ValidationError) as raised:
        datasets.dataset_create(
            actor=mini_catalog.contributor, publisher=mini_catalog.org, title="X", slug="2024"
        )
    assert "slug" in raised.value.message_dict
    made = datasets.dataset_create(
        actor=mini_catalog.contributor, publisher=mini_catalog.org, title="2024"
    )
    assert made.slug == "dataset-2024"


@pytest.fixture
def shadow(mini_catalog):
    """Organisation B's published dataset, renamed (as a legacy row could be) to the primary
    key of organisation A's public dataset, with a title that sorts first (datasets are ordered
    by title, so "name or id, first match" would answer it)."""
    other = publish(
        make_dataset(mini_catalog.other_org, mini_catalog.outsider, "zz-shadow", Visibility.PUBLIC),
        contributor=mini_catalog.outsider,
        editor=mini_catalog.outsider,
    )
    Dataset.objects.filter(pk=other.pk).update(
        slug=str(mini_catalog.public.pk), title="A shadow of another dataset"
    )
    return Dataset.objects.get(pk=other.pk)


def test_all_digit_id_is_the_primary_key_never_a_name(client, mini_catalog, shadow):
    """package_show id=<A's pk> answers A's dataset even when B's dataset is named that number;
    B's dataset is reachable by its own primary key."""
    a = mini_catalog.public
    shown = ok(call(client, "package_show", {"id": str(a.pk)}))
    assert shown["name"] == "zz-public" and shown["organization"]["name"] == "zz-test-ministry"
    assert ok(call(client, "package_show", {"id": str(shadow.pk)}))["id"] == str(shadow.pk)
    got = ok(call(client, "package_search", {"fq": f"owner_org:{a.publisher_id}", "rows": 50}))
    assert {r["organization"]["name"] for r in got["results"]} == {"zz-test-ministry"}


def test_other_organisation_cannot_reach_a_dataset_by_any_id_form(client, mini_catalog, shadow):
    """Organisation B's token cannot patch or withdraw A's dataset by name or id (403), and the
    dataset is unchanged; A's organisation-only dataset and its resources are Not Found to B
    under every identifier, while A's own editor can still act on it by id."""
    a = mini_catalog.public
    token = mini_catalog.outsider_token
    for ident in ("zz-public", str(a.pk), f"0{a.pk}"):
        error(
            call(client, "package_patch", {"id": ident, "title": "B was here"}, token=token),
            403,
            "Authorization Error",
        )
        error(
            call(client, "package_delete", {"id": ident}, token=token), 403, "Authorization Error"
        )
    a.refresh_from_db()
    assert a.title == "Test dataset zz-public" and a.live and a.status == Status.PUBLISHED
    shadow.refresh_from_db()
    assert shadow.title == "A shadow of another dataset"

    hidden = mini_catalog.org_only
    resource = hidden.distributions.get()
    for ident in ("zz-org-only", str(hidden.pk), f" {hidden.pk}", f"{hidden.pk}.0"):
        error(call(client, "package_show", {"id": ident}, token=token), 404, "Not Found Error")
    error(
        call(client, "resource_show", {"id": str(resource.pk)}, token=token), 404, "Not Found Error"
    )
    patched = ok(
        call(
            client,
            "package_patch",
            {"id": str(a.pk), "title": "Renamed by A"},
            token=mini_catalog.editor_token,
        )
    )
    assert patched["title"] == "Renamed by A" and patched["name"] == "zz-public"
