"""Statistics imported from a dataset follow the dataset: embargo, schedule, withdrawal,
visibility, retraction and ownership hold for observations, series and releases through the REST
API (JSON and CSV), the country pages and the cache (issue 7, items 1-3)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.test import Client, TestCase
from django.urls import reverse
from django.utils import timezone
from wagtail.models import APIToken

from sdg87.catalog.models import Dataset, Distribution
from sdg87.catalog.services import datasets, distributions, review
from sdg87.catalog.statistics import statistics_sync_all
from sdg87.catalog.tests.conftest import csv_file
from sdg87.catalog.tests.test_wagtail_edits import _form as admin_form
from sdg87.indicators.models import Observation, Release, Series
from sdg87.indicators.services import (
    ObservationRow,
    OwnershipError,
    observations_import,
    release_upsert,
)
from sdg87.orgs.services import organisation_upsert

pytestmark = [pytest.mark.usefixtures("bundled_data"), pytest.mark.django_db]


@pytest.fixture(autouse=True)
def _fresh_cache() -> None:
    """Pages are cached by data version, which moves on commit: the test transactions never
    commit, so a page cached by an earlier test would otherwise be served again."""
    cache.clear()


# A value that appears nowhere in the bundled data, so a page or export containing it leaks.
TIDY = b"series,geo,year,value,unit\nRATE,KEN,2019,77.4321,PERCENT\n"
MARK = "77.4321"


def _upload(**kwargs: Any) -> Distribution:
    """distributions.distribution_upload, then its validation task (enqueued on commit: the test
    transaction never commits, so the callbacks run here)."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        dist = distributions.distribution_upload(**kwargs)
    dist.refresh_from_db()
    return dist


def _publish(users: dict[str, Any], org: Any, *, title: str = "Embargo stats", **kw: Any) -> Any:
    """A dataset with one tidy file, taken through review and published with `kw`
    (dataset fields for creation; `publish_at` goes to dataset_publish)."""
    publish_at = kw.pop("publish_at", None)
    ds = datasets.dataset_create(actor=users["contributor"], publisher=org, title=title, **kw)
    dist = _upload(
        actor=users["contributor"], dataset=ds, file=csv_file(TIDY), map_to_observations=True
    )
    assert dist.is_valid, dist.validation_report
    review.dataset_submit(actor=users["contributor"], dataset=ds)
    review.dataset_approve(actor=users["editor"], dataset=ds)
    review.dataset_publish(actor=users["editor"], dataset=ds, publish_at=publish_at)
    return Dataset.objects.get(pk=ds.pk), Distribution.objects.get(pk=dist.pk)


def _seen(org: Any, ds: Dataset) -> dict[str, bool]:
    """Where an anonymous visitor can see the imported figure, its series or its release."""
    client = Client()
    code = f"ORG{org.pk}__RATE"
    json_obs = client.get("/api/v1/observations", {"country": "KEN", "series": code})
    csv_obs = client.get("/api/v1/observations", {"country": "KEN", "format": "csv"})
    series = client.get("/api/v1/series")
    series_detail = client.get(f"/api/v1/series/{code}")
    release = client.get("/api/v1/observations", {"release": f"upload-{ds.distributions.get().pk}"})
    page = client.get("/en/countries/KEN/")
    assert page.status_code == 200
    csv_text = b"".join(csv_obs.streaming_content).decode()  # type: ignore[attr-defined]
    return {
        "json": json_obs.status_code == 200 and bool(json_obs.json()["results"]),
        "csv": MARK in csv_text or code in csv_text,
        "series": code in series.content.decode(),
        "series_detail": series_detail.status_code == 200,
        "release": release.status_code == 200 and bool(release.json().get("results")),
        # the series name holds its code; the release title is "<dataset>: <file>"
        "page": code in page.content.decode() or f"{ds.title}: " in page.content.decode(),
    }


def _nowhere(seen: dict[str, bool]) -> bool:
    assert [where for where, yes in seen.items() if yes] == []
    return True


