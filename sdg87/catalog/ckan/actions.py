"""CKAN actions: one function per action, `(ctx, data) -> result`, reading through the catalog
selectors so that visibility rules are exactly those of the web pages and the REST API."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.auth.models import User
from django.db.models import QuerySet
from django.utils.module_loading import import_string

from sdg87.catalog import permissions, selectors
from sdg87.catalog.ckan import selectors as ckan
from sdg87.catalog.ckan import serializers
from sdg87.catalog.ckan.errors import NotAuthorized, NotFound, ValidationError
from sdg87.catalog.ckan.query import MAX_START, int_param, parse_search
from sdg87.catalog.models import Dataset
from sdg87.core.actors import Actor, signed_in_user
from sdg87.orgs.models import Organisation

API_VERSION = 3
CKAN_COMPATIBLE_VERSION = "2.10.0"


@dataclass
class ActionContext:
    user: Actor | None  # request.user or a token's owner; None: an anonymous write request
    base_url: str
    authenticated_by_token: bool = False
    files: dict[str, Any] | None = None


Action = Callable[[ActionContext, dict[str, Any]], Any]
ACTIONS: dict[str, Action] = {}
WRITE_ACTIONS: set[str] = set()


def action(name: str, *, write: bool = False) -> Callable[[Action], Action]:
    def register(func: Action) -> Action:
        ACTIONS[name] = func
        if write:
            WRITE_ACTIONS.add(name)
        return func

    return register


def _require(data: dict[str, Any], name: str) -> Any:
    value = data.get(name)
    if value in (None, ""):
        raise ValidationError(f"Missing value: {name}", {name: ["Missing value"]})
    return value


def _paging(data: dict[str, Any], default_limit: int | None = None) -> tuple[int, int | None]:
    offset = int_param(data, "offset", default=0, low=0, high=MAX_START)
    if data.get("limit") in (None, ""):
        return offset, default_limit
    return offset, int_param(data, "limit", default=0, low=0, high=MAX_START)


def _page(items: list[Any], offset: int, limit: int | None) -> list[Any]:
    return items[offset : offset + limit] if limit is not None else items[offset:]


def _dataset_by_id_or_name(ctx: ActionContext, ident: str) -> Dataset:
    dataset = ckan.ckan_dataset_get(user=ctx.user, ident=ident)
    if dataset is None:
        raise NotFound("Dataset not found")
    return dataset


def _package(
    ctx: ActionContext, dataset: Dataset, include_resources: bool = True
) -> dict[str, Any]:
    return serializers.package_dict(
        dataset,
        distributions=selectors.distribution_list(user=ctx.user, dataset=dataset),
        freshness=str(selectors.dataset_freshness(dataset=dataset)),
        base_url=ctx.base_url,
        include_resources=include_resources,
        data_allowed=permissions.can_view_data(ctx.user, dataset),
    )


def package_dict(
    ctx: ActionContext, dataset: Dataset, include_resources: bool = True
) -> dict[str, Any]:
    """A dataset as CKAN shows it to `ctx.user` (also for sdg87.search.ckan)."""
    return _package(ctx, dataset, include_resources)


def _org_by_id_or_name(ident: str) -> Organisation:
    org = ckan.ckan_organisation_get(ident=ident)
    if org is None:
        raise NotFound("Organization not found")
    return org


def _public_live(
    ctx: ActionContext, include_private: bool = False, include_drafts: bool = False
) -> QuerySet[Dataset]:
    return ckan.ckan_datasets(
        user=ctx.user, include_private=include_private, include_drafts=include_drafts
    )


# --- site -------------------------------------------------------------------------------------


@action("status_show")
def status_show(ctx: ActionContext, data: dict[str, Any]) -> dict[str, Any]:
    return {
        "site_title": settings.WAGTAIL_SITE_NAME,
        "site_description": "Data directory for SDG Target 8.7",
        "site_url": ctx.base_url,
        "ckan_version": CKAN_COMPATIBLE_VERSION,
        "api_version": API_VERSION,
        "error_emails_to": None,
        "locale_default": settings.LANGUAGE_CODE,
        "extensions": ["sdg87"],
    }


@action("site_read")
def site_read(ctx: ActionContext, data: dict[str, Any]) -> bool:
    return True


@action("help_show")
def help_show(ctx: ActionContext, data: dict[str, Any]) -> str:
    name = str(_require(data, "name"))
    if name not in ACTIONS:
        raise NotFound(f"Action function not found: {name}")
    return (ACTIONS[name].__doc__ or name).strip()


# --- datasets ---------------------------------------------------------------------------------


@action("package_list")
def package_list(ctx: ActionContext, data: dict[str, Any]) -> list[str]:
    """Names of all public, published datasets (`limit`, `offset`)."""
    offset, limit = _paging(data)
    names = list(_public_live(ctx).order_by("slug").values_list("slug", flat=True))
    return _page(names, offset, limit)


@action("current_package_list_with_resources")
def current_package_list_with_resources(
    ctx: ActionContext, data: dict[str, Any]
) -> list[dict[str, Any]]:
    """Published datasets with resources, most recently modified first (`limit`, `offset`)."""
    offset, limit = _paging(data, default_limit=10)
    qs = _public_live(ctx).select_related("publisher").order_by("-last_modified", "-id")
    page = qs[offset : offset + limit] if limit is not None else qs[offset:]
    return [_package(ctx, d) for d in page]


@action("package_show")
def package_show(ctx: ActionContext, data: dict[str, Any]) -> dict[str, Any]:
    """One dataset by `id` (name or numeric id)."""
    return _package(ctx, _dataset_by_id_or_name(ctx, str(_require(data, "id"))))


@action("package_search")
def package_search(ctx: ActionContext, data: dict[str, Any]) -> dict[str, Any]:
    """Search datasets: q, fq, rows, start, sort, facet.field, include_private, include_drafts."""
    # The site search answers when it is installed (settings.SDG87_CKAN_PACKAGE_SEARCH names
    # its action, sdg87.search.ckan.package_search): named, not imported, because the search
    # app depends on the catalog and never the reverse.
    answer = getattr(settings, "SDG87_CKAN_PACKAGE_SEARCH", "")
    if answer:
        return import_string(answer)(ctx, data)  # type: ignore[no-any-return]
    return catalog_package_search(ctx, data)


def catalog_package_search(ctx: ActionContext, data: dict[str, Any]) -> dict[str, Any]:
    """package_search over the catalog's own text match (every word, no ranking)."""
    params = parse_search(data)
    qs = ckan.ckan_dataset_search(
        user=ctx.user, params=params, include_drafts=str(data.get("include_drafts")) == "true"
    )
    count = qs.count()
    page = list(qs[params.start : params.start + params.rows])
    facets, search_facets = ckan.ckan_facets(qs=qs, params=params)
    return {
        "count": count,
        "sort": data.get("sort") or "score desc, metadata_modified desc",
        "results": [_package(ctx, d) for d in page],
        "facets": facets,
        "search_facets": search_facets,
    }


