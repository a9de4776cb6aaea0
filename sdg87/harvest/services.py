"""Writes of the harvester: register a source, ask for a run, and run a harvest.

A run (harvest_source_run) is idempotent per scheduled slot: it claims the source row
(select_for_update), runs only when `next_run_at` is due (or when forced), moves
`next_run_at` on before it reads anything, and then hands the next slot to the task worker.
It reads the whole listing first (sdg87.harvest.listing): a source that fails or answers
garbage fails the run with nothing written. Then each record is written in its own
transaction through the catalog's services, acting as the editor who registered the source:

    new remote id                         -> dataset created, links added, published: created
    known, same content hash              -> nothing written:                          unchanged
    known, other hash (or back again)     -> metadata and links updated, republished:  updated
    refused by the catalog (validation,   -> that record's transaction rolled back:    failed
      permission)
    a copy of another record of the listing (identifier names it)                   -> skipped
    known, no longer listed (listing read completely) -> unpublished, kept, marked:  removed
"""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DatabaseError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sdg87.catalog.models import Dataset, Status
from sdg87.catalog.services import datasets, distributions, review
from sdg87.core.actors import Actor, signed_in_user
from sdg87.core.mail import mail_queue
from sdg87.harvest import fetch
from sdg87.harvest.listing import Listing, ListingFailed, listing_read
from sdg87.harvest.models import (
    EDITABLE_FIELDS,
    SCHEDULE_INTERVALS,
    HarvestedRecord,
    HarvestRun,
    HarvestRunItem,
    HarvestSource,
    HarvestSourceAuditEntry,
    Outcome,
    RunStatus,
    SourceAction,
)
from sdg87.harvest.parsers import RecordProblem, RemoteRecord
from sdg87.harvest.permissions import can_manage_harvest
from sdg87.orgs import selectors as org_selectors
from sdg87.orgs.models import Organisation

logger = logging.getLogger(__name__)

# A run still "running" after this long is taken to have died (worker killed).
STALE_RUN = SCHEDULE_INTERVALS["hourly"] * 2


def next_run_after(schedule: str, now: datetime) -> datetime | None:
    interval = SCHEDULE_INTERVALS.get(schedule)
    return now + interval if interval else None


def _enqueue(source_id: int, *, when: datetime | None = None, force: bool = False) -> None:
    from sdg87.harvest.tasks import harvest_source_run_task

    def enqueue() -> None:
        task = harvest_source_run_task
        if when is None:
            task.enqueue(source_id, force)
        elif task.get_backend().supports_defer:
            task.using(run_after=when).enqueue(source_id, force)
        else:  # e.g. the tests' immediate backend: `manage.py harvest_run --due` sweeps
            logger.info("backend cannot defer; source %s waits for a sweep", source_id)

    transaction.on_commit(enqueue)


@transaction.atomic
def harvest_source_create(
    *,
    actor: Actor,
    organisation: Organisation,
    name: str,
    kind: str,
    url: str,
    schedule: str,
    remote_filter: str = "",
    default_licence: str = "other-attribution",
) -> HarvestSource:
    """Register a source; its first run is handed to the task worker at once."""
    if not can_manage_harvest(actor, organisation.pk):
        raise PermissionDenied(_("Only an editor of the organisation can register a source."))
    refusal = fetch.url_refusal(url)
    if refusal:
        message = _("This address cannot be harvested: %(why)s") % {"why": refusal}
        raise ValidationError({"url": message})
    source = HarvestSource(
        organisation=organisation,
        name=name,
        kind=kind,
        url=url,
        schedule=schedule,
        remote_filter=remote_filter,
        default_licence=default_licence,
        created_by=actor if actor.is_authenticated else None,
        next_run_at=timezone.now(),
    )
    source.full_clean()
    source.save()
    _audit(source, actor, SourceAction.REGISTERED)
    _enqueue(source.pk)
    return source