def test_public_dataset_statistics_are_seen_everywhere(users: dict[str, Any], org: Any) -> None:
    """The control: a published public dataset's statistics reach every interface."""
    ds, _ = _publish(users, org)
    seen = _seen(org, ds)
    assert seen == dict.fromkeys(seen, True)


def test_embargoed_statistics_stay_hidden_until_the_embargo_ends(
    users: dict[str, Any], org: Any
) -> None:
    """Item 1: published with a future embargo, the values, series name and release title are
    nowhere; when the embargo ends (the scheduled sync runs) they appear."""
    until = timezone.now() + timedelta(days=1)
    ds, dist = _publish(users, org, embargo_until=until)
    assert _nowhere(_seen(org, ds))
    assert Release.objects.get(pk=dist.observations_release_id).is_public is False
    # the task the worker runs at `until` (the immediate test backend cannot defer)
    assert statistics_sync_all(now=until + timedelta(seconds=1)) == 1
    assert Release.objects.get(pk=dist.observations_release_id).is_public is True


def test_scheduled_statistics_stay_hidden_until_publication(
    users: dict[str, Any], org: Any
) -> None:
    """Item 1: published with a future `publish_at`, nothing shows before that time."""
    at = timezone.now() + timedelta(hours=3)
    ds, _dist = _publish(users, org, publish_at=at)
    assert _nowhere(_seen(org, ds))
    assert statistics_sync_all(now=at - timedelta(seconds=1)) == 0
    assert statistics_sync_all(now=at) == 1


def test_ending_the_embargo_by_edit_shows_the_statistics_at_once(
    users: dict[str, Any], org: Any
) -> None:
    ds, _ = _publish(users, org, embargo_until=timezone.now() + timedelta(days=30))
    assert _nowhere(_seen(org, ds))
    datasets.dataset_update(actor=users["editor"], dataset=ds, data={"embargo_until": None})
    assert _seen(org, ds)["json"] is True


@pytest.fixture
def deferring_tasks(settings: Any) -> Any:
    """Call it to switch to the production task backend (django_tasks_db), which can run a
    task later; the immediate backend is back after the test."""
    from asgiref.local import Local
    from django.tasks import task_backends

    def use(backend: str) -> None:
        settings.TASKS = {"default": {"BACKEND": backend}}
        task_backends.__dict__.pop("settings", None)
        task_backends._settings = None  # type: ignore[attr-defined]
        task_backends._connections = Local(False)  # type: ignore[attr-defined]

    yield lambda: use("django_tasks_db.DatabaseBackend")
    use("django.tasks.backends.immediate.ImmediateBackend")


def test_the_worker_is_asked_to_sync_when_the_embargo_ends(
    users: dict[str, Any], org: Any, deferring_tasks: Any, django_capture_on_commit_callbacks: Any
) -> None:
    """With a backend that can defer (as in production) publishing an embargoed dataset
    enqueues the sync task to run at the embargo's end."""
    from django_tasks_db.models import DBTaskResult

    until = (timezone.now() + timedelta(days=2)).replace(microsecond=0)
    ds = datasets.dataset_create(
        actor=users["editor"], publisher=org, title="Deferred", embargo_until=until
    )
    _upload(actor=users["editor"], dataset=ds, file=csv_file(TIDY), map_to_observations=True)
    review.dataset_submit(actor=users["editor"], dataset=ds)
    review.dataset_approve(actor=users["editor"], dataset=ds)
    deferring_tasks()
    with django_capture_on_commit_callbacks(execute=True):
        review.dataset_publish(actor=users["editor"], dataset=ds)
    queued = DBTaskResult.objects.filter(task_path__endswith="dataset_statistics_sync_task")
    assert [(r.args_kwargs["args"], r.run_after) for r in queued] == [([ds.pk], until)]


