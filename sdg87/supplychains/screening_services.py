"""Writes of sourcing-list screenings.

    upload -> queued --task--> running -> done
                                       -> failed (the file refused: `problems` name rows/columns)
    done --screening_save--> saved to an organisation (kept; members only)
    unsaved, past expires_at --screenings_expire--> deleted (with its rows)

`screening_create` checks the size and sniffs the type while the request waits, keeps the
bytes on the screening and enqueues `screening_run_task` on commit. `screening_run` (the task)
parses the file, matches each distinct (good, country) pair once against every edition of the
DOL List of Goods, writes the rows in batches (progress visible meanwhile) and empties the
upload. A failure leaves no rows behind.
"""

from __future__ import annotations

import logging
import secrets
import tempfile
import time
from collections.abc import Iterable
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sdg87.core.actors import Actor
from sdg87.core.client_ip import rate_subject
from sdg87.core.ratelimit import Limit
from sdg87.orgs.models import Organisation
from sdg87.orgs.roles import role_in
from sdg87.supplychains import matching
from sdg87.supplychains.models import (
    ScheduledRun,
    Screening,
    ScreeningChannel,
    ScreeningRow,
    ScreeningStatus,
)
from sdg87.supplychains.screening_parser import (
    MAX_BYTES,
    ScreeningFileError,
    SourceRow,
    check_header,
    parse_sourcing_list,
    sniff,
)
from sdg87.supplychains.screening_selectors import ScreeningReference, screening_reference

logger = logging.getLogger(__name__)

UNSAVED_TTL = timedelta(hours=24)
HOUR = 3600
BATCH = 5_000


class ScreeningThrottled(Exception):
    """Too many screenings from one client address in this hour; `retry_after` in seconds."""

    def __init__(self, message: str, retry_after: int) -> None:
        super().__init__(message)
        self.message = message
        self.retry_after = retry_after


def _limit() -> Limit:
    return Limit(
        "screening-ip",
        settings.SDG87_SCREENING_IP_LIMIT,
        HOUR,
        _("Too many sourcing lists from your network this hour. Please try again later."),
    )