def _audit(
    source: HarvestSource, actor: Actor, action: str, changes: dict[str, Any] | None = None
) -> None:
    HarvestSourceAuditEntry.objects.create(
        source=source,
        source_name=source.name,
        action=action,
        changes=changes or {},
        actor=signed_in_user(actor),
    )


def _locked(source: HarvestSource, actor: Actor, refusal: str) -> HarvestSource:
    """The source's row, locked, for an editor of its organisation: permission first (on
    the row as read, so nobody else can hold the lock), then again on the locked row, which
    may have moved to another organisation meanwhile."""
    if not can_manage_harvest(actor, source.organisation_id):
        raise PermissionDenied(refusal)
    locked = HarvestSource.objects.select_for_update(of=("self",)).select_related("organisation")
    source = locked.get(pk=source.pk)
    if not can_manage_harvest(actor, source.organisation_id):
        raise PermissionDenied(refusal)
    return source


def _take_over(source: HarvestSource, actor: Actor, changes: dict[str, Any]) -> None:
    """From now on the harvest acts as this editor (recorded in `changes`)."""
    acting = signed_in_user(actor)
    if acting is not None and acting != source.created_by:
        changes["created_by"] = [str(source.created_by or ""), str(acting)]
        source.created_by = acting


@transaction.atomic
def harvest_source_update(
    *, actor: Actor, source: HarvestSource, data: dict[str, Any]
) -> HarvestSource:
    """Change a source's name, address, schedule, organisation, filter or default licence
    (keys of `data`, any other is refused with ValueError). The editor must manage the
    source's organisation and, when it moves, the new one. From then on the harvest acts as
    this editor. A new schedule counts from now; a new organisation receives the datasets
    created from then on (those already harvested keep their publisher); a new address
    lists other records, so the next complete listing marks the old ones removed."""
    unknown = set(data) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValueError(f"not editable: {', '.join(sorted(unknown))}")
    refusal = _("Only an editor of the organisation can change this source.")
    source = _locked(source, actor, refusal)
    organisation = data.get("organisation", source.organisation)
    if not can_manage_harvest(actor, organisation.pk):
        raise PermissionDenied(refusal)
    if "url" in data and data["url"] != source.url:
        refusal = fetch.url_refusal(data["url"])
        if refusal:
            message = _("This address cannot be harvested: %(why)s") % {"why": refusal}
            raise ValidationError({"url": message})
    changes: dict[str, Any] = {}
    for field in EDITABLE_FIELDS:
        if field not in data:
            continue
        before, after = getattr(source, field), data[field]
        if before != after:
            setattr(source, field, after)
            changes[field] = [str(before), str(after)]
    if not changes:
        return source
    now = timezone.now()
    if "schedule" in changes:
        source.next_run_at = next_run_after(source.schedule, now)
    _take_over(source, actor, changes)
    source.full_clean()
    source.save()
    _audit(source, actor, SourceAction.CHANGED, changes)
    if "schedule" in changes and source.active and source.next_run_at is not None:
        _enqueue(source.pk, when=source.next_run_at)
    return source


@transaction.atomic
def harvest_source_pause(*, actor: Actor, source: HarvestSource) -> HarvestSource:
    """Stop the schedule: a paused source is not run when its next run comes due (a
    "Harvest now" still runs it once)."""
    source = _locked(source, actor, _("Only an editor of the organisation can pause this source."))
    if not source.active:
        return source
    source.active = False
    source.save(update_fields=["active"])
    _audit(source, actor, SourceAction.PAUSED)
    return source


@transaction.atomic
def harvest_source_resume(*, actor: Actor, source: HarvestSource) -> HarvestSource:
    """Restart the schedule, acting from now on as this editor: a next run that came due
    while paused runs at once, a later one at its time."""
    refusal = _("Only an editor of the organisation can resume this source.")
    source = _locked(source, actor, refusal)
    if source.active:
        return source
    source.active = True
    changes: dict[str, Any] = {}
    _take_over(source, actor, changes)
    source.save(update_fields=["active", "created_by"])
    _audit(source, actor, SourceAction.RESUMED, changes)
    now = timezone.now()
    if source.next_run_at is not None:
        _enqueue(source.pk, when=None if source.next_run_at <= now else source.next_run_at)
    return source


