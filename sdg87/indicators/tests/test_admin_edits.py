"""Editor-owned statistics metadata: admin edits go through the services, recompute the newest
value of each data point, invalidate cached API answers and survive the next data load."""

from __future__ import annotations

import datetime
import json
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from sdg87.core.loading import load_all
from sdg87.indicators.models import Indicator, Observation, Release, Series, Source
from sdg87.indicators.services import (
    ObservationRow,
    indicator_upsert,
    observations_import,
    release_update,
    release_upsert,
    series_upsert,
    source_upsert,
)

pytestmark = pytest.mark.django_db

SERIES = "TEST_EDIT_SERIES"
API = f"/api/v1/observations?series={SERIES}&country=KEN"


@pytest.fixture
def admin_client(client: Client) -> Client:
    user = get_user_model().objects.create_superuser("meta-admin", "m@example.org", "pw")
    client.force_login(user)
    return client


@pytest.fixture
def two_releases(bundled_data: None) -> tuple[Release, Release]:
    """One data point (KEN 2020) published by an older release (value 10) and revised by a
    newer one (value 20)."""
    indicator = indicator_upsert(code="TEST-EDIT", name="Test", is_sdg=False)
    series_upsert(code=SERIES, indicator=indicator, name="Test series", unit="PERCENT")
    source = source_upsert(code="test-edit", title="Test", publisher="Test", licence="CC0-1.0")
    releases = []
    for code, year, value in (("test-edit-old", 2021, 10.0), ("test-edit-new", 2023, 20.0)):
        release = release_upsert(
            source=source, code=code, title=code, year=year, citation="c", provenance="p"
        )
        row = ObservationRow(series=SERIES, geo="KEN", year=2020, value=value, unit="PERCENT")
        observations_import(release=release, rows=[row])
        releases.append(release)
    return releases[0], releases[1]


def _release_form(release: Release, **changes: Any) -> dict[str, Any]:
    """The POST body of the release edit form, with `changes` applied."""
    values = {name: getattr(release, name) for name in Release.EDITOR_FIELDS} | changes
    data = {
        name: "" if value is None else str(value)
        for name, value in values.items()
        if name != "is_public"
    }
    if values["is_public"]:
        data["is_public"] = "on"
    return data


def _latest_value(anonymous: Client) -> float:
    response = anonymous.get(API)
    assert response.status_code == 200, response.content
    (result,) = response.json()["results"]
    return float(result["value"])


@pytest.fixture
def cached_api(settings: Any) -> Client:
    settings.SDG87_API_CACHE_SECONDS = 300
    cache.clear()
    return Client()


def test_admin_date_edit_recomputes_latest_and_the_cached_api_answer(
    admin_client: Client,
    cached_api: Client,
    two_releases: tuple[Release, Release],
    django_capture_on_commit_callbacks: Any,
) -> None:
    """Correcting the older release's year to after the newer one makes its value the newest
    of the data point: is_latest follows, and a cached /api/v1/observations answer changes."""
    old, new = two_releases
    assert _latest_value(cached_api) == 20.0
    assert cached_api.get(API)["X-Cache"] == "hit"
    url = reverse("wagtailsnippets_indicators_release:edit", args=[old.pk])
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            url, _release_form(old, year=2024, released_on=datetime.date(2024, 5, 1))
        )
    assert response.status_code == 302, response.content
    assert Observation.objects.get(release=old).is_latest
    assert not Observation.objects.get(release=new).is_latest
    assert _latest_value(cached_api) == 10.0
    old.refresh_from_db()
    assert (old.year, old.released_on) == (2024, datetime.date(2024, 5, 1))
    assert sorted(old.edited_fields) == ["released_on", "year"]


def test_admin_hiding_a_release_shows_the_previous_value(
    admin_client: Client,
    cached_api: Client,
    two_releases: tuple[Release, Release],
    django_capture_on_commit_callbacks: Any,
) -> None:
    """Making the newer release not public hides its value everywhere and the older value of
    the same data point becomes the newest again; showing it again restores it."""
    old, new = two_releases
    assert _latest_value(cached_api) == 20.0
    url = reverse("wagtailsnippets_indicators_release:edit", args=[new.pk])
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(url, _release_form(new, is_public=False))
    assert response.status_code == 302, response.content
    assert not Release.objects.get(pk=new.pk).is_public
    assert Observation.objects.get(release=old).is_latest
    assert not Observation.all_objects.get(release=new).is_latest
    assert _latest_value(cached_api) == 10.0
    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(url, _release_form(new, is_public=True))
    assert _latest_value(cached_api) == 20.0


