"""Disclosure-control reviews: declare (microdata or an aggregate table), compute (task), pass
(publish + certificate, one transaction). The only writers of DisclosureReview and Certificate;
the dataset itself changes through the catalog's services (review.dataset_release_sensitive),
which check the permission again."""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping, Sequence
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sdg87.catalog import permissions, uploads
from sdg87.catalog.models import Dataset, Distribution
from sdg87.catalog.services import distributions
from sdg87.catalog.services import review as catalog_review
from sdg87.catalog.services.validation import distribution_validate
from sdg87.core.actors import Actor, signed_in_user
from sdg87.disclosure import sdc
from sdg87.disclosure.models import Certificate, DisclosureReview, ReviewMode, ReviewState
from sdg87.disclosure.reading import distribution_header, distribution_records

MAX_K = 1000
MAX_QIS = 12
MAX_MIN_COUNT = 1000
MAX_TABLE_CELLS = 20_000
MAX_COUNT_COLUMNS = 200
TOTAL_LABEL = "Total"


def _declaration_errors(
    header: Sequence[str],
    quasi_identifiers: Sequence[str],
    sensitive_attribute: str,
    k: int,
    l_target: int | None,
    hierarchies: Mapping[str, Any],
) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    unknown = [q for q in quasi_identifiers if q not in header]
    if not quasi_identifiers:
        errors["quasi_identifiers"] = [_("Declare at least one quasi-identifier.")]
    elif len(quasi_identifiers) > MAX_QIS:
        errors["quasi_identifiers"] = [
            _("Declare at most %(n)s quasi-identifiers.") % {"n": MAX_QIS}
        ]
    elif unknown:
        errors["quasi_identifiers"] = [
            _("Not a column of the file: %(names)s") % {"names": ", ".join(unknown)}
        ]
    if sensitive_attribute and sensitive_attribute not in header:
        errors["sensitive_attribute"] = [_("Not a column of the file.")]
    elif sensitive_attribute in quasi_identifiers:
        errors["sensitive_attribute"] = [
            _("The sensitive attribute cannot also be a quasi-identifier.")
        ]
    if not 2 <= k <= MAX_K:
        errors["k"] = [_("k must be between 2 and %(max)s.") % {"max": MAX_K}]
    if l_target is not None and (l_target < 1 or not sensitive_attribute):
        errors["l_target"] = [_("l needs a sensitive attribute and must be at least 1.")]
    for name, config in hierarchies.items():
        if name not in quasi_identifiers:
            errors.setdefault("hierarchies", []).append(
                _("%(name)s is not a declared quasi-identifier.") % {"name": name}
            )
            continue
        try:
            sdc.hierarchy_from_config(config if isinstance(config, dict) else {"x": config})
        except sdc.DisclosureConfigError as exc:
            errors.setdefault("hierarchies", []).append(f"{name}: {exc}")
        if not isinstance(config, dict):
            errors.setdefault("hierarchies", []).append(
                _('%(name)s: a hierarchy is an object such as {"bands": [5, 10]}.') % {"name": name}
            )
    return errors


def _check_source(actor: Actor, dataset: Dataset, source: Distribution) -> None:
    if not permissions.can_release_sensitive(actor, dataset):
        raise PermissionDenied(_("Only an editor can review a dataset in quarantine."))
    if source.dataset_id != dataset.pk or not source.is_tabular or source.retired_at:
        raise ValidationError({"source": [_("Choose a current table of this dataset.")]})
    if source.is_valid is not True:
        raise ValidationError({"source": [_("The file has not passed validation.")]})


def _enqueue_compute(review: DisclosureReview) -> None:
    from sdg87.disclosure.tasks import review_compute_task

    pk = review.pk
    transaction.on_commit(lambda: review_compute_task.enqueue(review_id=pk))


def review_declare(
    *,
    actor: Actor,
    dataset: Dataset,
    source: Distribution,
    quasi_identifiers: Sequence[str],
    sensitive_attribute: str = "",
    k: int = sdc.DEFAULT_K,
    l_target: int | None = None,
    hierarchies: Mapping[str, Any] | None = None,
) -> DisclosureReview:
    """Declare the quasi-identifiers (and sensitive attribute) of one file of a quarantined
    dataset; the task worker measures the risk and computes the protected file."""
    _check_source(actor, dataset, source)
    hierarchies = dict(hierarchies or {})
    errors = _declaration_errors(
        distribution_header(source),
        list(quasi_identifiers),
        sensitive_attribute,
        k,
        l_target,
        hierarchies,
    )
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        review = DisclosureReview.objects.create(
            dataset=dataset,
            source=source,
            quasi_identifiers=list(quasi_identifiers),
            sensitive_attribute=sensitive_attribute,
            k=k,
            l_target=l_target,
            hierarchies=hierarchies,
            created_by=signed_in_user(actor),
        )
        _enqueue_compute(review)
    return review


