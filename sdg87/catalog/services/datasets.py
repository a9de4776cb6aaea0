"""A dataset's metadata and relations: create, edit, snapshot; the row lock of every change."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from sdg87.catalog import permissions, statistics
from sdg87.catalog.models import AuditAction, Dataset, Status, Theme, Visibility
from sdg87.catalog.services.audit import audit_write
from sdg87.catalog.validators import (
    dataset_field_errors,
    slug_with_letter,
    validate_dataset_slug,
)
from sdg87.core.actors import Actor, signed_in_user
from sdg87.core.html import sanitise_html
from sdg87.geo.models import Geography
from sdg87.indicators.models import Series
from sdg87.orgs.models import Organisation

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
EDITABLE_FIELDS = frozenset({*METADATA_FIELDS, "slug", "publish_at", "embargo_until"})
SNAPSHOT_FIELDS = ("slug", *METADATA_FIELDS)


def dataset_lock(dataset: Dataset) -> Dataset:
    """The dataset re-read with its row locked, inside the caller's transaction, so that two
    reviewers (or an upload and a publication) never act on a stale status."""
    return Dataset.objects.select_for_update().get(pk=dataset.pk)


def _unique_slug(base: str) -> str:
    base = slug_with_letter((slugify(base) or "dataset")[:90])
    slug, n = base, 2
    while Dataset.objects.filter(slug=slug).exists():
        slug = f"{base}-{n}"
        n += 1
    return slug


def _full_clean(dataset: Dataset, errors: dict[str, list[str]]) -> None:
    """The model's validation and the catalog's rules (validators.dataset_field_errors) in
    one ValidationError, so that every problem is reported at once."""
    try:
        dataset.full_clean()
    except ValidationError as exc:
        for name, messages in exc.message_dict.items():
            errors.setdefault(name, []).extend(messages)
    if errors:
        raise ValidationError(errors)


def _set_relations(
    dataset: Dataset,
    *,
    themes: Sequence[str] | None,
    keywords: Sequence[str] | None,
    spatial: Sequence[str] | None,
    related_series: Sequence[str] | None,
) -> list[str]:
    """Set the relations that are given; returns the names of those that changed."""
    before = _relation_values(dataset)
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
        codes = [c.strip() for c in related_series if c.strip()]
        series = list(Series.objects.filter(code__in=codes))
        unknown = sorted(set(codes) - {s.code for s in series})
        if unknown:  # checked before by _full_clean; kept so no path can skip it
            raise ValidationError(
                {
                    "related_series": _("Unknown series codes: %(codes)s")
                    % {"codes": ", ".join(unknown)}
                }
            )
        dataset.related_series.set(series)
    after = _relation_values(dataset)
    return [name for name in after if after[name] != before[name]]


def _relation_values(dataset: Dataset) -> dict[str, set[str]]:
    return {
        "themes": set(dataset.themes.values_list("code", flat=True)),
        "keywords": set(dataset.keywords.names()),
        "spatial": set(dataset.spatial.values_list("code", flat=True)),
        "related_series": set(dataset.related_series.values_list("code", flat=True)),
    }


def _publisher_change_refusal(dataset: Dataset) -> str:
    """Why the publisher of `dataset` cannot change, or "" if it can.

    Statistics imported from a dataset's files belong to its publisher (source `org-<id>`,
    series `ORG<id>__...`, ADR 0006) and nothing moves between owners; a published version
    records its publisher, and harvesters have seen it. So only a draft that has never been
    published and has no file or link may move (a contributor who picked the wrong
    organisation); anything else is published again by the right organisation."""
    if dataset.distributions.exists() or dataset.release_id is not None:
        return _(
            "The publisher of a dataset with files or links cannot be changed: its files "
            "and statistics belong to %(organisation)s. Create the dataset under the new "
            "publisher instead."
        ) % {"organisation": dataset.publisher.name}
    if dataset.first_published_at is not None or dataset.versions.exists():
        return _(
            "The publisher of a dataset that has been published cannot be changed: its "
            "published versions name %(organisation)s. Create the dataset under the new "
            "publisher instead."
        ) % {"organisation": dataset.publisher.name}
    return ""


@transaction.atomic
def dataset_create(
    *,
    actor: Actor,
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
        raise PermissionDenied(_("You cannot create datasets for this organisation."))
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
        created_by=signed_in_user(actor),
    )
    _full_clean(
        dataset,
        dataset_field_errors(
            language=language,
            temporal_start=temporal_start,
            temporal_end=temporal_end,
            spatial=spatial,
            related_series=related_series,
        ),
    )
    dataset.save()
    _set_relations(
        dataset,
        themes=themes,
        keywords=keywords,
        spatial=spatial,
        related_series=related_series,
    )
    audit_write(dataset=dataset, action=AuditAction.CREATE, actor=actor)
    return dataset


@transaction.atomic
def dataset_update(
    *,
    actor: Actor,
    dataset: Dataset,
    data: dict[str, Any],
    publisher: Organisation | None = None,
    themes: Sequence[str] | None = None,
    keywords: Sequence[str] | None = None,
    spatial: Sequence[str] | None = None,
    related_series: Sequence[str] | None = None,
) -> Dataset:
    """Change metadata fields (names in EDITABLE_FIELDS) and, when given, the publisher and
    the relations. The audit entry names the fields and relations that changed.

    `dataset` is the stored row (not one a form has already changed). The data pages, the CKAN
    API and the Wagtail admin (sdg87.catalog.wagtail_hooks) call this. A new `slug` must have
    a letter (a name of digits only would read as an id in the CKAN API). A new `publisher`
    is refused (ValidationError) unless the dataset is an unpublished draft without files or
    links, and the actor must be allowed to create datasets for it.
    """
    if not permissions.can_edit_dataset(actor, dataset):
        raise PermissionDenied(_("You cannot edit this dataset."))
    unknown = set(data) - EDITABLE_FIELDS
    if unknown:
        raise ValueError(f"not editable: {sorted(unknown)}")
    changed = []
    if publisher is not None and publisher.pk != dataset.publisher_id:
        refusal = _publisher_change_refusal(dataset)
        if refusal:
            raise ValidationError({"publisher": refusal})
        if not permissions.can_create_dataset(actor, publisher.pk):
            raise PermissionDenied(_("You cannot create datasets for this organisation."))
        dataset.publisher = publisher
        changed.append("publisher")
    if "slug" in data and data["slug"] != dataset.slug:
        try:
            validate_dataset_slug(data["slug"])
        except ValidationError as exc:
            raise ValidationError({"slug": exc.messages}) from exc
    for name, value in data.items():
        if name == "description":
            value = sanitise_html(value)
        if getattr(dataset, name) != value:
            changed.append(name)
            setattr(dataset, name, value)
    _full_clean(
        dataset,
        dataset_field_errors(
            # a stored language from before the list (e.g. set through CKAN) may stay
            language=dataset.language if "language" in changed else None,
            temporal_start=dataset.temporal_start,
            temporal_end=dataset.temporal_end,
            spatial=spatial,
            related_series=related_series,
        ),
    )
    dataset.save()
    changed += _set_relations(
        dataset,
        themes=themes,
        keywords=keywords,
        spatial=spatial,
        related_series=related_series,
    )
    if {"visibility", "publish_at", "embargo_until"} & set(changed):
        statistics.dataset_statistics_sync(dataset=dataset)
    audit_write(
        dataset=dataset,
        action=AuditAction.EDIT,
        actor=actor,
        from_status=dataset.status,
        message=", ".join(changed),
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
