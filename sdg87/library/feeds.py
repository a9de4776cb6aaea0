"""Atom feeds (django.contrib.syndication): new publications at /<lang>/library/feed/ and new
datasets at /<lang>/datasets/feed/, newest first by first publication, at most FEED_ITEMS
entries. Filters in the query: `type` (publications only), `theme`, `country` (ISO3 or
geography code), `organisation` (publisher slug), each repeatable (OR within one, AND across).

Only what anonymous visitors may see is listed: `publication_public_queryset` and the
catalog's `dataset_public_queryset`. The news and events feeds may subclass
`FilteredAtomFeed`, which parses the filters."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.contrib.syndication.views import Feed
from django.db.models import F, Q, QuerySet
from django.http import HttpRequest
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _

from sdg87.catalog.models import Dataset
from sdg87.catalog.selectors import dataset_public_queryset
from sdg87.library.listing import LibraryFilters, publication_filter
from sdg87.library.models import Publication
from sdg87.library.selectors import publication_public_queryset

FEED_ITEMS = 50


class FilteredAtomFeed(Feed):
    """An Atom feed whose `get_object` is the request's filters (LibraryFilters)."""

    feed_type = Atom1Feed

    def get_object(self, request: HttpRequest, *args: Any, **kwargs: Any) -> LibraryFilters:
        self.request = request
        return LibraryFilters.from_query(dict(request.GET.lists()))

    def feed_url(self, obj: LibraryFilters) -> str:
        return self.request.get_full_path()


class PublicationFeed(FilteredAtomFeed):
    def title(self, obj: LibraryFilters) -> str:
        return _("New publications in the SDG 8.7 library")

    def subtitle(self, obj: LibraryFilters) -> str:
        return _(
            "Research, evaluations, lessons learned and guidance on ending forced labour, "
            "modern slavery, human trafficking and child labour, newest first."
        )

    def link(self, obj: LibraryFilters) -> str:
        return reverse("library:publication_list")

    def items(self, obj: LibraryFilters) -> QuerySet[Publication]:
        filters = LibraryFilters(
            type=obj.type, theme=obj.theme, country=obj.country, organisation=obj.organisation
        )
        return (
            publication_filter(publication_public_queryset(), filters=filters)
            .select_related("publisher")
            .prefetch_related("creators")
            .order_by(F("first_published_at").desc(nulls_last=True), "-id")[:FEED_ITEMS]
        )

    def item_title(self, item: Publication) -> str:
        return item.title

    def item_description(self, item: Publication) -> str:
        return item.abstract

    def item_link(self, item: Publication) -> str:
        return reverse("library:publication_detail", kwargs={"slug": item.slug})

    def item_guid(self, item: Publication) -> str:
        return self.request.build_absolute_uri(self.item_link(item))

    def item_pubdate(self, item: Publication) -> datetime | None:
        return item.first_published_at

    def item_updateddate(self, item: Publication) -> datetime | None:
        return item.last_published_at or item.first_published_at

    def item_author_name(self, item: Publication) -> str:
        names = [str(c) for c in item.creators.all()]
        if names:
            return "; ".join(names[:3]) + ("; …" if len(names) > 3 else "")
        return item.publisher_name or (item.publisher.name if item.publisher else "")

    def item_categories(self, item: Publication) -> list[str]:
        return [item.resource_type]


class DatasetFeed(FilteredAtomFeed):
    def title(self, obj: LibraryFilters) -> str:
        return _("New datasets in the SDG 8.7 data catalogue")

    def subtitle(self, obj: LibraryFilters) -> str:
        return _("Datasets published on the platform, newest first.")

    def link(self, obj: LibraryFilters) -> str:
        return reverse("catalog:dataset_list")

    def items(self, obj: LibraryFilters) -> QuerySet[Dataset]:
        qs = dataset_public_queryset()
        if obj.theme:
            qs = qs.filter(id__in=Dataset.objects.filter(themes__code__in=obj.theme).values("id"))
        if obj.country:
            geo = Q(spatial__iso3__in=obj.country) | Q(spatial__code__in=obj.country)
            qs = qs.filter(id__in=Dataset.objects.filter(geo).values("id"))
        if obj.organisation:
            qs = qs.filter(publisher__slug__in=obj.organisation)
        return qs.select_related("publisher").order_by(
            F("first_published_at").desc(nulls_last=True), "-id"
        )[:FEED_ITEMS]

    def item_title(self, item: Dataset) -> str:
        return item.title

    def item_description(self, item: Dataset) -> str:
        return item.description  # sanitised HTML (catalog services)

    def item_link(self, item: Dataset) -> str:
        return item.get_absolute_url()

    def item_guid(self, item: Dataset) -> str:
        return self.request.build_absolute_uri(self.item_link(item))

    def item_pubdate(self, item: Dataset) -> datetime | None:
        return item.first_published_at

    def item_updateddate(self, item: Dataset) -> datetime | None:
        return item.last_modified

    def item_author_name(self, item: Dataset) -> str:
        return item.publisher.name
