"""Disclosure-control reviews: declare, compute (task), pass (publish + certificate). The only
writers of DisclosureReview and Certificate; the dataset itself changes through the catalog's
services (review.dataset_release_sensitive), which check the permission again."""

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
from sdg87.disclosure.models import Certificate, DisclosureReview, ReviewState
from sdg87.disclosure.reading import distribution_header, distribution_records

MAX_K = 1000
MAX_QIS = 12


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
    if not permissions.can_release_sensitive(actor, dataset):
        raise PermissionDenied(_("Only an editor can review a dataset in quarantine."))
    if source.dataset_id != dataset.pk or not source.is_tabular or source.retired_at:
        raise ValidationError({"source": [_("Choose a current table of this dataset.")]})
    if source.is_valid is not True:
        raise ValidationError({"source": [_("The file has not passed validation.")]})
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
        from sdg87.disclosure.tasks import review_compute_task

        pk = review.pk
        transaction.on_commit(lambda: review_compute_task.enqueue(review_id=pk))
    return review


def review_compute(*, review_id: int) -> bool:
    """Measure the risk of the declared file and compute its protected version (system action
    run by the task worker). Idempotent: only a review still waiting is computed."""
    review = DisclosureReview.objects.select_related("source").filter(pk=review_id).first()
    if review is None or review.state != ReviewState.DECLARED:
        return False
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
        DisclosureReview.objects.filter(pk=review.pk, state=ReviewState.DECLARED).update(
            state=ReviewState.FAILED, error=str(exc)
        )
        return True
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=header, lineterminator="\n")
    writer.writeheader()
    writer.writerows(protection.records)
    with transaction.atomic():
        locked = DisclosureReview.objects.select_for_update().get(pk=review.pk)
        if locked.state != ReviewState.DECLARED:
            return False
        locked.protected_file.save("protected.csv", ContentFile(out.getvalue().encode()), False)
        locked.risk_before = protection.before.as_dict()
        locked.risk_after = protection.after.as_dict()
        locked.information_lost = protection.information_lost()
        locked.state = ReviewState.COMPUTED
        locked.computed_at = timezone.now()
        locked.save()
    return True


def review_pass(*, actor: Actor, review: DisclosureReview, note: str = "") -> Certificate:
    """The reviewer passes the protection: the protected file becomes the dataset's only
    published file (the original is retired, private), the quarantine is lifted and the
    certificate is written."""
    dataset = review.dataset
    if not permissions.can_release_sensitive(actor, dataset):
        raise PermissionDenied(_("Only an editor can release a dataset in quarantine."))
    if review.state != ReviewState.COMPUTED:
        raise ValidationError(_("The protection has not been computed yet."))
    with review.protected_file.open("rb") as fh:
        content = fh.read()
    dist = distributions.distribution_upload(
        actor=actor,
        dataset=dataset,
        file=ContentFile(content, name=f"{dataset.slug}-protected.csv"),
        title=_("%(title)s (protected, k = %(k)s)")
        % {"title": review.source.title, "k": review.risk_after.get("k_achieved")},
    )
    distribution_validate(distribution_id=dist.pk, file_name=str(dist.file.name))
    dist.refresh_from_db()
    with transaction.atomic():
        locked = DisclosureReview.objects.select_for_update().get(pk=review.pk)
        if locked.state != ReviewState.COMPUTED:
            raise ValidationError(_("This review has already been passed."))
        version = catalog_review.dataset_release_sensitive(
            actor=actor, dataset=dataset, protected=dist, note=note
        )
        lost = locked.information_lost
        after = locked.risk_after
        reviewer = signed_in_user(actor)
        certificate = Certificate(
            dataset=dataset,
            review=locked,
            distribution=dist,
            version_number=version.number,
            method={
                "microdata": "k-anonymity by global recoding and local suppression",
                "generalisation_levels": lost.get("generalisation_levels", {}),
                "hierarchies": locked.hierarchies,
                "l_target": locked.l_target,
                "suppressed_value": sdc.SUPPRESSED,
            },
            quasi_identifiers=locked.quasi_identifiers,
            sensitive_attribute=locked.sensitive_attribute,
            k_target=locked.k,
            k_achieved=int(after.get("k_achieved", 0)),
            l_achieved=after.get("l_achieved"),
            cells_suppressed=int(lost.get("cells_suppressed", 0)),
            records_removed=int(lost.get("records_removed", 0)),
            records_released=int(lost.get("records_out", 0)),
            share_at_risk_before=float(locked.risk_before.get("share_at_risk", 0.0)),
            sha256=dist.sha256,
            reviewer=reviewer,
            reviewer_name=(reviewer.get_full_name() or reviewer.get_username()) if reviewer else "",
        )
        certificate.full_clean()
        certificate.save()
        locked.state = ReviewState.PASSED
        locked.save(update_fields=["state"])
    return certificate