# --- resources --------------------------------------------------------------------------------


@action("resource_show")
def resource_show(ctx: ActionContext, data: dict[str, Any]) -> dict[str, Any]:
    """One resource (distribution) by `id`."""
    found = ckan.ckan_distribution_get(user=ctx.user, ident=str(_require(data, "id")))
    if found is None:
        raise NotFound("Resource was not found.")
    dataset, visible = found
    return serializers.resource_dict(
        visible, base_url=ctx.base_url, data_allowed=permissions.can_view_data(ctx.user, dataset)
    )


# --- organizations, groups, tags --------------------------------------------------------------


@action("organization_list")
def organization_list(ctx: ActionContext, data: dict[str, Any]) -> list[Any]:
    """Organisation names, or dicts with `all_fields=true` (`limit`, `offset`, `sort`)."""
    offset, limit = _paging(data)
    orgs = list(selectors.organisation_list_with_counts(user=ctx.user))
    if str(data.get("sort", "")).startswith("package_count"):
        orgs.sort(key=lambda o: (-o.dataset_count, o.name))  # type: ignore[attr-defined]
    orgs = _page(orgs, offset, limit)
    if str(data.get("all_fields", "")).lower() in {"true", "1"}:
        return [
            serializers.organization_dict(o, base_url=ctx.base_url, package_count=o.dataset_count)  # type: ignore[attr-defined]
            for o in orgs
        ]
    return [o.slug for o in orgs]


@action("organization_show")
def organization_show(ctx: ActionContext, data: dict[str, Any]) -> dict[str, Any]:
    """One organisation by `id` (name or id); `include_datasets=true` lists its datasets."""
    org = _org_by_id_or_name(str(_require(data, "id")))
    datasets = _public_live(ctx).filter(publisher=org).order_by("slug")
    result = serializers.organization_dict(
        org, base_url=ctx.base_url, package_count=datasets.count()
    )
    if str(data.get("include_datasets", "")).lower() in {"true", "1"}:
        result["packages"] = [_package(ctx, d, include_resources=False) for d in datasets[:1000]]
    return result


@action("group_list")
def group_list(ctx: ActionContext, data: dict[str, Any]) -> list[Any]:
    """Themes, as CKAN groups."""
    offset, limit = _paging(data)
    themes = _page(ckan.ckan_theme_list(user=ctx.user), offset, limit)
    if str(data.get("all_fields", "")).lower() in {"true", "1"}:
        return [serializers.group_dict(t, package_count=t.n) for t in themes]
    return [t.code for t in themes]


@action("group_show")
def group_show(ctx: ActionContext, data: dict[str, Any]) -> dict[str, Any]:
    """One theme by `id` (its code)."""
    theme = ckan.ckan_theme_get(code=str(_require(data, "id")))
    if theme is None:
        raise NotFound("Group not found")
    datasets = _public_live(ctx).filter(themes=theme).order_by("slug")
    result = serializers.group_dict(theme, package_count=datasets.count())
    if str(data.get("include_datasets", "")).lower() in {"true", "1"}:
        result["packages"] = [_package(ctx, d, include_resources=False) for d in datasets[:1000]]
    return result


@action("tag_list")
def tag_list(ctx: ActionContext, data: dict[str, Any]) -> list[Any]:
    """Keywords used by published datasets; `query` filters by substring."""
    names = ckan.ckan_tag_names(user=ctx.user)
    query = str(data.get("query") or "").lower()
    result = sorted({n for n in names if query in n.lower()})
    if str(data.get("all_fields", "")).lower() in {"true", "1"}:
        return [{"id": n, "name": n, "display_name": n, "vocabulary_id": None} for n in result]
    return result


def require_token_user(ctx: ActionContext) -> User:
    user = signed_in_user(ctx.user)
    if not ctx.authenticated_by_token or user is None:
        raise NotAuthorized("Action requires an API token in the Authorization header")
    return user
