"""CKAN actions: one function per action, `(ctx, data) -> result`, reading through the catalog
selectors so that visibility rules are exactly those of the web pages and the REST API."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db.models import Count, Q, QuerySet

from sdg87.catalog import permissions, selectors
from sdg87.catalog.ckan import serializers
from sdg87.catalog.ckan.errors import NotAuthorized, NotFound, ValidationError
from sdg87.catalog.ckan.query import MAX_START, SearchParams, int_param, parse_search
from sdg87.catalog.models import Dataset, Distribution, Theme, Visibility
from sdg87.orgs.models import Organisation

API_VERSION = 3
CKAN_COMPATIBLE_VERSION = "2.10.0"


@dataclass
class ActionContext:
    user: Any  # a User, or None for anonymous callers
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


def _is_id(text: str) -> bool:
    """A database id: ASCII digits only ("²" passes str.isdigit but not int()), and small
    enough for the database's integer."""
    return text.isascii() and text.isdigit() and len(text) <= 18


def _dataset_by_id_or_name(ctx: ActionContext, ident: str) -> Dataset:
    qs = selectors.dataset_visible_queryset(user=ctx.user)
    lookup = Q(slug=ident) | Q(pk=int(ident)) if _is_id(ident) else Q(slug=ident)
    dataset = (
        qs.filter(lookup)
        .select_related("publisher", "publisher__country", "publisher__logo")
        .prefetch_related("themes", "spatial", "related_series", "keywords")  # type: ignore[misc]
        .first()
    )
    if dataset is None:
        raise NotFound("Dataset not found")
    return dataset


def _package(ctx: ActionContext, dataset: Dataset, include_resources: bool = True) -> dict:
    return serializers.package_dict(
        dataset,
        distributions=selectors.distribution_list(user=ctx.user, dataset=dataset),
        freshness=str(selectors.dataset_freshness(dataset=dataset)),
        base_url=ctx.base_url,
        include_resources=include_resources,
        data_allowed=permissions.can_view_data(ctx.user, dataset),
    )


def _org_by_id_or_name(ident: str) -> Organisation:
    lookup = Q(slug=ident) | Q(pk=int(ident)) if _is_id(ident) else Q(slug=ident)
    org = Organisation.objects.select_related("country", "logo").filter(lookup).first()
    if org is None:
        raise NotFound("Organization not found")
    return org


def _public_live(
    ctx: ActionContext, include_private: bool = False, include_drafts: bool = False
) -> QuerySet[Dataset]:
    qs = selectors.dataset_visible_queryset(user=ctx.user)
    if not include_drafts:
        qs = qs.filter(live=True)
    if not include_private:
        qs = qs.exclude(visibility=Visibility.ORGANISATION)
    return qs


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
def current_package_list_with_resources(ctx: ActionContext, data: dict[str, Any]) -> list[dict]:
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
    params = parse_search(data)
    qs = _search_queryset(ctx, params, include_drafts=str(data.get("include_drafts")) == "true")
    count = qs.count()
    page = list(qs[params.start : params.start + params.rows])
    facets, search_facets = _facets(qs, params)
    return {
        "count": count,
        "sort": data.get("sort") or "score desc, metadata_modified desc",
        "results": [_package(ctx, d) for d in page],
        "facets": facets,
        "search_facets": search_facets,
    }


def _search_queryset(
    ctx: ActionContext, params: SearchParams, include_drafts: bool
) -> QuerySet[Dataset]:
    qs = _public_live(ctx, include_private=params.include_private, include_drafts=include_drafts)
    if params.q:
        ids = selectors.dataset_search(user=ctx.user, q=params.q, facets=False).datasets
        qs = qs.filter(id__in=ids.values("id"))
    for name, values in params.filters.items():
        qs = qs.filter(_filter_q(name, values))
    for name, values in params.excludes.items():
        qs = qs.exclude(_filter_q(name, values))
    if "freshness" in params.filters or "freshness" in params.excludes:
        pass  # applied in _filter_q through an annotation below
    ordering = ["-last_modified", "-id"]
    if params.sort:
        ordering = [
            ("-" if desc else "") + _SORT_COLUMNS[name]
            for name, desc in params.sort
            if name != "score"
        ] or ordering
        ordering.append("-id")
    return (
        selectors.with_freshness(qs.distinct())
        .select_related("publisher", "publisher__country", "publisher__logo")
        .prefetch_related("themes", "spatial", "related_series", "keywords")  # type: ignore[misc]
        .order_by(*ordering)
    )


_SORT_COLUMNS = {
    "name": "slug",
    "title": "title",
    "metadata_modified": "last_modified",
    "metadata_created": "created_at",
}


def _filter_q(name: str, values: list[str]) -> Q:
    match name:
        case "organization":
            return Q(publisher__slug__in=values)
        case "owner_org":
            return Q(publisher_id__in=[int(v) for v in values if _is_id(v)]) | Q(
                publisher__slug__in=values
            )
        case "groups":
            return Q(themes__code__in=values)
        case "tags":
            return Q(keywords__name__in=values)
        case "res_format":
            return Q(
                distributions__format__in=[v.upper() for v in values],
                distributions__published=True,
            )
        case "license_id":
            return Q(licence__in=values)
        case "name":
            return Q(slug__in=values)
        case "id":
            return Q(pk__in=[int(v) for v in values if _is_id(v)])
        case "spatial":
            codes = [v.upper() for v in values]
            return Q(spatial__iso3__in=codes) | Q(spatial__code__in=codes)
        case "frequency":
            return Q(frequency__in=values)
        case "freshness":
            ids = selectors.with_freshness(Dataset.objects.all()).filter(
                **{"freshness__in": values}
            )
            return Q(id__in=ids.values("id"))
    raise ValidationError(f"Unsupported filter {name}")  # parse_fq only lets known names through


