"""Changing, pausing and resuming a source (services and pages), and the mail a run sends: one
report per run to the organisation's editors, never the catalog's three mails per dataset."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.utils import timezone

from sdg87.core.models import OutboundMail
from sdg87.harvest.models import HarvestSource, HarvestSourceAuditEntry, RunStatus, SourceAction
from sdg87.harvest.selectors import harvest_source_due_ids
from sdg87.harvest.services import (
    harvest_source_pause,
    harvest_source_resume,
    harvest_source_run,
    harvest_source_update,
)
from sdg87.harvest.tests.test_services import SEARCH, _ckan, _package, _source
from sdg87.orgs.models import Role
from sdg87.orgs.services import membership_set, organisation_upsert


def _audit(source: HarvestSource) -> list[str]:
    return list(
        HarvestSourceAuditEntry.objects.filter(source=source)
        .order_by("pk")
        .values_list("action", flat=True)
    )


def test_editing_a_source_is_checked_audited_and_reschedules(setup, server):
    """An editor renames the source, gives it another address and schedule and moves it to
    a second organisation they edit: each change is in the audit entry (with the harvest
    now acting as them), the next run counts from now. A contributor is refused; so is a
    move to an organisation the editor does not edit, and a file: address."""
    base, _ = server
    source = _source(setup, base)
    other = get_user_model().objects.create_user("zz-other-editor", "o@example.org", "pw-1-abc")
    membership_set(user=other, organisation=setup["org"], role=Role.EDITOR)
    second_org = organisation_upsert(slug="zz-harvest-org2", name="ZZ Org 2", type="ngo")
    membership_set(user=other, organisation=second_org, role=Role.EDITOR)
    before = timezone.now()
    changed = harvest_source_update(
        actor=other,
        source=source,
        data={
            "name": "Renamed",
            "url": f"{base}/other/",
            "schedule": "weekly",
            "organisation": second_org,
        },
    )
    changed.refresh_from_db()
    assert (changed.name, changed.url, changed.schedule) == ("Renamed", f"{base}/other/", "weekly")
    assert changed.organisation == second_org and changed.created_by == other
    assert changed.next_run_at is not None
    assert before + timedelta(weeks=1) <= changed.next_run_at
    entry = HarvestSourceAuditEntry.objects.get(source=source, action=SourceAction.CHANGED)
    assert entry.actor == other
    assert entry.changes["name"] == ["Remote", "Renamed"]
    assert entry.changes["organisation"] == ["ZZ Harvest Org", "ZZ Org 2"]
    assert entry.changes["created_by"] == ["zz-harvester", "zz-other-editor"]
    assert set(entry.changes) == {"name", "url", "schedule", "organisation", "created_by"}

    contributor = get_user_model().objects.create_user("zz-contrib", "c@example.org", "pw-1-abc")
    membership_set(user=contributor, organisation=second_org, role=Role.CONTRIBUTOR)
    with pytest.raises(PermissionDenied):
        harvest_source_update(actor=contributor, source=changed, data={"name": "No"})
    with pytest.raises(PermissionDenied):  # setup's editor does not edit second_org
        harvest_source_update(actor=setup["editor"], source=changed, data={"name": "No"})
    with pytest.raises(PermissionDenied):  # other edits second_org, but not a third one
        third = organisation_upsert(slug="zz-harvest-org3", name="ZZ Org 3", type="ngo")
        harvest_source_update(actor=other, source=changed, data={"organisation": third})
    with pytest.raises(ValidationError):
        harvest_source_update(actor=other, source=changed, data={"url": "file:///etc/passwd"})
    with pytest.raises(ValueError):
        harvest_source_update(actor=other, source=changed, data={"kind": "dcat"})
    # nothing changed: no audit entry
    harvest_source_update(actor=other, source=changed, data={"name": "Renamed"})
    assert _audit(source) == [SourceAction.REGISTERED, SourceAction.CHANGED]
    changed.refresh_from_db()
    assert changed.name == "Renamed" and changed.organisation == second_org


def test_a_paused_source_is_not_run_by_its_schedule(setup, server, routes):
    """Paused, a due source is not in the sweep, its scheduled task does nothing, and the
    sweep command says so; "Harvest now" (force) still runs it. Resumed by another editor, it
    runs at its due slot, as that editor. Contributors can neither pause nor resume."""
    base, _ = server
    routes[SEARCH] = [_ckan(1, [_package(1)])]
    source = _source(setup, base)
    paused = harvest_source_pause(actor=setup["editor"], source=source)
    assert paused.active is False
    HarvestSource.objects.filter(pk=source.pk).update(next_run_at=timezone.now())
    assert source.pk not in harvest_source_due_ids()
    assert harvest_source_run(source_id=source.pk) is None
    call_command("harvest_run", "--due")
    assert not source.runs.exists()
    forced = harvest_source_run(source_id=source.pk, force=True)
    assert forced is not None and forced.status == RunStatus.SUCCEEDED
    # the forced run took the slot; the next one comes due while still paused
    HarvestSource.objects.filter(pk=source.pk).update(next_run_at=timezone.now())

    contributor = get_user_model().objects.create_user("zz-contrib", "c@example.org", "pw-1-abc")
    membership_set(user=contributor, organisation=setup["org"], role=Role.CONTRIBUTOR)
    with pytest.raises(PermissionDenied):
        harvest_source_resume(actor=contributor, source=source)
    other = get_user_model().objects.create_user("zz-other-editor", "o@example.org", "pw-1-abc")
    membership_set(user=other, organisation=setup["org"], role=Role.EDITOR)
    resumed = harvest_source_resume(actor=other, source=source)
    assert resumed.active and resumed.created_by == other
    assert source.pk in harvest_source_due_ids()
    run = harvest_source_run(source_id=source.pk)
    assert run is not None and run.unchanged == 1
    with pytest.raises(PermissionDenied):
        harvest_source_pause(actor=contributor, source=source)
    assert _audit(source) == [
        SourceAction.REGISTERED,
        SourceAction.PAUSED,
        SourceAction.RESUMED,
    ]


def test_a_run_sends_one_report_not_three_mails_per_dataset(setup, server, routes):
    """20 packages created: 1 mail (the run's report, to the organisation's one editor), not
    the 60 the catalog's submit/approve/publish notifications would send; an unchanged run
    sends none; a run that fails sends one report, the next failure none; withdrawing a
    removed record sends only the report."""
    base, _ = server
    routes[SEARCH] = [_ckan(20, [_package(n) for n in range(20)])]
    source = _source(setup, base)
    run = harvest_source_run(source_id=source.pk, force=True)
    assert run is not None and run.created == 20
    mails = list(OutboundMail.objects.values_list("recipient", "subject"))
    assert mails == [("h@example.org", "Harvest report: Remote")]
    report = OutboundMail.objects.get()
    assert "Created 20, updated 0, unchanged 0" in report.body
    assert run.get_absolute_url() in report.body

    run = harvest_source_run(source_id=source.pk, force=True)
    assert run is not None and run.unchanged == 20
    assert OutboundMail.objects.count() == 1

    routes[SEARCH] = [(200, "text/html", b"<html>maintenance</html>")]
    for _attempt in range(2):
        run = harvest_source_run(source_id=source.pk, force=True)
        assert run is not None and run.status == RunStatus.FAILED
    assert OutboundMail.objects.count() == 2

    routes[SEARCH] = [_ckan(19, [_package(n) for n in range(19)])]
    run = harvest_source_run(source_id=source.pk, force=True)
    assert run is not None and (run.removed, run.unchanged) == (1, 19)
    assert OutboundMail.objects.count() == 3
    assert set(OutboundMail.objects.values_list("subject", flat=True)) == {"Harvest report: Remote"}


def test_edit_pause_and_resume_pages(client, setup, server):
    """The source page offers change and pause; the edit form saves (400 with the reason for
    a file: address); pause and resume answer POST only and flip the button."""
    base, _ = server
    source = _source(setup, base)
    client.force_login(setup["editor"])
    page = client.get(source.get_absolute_url()).content.decode()
    assert "Change this source" in page and "Pause the schedule" in page
    edit = f"/en/harvest/sources/{source.pk}/edit/"
    assert client.get(edit).status_code == 200
    form: dict[str, Any] = {
        "organisation": setup["org"].pk,
        "name": "Renamed on the page",
        "url": f"{base}/",
        "remote_filter": "",
        "default_licence": "CC-BY-4.0",
        "schedule": "daily",
    }
    assert client.post(edit, {**form, "url": "file:///etc/passwd"}).status_code == 400
    response = client.post(edit, form)
    assert response.status_code == 302 and response["Location"] == source.get_absolute_url()
    source.refresh_from_db()
    assert (source.name, source.schedule) == ("Renamed on the page", "daily")
    assert client.get(f"/en/harvest/sources/{source.pk}/pause/").status_code == 405
    client.post(f"/en/harvest/sources/{source.pk}/pause/")
    page = client.get(source.get_absolute_url()).content.decode()
    assert "Resume the schedule" in page and "(paused)" in page and "Paused" in page
    # One History table, in the body; the title is the source's name alone.
    assert page.count("<h2>History</h2>") == 1
    head = page[: page.index("<body")]
    assert "<table" not in head
    assert "<title>Renamed on the page" in head
    client.post(f"/en/harvest/sources/{source.pk}/resume/")
    source.refresh_from_db()
    assert source.active
    outsider = get_user_model().objects.create_user("zz-out", "x@example.org", "pw-1-abc")
    client.force_login(outsider)
    assert client.post(f"/en/harvest/sources/{source.pk}/pause/").status_code in (403, 404)
    assert client.get(edit).status_code in (403, 404)


def test_the_edit_form_has_exactly_the_fields_the_service_takes() -> None:
    from sdg87.harvest.forms import SourceEditForm
    from sdg87.harvest.services import EDITABLE_FIELDS
    from sdg87.orgs.models import Organisation

    form = SourceEditForm(organisations=Organisation.objects.none())
    assert set(form.fields) == set(EDITABLE_FIELDS)