@pytest.mark.parametrize(
    "how",
    [
        "web",
        "ckan",
        "organisation_only",
        "metadata_only",
        "admin_organisation_only",
        "admin_embargo",
    ],
)
def test_withdrawal_withdraws_the_statistics(
    users: dict[str, Any], org: Any, client: Client, how: str
) -> None:
    """Item 2: unpublishing (web form or CKAN package_delete) or restricting the visibility
    hides the statistics through every interface, cached pages included (the change commits,
    so the data version moves)."""
    ds, _ = _publish(users, org)
    assert _seen(org, ds) == dict.fromkeys(_seen(org, ds), True)
    with TestCase.captureOnCommitCallbacks(execute=True):
        _withdraw(users, ds, client, how)
    assert _nowhere(_seen(org, ds))


def _withdraw(users: dict[str, Any], ds: Dataset, client: Client, how: str) -> None:
    if how == "web":
        client.force_login(users["editor"])
        response = client.post(f"/en/datasets/{ds.slug}/action/unpublish/", {"message": "gone"})
        assert response.status_code == 302
    elif how == "ckan":
        token = APIToken.create_token(user=users["editor"], name="test")[1]
        response = client.post(
            "/api/3/action/package_delete",
            {"id": ds.slug},
            content_type="application/json",
            HTTP_AUTHORIZATION=token,
        )
        assert response.json()["success"] is True, response.content
    elif how.startswith("admin_"):  # the Wagtail admin's dataset edit form
        client.force_login(users["superuser"])
        change: dict[str, Any] = (
            {"visibility": "organisation"}
            if how == "admin_organisation_only"
            else {"embargo_until": (timezone.now() + timedelta(days=30)).strftime("%Y-%m-%d %H:%M")}
        )
        edit = reverse("wagtailsnippets_catalog_dataset:edit", args=[ds.pk])
        response = client.post(edit, admin_form(ds, **change))
        assert response.status_code == 302, response.content.decode()[-2000:]
    else:
        visibility = "organisation" if how == "organisation_only" else "metadata_only"
        datasets.dataset_update(actor=users["editor"], dataset=ds, data={"visibility": visibility})