def _facets(qs: QuerySet[Dataset], params: SearchParams) -> tuple[dict, dict]:
    ids = list(qs.values_list("id", flat=True))
    facets: dict[str, dict[str, int]] = {}
    search_facets: dict[str, dict[str, Any]] = {}
    for name in params.facet_fields:
        counts, labels = _facet_counts(name, ids)
        limit = params.facet_limit if params.facet_limit >= 0 else None
        top = counts.most_common(limit)
        facets[name] = dict(top)
        search_facets[name] = {
            "title": name,
            "items": [
                {"name": key, "display_name": labels.get(key, key), "count": n} for key, n in top
            ],
        }
    return facets, search_facets


def _facet_counts(name: str, ids: list[int]) -> tuple[Counter[str], dict[str, str]]:
    base = Dataset.objects.filter(id__in=ids)
    labels: dict[str, str] = {}
    counts: Counter[str] = Counter()
    if name == "organization":
        for row in base.values("publisher__slug", "publisher__name").annotate(n=Count("id")):
            counts[row["publisher__slug"]] = row["n"]
            labels[row["publisher__slug"]] = row["publisher__name"]
    elif name == "groups":
        for theme in Theme.objects.filter(datasets__in=ids).annotate(
            n=Count("datasets", distinct=True)
        ):
            counts[theme.code] = theme.n
            labels[theme.code] = str(theme.label)
    elif name == "tags":
        for tag in base.values("keywords__name").annotate(n=Count("id", distinct=True)):
            if tag["keywords__name"]:
                counts[tag["keywords__name"]] = tag["n"]
    elif name == "res_format":
        for fmt in (
            Distribution.objects.filter(dataset_id__in=ids, published=True)
            .exclude(format="")
            .values("format")
            .annotate(n=Count("dataset", distinct=True))
        ):
            counts[fmt["format"]] = fmt["n"]
    elif name == "license_id":
        for licence in base.values("licence").annotate(n=Count("id")):
            counts[licence["licence"]] = licence["n"]
    return counts, labels


# --- resources --------------------------------------------------------------------------------


@action("resource_show")
def resource_show(ctx: ActionContext, data: dict[str, Any]) -> dict[str, Any]:
    """One resource (distribution) by `id`."""
    ident = str(_require(data, "id"))
    if not _is_id(ident):
        raise NotFound("Resource was not found.")
    distribution = Distribution.objects.select_related("dataset").filter(pk=int(ident)).first()
    if distribution is None:
        raise NotFound("Resource was not found.")
    dataset = selectors.dataset_get_by_id(user=ctx.user, pk=distribution.dataset_id)
    visible = (
        selectors.distribution_get(user=ctx.user, dataset=dataset, pk=int(ident))
        if dataset is not None
        else None
    )
    if dataset is None or visible is None:
        raise NotFound("Resource was not found.")
    return serializers.resource_dict(
        visible, base_url=ctx.base_url, data_allowed=permissions.can_view_data(ctx.user, dataset)
    )


# --- organizations, groups, tags --------------------------------------------------------------


@action("organization_list")
def organization_list(ctx: ActionContext, data: dict[str, Any]) -> list[Any]:
    """Organisation names, or dicts with `all_fields=true` (`limit`, `offset`, `sort`)."""
    offset, limit = _paging(data)
    orgs = list(selectors.organisation_list(user=ctx.user))
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
    visible = _public_live(ctx).values("id")
    themes = list(
        Theme.objects.annotate(
            n=Count("datasets", filter=Q(datasets__in=visible), distinct=True)
        ).order_by("code")
    )
    themes = _page(themes, offset, limit)
    if str(data.get("all_fields", "")).lower() in {"true", "1"}:
        return [serializers.group_dict(t, package_count=t.n) for t in themes]
    return [t.code for t in themes]


@action("group_show")
def group_show(ctx: ActionContext, data: dict[str, Any]) -> dict[str, Any]:
    """One theme by `id` (its code)."""
    theme = Theme.objects.filter(code=str(_require(data, "id"))).first()
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
    names = (
        _public_live(ctx)
        .exclude(keywords__name__isnull=True)
        .values_list("keywords__name", flat=True)
        .distinct()
    )
    query = str(data.get("query") or "").lower()
    result = sorted({n for n in names if query in n.lower()})
    if str(data.get("all_fields", "")).lower() in {"true", "1"}:
        return [{"id": n, "name": n, "display_name": n, "vocabulary_id": None} for n in result]
    return result


def require_token_user(ctx: ActionContext) -> Any:
    if not ctx.authenticated_by_token or ctx.user is None:
        raise NotAuthorized("Action requires an API token in the Authorization header")
    return ctx.user
