"""The dataset metadata rules (validators.dataset_field_errors) hold for every path that writes
a dataset: the data pages' form, the services, the CKAN write actions. Every problem is
reported at once."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import translation

from sdg87.catalog import validators
from sdg87.catalog.models import Dataset
from sdg87.catalog.services import datasets

pytestmark = pytest.mark.django_db


def test_language_list_is_iso_639_1_with_names_in_the_page_language() -> None:
    """184 ISO 639-1 codes; the names follow the active language."""
    assert len(validators.language_names()) == 184
    assert validators.language_names()["sw"] == "Swahili (macrolanguage)"
    with translation.override("fr"):
        assert ("es", "Espagnol (es)") in validators.language_choices()
    with translation.override("en"):
        assert ("am", "Amharic (am)") in validators.language_choices()


@pytest.mark.usefixtures("bundled_data")
def test_field_errors_reports_each_problem_by_field() -> None:
    """A reversed coverage, a free-text language and unknown codes are each refused, together."""
    errors = validators.dataset_field_errors(
        language="English",
        temporal_start=date(2020, 1, 1),
        temporal_end=date(2019, 12, 31),
        spatial=["KEN", "NOWHERE"],
        related_series=["NO_SUCH_SERIES"],
    )
    assert set(errors) == {"language", "temporal_end", "spatial", "related_series"}
    assert "2019-12-31" in errors["temporal_end"][0] and "2020-01-01" in errors["temporal_end"][0]
    assert "NOWHERE" in errors["spatial"][0] and "KEN" not in errors["spatial"][0]
    assert "NO_SUCH_SERIES" in errors["related_series"][0]
    assert (
        validators.dataset_field_errors(
            language="fr", temporal_start=date(2020, 1, 1), temporal_end=date(2020, 1, 1)
        )
        == {}
    )


@pytest.mark.usefixtures("bundled_data")
def test_service_refuses_everything_at_once(users: dict[str, Any], org: Any) -> None:
    """dataset_create refuses a 301-character title (the limit stated, not cut), a reversed
    coverage, a free-text language and an unknown series in one ValidationError; nothing is
    created. Known codes pass."""
    with pytest.raises(ValidationError) as caught:
        datasets.dataset_create(
            actor=users["contributor"],
            publisher=org,
            title="T" * 301,
            language="English",
            temporal_start=date(2020, 1, 1),
            temporal_end=date(2018, 1, 1),
            related_series=["SL_TLF_CHLDEA", "ZZ_NOT_A_SERIES"],
        )
    errors = caught.value.message_dict
    assert set(errors) == {"title", "language", "temporal_end", "related_series"}
    assert "300" in errors["title"][0] and "301" in errors["title"][0]
    assert not Dataset.objects.filter(publisher=org).exists()
    ds = datasets.dataset_create(
        actor=users["contributor"],
        publisher=org,
        title="T" * 300,
        language="sw",
        related_series=["SL_TLF_CHLDEA"],
    )
    assert list(ds.related_series.values_list("code", flat=True)) == ["SL_TLF_CHLDEA"]


def test_update_keeps_a_stored_legacy_language_but_refuses_a_new_free_text_one(
    users: dict[str, Any], org: Any
) -> None:
    """A language stored before the list (e.g. 'en_GB' through CKAN) survives other edits;
    changing it to free text is refused; a reversed coverage is refused on update too."""
    ds = datasets.dataset_create(actor=users["contributor"], publisher=org, title="ZZ legacy")
    Dataset.objects.filter(pk=ds.pk).update(language="en_GB")
    stored = Dataset.objects.get(pk=ds.pk)
    datasets.dataset_update(actor=users["editor"], dataset=stored, data={"title": "ZZ renamed"})
    with pytest.raises(ValidationError) as caught:
        datasets.dataset_update(
            actor=users["editor"],
            dataset=Dataset.objects.get(pk=ds.pk),
            data={
                "language": "Kiswahili",
                "temporal_start": date(2021, 1, 1),
                "temporal_end": date(2020, 1, 1),
            },
        )
    assert set(caught.value.message_dict) == {"language", "temporal_end"}
    assert Dataset.objects.get(pk=ds.pk).language == "en_GB"


def _ckan(client: Client, name: str, data: dict[str, Any], token: str) -> Any:
    return client.post(
        f"/api/3/action/{name}",
        json.dumps(data),
        content_type="application/json",
        HTTP_AUTHORIZATION=token,
    )


def test_ckan_write_actions_get_the_same_refusals(client: Client, mini_catalog: Any) -> None:
    """package_create and package_patch refuse a reversed coverage, a free-text language and
    a 301-character title with a Validation Error naming each field; nothing is created."""
    response = _ckan(
        client,
        "package_create",
        {
            "name": "zz-ckan-rules",
            "title": "x" * 301,
            "owner_org": "zz-test-ministry",
            "extras": [
                {"key": "language", "value": "english"},
                {"key": "temporal_start", "value": "2020-01-01"},
                {"key": "temporal_end", "value": "2010-01-01"},
                {"key": "spatial", "value": "ZZA,ZZQ"},
            ],
        },
        mini_catalog.contributor_token,
    )
    body = response.json()
    assert response.status_code == 409, body
    assert {"title", "language", "temporal_end", "spatial"} <= set(body["error"])
    assert "ZZQ" in body["error"]["spatial"][0]
    assert not Dataset.objects.filter(slug="zz-ckan-rules").exists()
    response = _ckan(
        client,
        "package_patch",
        {"id": "zz-public", "extras": [{"key": "language", "value": "Français"}]},
        mini_catalog.editor_token,
    )
    assert response.status_code == 409 and "language" in response.json()["error"]
    response = _ckan(
        client,
        "package_patch",
        {"id": "zz-public", "extras": [{"key": "language", "value": "fr"}]},
        mini_catalog.editor_token,
    )
    assert response.status_code == 200, response.json()
    assert Dataset.objects.get(slug="zz-public").language == "fr"


def _contributor(users: dict[str, Any]) -> Client:
    client = Client()
    client.force_login(users["contributor"])
    return client


@pytest.mark.usefixtures("bundled_data")
def test_form_marks_required_fields_and_offers_lists(users: dict[str, Any]) -> None:
    """The new-dataset page marks required fields (text and the `required` attribute), has no
    maxlength that would cut a pasted title, offers countries as checkboxes with their names
    and languages as a list of names, and works without JavaScript (the optional script adds
    the filter box)."""
    page = _contributor(users).get("/en/datasets/new/").content.decode()
    title = page[page.index('name="title"') - 200 : page.index('name="title"') + 200]
    assert "required" in title and "maxlength" not in title
    assert 'for="id_title">Title <span class="required-mark">(required)</span>' in page
    assert 'type="checkbox" name="spatial" value="KEN"' in page
    assert "> Kenya</label>" in page
    assert "spatial_text" not in page
    assert '<option value="fr">French (fr)</option>' in page
    assert "data-place-filter" in page and "src/place-filter.js" in page


@pytest.mark.usefixtures("bundled_data")
def test_form_reports_every_problem_at_once_and_creates_nothing(
    users: dict[str, Any], org: Any
) -> None:
    """A title of 301 characters, a coverage ending before it starts and an unknown series are
    all reported on one answer, each at its field and in a summary; nothing is created."""
    response = _contributor(users).post(
        "/en/datasets/new/",
        {
            "publisher": org.pk,
            "title": "Ü" * 301,
            "licence": "CC-BY-4.0",
            "frequency": "annual",
            "language": "en",
            "visibility": "public",
            "temporal_start": "2020-01-01",
            "temporal_end": "2019-01-01",
            "related_series": "SL_TLF_CHLDEA, ZZ_NOPE",
            "spatial": ["KEN", "BGD"],
        },
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "3 fields need correcting" in page
    assert "at most 300 characters (it has 301)" in page
    assert "ends (2019-01-01) before it starts (2020-01-01)" in page
    assert "Unknown series codes: ZZ_NOPE." in page
    assert 'aria-invalid="true"' in page
    assert "2 ticked: Bangladesh, Kenya." in page  # the ticks survive the refusal
    assert not Dataset.objects.filter(publisher=org).exists()


@pytest.mark.usefixtures("bundled_data")
def test_form_refuses_a_language_not_in_the_list(users: dict[str, Any], org: Any) -> None:
    """A language typed by hand (not one of the list) is refused by the form."""
    response = _contributor(users).post(
        "/en/datasets/new/",
        {
            "publisher": org.pk,
            "title": "ZZ",
            "licence": "CC-BY-4.0",
            "frequency": "annual",
            "language": "English",
            "visibility": "public",
        },
    )
    assert response.status_code == 200
    assert "Select a valid choice. English is not one of the available choices." in (
        response.content.decode()
    )