def screening_create(
    *,
    file: UploadedFile,
    channel: str,
    session_key: str = "",
    user: Actor | None = None,
    client_ip: str = "",
    now: datetime | None = None,
) -> Screening:
    """A queued screening of an uploaded list (a ScreeningFileError when its size or type is
    refused, ScreeningThrottled when the client address started too many this hour: nothing
    is stored then); the task is enqueued on commit."""
    if channel not in ScreeningChannel.values:
        raise ValueError(channel)
    limit = _limit()
    subject = rate_subject(client_ip)
    if limit.exceeded(subject):
        raise ScreeningThrottled(str(limit.message), limit.retry_after())
    name = (file.name or "upload")[-200:]
    size = file.size or 0
    if size > MAX_BYTES:
        raise ScreeningFileError(
            [_("The file is too big; the limit is %(limit)s MB.") % {"limit": MAX_BYTES // 2**20}]
        )
    data = b"".join(file.chunks())
    if len(data) > MAX_BYTES:
        raise ScreeningFileError(
            [_("The file is too big; the limit is %(limit)s MB.") % {"limit": MAX_BYTES // 2**20}]
        )
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "upload"
        path.write_bytes(data)
        fmt = sniff(path, name)
        typed = path.rename(path.with_suffix("." + fmt.lower()))
        check_header(typed, fmt)
    now = now or timezone.now()
    owner = user if user is not None and user.is_authenticated else None
    with transaction.atomic():
        screening = Screening(
            token=secrets.token_urlsafe(32),
            channel=channel,
            session_key=session_key if owner is None else "",
            created_by=owner,
            file_name=name,
            file_format=fmt,
            upload=data,
            expires_at=now + UNSAVED_TTL,
        )
        screening.full_clean(exclude=["upload", "created_by"])
        screening.save()
        if limit.limit > 0:
            limit.hit(subject)
        screening_id = screening.pk
        transaction.on_commit(lambda: _enqueue(screening_id))
    return screening


def _enqueue(screening_id: int) -> None:
    from sdg87.supplychains.screening_tasks import screening_run_task

    try:
        screening_run_task.enqueue(screening_id=screening_id)
    except Exception:
        # stays "waiting to start"; it expires like any unsaved screening
        logger.exception("could not enqueue screening %s", screening_id)


def screening_run(*, screening_id: int, reference: ScreeningReference | None = None) -> bool:
    """Screen a queued list (the task). Idempotent: a screening that is done, failed or gone
    is left as it is. Returns whether it finished."""
    with transaction.atomic():
        screening = (
            Screening.objects.select_for_update()
            .filter(pk=screening_id, status__in=[ScreeningStatus.QUEUED, ScreeningStatus.RUNNING])
            .first()
        )
        if screening is None:
            return False
        Screening.objects.filter(pk=screening_id).update(status=ScreeningStatus.RUNNING)
    try:
        with tempfile.TemporaryDirectory() as folder:
            # openpyxl opens a workbook only by its extension
            path = Path(folder) / f"upload.{screening.file_format.lower() or 'csv'}"
            path.write_bytes(bytes(screening.upload))
            parsed = parse_sourcing_list(path, screening.file_name)
    except ScreeningFileError as exc:
        _finish_failed(screening_id, exc.problems)
        return False
    try:
        reference = reference or screening_reference()
        _write_rows(screening_id, parsed.rows, reference)
    except Exception:
        logger.exception("screening %s failed", screening_id)
        ScreeningRow.objects.filter(screening_id=screening_id).delete()
        _finish_failed(screening_id, [_("The list could not be screened. Upload it again.")])
        return False
    return True


def _finish_failed(screening_id: int, problems: list[str]) -> None:
    Screening.objects.filter(pk=screening_id).update(
        status=ScreeningStatus.FAILED,
        problems=problems,
        upload=b"",
        finished_at=timezone.now(),
    )


def screen_rows(
    rows: Iterable[SourceRow], reference: ScreeningReference
) -> Iterable[tuple[SourceRow, matching.RowResult]]:
    """Each row with what it screens as (pure given the reference)."""
    screener = reference.screener()
    for row in rows:
        yield row, screener.screen(row.good, row.country)


def _write_rows(screening_id: int, rows: list[SourceRow], reference: ScreeningReference) -> None:
    started = time.monotonic()
    labels = reference.edition_labels
    ScreeningRow.objects.filter(screening_id=screening_id).delete()
    Screening.objects.filter(pk=screening_id).update(row_count=len(rows), processed_rows=0)
    summary = _Summary()
    batch: list[ScreeningRow] = []
    done = 0
    for row, result in screen_rows(rows, reference):
        summary.add(row, result)
        first, last = result.first_edition, result.last_edition
        batch.append(
            ScreeningRow(
                screening_id=screening_id,
                row=row.row,
                good_input=row.good,
                country_input=row.country,
                supplier=row.supplier,
                volume=row.volume,
                good=result.good.good,
                good_rule=result.good.rule,
                good_score=result.good.score,
                iso3=result.country.iso3 if result.country else "",
                country_name=result.country.name if result.country else "",
                country_rule=result.country.rule if result.country else "",
                status=result.status,
                reason=result.reason,
                child_labour=result.child_labour,
                forced_labour=result.forced_labour,
                forced_child_labour=result.forced_child_labour,
                first_edition=labels[first] if first is not None else "",
                last_edition=labels[last] if last is not None else "",
            )
        )
        if len(batch) >= BATCH:
            done += len(batch)
            _flush(screening_id, batch, done)
            batch = []
    done += len(batch)
    _flush(screening_id, batch, done)
    Screening.objects.filter(pk=screening_id).update(
        status=ScreeningStatus.DONE,
        upload=b"",
        summary=summary.as_json(reference, seconds=time.monotonic() - started),
        edition=labels[reference.latest],
        finished_at=timezone.now(),
    )


def _flush(screening_id: int, batch: list[ScreeningRow], done: int) -> None:
    with transaction.atomic():
        ScreeningRow.objects.bulk_create(batch, batch_size=1000)
        Screening.objects.filter(pk=screening_id).update(processed_rows=done)


class _Summary:
    """Counts by status, by country and by good (matched goods and countries only)."""

    def __init__(self) -> None:
        self.statuses: dict[str, int] = {}
        self.fuzzy = 0
        self.countries: dict[str, dict[str, Any]] = {}
        self.goods: dict[str, dict[str, Any]] = {}

    def add(self, row: SourceRow, result: matching.RowResult) -> None:
        self.statuses[result.status] = self.statuses.get(result.status, 0) + 1
        self.fuzzy += result.needs_confirmation
        if result.country is not None:
            self._count(self.countries, result.country.iso3, result.country.name, row, result)
        if result.good.good:
            self._count(self.goods, result.good.good, result.good.good, row, result)

    @staticmethod
    def _count(
        table: dict[str, dict[str, Any]],
        key: str,
        name: str,
        row: SourceRow,
        result: matching.RowResult,
    ) -> None:
        entry = table.setdefault(
            key,
            {
                "key": key,
                "name": name,
                "rows": 0,
                "listed": 0,
                "formerly_listed": 0,
                "child_labour": 0,
                "forced_labour": 0,
                "forced_child_labour": 0,
                "volume": 0.0,
            },
        )
        entry["rows"] += 1
        if result.status in (matching.LISTED, matching.FORMERLY_LISTED):
            entry[result.status] += 1
        if result.status == matching.LISTED:
            entry["child_labour"] += result.child_labour
            entry["forced_labour"] += result.forced_labour
            entry["forced_child_labour"] += result.forced_child_labour
            entry["volume"] += row.volume or 0.0

    def as_json(self, reference: ScreeningReference, *, seconds: float) -> dict[str, Any]:
        def ordered(table: dict[str, dict[str, Any]]) -> list[dict[str, Any]]:
            return sorted(table.values(), key=lambda e: (-e["listed"], -e["rows"], e["name"]))

        return {
            "rows": sum(self.statuses.values()),
            "statuses": {s: self.statuses.get(s, 0) for s in _STATUSES},
            "needs_confirmation": self.fuzzy,
            "by_country": ordered(self.countries),
            "by_good": ordered(self.goods),
            "edition": reference.latest_edition,
            "seconds": round(seconds, 2),
        }


_STATUSES = (
    matching.LISTED,
    matching.FORMERLY_LISTED,
    matching.NOT_LISTED,
    matching.UNMATCHED,
)


def screening_save(
    *, screening: Screening, user: Actor, organisation: Organisation, title: str = ""
) -> Screening:
    """Keep a finished screening in an organisation the user belongs to: it no longer
    expires and only that organisation's members see it."""
    if not user.is_authenticated or role_in(user, organisation.pk) is None:
        raise PermissionDenied(_("You are not a member of this organisation."))
    if screening.status != ScreeningStatus.DONE:
        raise ValidationError(_("Only a finished screening can be saved."))
    with transaction.atomic():
        locked = Screening.objects.select_for_update().get(pk=screening.pk)
        locked.organisation = organisation
        locked.saved_by = user
        locked.saved_at = timezone.now()
        locked.expires_at = None
        locked.title = title.strip()[:200] or locked.file_name
        locked.full_clean(exclude=["upload"])
        locked.save()
    return locked


def screening_delete(*, screening: Screening) -> None:
    """Delete a screening and its rows (the caller checked the user may see it)."""
    screening.delete()


def screenings_expire(*, now: datetime | None = None) -> int:
    """Delete the unsaved screenings past their expiry, with their rows; their number."""
    now = now or timezone.now()
    expired = Screening.objects.filter(organisation__isnull=True, expires_at__lt=now)
    count = expired.count()
    ScreeningRow.objects.filter(screening__in=expired).delete()
    expired.delete()
    return count


EXPIRY_SCHEDULE = "screenings_expire"
EXPIRY_INTERVAL = timedelta(hours=1)


def _still_pending(backend: Any, task_id: str) -> bool:
    """Whether the backend's run `task_id` still waits or runs (unknown: no)."""
    from django.tasks import TaskResultStatus
    from django.tasks.exceptions import TaskResultDoesNotExist

    try:
        result = backend.get_result(task_id)
    except (TaskResultDoesNotExist, NotImplementedError):
        return False
    return result.status in (TaskResultStatus.READY, TaskResultStatus.RUNNING)


def screenings_expiry_schedule(*, now: datetime | None = None, current: str = "") -> bool:
    """Make sure one run of the hourly expiry sweep is pending (system action; without cron):
    enqueue `screenings_expire_periodic_task` to run EXPIRY_INTERVAL from now, unless the run
    recorded last still waits or runs (`current` is the run asking, which is finishing and
    does not count). Idempotent: calling it again, from the worker's data load or from the
    command, enqueues nothing. Returns whether a run was enqueued. A backend that cannot
    defer (the tests' immediate one) gets nothing: `manage.py screenings_expire` sweeps."""
    from sdg87.supplychains.screening_tasks import screenings_expire_periodic_task

    task = screenings_expire_periodic_task
    backend = task.get_backend()
    if not backend.supports_defer:
        logger.info("task backend cannot defer: run `manage.py screenings_expire` from cron")
        return False
    when = (now or timezone.now()) + EXPIRY_INTERVAL
    with transaction.atomic():
        ScheduledRun.objects.get_or_create(name=EXPIRY_SCHEDULE)
        row = ScheduledRun.objects.select_for_update().get(name=EXPIRY_SCHEDULE)
        if row.task_id and row.task_id != current and _still_pending(backend, row.task_id):
            return False
        # Enqueued inside the transaction: with the database backend the run and this row
        # commit (or roll back) together.
        result = task.using(run_after=when).enqueue()
        row.task_id = result.id
        row.run_after = when
        row.save(update_fields=["task_id", "run_after", "updated_at"])
    return True