def review_declare_table(
    *,
    actor: Actor,
    dataset: Dataset,
    source: Distribution,
    label_column: str,
    count_columns: Sequence[str],
    min_count: int = sdc.DEFAULT_MIN_COUNT,
) -> DisclosureReview:
    """Declare one file of a quarantined dataset an aggregate table: each row a category
    (`label_column`), each of `count_columns` a category of the other variable, each cell a
    count. The task worker applies primary suppression (0 < count < `min_count`) and secondary
    suppression so that no suppressed cell follows from the published totals."""
    _check_source(actor, dataset, source)
    header = distribution_header(source)
    count_columns = list(count_columns)
    errors: dict[str, list[str]] = {}
    if label_column not in header:
        errors["label_column"] = [_("Not a column of the file.")]
    unknown = [c for c in count_columns if c not in header]
    if not count_columns:
        errors["count_columns"] = [_("Choose at least one column of counts.")]
    elif len(count_columns) > MAX_COUNT_COLUMNS:
        errors["count_columns"] = [
            _("Choose at most %(n)s columns of counts.") % {"n": MAX_COUNT_COLUMNS}
        ]
    elif unknown:
        errors["count_columns"] = [
            _("Not a column of the file: %(names)s") % {"names": ", ".join(unknown)}
        ]
    elif label_column in count_columns:
        errors["count_columns"] = [_("The row label column cannot also hold counts.")]
    elif any(c.strip().casefold() == TOTAL_LABEL.casefold() for c in count_columns):
        errors["count_columns"] = [
            _("Leave the totals out: they are computed and published with the protected table.")
        ]
    if not 1 <= min_count <= MAX_MIN_COUNT:
        errors["min_count"] = [
            _("The minimum cell count must be between 1 and %(max)s.") % {"max": MAX_MIN_COUNT}
        ]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        review = DisclosureReview.objects.create(
            dataset=dataset,
            source=source,
            mode=ReviewMode.AGGREGATE,
            label_column=label_column,
            count_columns=count_columns,
            min_count=min_count,
            created_by=signed_in_user(actor),
        )
        _enqueue_compute(review)
    return review


class _TableError(ValueError):
    """The file is not a table of counts (the message says where)."""


def _read_counts(
    header: Sequence[str], records: Sequence[Mapping[str, str]], review: DisclosureReview
) -> tuple[list[str], list[list[int]]]:
    columns = list(review.count_columns)
    missing = [c for c in [review.label_column, *columns] if c not in header]
    if missing:
        raise _TableError(_("Not a column of the file: %(names)s") % {"names": ", ".join(missing)})
    if not records:
        raise _TableError(_("The table has no rows."))
    if len(records) * len(columns) > MAX_TABLE_CELLS:
        raise _TableError(
            _("The table has more than %(n)s cells: split it.") % {"n": MAX_TABLE_CELLS}
        )
    labels: list[str] = []
    counts: list[list[int]] = []
    for number, record in enumerate(records, start=2):
        label = (record.get(review.label_column) or "").strip()
        if label.casefold() == TOTAL_LABEL.casefold():
            raise _TableError(
                _(
                    "Row %(row)s is a total: leave the totals out, they are computed and "
                    "published with the protected table."
                )
                % {"row": number}
            )
        row = []
        for column in columns:
            text = (record.get(column) or "").strip()
            if not text:
                row.append(0)  # an empty cell is no case
                continue
            if not text.isdigit():
                raise _TableError(
                    _("Row %(row)s, column %(column)s: not a count: %(value)s")
                    % {"row": number, "column": column, "value": text[:40]}
                )
            row.append(int(text))
        labels.append(label)
        counts.append(row)
    return labels, counts


def _table_document(
    labels: Sequence[str], columns: Sequence[str], table: sdc.SuppressedTable
) -> dict[str, Any]:
    """What the review page shows: the published table, each suppressed cell marked."""
    primary, secondary = set(table.primary), set(table.secondary)
    rows = []
    for i, label in enumerate(labels):
        cells = []
        for j, value in enumerate(table.cells[i]):
            mark = "primary" if (i, j) in primary else "secondary" if (i, j) in secondary else ""
            cells.append({"value": value, "mark": mark})
        rows.append({"label": label, "cells": cells, "total": table.row_totals[i]})
    return {
        "columns": list(columns),
        "rows": rows,
        "column_totals": table.column_totals,
        "grand_total": table.grand_total,
        "suppression": table.as_dict(),
    }


