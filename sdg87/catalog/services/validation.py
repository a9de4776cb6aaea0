"""Validation of uploaded files by the task worker (tasks.distribution_validate_task): the
report, preview, row count and inferred data dictionary, written outside the request."""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from sdg87.catalog import permissions, uploads
from sdg87.catalog.models import Distribution
from sdg87.catalog.services.files import local_copy
from sdg87.catalog.services.observations import distribution_check_observations
from sdg87.core.actors import Actor
from sdg87.core.ingest import Problems

logger = logging.getLogger(__name__)


def enqueue_validation(dist: Distribution, *, with_types: bool) -> None:
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
    types = field_types(dist) if with_types else None
    problems = Problems(limit=0)
    try:
        with local_copy(dist) as path:
            report = uploads.validate_table(
                path, dist.format, types=types, max_rows=settings.SDG87_UPLOAD_MAX_ROWS
            )
            if dist.map_to_observations and report.header:
                # also when the table has errors: the contributor hears of everything at once
                # (cells the table validation already reported are not reported again)
                problems = distribution_check_observations(
                    distribution=dist, path=path, skip=report.error_places
                )
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
        if with_types and field_types(current) != types:
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
def distribution_revalidate(*, actor: Actor, distribution: Distribution) -> Distribution:
    """Enqueue the validation of a file still waiting for it (e.g. the task worker was down
    when it was uploaded). Harmless if the validation is already done or under way."""
    if not permissions.can_upload(actor, distribution.dataset):
        raise PermissionDenied(_("You cannot validate this file."))
    if distribution.file and distribution.is_valid is None:
        enqueue_validation(distribution, with_types=False)
    return distribution


def field_types(dist: Distribution) -> dict[str, str]:
    return {f["name"]: f.get("type", "string") for f in dist.data_dictionary}


def _unreadable(message: str) -> uploads.TableReport:
    error = {"row": None, "column": None, "type": "unreadable-file", "message": message}
    return uploads.TableReport(valid=False, errors=[error], error_count=1)


def _apply_report(dist: Distribution, report: uploads.TableReport) -> None:
    dist.validation_report = report.to_report()
    dist.is_valid = report.valid
    dist.preview = {"header": report.header, "rows": report.preview}
    dist.row_count = report.row_count


def _add_problems(dist: Distribution, problems: Problems) -> None:
    """Statistics mapping problems make the file invalid and join its report (all counted,
    the first uploads.MAX_REPORTED_ERRORS of both kinds kept)."""
    if not problems:
        return
    report = dist.validation_report
    errors = report.get("errors", [])
    columns = dict(report.get("error_columns", {}))
    for column, count in problems.by_column.items():
        columns[column] = columns.get(column, 0) + count
    dist.is_valid = False
    dist.validation_report = {
        **report,
        "valid": False,
        "errors": (errors + problems.kept)[: uploads.MAX_REPORTED_ERRORS],
        "error_count": report.get("error_count", 0) + problems.total,
        "error_columns": columns,
    }


def _merge_dictionary(
    old: list[dict[str, str]], inferred: list[dict[str, str]]
) -> list[dict[str, str]]:
    """Keep descriptions the contributor already wrote for columns that still exist."""
    described = {f.get("name"): f.get("description", "") for f in old or []}
    return [{**f, "description": described.get(f["name"], "")} for f in inferred]
