"""CKAN write actions. They need an API token and go through the catalog services, so the
review workflow and permission rules hold: a dataset created here is a draft until an editor
publishes it, exactly as one created in the web interface."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from typing import Any, TypedDict

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction

from sdg87.catalog.ckan.actions import (
    ActionContext,
    _dataset_by_id_or_name,
    _org_by_id_or_name,
    _package,
    _require,
    action,
    require_token_user,
)
from sdg87.catalog.ckan.errors import NotAuthorized, ValidationError
from sdg87.catalog.ckan.serializers import resource_dict
from sdg87.catalog.models import Dataset, Distribution, Visibility
from sdg87.catalog.services import datasets, distributions, review
from sdg87.catalog.validators import validate_dataset_slug

# CKAN field -> our Dataset field
FIELD_MAP = {
    "title": "title",
    "notes": "description",
    "license_id": "licence",
    "maintainer": "contact_name",
    "maintainer_email": "contact_email",
}
EXTRA_FIELDS = {"frequency", "language", "identifier", "temporal_start", "temporal_end"}


@contextmanager
def ckan_errors() -> Iterator[None]:
    """Translate the services' exceptions into CKAN's error types."""
    try:
        yield
    except PermissionDenied as exc:
        raise NotAuthorized(str(exc) or "Not authorized") from exc
    except DjangoValidationError as exc:
        fields = (
            # CKAN calls our `slug` `name`
            {
                ("name" if k == "slug" else k): [str(m) for m in v]
                for k, v in exc.message_dict.items()
            }
            if hasattr(exc, "error_dict")
            else {"__all__": [str(m) for m in exc.messages]}
        )
        raise ValidationError("Validation Error", fields) from exc
    except ValueError as exc:
        raise ValidationError(str(exc), {"__all__": [str(exc)]}) from exc


def _names(items: Any, key: str = "name") -> list[str]:
    if items in (None, ""):
        return []
    if not isinstance(items, list):
        raise ValidationError(f"Invalid {key} list", {key: ["Must be a list"]})
    return [str(i.get(key, "")) if isinstance(i, dict) else str(i) for i in items]


def _extras(data: dict[str, Any]) -> dict[str, str]:
    extras = data.get("extras") or []
    if not isinstance(extras, list):
        raise ValidationError("Invalid extras", {"extras": ["Must be a list of {key, value}"]})
    return {str(e.get("key")): str(e.get("value", "")) for e in extras if isinstance(e, dict)}


def _text(data: dict[str, Any], name: str) -> str:
    """A CKAN text field: strings (and plain numbers) only, so a JSON object or list is a
    Validation Error naming the field rather than a TypeError deep in a service."""
    value = data.get(name)
    if value is None:
        return ""
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise ValidationError(f"Invalid {name}", {name: ["Must be a string"]})
    return str(value)


def _resources(data: dict[str, Any]) -> list[Any]:
    resources = data.get("resources") or []
    if not isinstance(resources, list):
        raise ValidationError("Invalid resources", {"resources": ["Must be a list"]})
    return resources


def _fields(data: dict[str, Any], *, partial: bool) -> dict[str, Any]:
    fields: dict[str, Any] = {}
    for ckan_name, ours in FIELD_MAP.items():
        if ckan_name in data:
            fields[ours] = _text(data, ckan_name)
        elif not partial and ours not in {"title", "licence"}:
            fields[ours] = ""
    extras = _extras(data)
    for name in EXTRA_FIELDS & set(extras):
        value: Any = extras[name]
        if name.startswith("temporal_"):
            try:
                value = date.fromisoformat(value) if value else None
            except ValueError as exc:
                raise ValidationError(
                    f"Invalid {name}", {name: ["Use an ISO date, YYYY-MM-DD"]}
                ) from exc
        fields[name] = value
    if "private" in data:
        private = str(data["private"]).lower() in {"true", "1"}
        fields["visibility"] = Visibility.ORGANISATION if private else Visibility.PUBLIC
    return fields


class _Relations(TypedDict):
    """The relations of dataset_update that a CKAN package carries (None: leave as they are)."""

    themes: list[str] | None
    keywords: list[str] | None
    spatial: list[str] | None


def _relations(data: dict[str, Any], *, partial: bool) -> _Relations:
    def pick(key: str, values: Callable[[], list[str]]) -> list[str] | None:
        return values() if key in data else (None if partial else [])

    extras = _extras(data)
    spatial = extras.get("spatial")
    return {
        "themes": pick("groups", lambda: _names(data.get("groups"))),
        "keywords": pick("tags", lambda: _names(data.get("tags"))),
        "spatial": [c for c in spatial.split(",") if c.strip()] if spatial is not None else None,
    }


@action("package_create", write=True)
def package_create(ctx: ActionContext, data: dict[str, Any]) -> dict[str, Any]:
    """Create a draft dataset (name, title, owner_org, notes, license_id, tags, groups,
    extras, private); it is published through the review workflow."""
    user = require_token_user(ctx)
    org = _org_by_id_or_name(str(_require(data, "owner_org")))
    name = _text(data, "name")
    try:
        validate_dataset_slug(name)
    except DjangoValidationError as exc:
        raise ValidationError("Validation Error", {"name": exc.messages}) from exc
    fields = _fields(data, partial=True)
    relations = _relations(data, partial=True)
    resources = _resources(data)
    # One transaction with the resources: a bad resource must not leave a half-made dataset
    # behind (the client's retry would then fail on the taken name).
    with ckan_errors(), transaction.atomic():
        dataset = datasets.dataset_create(
            actor=user,
            publisher=org,
            title=str(_require(data, "title")),
            slug=name,
            **{
                k: v
                for k, v in [*fields.items(), *relations.items()]
                if k != "title" and v is not None
            },
        )
        for resource in resources:
            _add_link(user, dataset, resource)
    ctx.user = user
    return _package(ctx, _dataset_by_id_or_name(ctx, dataset.slug))


def _update(ctx: ActionContext, data: dict[str, Any], *, partial: bool) -> dict[str, Any]:
    user = require_token_user(ctx)
    dataset = _dataset_by_id_or_name(ctx, str(_require(data, "id")))
    fields = _fields(data, partial=partial)
    relations = _relations(data, partial=partial)
    with ckan_errors():
        datasets.dataset_update(actor=user, dataset=dataset, data=fields, **relations)
    return _package(ctx, _dataset_by_id_or_name(ctx, dataset.slug))


@action("package_update", write=True)
def package_update(ctx: ActionContext, data: dict[str, Any]) -> dict[str, Any]:
    """Replace a dataset's metadata (fields not given are cleared, as in CKAN)."""
    return _update(ctx, data, partial=False)


