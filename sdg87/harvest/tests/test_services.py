"""Runs against a tiny local HTTP server (http.server in a thread) that answers what a test
sets: garbage, nothing in time, a listing that changes between pages, a record the catalog
refuses. Real sockets, real HTTP; the datasets are written through the catalog's services."""

from __future__ import annotations

import json
import time
from datetime import timedelta
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.utils import timezone

from sdg87.catalog.models import Dataset
from sdg87.harvest import fetch, listing
from sdg87.harvest.models import HarvestedRecord, HarvestSource, Outcome, RunStatus, SourceKind
from sdg87.harvest.services import harvest_source_create, harvest_source_run
from sdg87.orgs.models import Role
from sdg87.orgs.services import membership_set


def _ckan(count: int, packages: list[dict[str, Any]]) -> tuple[int, str, bytes]:
    body = {"success": True, "result": {"count": count, "results": packages}}
    return 200, "application/json", json.dumps(body).encode()


def _package(n: int, **extra: Any) -> dict[str, Any]:
    return {
        "id": f"pkg-{n}",
        "name": f"pkg-{n}",
        "title": f"Remote package {n}",
        "notes": "From the remote catalogue",
        "license_id": "cc-by",
        "resources": [{"url": f"https://example.org/{n}.csv", "name": "table", "format": "CSV"}],
        "tags": [{"name": "child labour"}],
        **extra,
    }


def _source(setup: dict[str, Any], url: str, kind: str = SourceKind.CKAN) -> HarvestSource:
    # registered inside the test's transaction: the first run (on commit) is not triggered
    return harvest_source_create(
        actor=setup["editor"],
        organisation=setup["org"],
        name="Remote",
        kind=kind,
        url=url,
        schedule="hourly",
    )


SEARCH = "/api/3/action/package_search"


def test_garbage_fails_the_run_and_writes_nothing(setup, server, routes):
    """HTML instead of JSON, JSON that is not a CKAN answer, and an XML bomb to the SDMX
    reader each fail the run with the reason, and no dataset is created."""
    base, _ = server
    source = _source(setup, base)
    for reply in [
        (200, "text/html", b"<html>maintenance</html>"),
        (200, "application/json", b'{"success": true, "result": []}'),
    ]:
        routes[SEARCH] = [reply]
        run = harvest_source_run(source_id=source.pk, force=True)
        assert run is not None and run.status == RunStatus.FAILED
        assert "garbage" in run.error
    bomb = (
        b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 '
        b'"&lol;&lol;&lol;">]><Structure>&lol2;</Structure>'
    )
    routes["/sdmx/dataflow"] = [(200, "application/xml", bomb)]
    sdmx = _source(setup, f"{base}/sdmx/dataflow", kind=SourceKind.SDMX)
    run = harvest_source_run(source_id=sdmx.pk, force=True)
    assert run is not None and run.status == RunStatus.FAILED and "DOCTYPE" in run.error
    assert not Dataset.objects.filter(publisher=setup["org"]).exists()


def test_a_source_that_does_not_answer_in_time_fails_the_run(setup, server, routes):
    """A server that waits longer than SDG87_HARVEST_TIMEOUT (1 s here) fails the run with
    the timeout named, well before the server would have answered (3 s)."""

    def slow() -> tuple[int, str, bytes]:
        time.sleep(3)
        return _ckan(0, [])

    base, _ = server
    routes[SEARCH] = [slow]
    source = _source(setup, base)
    started = time.monotonic()
    run = harvest_source_run(source_id=source.pk, force=True)
    assert time.monotonic() - started < 2.5
    assert run is not None and run.status == RunStatus.FAILED
    assert "within 1 s" in run.error


def test_a_redirect_is_checked_like_the_first_address(setup, server, routes):
    """A redirect to a file: address (or, in production, to a private one) fails the run:
    each hop is checked again."""
    base, _ = server
    routes[SEARCH] = [(302, "text/plain", b"file:///etc/passwd")]
    run = harvest_source_run(source_id=_source(setup, base).pk, force=True)
    assert run is not None and run.status == RunStatus.FAILED
    assert "only http and https" in run.error


def test_private_addresses_are_refused_unless_allowed(settings):
    """The SSRF rule, on literal addresses (no DNS needed): loopback, private, link-local
    (cloud metadata), unspecified and IPv4-mapped loopback are refused; a public address is
    not; the setting lifts the rule."""
    settings.SDG87_HARVEST_ALLOW_PRIVATE = False
    for host in [
        "127.0.0.1",
        "10.1.2.3",
        "169.254.169.254",
        "0.0.0.0",
        "[::1]",
        "[::ffff:127.0.0.1]",
    ]:
        assert "private" in fetch.url_refusal(f"http://{host}/"), host
    assert fetch.url_refusal("https://8.8.8.8/") == ""
    assert fetch.url_refusal("http://127.0.0.1/", allow_private=True) == ""
    assert "only http" in fetch.url_refusal("gopher://8.8.8.8/", allow_private=True)