def _table_csv(
    label_column: str, labels: Sequence[str], columns: Sequence[str], table: sdc.SuppressedTable
) -> bytes:
    def show(value: int | None) -> str:
        return sdc.SUPPRESSED if value is None else str(value)

    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([label_column, *columns, TOTAL_LABEL])
    for label, row, total in zip(labels, table.cells, table.row_totals, strict=True):
        writer.writerow([label, *map(show, row), show(total)])
    writer.writerow([TOTAL_LABEL, *map(show, table.column_totals), table.grand_total])
    return out.getvalue().encode()


def _compute_table(review: DisclosureReview) -> tuple[bytes, dict[str, Any]] | str:
    """(protected CSV, fields to save) or the error."""
    try:
        header, records = distribution_records(review.source)
        labels, counts = _read_counts(header, records, review)
        table = sdc.suppress_table(counts, min_count=review.min_count)
    except (_TableError, sdc.DisclosureConfigError, uploads.UploadError) as exc:
        return str(exc)
    if table.exposed:
        cells = "; ".join(f"{labels[i]} / {review.count_columns[j]}" for i, j in table.exposed[:10])
        return _(
            "These cells cannot be protected by suppression (too many zeros around them): "
            "%(cells)s. Merge categories and upload the table again."
        ) % {"cells": cells}
    positive = sum(1 for row in counts for n in row if n > 0)
    in_small = sum(counts[i][j] for i, j in table.primary)
    fields = {
        "risk_before": {
            "cells": len(counts) * len(review.count_columns),
            "cells_positive": positive,
            "cells_below_minimum": len(table.primary),
            "records": table.grand_total,
            "records_at_risk": in_small,
            "share_at_risk": round(in_small / table.grand_total, 6) if table.grand_total else 0.0,
        },
        "risk_after": {"cells_exposed": 0, "min_count": review.min_count},
        "information_lost": {
            "cells_suppressed": table.cells_suppressed,
            "primary": len(table.primary),
            "secondary": len(table.secondary),
            "row_totals_suppressed": sum(1 for t in table.row_totals if t is None),
            "column_totals_suppressed": sum(1 for t in table.column_totals if t is None),
            "records_removed": 0,
            "records_out": table.grand_total,
        },
        "table": _table_document(labels, review.count_columns, table),
    }
    return _table_csv(review.label_column, labels, review.count_columns, table), fields


def _compute_microdata(review: DisclosureReview) -> tuple[bytes, dict[str, Any]] | str:
    try:
        header, records = distribution_records(review.source)
        hierarchies = {
            q: sdc.hierarchy_from_config(c) for q, c in (review.hierarchies or {}).items()
        }
        protection = sdc.protect(
            records,
            review.quasi_identifiers,
            k=review.k,
            hierarchies=hierarchies,
            sensitive=review.sensitive_attribute or None,
            l_target=review.l_target,
        )
    except (sdc.DisclosureConfigError, uploads.UploadError) as exc:
        return str(exc)
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=header, lineterminator="\n")
    writer.writeheader()
    writer.writerows(protection.records)
    return out.getvalue().encode(), {
        "risk_before": protection.before.as_dict(),
        "risk_after": protection.after.as_dict(),
        "information_lost": protection.information_lost(),
    }


def review_compute(*, review_id: int) -> bool:
    """Measure the risk of the declared file and compute its protected version (system action
    run by the task worker). Idempotent: only a review still waiting is computed."""
    review = DisclosureReview.objects.select_related("source").filter(pk=review_id).first()
    if review is None or review.state != ReviewState.DECLARED:
        return False
    if review.mode == ReviewMode.AGGREGATE:
        result = _compute_table(review)
    else:
        result = _compute_microdata(review)
    if isinstance(result, str):
        DisclosureReview.objects.filter(pk=review.pk, state=ReviewState.DECLARED).update(
            state=ReviewState.FAILED, error=result
        )
        return True
    content, fields = result
    with transaction.atomic():
        locked = DisclosureReview.objects.select_for_update().get(pk=review.pk)
        if locked.state != ReviewState.DECLARED:
            return False
        locked.protected_file.save("protected.csv", ContentFile(content), False)
        for name, value in fields.items():
            setattr(locked, name, value)
        locked.state = ReviewState.COMPUTED
        locked.computed_at = timezone.now()
        locked.save()
    return True