def test_withdrawal_invalidates_the_public_api_cache(
    users: dict[str, Any], org: Any, settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    settings.SDG87_API_CACHE_SECONDS = 300
    cache.clear()
    ds, _ = _publish(users, org)
    client = Client()
    url = f"/api/v1/observations?country=KEN&series=ORG{org.pk}__RATE"
    first = client.get(url)
    assert first.status_code == 200, first.content
    assert first.json()["results"]
    assert client.get(url).json()["results"]  # now served from the cache
    with django_capture_on_commit_callbacks(execute=True):
        review.dataset_unpublish(actor=users["editor"], dataset=ds)
    after = client.get(url)  # the series is hidden with its only release: as if unknown
    assert after.status_code == 400
    assert after.json()["error"]["code"] == "unknown_series"


def test_an_editor_can_retract_and_restore_one_files_statistics(
    users: dict[str, Any], org: Any, client: Client
) -> None:
    """Item 2: retraction through the web page hides the statistics, the file stays
    published; restoring shows them again. Contributors and other organisations cannot."""
    ds, dist = _publish(users, org)
    url = f"/en/datasets/{ds.slug}/files/{dist.pk}/statistics/"
    for who in ("contributor", "other", "member"):
        client.force_login(users[who])
        assert client.post(url, {"action": "retract"}).status_code in (403, 404)
        assert _seen(org, ds)["json"]
    client.force_login(users["editor"])
    with TestCase.captureOnCommitCallbacks(execute=True):
        assert client.post(url, {"action": "retract"}).status_code == 302
    assert _nowhere(_seen(org, ds))
    assert Distribution.objects.get(pk=dist.pk).published
    assert ds.audit_entries.filter(message__startswith="statistics retracted").exists()
    # publishing again does not bring retracted statistics back
    datasets.dataset_update(actor=users["editor"], dataset=ds, data={"visibility": "public"})
    statistics_sync_all()
    assert _nowhere(_seen(org, ds))
    with TestCase.captureOnCommitCallbacks(execute=True):
        assert client.post(url, {"action": "restore"}).status_code == 302
    assert _seen(org, ds) == dict.fromkeys(_seen(org, ds), True)


def test_retraction_service_refuses_contributors(users: dict[str, Any], org: Any) -> None:
    _ds, dist = _publish(users, org)
    with pytest.raises(PermissionDenied):
        review.distribution_statistics_retract(actor=users["contributor"], distribution=dist)


def test_removing_a_published_file_hides_its_statistics(users: dict[str, Any], org: Any) -> None:
    _ds, dist = _publish(users, org)
    distributions.distribution_delete(actor=users["editor"], distribution=dist)
    assert not Observation.objects.filter(series__code=f"ORG{org.pk}__RATE").exists()


def test_long_dataset_names_never_share_a_release(users: dict[str, Any], org: Any) -> None:
    """Item 3: releases are keyed by the file's id. Two files of one dataset whose name is
    longer than the old 80-character code each keep their own release and values."""
    slug = "a-" + "very-long-dataset-name-" * 4
    ds = datasets.dataset_create(actor=users["editor"], publisher=org, title="Long", slug=slug)
    first = _upload(
        actor=users["editor"], dataset=ds, file=csv_file(TIDY), map_to_observations=True
    )
    second = _upload(
        actor=users["editor"],
        dataset=ds,
        file=csv_file(b"series,geo,year,value,unit\nOTHER,KEN,2019,1.5,PERCENT\n"),
        map_to_observations=True,
    )
    review.dataset_submit(actor=users["editor"], dataset=ds)
    review.dataset_approve(actor=users["editor"], dataset=ds)
    review.dataset_publish(actor=users["editor"], dataset=ds)
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.observations_release is not None and second.observations_release is not None
    assert first.observations_release.code == f"upload-{first.pk}"
    assert second.observations_release.code == f"upload-{second.pk}"
    assert Observation.objects.filter(release=first.observations_release).get().value == 77.4321
    assert Observation.objects.filter(release=second.observations_release).get().value == 1.5


def test_look_alike_organisations_never_share_a_series(users: dict[str, Any], org: Any) -> None:
    """Item 3: an organisation whose slug differs only by '-' versus '_' writes its own series;
    the first organisation's latest value is untouched."""
    from sdg87.orgs.services import membership_set

    twin = organisation_upsert(slug="zz_test_ngo", name="ZZ Test NGO (look-alike)", type="ngo")
    membership_set(user=users["other"], organisation=twin, role="editor")
    _publish(users, org)
    ds = datasets.dataset_create(actor=users["other"], publisher=twin, title="Twin stats")
    _upload(
        actor=users["other"],
        dataset=ds,
        file=csv_file(b"series,geo,year,value,unit\nRATE,KEN,2019,1.0,PERCENT\n"),
        map_to_observations=True,
    )
    review.dataset_submit(actor=users["other"], dataset=ds)
    review.dataset_approve(actor=users["other"], dataset=ds)
    review.dataset_publish(actor=users["other"], dataset=ds)
    mine = Observation.objects.get(series__code=f"ORG{org.pk}__RATE", is_latest=True)
    theirs = Observation.objects.get(series__code=f"ORG{twin.pk}__RATE", is_latest=True)
    assert (mine.value, theirs.value) == (77.4321, 1.0)
    assert Series.objects.get(code=f"ORG{twin.pk}__RATE").owner == twin


def test_an_import_never_writes_into_another_owners_series(org: Any, other_org: Any) -> None:
    """Item 3, in the service: rows of a series owned by another organisation, or of a platform
    series, are refused with the row and column named."""
    from sdg87.core.ingest import ParseError
    from sdg87.indicators.services import source_upsert

    Series.objects.create(code="ZZ_OWNED", name="owned", unit="PERCENT", owner=org)
    source = source_upsert(code="zz-src", title="t", publisher="p", licence="CC-BY-4.0")
    release = release_upsert(
        source=source, code="zz-rel", title="t", year=2024, citation="c", provenance="p"
    )
    for series in ("ZZ_OWNED", "SL_TLF_CHLDEA"):
        row = ObservationRow(series=series, geo="KEN", year=2019, value=1.0, unit="PERCENT", line=2)
        with pytest.raises(ParseError) as err:
            observations_import(release=release, rows=[row], series_owner=other_org)
        assert (err.value.row, err.value.column) == (2, "series")


def test_a_release_never_moves_to_another_source() -> None:
    """Item 3: release_upsert refuses a code that belongs to another source."""
    from sdg87.indicators.services import source_upsert

    mine = source_upsert(code="zz-a", title="a", publisher="a", licence="CC-BY-4.0")
    theirs = source_upsert(code="zz-b", title="b", publisher="b", licence="CC-BY-4.0")
    release_upsert(source=mine, code="zz-r", title="r", year=2024, citation="c", provenance="p")
    with pytest.raises(OwnershipError):
        release_upsert(
            source=theirs, code="zz-r", title="x", year=2024, citation="c", provenance="p"
        )
    assert Release.objects.get(code="zz-r").title == "r"


def test_no_non_finite_value_can_be_stored_by_any_path() -> None:
    """Item 6: the database itself refuses infinite values (a CHECK constraint)."""
    from django.db import IntegrityError, transaction

    obs = Observation.objects.filter(release__is_public=True).first()
    assert obs is not None
    for bad in (float("inf"), float("-inf"), float("nan")):
        with pytest.raises(IntegrityError), transaction.atomic():
            Observation.all_objects.filter(pk=obs.pk).update(value=bad)


def test_the_import_after_publication_is_idempotent(users: dict[str, Any], org: Any) -> None:
    """Issue 8 item 3: the worker's import (run at once by the tests' immediate backend) is
    done once; running the task again imports nothing more."""
    from sdg87.catalog.services.observations import distribution_statistics_import

    _ds, dist = _publish(users, org)
    assert dist.observations_release is not None
    before = Observation.all_objects.filter(release=dist.observations_release).count()
    assert before == 1
    assert distribution_statistics_import(distribution_id=dist.pk) is False
    assert Observation.all_objects.filter(release=dist.observations_release).count() == before


def test_a_file_that_no_longer_maps_is_published_and_its_problem_shown_to_editors(
    users: dict[str, Any], org: Any, client: Client
) -> None:
    """Issue 8 item 3: the import runs after the publication, so a file that stopped mapping
    since its validation (here its geography was removed) no longer blocks the publication:
    nothing is imported, the problem is kept with the file and shown to its editors only."""
    from sdg87.catalog import statistics
    from sdg87.geo.models import Geography, GeographyKind

    Geography.objects.create(code="ZZQ", kind=GeographyKind.COUNTRY, name_en="Zedquay")
    ds = datasets.dataset_create(actor=users["editor"], publisher=org, title="ZZ gone")
    dist = _upload(
        actor=users["editor"],
        dataset=ds,
        file=csv_file(b"series,geo,year,value,unit\nRATE,ZZQ,2019,3.5,PERCENT\n"),
        map_to_observations=True,
    )
    assert dist.is_valid, dist.validation_report
    review.dataset_submit(actor=users["editor"], dataset=ds)
    review.dataset_approve(actor=users["editor"], dataset=ds)
    Geography.objects.filter(code="ZZQ").delete()
    review.dataset_publish(actor=users["editor"], dataset=ds)
    ds.refresh_from_db()
    dist.refresh_from_db()
    assert ds.live and dist.published and dist.observations_release is None
    assert "ZZQ" in str(dist.validation_report[statistics.IMPORT_ERRORS])
    assert not statistics.distributions_importing(dataset=ds).exists()
    assert (
        "cannot be imported as statistics" not in client.get(ds.get_absolute_url()).content.decode()
    )
    client.force_login(users["editor"])
    page = client.get(ds.get_absolute_url()).content.decode()
    assert "cannot be imported as statistics" in page and "being imported" not in page