@transaction.atomic
def harvest_source_request_run(*, actor: Actor, source: HarvestSource) -> None:
    """Harvest now (the schedule stays as it is)."""
    if not can_manage_harvest(actor, source.organisation_id):
        raise PermissionDenied(_("Only an editor of the organisation can harvest this source."))
    _audit(source, actor, SourceAction.RUN_REQUESTED)
    _enqueue(source.pk, force=True)


def harvest_source_run(
    *, source_id: int, force: bool = False, now: datetime | None = None
) -> HarvestRun | None:
    """Run the harvest of one source if it is due (or `force`); None when there was nothing
    to do (not due, paused, already running, or gone)."""
    now = now or timezone.now()
    with transaction.atomic():
        source = HarvestSource.objects.select_for_update().filter(pk=source_id).first()
        if source is None or (not source.active and not force):
            return None
        due = source.next_run_at is not None and source.next_run_at <= now
        if not (due or force):
            return None
        if source.runs.filter(status=RunStatus.RUNNING, started_at__gt=now - STALE_RUN).exists():
            return None
        if due:
            source.next_run_at = next_run_after(source.schedule, now)
        source.last_run_at = now
        source.save(update_fields=["next_run_at", "last_run_at"])
        run = HarvestRun.objects.create(source=source, started_at=now)
        if due and source.next_run_at is not None:
            _enqueue(source.pk, when=source.next_run_at)
    _harvest(source, run)
    return run


def _fail(run: HarvestRun, error: str) -> HarvestRun:
    run.status = RunStatus.FAILED
    run.error = error
    run.finished_at = timezone.now()
    run.save()
    return run


def _summary_mail(source: HarvestSource, run: HarvestRun) -> None:
    """One mail per run to the organisation's editors and admins, instead of the catalog's
    mails per dataset (the harvest writes with notify=False): only when the run changed
    datasets or failed records, or when the whole run failed after a run that had not."""
    changed = run.created + run.updated + run.removed + run.failed
    if run.status == RunStatus.FAILED:
        before = source.runs.exclude(pk=run.pk).order_by("-started_at", "-pk").first()
        if before is not None and before.status == RunStatus.FAILED:
            return
    elif not changed:
        return
    body = _(
        "Harvest of %(source)s: %(status)s.\n"
        "Created %(created)s, updated %(updated)s, unchanged %(unchanged)s, removed %(removed)s, "
        "skipped %(skipped)s, failed %(failed)s."
    ) % {
        "source": source.name,
        "status": run.get_status_display(),
        "created": run.created,
        "updated": run.updated,
        "unchanged": run.unchanged,
        "removed": run.removed,
        "skipped": run.skipped,
        "failed": run.failed,
    }
    if run.error:
        body += "\n" + run.error
    url = settings.SITE_URL.rstrip("/") + run.get_absolute_url()
    with transaction.atomic():
        mail_queue(
            recipients=org_selectors.organisation_reviewer_emails(
                organisation_id=source.organisation_id
            ),
            subject=_("Harvest report: %(source)s") % {"source": source.name},
            body=f"{body}\n\n{url}\n",
            organisation_id=source.organisation_id,
            object_label=source.name,
            object_url=run.get_absolute_url(),
        )


def _harvest(source: HarvestSource, run: HarvestRun) -> HarvestRun:
    run = _harvest_run(source, run)
    try:
        _summary_mail(source, run)
    except Exception:  # the report is kept either way; a mail problem must not fail the run
        logger.exception("harvest report mail of source %s", source.pk)
    return run


