"""Reads behind the CKAN actions. They build on the catalog selectors, so a dataset is
visible through CKAN under exactly the rules of the pages, the REST API and DCAT."""

from __future__ import annotations

from collections import Counter
from typing import Any

from django.contrib.auth.models import User
from django.db.models import Count, Q, QuerySet
from wagtail.models import APIToken

from sdg87.catalog import selectors
from sdg87.catalog.ckan.errors import NotAuthorized, ValidationError
from sdg87.catalog.ckan.query import SearchParams
from sdg87.catalog.models import Dataset, Distribution, Theme, Visibility
from sdg87.core.actors import Actor
from sdg87.orgs.models import Organisation


def is_id(text: str) -> bool:
    """A database id: ASCII digits only ("²" passes str.isdigit but not int()), and small
    enough for the database's integer."""
    return text.isascii() and text.isdigit() and len(text) <= 18


def _ident_q(ident: str, field: str) -> Q:
    """An `id` parameter: all digits is the primary key and nothing else; anything else is the
    name. Never "one, then the other": a name that looks like another object's id must not
    answer in its place (dataset names must contain a letter, sdg87.catalog.validators)."""
    if ident.isdigit():
        return Q(pk=int(ident)) if is_id(ident) else Q(pk__in=[])
    return Q(**{field: ident})


def token_user(*, raw: str) -> User | None:
    """The active owner of a Wagtail API token (Authorization header value), or None when no
    token was sent. A token that is unknown, revoked or whose user is inactive is refused."""
    raw = raw.strip().removeprefix("Bearer ").strip()
    if not raw:
        return None
    token = (
        APIToken.objects.select_related("user")
        .filter(key_hash__in=APIToken.candidate_key_hashes(raw), revoked_at__isnull=True)
        .first()
    )
    if token is None or not token.user.is_active:
        raise NotAuthorized("Invalid or revoked API token")
    user: User = token.user  # a ForeignKey to the user model (Wagtail is untyped)
    return user


def ckan_datasets(
    *, user: Actor | None, include_private: bool = False, include_drafts: bool = False
) -> QuerySet[Dataset]:
    """Datasets CKAN lists: published ones the user may see; private (organisation-only) and
    drafts only on request, as CKAN's include_private/include_drafts."""
    qs = selectors.dataset_visible_queryset(user=user)
    if not include_drafts:
        qs = qs.filter(live=True)
    if not include_private:
        qs = qs.exclude(visibility=Visibility.ORGANISATION)
    return qs


def ckan_dataset_get(*, user: Actor | None, ident: str) -> Dataset | None:
    """A dataset the user may see, by name or id."""
    return (
        selectors.dataset_visible_queryset(user=user)
        .filter(_ident_q(ident, "slug"))
        .select_related("publisher", "publisher__country", "publisher__logo")
        .prefetch_related("themes", "spatial", "related_series", "keywords")  # type: ignore[misc]
        .first()
    )


def ckan_organisation_get(*, ident: str) -> Organisation | None:
    return (
        Organisation.objects.select_related("country", "logo")
        .filter(_ident_q(ident, "slug"))
        .first()
    )


def ckan_theme_get(*, code: str) -> Theme | None:
    return Theme.objects.filter(code=code).first()


def ckan_theme_list(*, user: Actor | None) -> list[Theme]:
    """Every theme, annotated `n` = number of datasets CKAN lists for the user."""
    visible = ckan_datasets(user=user).values("id")
    return list(
        Theme.objects.annotate(
            n=Count("datasets", filter=Q(datasets__in=visible), distinct=True)
        ).order_by("code")
    )


def ckan_tag_names(*, user: Actor | None) -> set[str]:
    return set(
        ckan_datasets(user=user)
        .exclude(keywords__name__isnull=True)
        .values_list("keywords__name", flat=True)
        .distinct()
    )


def ckan_distribution_get(*, user: Actor | None, ident: str) -> tuple[Dataset, Distribution] | None:
    """A distribution the user may see listed, with its dataset."""
    if not is_id(ident):
        return None
    dataset_id = (
        Distribution.objects.filter(pk=int(ident)).values_list("dataset_id", flat=True).first()
    )
    dataset = selectors.dataset_get_by_id(user=user, pk=dataset_id) if dataset_id else None
    if dataset is None:
        return None
    distribution = selectors.distribution_get(user=user, dataset=dataset, pk=int(ident))
    return (dataset, distribution) if distribution is not None else None


def ckan_dataset_search(
    *, user: Actor | None, params: SearchParams, include_drafts: bool = False
) -> QuerySet[Dataset]:
    """package_search: text, fq filters and exclusions, sort; ordered and annotated."""
    qs = ckan_datasets(
        user=user, include_private=params.include_private, include_drafts=include_drafts
    )
    if params.q:
        ids = selectors.dataset_search(user=user, q=params.q, facets=False).datasets
        qs = qs.filter(id__in=ids.values("id"))
    for name, values in params.filters.items():
        qs = qs.filter(_filter_q(name, values))
    for name, values in params.excludes.items():
        qs = qs.exclude(_filter_q(name, values))
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
            pks = [int(v) for v in values if is_id(v)]
            return Q(publisher_id__in=pks) | Q(
                publisher__slug__in=[v for v in values if not v.isdigit()]
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
            return Q(pk__in=[int(v) for v in values if is_id(v)])
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


def ckan_facets(
    *, qs: QuerySet[Dataset], params: SearchParams
) -> tuple[dict[str, dict[str, int]], dict[str, dict[str, Any]]]:
    """CKAN's `facets` and `search_facets` for the requested facet fields."""
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
