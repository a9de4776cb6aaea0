"""Files of a dataset: uploads (validated by the task worker, see validation.py), links,
data dictionaries, removal. A change of files sends the dataset back to review."""

from __future__ import annotations

import hashlib
import tempfile
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.db import transaction
from django.db.models import FileField
from django.utils.translation import gettext as _

from sdg87.catalog import permissions, statistics, uploads
from sdg87.catalog.models import AuditAction, Dataset, Distribution, Status
from sdg87.catalog.services.audit import audit_write
from sdg87.catalog.services.datasets import dataset_lock
from sdg87.catalog.services.validation import enqueue_validation, field_types
from sdg87.core.actors import Actor


class UploadRejected(ValueError):
    """The upload was refused before anything was stored (size, type, unreadable)."""


def _after_upload(
    dataset: Dataset, actor: Actor, message: str, action: str = AuditAction.UPLOAD
) -> None:
    """A file was added, replaced or removed: audit it and send the dataset back to review."""
    before = dataset.status
    if dataset.status in (Status.PUBLISHED, Status.APPROVED, Status.SUBMITTED):
        # new data needs a new review; the live version keeps its published files meanwhile
        dataset.status = Status.DRAFT
        dataset.save(update_fields=["status", "last_modified"])
    audit_write(dataset=dataset, action=action, actor=actor, from_status=before, message=message)


def distribution_upload(
    *,
    actor: Actor,
    dataset: Dataset,
    file: Any,
    title: str = "",
    description: str = "",
    replace: Distribution | None = None,
    map_to_observations: bool = False,
    sensitive: bool = False,
) -> Distribution:
    """Receive an uploaded CSV/XLSX/JSON; the task worker validates it.

    `sensitive` (the file holds personal or case-level data) puts the dataset in quarantine,
    and so does any new file of a dataset already flagged (review.dataset_quarantine).

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
        raise PermissionDenied(_("You cannot upload files to this dataset."))
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
                sdmx=True,  # SDMX data too (SDMX-ML, SDMX-CSV, SDMX-JSON): sdmx/ingest
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
                sensitive=sensitive,
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
            _("The file is %(size)s MB; the limit is %(limit)s MB.")
            % {
                "size": uploads.megabytes(size, round_up=True),
                "limit": uploads.megabytes(limit),
            }
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
                    _("The file is larger than the limit of %(limit)s MB.")
                    % {"limit": uploads.megabytes(limit)}
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
    actor: Actor,
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
    sensitive: bool = False,
) -> Distribution:
    """The short transaction of an upload: the distribution row, awaiting validation."""
    locked = dataset_lock(dataset)
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
    if sensitive or locked.sensitive:
        from sdg87.catalog.services.review import dataset_quarantine

        dataset_quarantine(actor=actor, dataset=locked, message=dist.title)
        dataset.sensitive, dataset.quarantined = True, True
    dataset.status = locked.status
    enqueue_validation(dist, with_types=False)
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


@transaction.atomic
def distribution_add_link(
    *,
    actor: Actor,
    dataset: Dataset,
    url: str,
    title: str,
    format: str = "",
    media_type: str = "",
    description: str = "",
) -> Distribution:
    if not permissions.can_upload(actor, dataset):
        raise PermissionDenied(_("You cannot add files to this dataset."))
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
    actor: Actor,
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
        raise PermissionDenied(_("You cannot edit this data dictionary."))
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
        uploads.check_field_types(field_types(distribution))
    except uploads.UploadError as exc:
        raise ValidationError({"fields": str(exc)}) from exc
    revalidate = bool(distribution.file) and distribution.is_tabular
    if revalidate:
        distribution.is_valid = None  # validation in progress
    distribution.full_clean()
    distribution.save()
    audit_write(dataset=dataset, action=AuditAction.EDIT, actor=actor, message=distribution.title)
    if revalidate:
        enqueue_validation(distribution, with_types=True)
    return distribution


def _type_of(distribution: Distribution, name: str) -> str:
    return next(
        (f.get("type", "string") for f in distribution.data_dictionary if f["name"] == name),
        "string",
    )


@transaction.atomic
def distribution_delete(*, actor: Actor, distribution: Distribution) -> None:
    dataset = distribution.dataset
    if not permissions.can_upload(actor, dataset):
        raise PermissionDenied(_("You cannot remove files from this dataset."))
    if (
        distribution.published
        and dataset.live
        and not permissions.can_unpublish_dataset(actor, dataset)
    ):
        raise PermissionDenied(_("Only an editor can remove a published file."))
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