@action("package_patch", write=True)
def package_patch(ctx: ActionContext, data: dict[str, Any]) -> dict[str, Any]:
    """Change only the metadata fields given."""
    return _update(ctx, data, partial=True)


@action("package_delete", write=True)
def package_delete(ctx: ActionContext, data: dict[str, Any]) -> None:
    """Withdraw a published dataset from public view (its versions are kept)."""
    user = require_token_user(ctx)
    dataset = _dataset_by_id_or_name(ctx, str(_require(data, "id")))
    if not dataset.live:
        raise ValidationError(
            "Only a published dataset can be withdrawn", {"id": ["Dataset is not published"]}
        )
    with ckan_errors():
        review.dataset_unpublish(actor=user, dataset=dataset, message="package_delete (API)")
    return None


def _add_link(user: User, dataset: Dataset, resource: Any) -> Distribution:
    if not isinstance(resource, dict) or not resource.get("url"):
        raise ValidationError("Invalid resource", {"url": ["Missing value"]})
    return distributions.distribution_add_link(
        actor=user,
        dataset=dataset,
        url=str(resource["url"]),
        title=str(resource.get("name") or resource["url"]),
        format=str(resource.get("format") or ""),
        media_type=str(resource.get("mimetype") or ""),
        description=str(resource.get("description") or ""),
    )


@action("resource_create", write=True)
def resource_create(ctx: ActionContext, data: dict[str, Any]) -> dict[str, Any]:
    """Add a file (multipart field `upload`: CSV, XLSX or JSON, validated) or a link (`url`)
    to a dataset (`package_id`). New files are held until the next publication."""
    user = require_token_user(ctx)
    dataset = _dataset_by_id_or_name(ctx, str(_require(data, "package_id")))
    upload = ctx.files.get("upload") if ctx.files else None
    with ckan_errors():
        if upload is not None:
            distribution = distributions.distribution_upload(
                actor=user,
                dataset=dataset,
                file=upload,
                title=str(data.get("name") or upload.name),
                description=str(data.get("description") or ""),
            )
        else:
            distribution = _add_link(user, dataset, data)
    return resource_dict(distribution, base_url=ctx.base_url)
