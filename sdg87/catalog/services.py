"""Writes for the data directory. Every editorial state change goes through one function here,
checks permission (permissions.py), writes an AuditEntry and notifies the people concerned.

State machine (status of the working copy; `live` = published and not withdrawn):

    draft --submit--> submitted --approve--> approved --publish--> published
      ^                   |                                           |
      +--changes_requested <-request_changes                          |
    (a new upload to a published dataset puts it back to draft; it stays live with its
     published files until the next publication; unpublish: live=False, status=draft)
"""

from __future__ import annotations

import hashlib
import logging
import tempfile
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.db import transaction
from django.db.models import FileField
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from sdg87.catalog import permissions, statistics, uploads
from sdg87.catalog.models import (
    AccessRequest,
    AuditAction,
    AuditEntry,
    Dataset,
    DatasetVersion,
    Distribution,
    Status,
    Theme,
    Visibility,
)
from sdg87.catalog.validators import slug_with_letter, validate_dataset_slug
from sdg87.core.cache import data_version_bump
from sdg87.core.loading import ParseError
from sdg87.core.mail import mail_queue
from sdg87.geo.models import Geography
from sdg87.indicators.models import Release, Series
from sdg87.indicators.services import (
    VALID_AGE,
    VALID_NATURE,
    VALID_SEX,
    _geography_lookup,
)
from sdg87.orgs.html import sanitise_html
from sdg87.orgs.models import Membership, Organisation, Role

logger = logging.getLogger(__name__)

# Descriptive metadata: editable, and recorded in every version.
METADATA_FIELDS = (
    "title",
    "description",
    "contact_name",
    "contact_email",
    "licence",
    "frequency",
    "language",
    "identifier",
    "related_publications",
    "temporal_start",
    "temporal_end",
    "visibility",
)
EDITABLE_FIELDS = frozenset({*METADATA_FIELDS, "publish_at", "embargo_until"})
SNAPSHOT_FIELDS = ("slug", *METADATA_FIELDS)


class UploadRejected(ValueError):
    """The upload was refused before anything was stored (size, type, unreadable)."""


def _deny(message: str) -> PermissionDenied:
    return PermissionDenied(message)


# --- audit and notifications ------------------------------------------------------------------


def _audit(
    *, dataset: Dataset, action: str, actor: Any, from_status: str = "", message: str = ""
) -> AuditEntry:
    entry = AuditEntry(
        dataset=dataset,
        dataset_slug=dataset.slug,
        action=action,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        from_status=from_status,
        to_status=dataset.status,
        message=message,
    )
    entry.full_clean()
    entry.save()
    data_version_bump()  # every editorial change can change what the public API shows
    return entry


def audit_record(*, dataset: Dataset, actor: Any, action: str, message: str = "") -> AuditEntry:
    """An audit entry for a change made outside these services (e.g. the Wagtail editor)."""
    return _audit(dataset=dataset, action=action, actor=actor, message=message)


def _reviewers(dataset: Dataset) -> list[str]:
    return list(
        Membership.objects.filter(
            organisation_id=dataset.publisher_id, role__in=[Role.ADMIN, Role.EDITOR]
        )
        .exclude(user__email="")
        .values_list("user__email", flat=True)
    )


def _authors(dataset: Dataset) -> list[str]:
    emails: set[str] = set()
    if dataset.created_by_id and dataset.created_by and dataset.created_by.email:
        emails.add(dataset.created_by.email)
    submitters = AuditEntry.objects.filter(
        dataset=dataset, action__in=[AuditAction.SUBMIT, AuditAction.UPLOAD]
    ).exclude(actor=None)
    for email in submitters.values_list("actor__email", flat=True).distinct():
        if email:
            emails.add(email)
    return sorted(emails)


def _notify(*, dataset: Dataset, recipients: Iterable[str], subject: str, body: str) -> None:
    # Queued with this transaction and sent by the task worker (sdg87.core.mail): a mail
    # server that is down, or a title with a line break, never fails the change itself.
    url = settings.SITE_URL.rstrip("/") + dataset.get_absolute_url()
    mail_queue(
        recipients=recipients,
        subject=subject,
        body=f"{body}\n\n{dataset.title}\n{url}\n",
        organisation_id=dataset.publisher_id,
        object_label=dataset.title,
        object_url=dataset.get_absolute_url(),
    )


# --- datasets -----------------------------------------------------------------------------------


def _unique_slug(base: str) -> str:
    base = slug_with_letter((slugify(base) or "dataset")[:90])
    slug, n = base, 2
    while Dataset.objects.filter(slug=slug).exists():
        slug = f"{base}-{n}"
        n += 1
    return slug


def _set_relations(
    dataset: Dataset,
    *,
    themes: Sequence[str] | None,
    keywords: Sequence[str] | None,
    spatial: Sequence[str] | None,
    related_series: Sequence[str] | None,
) -> None:
    if themes is not None:
        dataset.themes.set(Theme.objects.filter(code__in=list(themes)))
    if keywords is not None:
        dataset.keywords.set([k.strip() for k in keywords if k.strip()], clear=True)
    if spatial is not None:
        codes = [c.strip().upper() for c in spatial if c.strip()]
        found = list(Geography.objects.filter(iso3__in=codes)) + list(
            Geography.objects.filter(code__in=codes).exclude(iso3__in=codes)
        )
        known = {g.code for g in found} | {g.iso3 for g in found if g.iso3}
        unknown = [c for c in codes if c not in known]
        if unknown:
            raise ValidationError(
                {"spatial": _("Unknown geography codes: %(codes)s") % {"codes": ", ".join(unknown)}}
            )
        dataset.spatial.set(found)
    if related_series is not None:
        dataset.related_series.set(Series.objects.filter(code__in=list(related_series)))