def _harvest_run(source: HarvestSource, run: HarvestRun) -> HarvestRun:
    actor = source.created_by
    if actor is None or not can_manage_harvest(actor, source.organisation_id):
        return _fail(
            run,
            _(
                "The harvest acts as the editor who registered the source, who is no longer an "
                "editor of %(organisation)s. An editor should register the source again."
            )
            % {"organisation": source.organisation.name},
        )
    try:
        listing = listing_read(kind=source.kind, url=source.url, remote_filter=source.remote_filter)
    except ListingFailed as exc:
        return _fail(run, str(exc))
    except Exception as exc:  # a parser bug must still end the run as failed, not running
        logger.exception("harvest of source %s", source.pk)
        return _fail(run, _("Unexpected error: %(error)s") % {"error": type(exc).__name__})
    try:
        _write_all(source, run, actor, listing)
    except Exception as exc:  # e.g. the database went away: the run must not stay "running"
        logger.exception("harvest of source %s", source.pk)
        return _fail(run, _("Unexpected error: %(error)s") % {"error": type(exc).__name__})
    return run


def _write_all(source: HarvestSource, run: HarvestRun, actor: Actor, listing: Listing) -> None:
    counts = {outcome: 0 for outcome in Outcome.values}
    seen_ids: set[str] = set()
    unchanged: list[int] = []

    def item(remote_id: str, title: str, outcome: str, reason: str = "", dataset=None) -> None:
        counts[outcome] += 1
        HarvestRunItem.objects.create(
            run=run,
            remote_id=remote_id[:500],
            title=title[:300],
            outcome=outcome,
            reason=reason,
            dataset=dataset,
        )

    for entry in listing.items:
        seen_ids.add(entry.remote_id)
        if isinstance(entry, RecordProblem):
            item(entry.remote_id, "", Outcome.FAILED, entry.reason)
            continue
        try:
            with transaction.atomic():
                outcome, record = _write_one(source, actor, entry, run.started_at)
        except (ValidationError, PermissionDenied, DatabaseError, ValueError) as exc:
            item(entry.remote_id, entry.title, Outcome.FAILED, _reason(exc))
            continue
        except Exception as exc:  # a bug must cost one record, not leave the run "running"
            logger.exception("harvest of %s from source %s", entry.remote_id, source.pk)
            item(entry.remote_id, entry.title, Outcome.FAILED, type(exc).__name__)
            continue
        if outcome == Outcome.UNCHANGED:
            unchanged.append(record.pk)
        item(entry.remote_id, entry.title, outcome, dataset=record.dataset)
    for echo in listing.echoes:
        seen_ids.add(echo.remote_id)
        item(
            echo.remote_id,
            "",
            Outcome.SKIPPED,
            _("A copy of %(original)s, which this source also lists.") % {"original": echo.reason},
        )
    HarvestedRecord.objects.filter(pk__in=unchanged).update(last_harvested_at=run.started_at)
    if listing.complete:
        gone = source.records.filter(removed_at=None).exclude(remote_id__in=seen_ids)
        for record in gone.select_related("dataset"):
            try:
                with transaction.atomic():
                    _remove_one(source, actor, record, run.started_at)
            except (ValidationError, PermissionDenied, DatabaseError) as exc:
                item(record.remote_id, record.dataset.title, Outcome.FAILED, _reason(exc))
                continue
            item(record.remote_id, record.dataset.title, Outcome.REMOVED, dataset=record.dataset)
    run.seen = len(listing.items) + len(listing.echoes)
    for outcome, number in counts.items():
        setattr(run, outcome, number)
    run.note = "\n".join(listing.notes)
    run.status = RunStatus.PARTIAL if counts[Outcome.FAILED] else RunStatus.SUCCEEDED
    run.finished_at = timezone.now()
    run.save()


def _reason(exc: Exception) -> str:
    if isinstance(exc, ValidationError):
        if hasattr(exc, "error_dict"):
            return "; ".join(f"{k}: {' '.join(v)}" for k, v in exc.message_dict.items())
        return " ".join(exc.messages)
    return str(exc) or type(exc).__name__