def test_admin_text_edit_invalidates_the_cached_api_answer(
    admin_client: Client,
    cached_api: Client,
    two_releases: tuple[Release, Release],
    django_capture_on_commit_callbacks: Any,
) -> None:
    """Every editorial change of statistics metadata bumps the data version: a series' new
    name is in the next API answer, not a cached one."""
    series = Series.objects.get(code=SERIES)
    url = f"/api/v1/series/{SERIES}"
    assert cached_api.get(url).json()["name"] == "Test series"
    assert cached_api.get(url)["X-Cache"] == "hit"
    data = {
        "name": "Corrected name",
        "description": "",
        "unit_label": "",
        "translations": "{}",
        "sort_order": "100",
    }
    edit = reverse("wagtailsnippets_indicators_series:edit", args=[series.pk])
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(edit, data)
    assert response.status_code == 302, response.content
    assert cached_api.get(url).json()["name"] == "Corrected name"


def test_the_visibility_of_an_uploaded_release_stays_with_its_dataset(
    admin_client: Client, bundled_data: None
) -> None:
    """A release imported from a dataset's file follows the dataset (ADR 0006): the admin
    refuses to show or hide it, with the reason on the form, and changes nothing."""
    source = source_upsert(code="org-999999", title="Org", publisher="Org", licence="CC0-1.0")
    release = release_upsert(
        source=source,
        code="upload-999999",
        title="File",
        year=2024,
        citation="c",
        provenance="p",
        is_public=False,
    )
    with pytest.raises(ValidationError):
        release_update(release=release, changes={"is_public": True})
    url = reverse("wagtailsnippets_indicators_release:edit", args=[release.pk])
    response = admin_client.post(url, _release_form(release, is_public=True, title="Renamed"))
    assert response.status_code == 200
    assert b"follow their dataset" in response.content
    release.refresh_from_db()
    assert (release.is_public, release.title) == (False, "File")


def test_load_data_keeps_admin_edits(
    admin_client: Client, bundled_data: None, django_capture_on_commit_callbacks: Any
) -> None:
    """A forced reload of the step that owns an indicator, its series, source and release
    keeps what an editor changed in the admin, and still writes every field nobody edited."""
    indicator = Indicator.objects.get(code="8.7.1")
    release = Release.objects.get(code="unsd-sdg-2023-12")
    source = release.source
    original_definition = indicator.definition
    indicator_data = {
        "name": "Edited indicator name",
        "definition": indicator.definition,
        "unit": indicator.unit,
        "custodians": indicator.custodians,
        "methodology": indicator.methodology,
        "translations": json.dumps(indicator.translations),
        "sort_order": str(indicator.sort_order),
    }
    source_data = {name: getattr(source, name) for name in Source.EDITOR_FIELDS}
    source_data["licence"] = "Edited licence"
    edits = [
        ("indicator", indicator.pk, indicator_data),
        ("source", source.pk, source_data),
        ("release", release.pk, _release_form(release, citation="Edited citation")),
    ]
    for model, pk, data in edits:
        url = reverse(f"wagtailsnippets_indicators_{model}:edit", args=[pk])
        with django_capture_on_commit_callbacks(execute=True):
            response = admin_client.post(url, data)
        assert response.status_code == 302, (model, response.content)
    # an unedited field changed behind the loader's back is written again by the reload
    Indicator.objects.filter(pk=indicator.pk).update(definition="stale")

    load_all(force=True, only=["indicators.unsd_8_7_1"])

    indicator.refresh_from_db()
    source.refresh_from_db()
    release.refresh_from_db()
    assert indicator.name == "Edited indicator name"
    assert indicator.definition == original_definition
    assert indicator.edited_fields == ["name"]
    assert source.licence == "Edited licence"
    assert release.citation == "Edited citation"
    assert release.edited_fields == ["citation"]


@pytest.mark.parametrize("model", ["indicator", "series", "source", "release"])
def test_metadata_is_never_added_or_deleted_in_the_admin(
    admin_client: Client, bundled_data: None, model: str
) -> None:
    """Loaders create statistics metadata and observations protect it: even a superuser
    cannot add or delete indicators, series, sources or releases in the admin."""
    models = {"indicator": Indicator, "series": Series, "source": Source, "release": Release}
    obj = models[model]._default_manager.first()
    assert obj is not None
    add = admin_client.get(reverse(f"wagtailsnippets_indicators_{model}:add"))
    assert add.status_code in {302, 403}
    delete_url = reverse(f"wagtailsnippets_indicators_{model}:delete", args=[obj.pk])
    assert admin_client.post(delete_url).status_code in {302, 403}
    assert models[model]._default_manager.filter(pk=obj.pk).exists()
    edit = admin_client.get(reverse(f"wagtailsnippets_indicators_{model}:edit", args=[obj.pk]))
    assert edit.status_code == 200


def test_population_step_keeps_an_edited_series_name(bundled_data: None) -> None:
    """The population step writes its series through series_upsert too: an editor's name
    survives it, the fields nobody edited are written again."""
    from sdg87.indicators.population import POPULATION_SERIES, population_series_upsert
    from sdg87.indicators.services import series_update

    series = Series.objects.get(code=POPULATION_SERIES)
    series_update(series=series, changes={"name": "Children aged 5-17"})
    Series.objects.filter(pk=series.pk).update(unit_label="stale")
    population_series_upsert()
    series.refresh_from_db()
    assert (series.name, series.unit_label) == ("Children aged 5-17", "thousand persons")