def test_too_large_an_answer_fails_the_run(setup, server, routes, settings):
    base, _ = server
    settings.SDG87_HARVEST_MAX_BYTES = 1000
    routes[SEARCH] = [_ckan(1, [_package(1, notes="x" * 2000)])]
    run = harvest_source_run(source_id=_source(setup, base).pk, force=True)
    assert run is not None and run.status == RunStatus.FAILED and "larger than 1000" in run.error


def test_a_record_the_catalog_refuses_fails_alone_and_leaves_nothing(setup, server, routes):
    """Of three packages, one has a link the catalog refuses and one has no title: those two
    are reported failed with their reason, nothing of them is stored (not even the dataset
    made before its link was refused), and the third is created and published."""
    base, _ = server
    routes[SEARCH] = [
        _ckan(
            3,
            [
                _package(1),
                _package(2, resources=[{"url": "javascript:alert(1)", "name": "bad"}]),
                _package(3, title="", name=""),
            ],
        )
    ]
    run = harvest_source_run(source_id=_source(setup, base).pk, force=True)
    assert run is not None and run.status == RunStatus.PARTIAL
    assert (run.created, run.failed) == (1, 2)
    failed = {i.remote_id: i.reason for i in run.items.filter(outcome=Outcome.FAILED)}
    assert set(failed) == {"pkg-2", "pkg-3"} and "no title" in failed["pkg-3"]
    assert "url" in failed["pkg-2"]
    titles = set(Dataset.objects.filter(publisher=setup["org"]).values_list("title", flat=True))
    assert titles == {"Remote package 1"}
    created = Dataset.objects.get(publisher=setup["org"])
    assert created.live and created.licence == "CC-BY-4.0"
    assert created.harvested_record.original_url == f"{base}/dataset/pkg-1"


def test_a_source_that_changes_mid_harvest_reports_what_it_saw(setup, server, routes, monkeypatch):
    """Pages of 2: page 1 says 3 records; by page 2 one was deleted and the page is empty.
    The run writes the 2 it saw, notes the change, and marks nothing removed (an earlier
    record missing from this incomplete listing stays)."""
    base, _ = server
    monkeypatch.setattr(listing, "CKAN_ROWS", 2)
    source = _source(setup, base)
    routes[SEARCH] = [_ckan(1, [_package(999)])]
    first = harvest_source_run(source_id=source.pk, force=True)
    assert first is not None and first.created == 1
    routes.clear()
    routes[f"{SEARCH}#0"] = [_ckan(3, [_package(1), _package(2)])]
    routes[f"{SEARCH}#2"] = [_ckan(2, [])]
    run = harvest_source_run(source_id=source.pk, force=True)
    assert run is not None
    assert run.status == RunStatus.SUCCEEDED, list(run.items.values_list("reason", flat=True))
    assert (run.seen, run.created, run.removed) == (2, 2, 0)
    assert "changed during the harvest" in run.note
    assert HarvestedRecord.objects.get(source=source, remote_id="pkg-999").removed_at is None


def test_schedule_runs_only_when_due_and_moves_on(setup, server, routes):
    """A due source runs once and its next run moves an hour on; asked again at once (a
    second copy of the task) it does nothing; `harvest_run --due` runs it once it is due."""
    base, _ = server
    routes[SEARCH] = [_ckan(0, [])]
    source = _source(setup, base)
    now = timezone.now()
    assert harvest_source_run(source_id=source.pk, now=now) is not None
    source.refresh_from_db()
    assert source.next_run_at == now + timedelta(hours=1)
    assert harvest_source_run(source_id=source.pk, now=now + timedelta(minutes=5)) is None
    HarvestSource.objects.filter(pk=source.pk).update(next_run_at=now - timedelta(seconds=1))
    call_command("harvest_run", "--due", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert source.runs.count() == 2


def test_registration_refuses_bad_addresses_and_non_editors(setup, settings):
    """Not http(s), or (in production) a loopback/private address: refused with the reason;
    a contributor may not register a source."""
    settings.SDG87_HARVEST_ALLOW_PRIVATE = False
    for url in [
        "file:///etc/passwd",
        "ftp://example.org/",
        "http://127.0.0.1:8000/",
        "http://10.0.0.7/",
    ]:
        with pytest.raises(ValidationError):
            _source(setup, url)
    contributor = get_user_model().objects.create_user("zz-c", "c@example.org", "pw-123-abc")
    membership_set(user=contributor, organisation=setup["org"], role=Role.CONTRIBUTOR)
    with pytest.raises(PermissionDenied):
        harvest_source_create(
            actor=contributor,
            organisation=setup["org"],
            name="x",
            kind=SourceKind.CKAN,
            url="https://example.org/",
            schedule="daily",
        )