def _publish(actor: Actor, dataset: Dataset, source: HarvestSource) -> None:
    note = _("Harvested from %(source)s") % {"source": source.name}
    # notify=False: one report mail per run (_summary_mail), not three mails per dataset
    dataset = review.dataset_submit(actor=actor, dataset=dataset, message=note, notify=False)
    dataset = review.dataset_approve(actor=actor, dataset=dataset, message=note, notify=False)
    review.dataset_publish(actor=actor, dataset=dataset, note=note, notify=False)


def _sync_links(actor: Actor, dataset: Dataset, record: RemoteRecord) -> bool:
    """Make the dataset's links those of the record; True if anything changed."""
    wanted = [(url.strip(), title, fmt) for url, title, fmt in record.links if url.strip()]
    current = list(dataset.distributions.filter(retired_at__isnull=True, file=""))
    have = {(d.url, d.title, d.format): d for d in current}
    want = {(url, (title or url)[:200], fmt.upper()[:20]) for url, title, fmt in wanted}
    changed = False
    for key, dist in have.items():
        if key not in want:
            distributions.distribution_delete(actor=actor, distribution=dist)
            changed = True
    for url, title, fmt in sorted(want - set(have)):
        distributions.distribution_add_link(
            actor=actor, dataset=dataset, url=url, title=title, format=fmt
        )
        changed = True
    return changed


def _write_one(
    source: HarvestSource, actor: Actor, record: RemoteRecord, now: datetime
) -> tuple[str, HarvestedRecord]:
    content_hash = record.content_hash()
    known = (
        HarvestedRecord.objects.select_for_update()
        .select_related("dataset")
        .filter(source=source, remote_id=record.remote_id)
        .first()
    )
    if known is not None and known.content_hash == content_hash and known.removed_at is None:
        return Outcome.UNCHANGED, known
    fields: dict[str, Any] = {
        "title": record.title,
        "description": record.description,
        "licence": record.licence or source.default_licence,
        # The copy names its original by the original's address at the source, never by an
        # identifier both share (a DOI): a catalogue that lists the copy beside the original
        # then shows it as an echo (parsers.echo_filter), and harvesting it again creates
        # nothing. With the shared identifier, each run made copies of the last run's copies.
        "identifier": record.remote_id[:300],
    }
    if known is None:
        dataset = datasets.dataset_create(
            actor=actor,
            publisher=source.organisation,
            frequency="irregular",
            keywords=record.keywords,
            **fields,
        )
        _sync_links(actor, dataset, record)
        _publish(actor, Dataset.objects.get(pk=dataset.pk), source)
        known = HarvestedRecord(
            source=source,
            remote_id=record.remote_id,
            dataset=dataset,
            first_harvested_at=now,
        )
        outcome = Outcome.CREATED
    else:
        dataset = datasets.dataset_update(
            actor=actor, dataset=known.dataset, data=fields, keywords=record.keywords
        )
        _sync_links(actor, dataset, record)
        dataset = Dataset.objects.get(pk=dataset.pk)
        if not dataset.live or dataset.status != Status.PUBLISHED:
            _publish(actor, dataset, source)
        outcome = Outcome.UPDATED
    known.original_url = record.original_url[:1000]
    known.content_hash = content_hash
    known.last_harvested_at = now
    known.removed_at = None
    known.full_clean()
    known.save()
    return outcome, known


def _remove_one(
    source: HarvestSource, actor: Actor, record: HarvestedRecord, now: datetime
) -> None:
    record.removed_at = now
    record.save(update_fields=["removed_at"])
    dataset = Dataset.objects.get(pk=record.dataset_id)
    if dataset.live:
        review.dataset_unpublish(
            actor=actor,
            dataset=dataset,
            message=_("No longer listed by the harvest source %(source)s.")
            % {"source": source.name},
            notify=False,
        )
