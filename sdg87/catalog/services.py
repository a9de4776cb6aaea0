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
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from sdg87.catalog import permissions, uploads
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
from sdg87.indicators.services import observations_import, release_upsert, source_upsert
from sdg87.orgs.html import sanitise_html
from sdg87.orgs.models import Membership, Organisation, Role

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
    for distribution in dataset.distributions.filter(map_to_observations=True, published=False):
        if dataset.visibility == Visibility.PUBLIC:
            distribution_import_observations(distribution=distribution, dry_run=False)
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
    pending = list(
        dataset.distributions.filter(published=False, retired_at__isnull=True).values_list(
            "pk", "replaces_id"
        )
    )
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
            with _local_copy(dist) as path:
                key, hashes = uploads.row_hashes(
                    uploads.iter_rows(path, dist.format), dist.primary_key
                )
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


@transaction.atomic
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
    """Store an uploaded CSV/XLSX/JSON after sniffing its type and validating it.

    The file is kept even when invalid, with its validation report, so the contributor sees
    the errors by row and column; a dataset with invalid files cannot be submitted.

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
    limit = settings.SDG87_UPLOAD_MAX_BYTES
    size = getattr(file, "size", None)
    if size is not None and size > limit:
        raise UploadRejected(
            _("The file is %(size)s bytes; the limit is %(limit)s bytes.")
            % {"size": size, "limit": limit}
        )
    name = Path(getattr(file, "name", "") or "upload").name
    with tempfile.TemporaryDirectory() as tmpdir:
        path = Path(tmpdir) / "upload.bin"
        digest = hashlib.sha256()
        total = 0
        with path.open("wb") as out:
            chunks = (
                file.chunks() if hasattr(file, "chunks") else iter(lambda: file.read(1 << 20), b"")
            )
            for chunk in chunks:
                total += len(chunk)
                if total > limit:
                    raise UploadRejected(
                        _("The file is larger than the limit of %(limit)s bytes.")
                        % {"limit": limit}
                    )
                digest.update(chunk)
                out.write(chunk)
        if total == 0:
            raise UploadRejected(_("The file is empty."))
        try:
            head = path.read_bytes() if total <= 50 * 1024 * 1024 else path.open("rb").read(65536)
            fmt = uploads.sniff_format(head, name)
            table_path = path.rename(path.with_suffix("." + fmt.lower()))
            report = uploads.validate_table(table_path, fmt)
        except uploads.UploadError as exc:
            raise UploadRejected(str(exc)) from exc
        dist = _upload_target(dataset, replace)
        if dist.pk is not None and dist.file:
            # only ever a pending file: a published one is never the target (see above)
            old_name, storage = str(dist.file.name), dist.file.storage
            transaction.on_commit(lambda: storage.delete(old_name))
        dist.title = title or dist.title or name
        dist.description = description or dist.description
        dist.original_filename = name[:255]
        dist.url = ""
        dist.format = fmt
        dist.media_type = uploads.MEDIA_TYPES[fmt]
        dist.byte_size = total
        dist.sha256 = digest.hexdigest()
        _apply_report(dist, report)
        dist.data_dictionary = _merge_dictionary(dist.data_dictionary, report.fields)
        if dist.primary_key and dist.primary_key not in report.header:
            dist.primary_key = ""
        dist.map_to_observations = map_to_observations
        dist.published = False
        with table_path.open("rb") as fh:
            dist.file.save(name, File(fh), save=False)
    stored, storage = str(dist.file.name), dist.file.storage
    try:
        _check_mapping(dist)
        dist.full_clean()
        dist.save()
        _after_upload(dataset, actor, dist.title)
    except BaseException:
        # nothing of a failed upload stays behind: the row is rolled back, so is the file
        storage.delete(stored)
        raise
    return dist


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


def _check_mapping(dist: Distribution) -> None:
    """A valid file meant as statistics must also map onto observations (dry run)."""
    if not (dist.map_to_observations and dist.is_valid):
        return
    with _local_copy(dist) as path:
        _rows, problems = uploads.check_tidy_rows(
            uploads.iter_rows(path, dist.format), default_series="SERIES"
        )
    if not problems:  # values are sound: now the codes, through a dry run of the import
        problems = distribution_import_observations(distribution=dist, dry_run=True)
    if problems:
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

    The file is validated again with the chosen types, so e.g. a text cell in a column set to
    `integer` becomes an error naming its row and column (and a valid file may become invalid).
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
    if distribution.file and distribution.is_tabular:
        types = {f["name"]: f["type"] for f in distribution.data_dictionary}
        try:
            with _local_copy(distribution) as path:
                report = uploads.validate_table(path, distribution.format, types=types)
        except uploads.UploadError as exc:
            raise ValidationError({"fields": str(exc)}) from exc
        _apply_report(distribution, report)
        _check_mapping(distribution)
    distribution.full_clean()
    distribution.save()
    _audit(dataset=dataset, action=AuditAction.EDIT, actor=actor, message=distribution.title)
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


def _series_code(organisation: Organisation, code: str) -> str:
    prefix = organisation.slug.upper().replace("-", "_")[:20] + "__"
    code = code.strip().upper()
    return (code if code.startswith(prefix) else prefix + code)[:64]


def distribution_import_observations(
    *, distribution: Distribution, dry_run: bool = False
) -> list[dict[str, Any]]:
    """Map a tidy CSV onto observations through indicators.services.observations_import, in the
    contributor organisation's own Source, Release and Series. All or nothing; returns the
    problems (row, column, message), empty on success. `dry_run` rolls everything back."""
    dataset = distribution.dataset
    org = dataset.publisher
    try:
        with transaction.atomic():
            with _local_copy(distribution) as path:
                rows = uploads.parse_tidy_rows(
                    uploads.iter_rows(path, distribution.format),
                    default_series=dataset.slug.upper().replace("-", "_"),
                )
            source = source_upsert(
                code=f"org-{org.slug}"[:64],
                title=_("Data published by %(org)s") % {"org": org.name},
                publisher=org.name,
                licence=dataset.licence,
                url=org.website,
            )
            series_units: dict[str, str] = {}
            mapped = []
            for row in rows:
                code = _series_code(org, row.series)
                series_units.setdefault(code, row.unit)
                mapped.append(row.__class__(**{**row.__dict__, "series": code}))
            for code, unit in series_units.items():
                series = Series.objects.filter(code=code).first()
                if series is None:
                    series = Series(code=code, name=f"{dataset.title} ({code})"[:400], unit=unit)
                    series.full_clean()
                    series.save()
            release_code = f"upload-{dataset.slug}-{distribution.pk or 'new'}"[:80]
            release = release_upsert(
                source=source,
                code=slugify(release_code)[:80],
                title=f"{dataset.title}: {distribution.title}"[:300],
                year=timezone.now().year,
                citation=f"{org.name}. {dataset.title}.",
                provenance=_("Uploaded to the platform as %(file)s (sha256 %(sha)s).")
                % {"file": distribution.original_filename, "sha": distribution.sha256},
            )
            observations_import(release=release, rows=mapped)
            if dry_run:
                raise _DryRun
            dataset.related_series.add(*Series.objects.filter(code__in=list(series_units)))
            if distribution.pk:
                Distribution.objects.filter(pk=distribution.pk).update(observations_release=release)
            distribution.observations_release = release
    except _DryRun:
        return []
    except ParseError as exc:
        return [
            {"row": exc.row, "column": exc.column, "type": "mapping-error", "message": exc.message}
        ]
    return []


class _DryRun(Exception):
    pass


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