@transaction.atomic
def dataset_create(
    *,
    actor: Any,
    publisher: Organisation,
    title: str,
    slug: str = "",
    description: str = "",
    licence: str = "CC-BY-4.0",
    frequency: str = "annual",
    visibility: str = Visibility.PUBLIC,
    contact_name: str = "",
    contact_email: str = "",
    language: str = "en",
    identifier: str = "",
    related_publications: str = "",
    temporal_start: date | None = None,
    temporal_end: date | None = None,
    publish_at: datetime | None = None,
    embargo_until: datetime | None = None,
    themes: Sequence[str] = (),
    keywords: Sequence[str] = (),
    spatial: Sequence[str] = (),
    related_series: Sequence[str] = (),
) -> Dataset:
    """A new draft dataset of `publisher`. Contributors, editors and admins may create."""
    if not permissions.can_create_dataset(actor, publisher.pk):
        raise _deny(_("You cannot create datasets for this organisation."))
    try:
        validate_dataset_slug(slug)
    except ValidationError as exc:
        raise ValidationError({"slug": exc.messages}) from exc
    dataset = Dataset(
        slug=slug or _unique_slug(title),
        title=title,
        description=sanitise_html(description),
        publisher=publisher,
        licence=licence,
        frequency=frequency,
        visibility=visibility,
        contact_name=contact_name,
        contact_email=contact_email,
        language=language,
        identifier=identifier,
        related_publications=related_publications,
        temporal_start=temporal_start,
        temporal_end=temporal_end,
        publish_at=publish_at,
        embargo_until=embargo_until,
        status=Status.DRAFT,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    dataset.full_clean()
    dataset.save()
    _set_relations(
        dataset,
        themes=themes,
        keywords=keywords,
        spatial=spatial,
        related_series=related_series,
    )
    _audit(dataset=dataset, action=AuditAction.CREATE, actor=actor)
    return dataset


@transaction.atomic
def dataset_update(
    *,
    actor: Any,
    dataset: Dataset,
    data: dict[str, Any],
    themes: Sequence[str] | None = None,
    keywords: Sequence[str] | None = None,
    spatial: Sequence[str] | None = None,
    related_series: Sequence[str] | None = None,
) -> Dataset:
    """Change metadata fields (names in EDITABLE_FIELDS) and, when given, the relations."""
    if not permissions.can_edit_dataset(actor, dataset):
        raise _deny(_("You cannot edit this dataset."))
    unknown = set(data) - EDITABLE_FIELDS
    if unknown:
        raise ValueError(f"not editable: {sorted(unknown)}")
    changed = []
    for name, value in data.items():
        if name == "description":
            value = sanitise_html(value)
        if getattr(dataset, name) != value:
            changed.append(name)
            setattr(dataset, name, value)
    dataset.full_clean()
    dataset.save()
    _set_relations(
        dataset,
        themes=themes,
        keywords=keywords,
        spatial=spatial,
        related_series=related_series,
    )
    if {"visibility", "publish_at", "embargo_until"} & set(changed):
        statistics.dataset_statistics_sync(dataset=dataset)
    _audit(
        dataset=dataset,
        action=AuditAction.EDIT,
        actor=actor,
        from_status=dataset.status,
        message=", ".join(changed),
    )
    return dataset


def _transition(
    *, dataset: Dataset, actor: Any, to: str, action: str, message: str = ""
) -> AuditEntry:
    before = dataset.status
    dataset.status = to
    dataset.full_clean()
    dataset.save()
    return _audit(dataset=dataset, action=action, actor=actor, from_status=before, message=message)


def _lock(dataset: Dataset) -> Dataset:
    # Re-read inside the transaction so two reviewers cannot both act on a stale status.
    return Dataset.objects.select_for_update().get(pk=dataset.pk)


@transaction.atomic
def dataset_submit(*, actor: Any, dataset: Dataset, message: str = "") -> Dataset:
    """Send a draft (or a dataset with requested changes) to the organisation's reviewers."""
    dataset = _lock(dataset)
    if not permissions.can_submit_dataset(actor, dataset):
        raise _deny(_("This dataset cannot be submitted by you in its current state."))
    working = dataset.distributions.filter(retired_at__isnull=True)
    invalid = working.filter(is_valid=False).values_list("title", flat=True)
    if invalid:
        raise ValidationError(
            _("Fix the validation errors first: %(files)s") % {"files": ", ".join(invalid)}
        )
    validating = working.filter(is_valid__isnull=True).exclude(file="")
    if validating.exists():
        raise ValidationError(
            _("Some files are still being validated: %(files)s. Try again in a moment.")
            % {"files": ", ".join(validating.values_list("title", flat=True))}
        )
    _transition(
        dataset=dataset,
        actor=actor,
        to=Status.SUBMITTED,
        action=AuditAction.SUBMIT,
        message=message,
    )
    _notify(
        dataset=dataset,
        recipients=_reviewers(dataset),
        subject=_("Dataset submitted for review: %(title)s") % {"title": dataset.title},
        body=_("%(user)s submitted a dataset for review.") % {"user": actor} + "\n" + message,
    )
    return dataset


@transaction.atomic
def dataset_request_changes(*, actor: Any, dataset: Dataset, message: str) -> Dataset:
    dataset = _lock(dataset)
    if not permissions.can_review_dataset(actor, dataset):
        raise _deny(_("You cannot review this dataset."))
    if not message.strip():
        raise ValidationError({"message": _("Say what needs to change.")})
    _transition(
        dataset=dataset,
        actor=actor,
        to=Status.CHANGES_REQUESTED,
        action=AuditAction.REQUEST_CHANGES,
        message=message,
    )
    _notify(
        dataset=dataset,
        recipients=_authors(dataset),
        subject=_("Changes requested: %(title)s") % {"title": dataset.title},
        body=message,
    )
    return dataset


@transaction.atomic
def dataset_approve(*, actor: Any, dataset: Dataset, message: str = "") -> Dataset:
    dataset = _lock(dataset)
    if not permissions.can_review_dataset(actor, dataset):
        raise _deny(_("You cannot review this dataset."))
    _transition(
        dataset=dataset,
        actor=actor,
        to=Status.APPROVED,
        action=AuditAction.APPROVE,
        message=message,
    )
    _notify(
        dataset=dataset,
        recipients=_authors(dataset),
        subject=_("Dataset approved: %(title)s") % {"title": dataset.title},
        body=message or _("The dataset was approved and can now be published."),
    )
    return dataset


@transaction.atomic
def dataset_publish(
    *,
    actor: Any,
    dataset: Dataset,
    publish_at: datetime | None = None,
    note: str = "",
) -> DatasetVersion:
    """Publish an approved dataset (optionally scheduled): make it live, release its held
    files, import mapped tidy CSVs as observations and write an immutable version."""
    dataset = _lock(dataset)
    if not permissions.can_publish_dataset(actor, dataset):
        raise _deny(_("Only an editor can publish, and only an approved dataset."))
    version = _publish(dataset=dataset, actor=actor, publish_at=publish_at, note=note)
    _notify(
        dataset=dataset,
        recipients=_authors(dataset) + _reviewers(dataset),
        subject=_("Dataset published: %(title)s") % {"title": dataset.title},
        body=_("Version %(number)s was published.") % {"number": version.number},
    )
    return version


def _publish(
    *,
    dataset: Dataset,
    actor: Any,
    publish_at: datetime | None = None,
    note: str = "",
    data_updated_at: datetime | None = None,
) -> DatasetVersion:
    now = timezone.now()
    before = dataset.status
    last = dataset.versions.order_by("-number").first()
    _import_statistics(dataset)
    _release_distributions(dataset, now)
    files = _distribution_summaries(dataset)
    data_changed = last is None or [(f["id"], f["sha256"], f["url"]) for f in files] != [
        (f.get("id"), f.get("sha256"), f.get("url")) for f in last.distributions
    ]
    dataset.live = True
    dataset.status = Status.PUBLISHED
    if publish_at is not None:
        dataset.publish_at = publish_at
    dataset.first_published_at = dataset.first_published_at or now
    dataset.last_published_at = now
    if data_updated_at is not None:
        dataset.data_updated_at = data_updated_at
    elif data_changed or dataset.data_updated_at is None:
        dataset.data_updated_at = max(now, dataset.publish_at or now)
    dataset.full_clean()
    dataset.save()
    version = DatasetVersion(
        dataset=dataset,
        number=(last.number + 1) if last else 1,
        author=actor if getattr(actor, "is_authenticated", False) else None,
        note=note,
        metadata=dataset_snapshot(dataset),
        distributions=files,
    )
    version.full_clean()
    version.save()
    statistics.dataset_statistics_sync(dataset=dataset, now=now)
    _audit(
        dataset=dataset,
        action=AuditAction.PUBLISH,
        actor=actor,
        from_status=before,
        message=note or f"v{version.number}",
    )
    return version


def _release_distributions(dataset: Dataset, now: datetime) -> None:
    """Publish the pending files; retire the published files they replace (kept in storage
    and in the older versions' summaries, no longer listed or downloadable)."""
    working = dataset.distributions.filter(published=False, retired_at__isnull=True)
    validating = working.filter(is_valid__isnull=True).exclude(file="")
    if validating.exists():  # e.g. a data dictionary changed after approval
        raise ValidationError(
            _("Some files are still being validated: %(files)s. Try again in a moment.")
            % {"files": ", ".join(validating.values_list("title", flat=True))}
        )
    pending = list(working.values_list("pk", "replaces_id"))
    replaced = [replaces for _pk, replaces in pending if replaces is not None]
    # TODO(lead): retire stats (a retired file's observations_release stays as it is here)
    dataset.distributions.filter(pk__in=replaced, published=True).update(
        published=False, retired_at=now
    )
    dataset.distributions.filter(pk__in=[pk for pk, _r in pending]).update(published=True)


@transaction.atomic
def dataset_unpublish(*, actor: Any, dataset: Dataset, message: str = "") -> Dataset:
    """Withdraw a live dataset from public view; it becomes a draft again. Versions remain."""
    dataset = _lock(dataset)
    if not permissions.can_unpublish_dataset(actor, dataset):
        raise _deny(_("You cannot unpublish this dataset."))
    dataset.live = False
    _transition(
        dataset=dataset, actor=actor, to=Status.DRAFT, action=AuditAction.UNPUBLISH, message=message
    )
    statistics.dataset_statistics_sync(dataset=dataset)
    _notify(
        dataset=dataset,
        recipients=_authors(dataset) + _reviewers(dataset),
        subject=_("Dataset unpublished: %(title)s") % {"title": dataset.title},
        body=message,
    )
    return dataset


def dataset_snapshot(dataset: Dataset) -> dict[str, Any]:
    """The metadata of a version, as plain JSON."""
    snapshot: dict[str, Any] = {}
    for name in SNAPSHOT_FIELDS:
        value = getattr(dataset, name)
        snapshot[name] = value.isoformat() if isinstance(value, date) else value
    snapshot["publisher"] = dataset.publisher.slug
    snapshot["themes"] = sorted(dataset.themes.values_list("code", flat=True))
    snapshot["keywords"] = sorted(dataset.keywords.names())
    snapshot["spatial"] = sorted(dataset.spatial.values_list("code", flat=True))
    snapshot["related_series"] = sorted(dataset.related_series.values_list("code", flat=True))
    return snapshot


def _distribution_summaries(dataset: Dataset) -> list[dict[str, Any]]:
    out = []
    for dist in dataset.distributions.filter(published=True).order_by("position", "id"):
        summary: dict[str, Any] = {
            "id": dist.pk,
            "title": dist.title,
            "format": dist.format,
            "url": dist.url,
            "sha256": dist.sha256,
            "byte_size": dist.byte_size,
            "row_count": dist.row_count,
            "key_column": "",
            "row_hashes": None,
            # the file of the previous version this one replaced, for 'what changed'
            "replaces": dist.replaces_id,
        }
        if dist.is_tabular:
            try:
                with _local_copy(dist) as path:
                    key, hashes = uploads.row_hashes(
                        uploads.iter_rows(path, dist.format), dist.primary_key
                    )
            except uploads.UploadError:
                # a file validated under older, laxer rules: publish it without a row summary
                # ('what changed' then compares it as a whole) rather than fail the version
                logger.warning("no row summary for distribution %s", dist.pk)
            else:
                summary["key_column"] = key
                summary["row_hashes"] = hashes
        out.append(summary)
    return out


class _local_copy:
    """A filesystem path for a stored file, copying it out of remote storage if needed."""

    def __init__(self, dist: Distribution) -> None:
        self.dist = dist
        self.tmp: Any = None

    def __enter__(self) -> Path:
        try:
            return Path(self.dist.file.path)
        except NotImplementedError:
            self.tmp = tempfile.NamedTemporaryFile(suffix="." + self.dist.format.lower())
            with self.dist.file.open("rb") as fh:
                for chunk in iter(lambda: fh.read(1 << 20), b""):
                    self.tmp.write(chunk)
            self.tmp.flush()
            return Path(self.tmp.name)

    def __exit__(self, *exc: object) -> None:
        if self.tmp is not None:
            self.tmp.close()


# --- distributions ------------------------------------------------------------------------------


def _after_upload(
    dataset: Dataset, actor: Any, message: str, action: str = AuditAction.UPLOAD
) -> None:
    """A file was added, replaced or removed: audit it and send the dataset back to review."""
    before = dataset.status
    if dataset.status in (Status.PUBLISHED, Status.APPROVED, Status.SUBMITTED):
        # new data needs a new review; the live version keeps its published files meanwhile
        dataset.status = Status.DRAFT
        dataset.save(update_fields=["status", "last_modified"])
    _audit(dataset=dataset, action=action, actor=actor, from_status=before, message=message)


def distribution_upload(
    *,
    actor: Any,
    dataset: Dataset,
    file: Any,
    title: str = "",
    description: str = "",
    replace: Distribution | None = None,
    map_to_observations: bool = False,
) -> Distribution:
    """Receive an uploaded CSV/XLSX/JSON; the task worker validates it.

    Not atomic, on purpose (on SQLite a transaction holds the database's write lock): the file
    is streamed to a temporary file within the size limit and sniffed (type, a workbook's
    unpacked size, a JSON file's shape) outside any transaction, stored, and recorded in one
    short transaction with `is_valid=None` ("validation in progress"). When that commits,
    `distribution_validate` is enqueued; it writes the report (kept even when the file is
    invalid, so the contributor sees the errors by row and column). A dataset with files that
    are invalid or still being validated cannot be submitted. If recording fails, the stored
    file is removed; the temporary file always is.

    `replace` names the file this one supersedes, so 'what changed' compares the two. A
    published file is never touched: its replacement is a new pending distribution
    (`replaces` = the published one; a second upload over it reuses that pending row), and
    the next publication retires the published file. A pending (never published) file is
    replaced in place.
    """
    if not permissions.can_upload(actor, dataset):
        raise _deny(_("You cannot upload files to this dataset."))
    if replace is not None and replace.dataset_id != dataset.pk:
        raise ValueError("replace must be a distribution of the same dataset")
    if replace is not None and replace.retired_at is not None:
        raise ValueError("a retired file belongs to an old version and cannot be replaced")
    name = Path(getattr(file, "name", "") or "upload").name
    with tempfile.TemporaryDirectory(prefix="sdg87-upload-") as tmpdir:
        path, size, sha256 = _receive(file, Path(tmpdir))
        try:
            with path.open("rb") as fh:
                head = fh.read(65536)
            fmt = uploads.sniff_format(
                head,
                name,
                path=path,
                max_uncompressed=settings.SDG87_UPLOAD_MAX_UNCOMPRESSED_BYTES,
            )
            uploads.precheck(path, fmt)
        except uploads.UploadError as exc:
            raise UploadRejected(str(exc)) from exc
        storage, stored = _store(dataset, fmt, name, path)
    try:
        with transaction.atomic():
            dist = _record_upload(
                actor=actor,
                dataset=dataset,
                replace=replace,
                stored=stored,
                name=name,
                fmt=fmt,
                size=size,
                sha256=sha256,
                title=title,
                description=description,
                map_to_observations=map_to_observations,
            )
    except BaseException:
        # nothing of a failed upload stays behind: the row is rolled back, so is the file
        storage.delete(stored)
        raise
    return dist


def _receive(file: Any, directory: Path) -> tuple[Path, int, str]:
    """Stream the upload to a file in `directory` within SDG87_UPLOAD_MAX_BYTES: (path, size,
    sha256). UploadRejected when it is too large or empty."""
    limit = settings.SDG87_UPLOAD_MAX_BYTES
    size = getattr(file, "size", None)
    if size is not None and size > limit:
        raise UploadRejected(
            _("The file is %(size)s bytes; the limit is %(limit)s bytes.")
            % {"size": size, "limit": limit}
        )
    path = directory / "upload.bin"
    digest = hashlib.sha256()
    total = 0
    with path.open("wb") as out:
        chunks = file.chunks() if hasattr(file, "chunks") else iter(lambda: file.read(1 << 20), b"")
        for chunk in chunks:
            total += len(chunk)
            if total > limit:
                raise UploadRejected(
                    _("The file is larger than the limit of %(limit)s bytes.") % {"limit": limit}
                )
            digest.update(chunk)
            out.write(chunk)
    if total == 0:
        raise UploadRejected(_("The file is empty."))
    return path, total, digest.hexdigest()


def _store(dataset: Dataset, fmt: str, name: str, path: Path) -> tuple[Any, str]:
    """Save the received file under a generated name; (storage, stored name)."""
    field = Distribution._meta.get_field("file")
    assert isinstance(field, FileField)
    target = field.generate_filename(Distribution(dataset=dataset, format=fmt), name)
    with path.open("rb") as fh:
        stored = field.storage.save(target, File(fh, name=name), max_length=field.max_length)
    return field.storage, stored


def _record_upload(
    *,
    actor: Any,
    dataset: Dataset,
    replace: Distribution | None,
    stored: str,
    name: str,
    fmt: str,
    size: int,
    sha256: str,
    title: str,
    description: str,
    map_to_observations: bool,
) -> Distribution:
    """The short transaction of an upload: the distribution row, awaiting validation."""
    locked = _lock(dataset)
    if replace is not None:
        # re-read: a publication may have retired it, or given it a replacement, meanwhile
        replace = Distribution.objects.get(pk=replace.pk)
        if replace.retired_at is not None:
            raise ValueError("a retired file belongs to an old version and cannot be replaced")
    dist = _upload_target(locked, replace)
    if dist.pk is not None and dist.file:
        # only ever a pending file: a published one is never the target (see above)
        old_name, old_storage = str(dist.file.name), dist.file.storage
        transaction.on_commit(lambda: old_storage.delete(old_name))
    dist.title = title or dist.title or name
    dist.description = description or dist.description
    dist.original_filename = name[:255]
    dist.url = ""
    dist.file.name = stored
    dist.format = fmt
    dist.media_type = uploads.MEDIA_TYPES[fmt]
    dist.byte_size = size
    dist.sha256 = sha256
    dist.is_valid = None  # validation in progress
    dist.validation_report = {}
    dist.preview = {}
    dist.row_count = None
    dist.map_to_observations = map_to_observations
    dist.published = False
    dist.full_clean()
    dist.save()
    _after_upload(locked, actor, dist.title)
    dataset.status = locked.status
    _enqueue_validation(dist, with_types=False)
    return dist


def _enqueue_validation(dist: Distribution, *, with_types: bool) -> None:
    """Validate `dist` in the task worker once this transaction commits."""
    distribution_id, file_name = dist.pk, str(dist.file.name)

    def enqueue() -> None:
        from sdg87.catalog.tasks import distribution_validate_task

        try:
            distribution_validate_task.enqueue(
                distribution_id=distribution_id, file_name=file_name, with_types=with_types
            )
        except Exception:
            # the file stays "validation in progress"; its page offers to check it again
            logger.exception("could not enqueue the validation of distribution %s", distribution_id)

    transaction.on_commit(enqueue)


def distribution_validate(
    *, distribution_id: int, file_name: str, with_types: bool = False
) -> bool:
    """Validate a stored file and record its report (system action: the task worker runs it).

    The file is read and checked outside any transaction; the report is written in one short
    transaction, and only if the distribution still holds `file_name` and still awaits
    validation (else a newer upload or dictionary change has its own task: this one stops).
    Idempotent: running it again changes nothing. `with_types` validates with the data
    dictionary's types (after a dictionary change); otherwise the types are inferred and the
    dictionary takes the file's columns, keeping the descriptions already written. Returns
    whether a report was written."""
    dist = (
        Distribution.objects.select_related("dataset__publisher", "observations_release__source")
        .filter(pk=distribution_id)
        .first()
    )
    if dist is None or str(dist.file.name) != file_name or dist.is_valid is not None:
        return False
    types = _types(dist) if with_types else None
    problems: list[dict[str, Any]] = []
    try:
        with _local_copy(dist) as path:
            report = uploads.validate_table(
                path, dist.format, types=types, max_rows=settings.SDG87_UPLOAD_MAX_ROWS
            )
            if dist.map_to_observations and report.valid:
                problems = distribution_check_observations(distribution=dist, path=path)
    except FileNotFoundError:
        return False  # removed meanwhile
    except uploads.UploadError as exc:
        report = _unreadable(str(exc))
    except Exception:
        logger.exception("validation of distribution %s failed", distribution_id)
        report = _unreadable(_("The file could not be validated. Upload it again, or ask us."))
    with transaction.atomic():
        current = Distribution.objects.select_for_update().filter(pk=distribution_id).first()
        if current is None or str(current.file.name) != file_name or current.is_valid is not None:
            return False
        if with_types and _types(current) != types:
            return False
        _apply_report(current, report)
        if not with_types:
            current.data_dictionary = _merge_dictionary(current.data_dictionary, report.fields)
            if current.primary_key and current.primary_key not in report.header:
                current.primary_key = ""
        _add_problems(current, problems)
        current.save(
            update_fields=[
                "validation_report",
                "is_valid",
                "preview",
                "row_count",
                "data_dictionary",
                "primary_key",
                "updated_at",
            ]
        )
    return True


@transaction.atomic
def distribution_revalidate(*, actor: Any, distribution: Distribution) -> Distribution:
    """Enqueue the validation of a file still waiting for it (e.g. the task worker was down
    when it was uploaded). Harmless if the validation is already done or under way."""
    if not permissions.can_upload(actor, distribution.dataset):
        raise _deny(_("You cannot validate this file."))
    if distribution.file and distribution.is_valid is None:
        _enqueue_validation(distribution, with_types=False)
    return distribution


def _types(dist: Distribution) -> dict[str, str]:
    return {f["name"]: f.get("type", "string") for f in dist.data_dictionary}


def _unreadable(message: str) -> uploads.TableReport:
    error = {"row": None, "column": None, "type": "unreadable-file", "message": message}
    return uploads.TableReport(valid=False, errors=[error], error_count=1)


def _upload_target(dataset: Dataset, replace: Distribution | None) -> Distribution:
    """The row an upload writes to: a new one, the pending file it replaces, or (for a
    published file) that file's pending replacement, new or already uploaded."""
    if replace is None:
        return Distribution(dataset=dataset, position=dataset.distributions.count())
    if not replace.published:
        return replace
    pending = replace.replacements.filter(published=False, retired_at__isnull=True).first()
    return pending or Distribution(
        dataset=dataset,
        replaces=replace,
        position=replace.position,
        title=replace.title,
        description=replace.description,
        data_dictionary=list(replace.data_dictionary),
        primary_key=replace.primary_key,
    )


def _apply_report(dist: Distribution, report: uploads.TableReport) -> None:
    dist.validation_report = report.to_report()
    dist.is_valid = report.valid
    dist.preview = {"header": report.header, "rows": report.preview}
    dist.row_count = report.row_count


def _add_problems(dist: Distribution, problems: list[dict[str, Any]]) -> None:
    """Statistics mapping problems make the file invalid and join its report."""
    if not problems:
        return
    dist.is_valid = False
    dist.validation_report = {
        **dist.validation_report,
        "valid": False,
        "errors": dist.validation_report.get("errors", []) + problems,
        "error_count": dist.validation_report.get("error_count", 0) + len(problems),
    }


def _merge_dictionary(
    old: list[dict[str, str]], inferred: list[dict[str, str]]
) -> list[dict[str, str]]:
    """Keep descriptions the contributor already wrote for columns that still exist."""
    described = {f.get("name"): f.get("description", "") for f in old or []}
    return [{**f, "description": described.get(f["name"], "")} for f in inferred]


@transaction.atomic
def distribution_add_link(
    *,
    actor: Any,
    dataset: Dataset,
    url: str,
    title: str,
    format: str = "",
    media_type: str = "",
    description: str = "",
) -> Distribution:
    if not permissions.can_upload(actor, dataset):
        raise _deny(_("You cannot add files to this dataset."))
    dist = Distribution(
        dataset=dataset,
        url=url,
        title=title,
        format=format.upper(),
        media_type=media_type,
        description=description,
        position=dataset.distributions.count(),
        published=False,
    )
    dist.full_clean()
    dist.save()
    _after_upload(dataset, actor, title)
    return dist


@transaction.atomic
def distribution_update_dictionary(
    *,
    actor: Any,
    distribution: Distribution,
    fields: list[dict[str, str]],
    primary_key: str = "",
) -> Distribution:
    """Replace the data dictionary descriptions/types; column names must match the file.

    The file is validated again with the chosen types by the task worker (`is_valid` is None
    meanwhile), so e.g. a text cell in a column set to `integer` becomes an error naming its
    row and column (and a valid file may become invalid). A type frictionless does not know
    is refused at once.
    """
    dataset = distribution.dataset
    if not permissions.can_upload(actor, dataset):
        raise _deny(_("You cannot edit this data dictionary."))
    names = [f["name"] for f in distribution.data_dictionary]
    by_name = {f.get("name"): f for f in fields}
    distribution.data_dictionary = [
        {
            "name": name,
            "type": str(by_name.get(name, {}).get("type") or _type_of(distribution, name))[:40],
            "description": str(by_name.get(name, {}).get("description", ""))[:2000],
        }
        for name in names
    ]
    if primary_key and primary_key not in names:
        raise ValidationError({"primary_key": _("Choose one of the file's columns.")})
    distribution.primary_key = primary_key
    try:
        uploads.check_field_types(_types(distribution))
    except uploads.UploadError as exc:
        raise ValidationError({"fields": str(exc)}) from exc
    revalidate = bool(distribution.file) and distribution.is_tabular
    if revalidate:
        distribution.is_valid = None  # validation in progress
    distribution.full_clean()
    distribution.save()
    _audit(dataset=dataset, action=AuditAction.EDIT, actor=actor, message=distribution.title)
    if revalidate:
        _enqueue_validation(distribution, with_types=True)
    return distribution


def _type_of(distribution: Distribution, name: str) -> str:
    return next(
        (f.get("type", "string") for f in distribution.data_dictionary if f["name"] == name),
        "string",
    )


@transaction.atomic
def distribution_delete(*, actor: Any, distribution: Distribution) -> None:
    dataset = distribution.dataset
    if not permissions.can_upload(actor, dataset):
        raise _deny(_("You cannot remove files from this dataset."))
    if (
        distribution.published
        and dataset.live
        and not permissions.can_unpublish_dataset(actor, dataset)
    ):
        raise _deny(_("Only an editor can remove a published file."))
    if distribution.observations_release is not None:
        statistics.release_hide(release=distribution.observations_release)
    if distribution.file:
        name = str(distribution.file.name)
        storage = distribution.file.storage
        transaction.on_commit(lambda: storage.delete(name))
    distribution.delete()
    _after_upload(
        dataset,
        actor,
        _("removed %(title)s") % {"title": distribution.title},
        action=AuditAction.DELETE,
    )


# --- tidy CSV -> observations -------------------------------------------------------------------


def distribution_import_observations(
    *, distribution: Distribution, dry_run: bool = False
) -> list[dict[str, Any]]:
    """Map a tidy file onto observations (statistics.distribution_import): all or nothing;
    returns the problems (row, column, message), empty on success."""
    return statistics.distribution_import(distribution=distribution, dry_run=dry_run)


def distribution_check_observations(
    *, distribution: Distribution, path: Path | None = None
) -> list[dict[str, Any]]:
    """What importing this tidy file as statistics would refuse, found without writing
    anything (a dry run of the import writes and rolls back, which on SQLite holds the write
    lock for the whole file): values (uploads.check_tidy_rows), series codes and their owner,
    geography and SDMX codes, duplicate keys. Problems as {row, column, type, message}, at most
    uploads.MAX_REPORTED_ERRORS; empty when the file maps. The import itself checks again."""
    if path is None:
        with _local_copy(distribution) as local:
            return distribution_check_observations(distribution=distribution, path=local)
    dataset = distribution.dataset
    org = dataset.publisher
    rows, problems = uploads.check_tidy_rows(
        uploads.iter_rows(path, distribution.format, max_rows=settings.SDG87_UPLOAD_MAX_ROWS),
        default_series=statistics.default_series(dataset),
    )
    if problems:
        return problems

    def problem(message: str, row: int | None, column: str | None) -> None:
        problems.append({"row": row, "column": column, "type": "mapping-error", "message": message})

    geo_ids = _geography_lookup()
    first_row: dict[str, int | None] = {}
    seen: set[tuple[str, str, int, str, str]] = set()
    for row in rows:
        if len(problems) >= uploads.MAX_REPORTED_ERRORS:
            return problems
        try:
            code = statistics.series_code(org, row.series, row=row.line)
        except ParseError as exc:
            problem(exc.message, exc.row, exc.column)
            continue
        first_row.setdefault(code, row.line)
        geo = row.geo.zfill(3) if row.geo.isdigit() else row.geo.upper()
        if geo not in geo_ids:
            problem(_("unknown geography '%(code)s'") % {"code": row.geo}, row.line, "geography")
        for column, value, valid in (
            ("sex", row.sex, VALID_SEX),
            ("age", row.age, VALID_AGE),
            ("nature", row.nature, VALID_NATURE),
        ):
            if value not in valid:
                problem(
                    _("unknown %(column)s code '%(code)s'") % {"column": column, "code": value},
                    row.line,
                    column,
                )
        key = (code, geo, row.year, row.sex, row.age)
        if key in seen:
            problem(_("duplicate observation for the same key"), row.line, None)
        seen.add(key)
    foreign = Series.objects.filter(code__in=list(first_row)).exclude(owner_id=org.pk)
    for code in foreign.values_list("code", flat=True):
        problem(
            _("series '%(code)s' belongs to another source") % {"code": code},
            first_row[code],
            "series",
        )
    release = distribution.observations_release
    if release is not None and release.source.code != statistics.source_code(org):
        problem(_("These statistics belong to another source; nothing was imported."), None, None)
    return problems


def _import_statistics(dataset: Dataset) -> None:
    """Import the mapped files that this publication releases; refuse to publish if one no
    longer maps (the publication is rolled back whole)."""
    pending = dataset.distributions.filter(
        map_to_observations=True, published=False, retired_at__isnull=True
    )
    for distribution in pending.exclude(is_valid=False):
        problems = statistics.distribution_import(distribution=distribution)
        if problems:
            first = problems[0]
            raise ValidationError(
                _(
                    "%(file)s cannot be imported as statistics (row %(row)s, column %(column)s): "
                    "%(message)s"
                )
                % {
                    "file": distribution.title,
                    "row": first.get("row") or "-",
                    "column": first.get("column") or "-",
                    "message": first.get("message"),
                }
            )


@transaction.atomic
def distribution_statistics_retract(
    *, actor: Any, distribution: Distribution, message: str = ""
) -> Distribution:
    """Withdraw one imported file's statistics from every interface (the file itself stays as
    it is). Editors of the publisher only; undone by distribution_statistics_restore."""
    return _set_retracted(actor=actor, distribution=distribution, retract=True, message=message)


@transaction.atomic
def distribution_statistics_restore(
    *, actor: Any, distribution: Distribution, message: str = ""
) -> Distribution:
    """Undo a retraction: the statistics follow their dataset again."""
    return _set_retracted(actor=actor, distribution=distribution, retract=False, message=message)


def _set_retracted(
    *, actor: Any, distribution: Distribution, retract: bool, message: str
) -> Distribution:
    dataset = _lock(distribution.dataset)
    if not permissions.can_retract_statistics(actor, dataset):
        raise _deny(_("Only an editor of the publisher can retract or restore statistics."))
    release = distribution.observations_release
    if release is None:
        raise ValidationError(_("This file has no imported statistics."))
    release.retracted_at = timezone.now() if retract else None
    release.save(update_fields=["retracted_at"])
    statistics.dataset_statistics_sync(dataset=dataset)
    label = _("statistics retracted") if retract else _("statistics restored")
    _audit(
        dataset=dataset,
        action=AuditAction.EDIT,
        actor=actor,
        from_status=dataset.status,
        message=f"{label}: {distribution.title}" + (f" ({message})" if message else ""),
    )
    return distribution


def dataset_statistics_sync(*, dataset: Dataset) -> int:
    """Make the dataset's imported statistics as visible as its data is, now (system action:
    after an edit outside these services, and from the scheduled task)."""
    return statistics.dataset_statistics_sync(dataset=dataset)


# --- access requests ----------------------------------------------------------------------------


@transaction.atomic
def access_request_create(
    *,
    dataset: Dataset,
    name: str,
    email: str,
    reason: str,
    organisation: str = "",
    user: Any = None,
    client_ip: str = "",
) -> AccessRequest:
    """Ask the publisher for the data of a metadata-only (or embargoed) dataset.

    Each request e-mails the publisher, so requests are throttled (settings
    SDG87_ACCESS_REQUEST_*_LIMIT): per client address per hour (per account, higher, when signed
    in), per e-mail address and dataset per day, and per dataset per day. A refused request
    raises ValidationError(code="throttled"), stores nothing and sends nothing."""
    from sdg87.core.client_ip import rate_subject
    from sdg87.core.ratelimit import Limit, hit_all

    if not permissions.can_view_dataset(user, dataset):
        raise _deny(_("Dataset not found."))
    signed_in = bool(getattr(user, "is_authenticated", False))
    request = AccessRequest(
        dataset=dataset,
        name=name,
        email=email,
        organisation=organisation,
        reason=reason,
        user=user if signed_in else None,
    )
    request.full_clean()
    hour, day = 3600, 86400
    if signed_in:
        sender = Limit(
            "access-request-user",
            settings.SDG87_ACCESS_REQUEST_USER_LIMIT,
            hour,
            _("You have sent too many access requests. Please try again in an hour."),
        )
        sender_key = str(user.pk)
    else:
        sender = Limit(
            "access-request-ip",
            settings.SDG87_ACCESS_REQUEST_IP_LIMIT,
            hour,
            _("Too many access requests from your network. Please try again in an hour."),
        )
        sender_key = rate_subject(client_ip)
    refused = hit_all(
        [
            (sender, sender_key),
            (
                Limit(
                    "access-request-email",
                    settings.SDG87_ACCESS_REQUEST_EMAIL_LIMIT,
                    day,
                    _(
                        "This e-mail address has already asked for this dataset several times "
                        "today. Please wait for the publisher's answer."
                    ),
                ),
                f"{dataset.pk}:{email.strip().lower()}",
            ),
            (
                Limit(
                    "access-request-dataset",
                    settings.SDG87_ACCESS_REQUEST_DATASET_LIMIT,
                    day,
                    _(
                        "This dataset has received too many access requests today. "
                        "Please try again tomorrow."
                    ),
                ),
                str(dataset.pk),
            ),
        ]
    )
    if refused is not None:
        raise ValidationError(str(refused.message), code="throttled")
    request.save()
    _audit(dataset=dataset, action=AuditAction.ACCESS_REQUEST, actor=user, message=email)
    recipients = _reviewers(dataset) + ([dataset.contact_email] if dataset.contact_email else [])
    _notify(
        dataset=dataset,
        recipients=recipients,
        subject=_("Data access request: %(title)s") % {"title": dataset.title},
        body=f"{name} <{email}> {organisation}\n\n{reason}",
    )
    return request


# --- bundled statistics ---------------------------------------------------------------------


@transaction.atomic
def dataset_upsert_for_release(
    *,
    release: Release,
    publisher: Organisation,
    licence: str,
    frequency: str,
    themes: Sequence[str],
    download_url: str,
    download_is_api: bool = True,
) -> Dataset:
    """The published dataset describing one bundled statistics release (system action)."""
    from django.db.models import Max, Min

    slug = slugify(release.code)[:100]
    dataset = (
        Dataset.objects.filter(release=release).first()
        or Dataset.objects.filter(slug=slug).first()
        or Dataset(slug=slug)
    )
    obs = release.observations.all()
    years = obs.aggregate(lo=Min("year"), hi=Max("year"))
    dataset.title = release.title
    dataset.description = sanitise_html(
        "<p>" + (release.source.description or release.source.title) + "</p>"
    )
    dataset.publisher = publisher
    dataset.licence = licence
    dataset.frequency = frequency
    dataset.visibility = Visibility.PUBLIC
    dataset.identifier = release.url or release.code
    dataset.related_publications = "\n".join(
        x for x in (release.citation, release.url, release.source.url) if x
    )
    dataset.release = release
    dataset.is_bundled = True
    dataset.contact_name = publisher.name
    if years["lo"] is not None:
        dataset.temporal_start = date(years["lo"], 1, 1)
        dataset.temporal_end = date(years["hi"], 12, 31)
    released = release.released_on or date(release.year, 12, 31)
    released_at = datetime(
        released.year, released.month, released.day, tzinfo=timezone.get_current_timezone()
    )
    dataset.data_updated_at = released_at
    dataset.full_clean()
    dataset.save()
    dataset.themes.set(Theme.objects.filter(code__in=list(themes)))
    dataset.spatial.set(Geography.objects.filter(id__in=obs.values("geography_id").distinct()))
    dataset.related_series.set(Series.objects.filter(id__in=obs.values("series_id").distinct()))
    dist = dataset.distributions.filter(url=download_url).first() or Distribution(
        dataset=dataset, url=download_url
    )
    if download_is_api:
        dist.title = _("All observations of this release (CSV)")
        dist.format = "CSV"
        dist.media_type = "text/csv"
    else:
        dist.title = _("Publisher's page for this release")
        dist.format = "HTML"
        dist.media_type = "text/html"
    dist.description = release.citation
    dist.row_count = obs.count() if download_is_api else None
    dist.published = True
    dist.full_clean()
    dist.save()
    system_user = None
    if not dataset.versions.exists() or dataset.status != Status.PUBLISHED:
        _publish(
            dataset=dataset,
            actor=system_user,
            note=_("Loaded from the bundled data"),
            data_updated_at=released_at,
        )
    return dataset


def user_by_email(email: str) -> Any:
    return get_user_model().objects.filter(email=email).first()