def review_pass(*, actor: Actor, review: DisclosureReview, note: str = "") -> Certificate:
    """The reviewer passes the protection, in one transaction: the protected file is recorded
    and validated, becomes the dataset's only published file (the original is retired,
    private), the quarantine is lifted and the certificate is written. If any step fails
    nothing of it stays: no new file (its stored copy is deleted too), no version, no
    certificate, the dataset still in quarantine and the review still waiting to pass."""
    dataset = review.dataset
    if not permissions.can_release_sensitive(actor, dataset):
        raise PermissionDenied(_("Only an editor can release a dataset in quarantine."))
    if review.state != ReviewState.COMPUTED:
        raise ValidationError(_("The protection has not been computed yet."))
    recorded: list[Distribution] = []
    try:
        with transaction.atomic():
            locked = DisclosureReview.objects.select_for_update().get(pk=review.pk)
            if locked.state != ReviewState.COMPUTED:
                raise ValidationError(_("This review has already been passed."))
            with locked.protected_file.open("rb") as fh:
                content = fh.read()
            dist = distributions.distribution_upload(
                actor=actor,
                dataset=dataset,
                file=ContentFile(content, name=f"{dataset.slug}-protected.csv"),
                title=_protected_title(locked),
            )
            recorded.append(dist)
            distribution_validate(distribution_id=dist.pk, file_name=str(dist.file.name))
            dist.refresh_from_db()
            version = catalog_review.dataset_release_sensitive(
                actor=actor, dataset=dataset, protected=dist, note=note
            )
            certificate = _certificate(actor, locked, dist, version.number)
            certificate.full_clean()
            certificate.save()
            locked.state = ReviewState.PASSED
            locked.save(update_fields=["state"])
    except BaseException:
        for dist in recorded:  # the row is rolled back; its stored file goes too
            dist.file.storage.delete(str(dist.file.name))
        raise
    return certificate


def _protected_title(review: DisclosureReview) -> str:
    if review.mode == ReviewMode.AGGREGATE:
        return _("%(title)s (protected, minimum cell count %(n)s)") % {
            "title": review.source.title,
            "n": review.min_count,
        }
    return _("%(title)s (protected, k = %(k)s)") % {
        "title": review.source.title,
        "k": review.risk_after.get("k_achieved"),
    }


def _certificate(
    actor: Actor, review: DisclosureReview, dist: Distribution, version_number: int
) -> Certificate:
    lost = review.information_lost
    after = review.risk_after
    reviewer = signed_in_user(actor)
    common: dict[str, Any] = {
        "dataset": review.dataset,
        "review": review,
        "distribution": dist,
        "version_number": version_number,
        "mode": review.mode,
        "cells_suppressed": int(lost.get("cells_suppressed", 0)),
        "records_removed": int(lost.get("records_removed", 0)),
        "records_released": int(lost.get("records_out", 0)),
        "share_at_risk_before": float(review.risk_before.get("share_at_risk", 0.0)),
        "sha256": dist.sha256,
        "reviewer": reviewer,
        "reviewer_name": (reviewer.get_full_name() or reviewer.get_username()) if reviewer else "",
    }
    if review.mode == ReviewMode.AGGREGATE:
        suppression = review.table.get("suppression", {})
        return Certificate(
            **common,
            method={
                "aggregate_table": "minimum cell count with primary and secondary suppression, "
                "audited so that no suppressed cell follows from the published totals",
                "label_column": review.label_column,
                "count_columns": review.count_columns,
                "cells_suppressed_primary": int(lost.get("primary", 0)),
                "cells_suppressed_secondary": int(lost.get("secondary", 0)),
                "row_totals_suppressed": len(suppression.get("row_totals_suppressed", [])),
                "column_totals_suppressed": len(suppression.get("column_totals_suppressed", [])),
                "suppressed_value": sdc.SUPPRESSED,
            },
            quasi_identifiers=[],
            min_count=review.min_count,
        )
    return Certificate(
        **common,
        method={
            "microdata": "k-anonymity by global recoding and local suppression",
            "generalisation_levels": lost.get("generalisation_levels", {}),
            "hierarchies": review.hierarchies,
            "l_target": review.l_target,
            "suppressed_value": sdc.SUPPRESSED,
        },
        quasi_identifiers=review.quasi_identifiers,
        sensitive_attribute=review.sensitive_attribute,
        k_target=review.k,
        k_achieved=int(after.get("k_achieved", 0)),
        l_achieved=after.get("l_achieved"),
    )
