"""Django admin (/django-admin/): the review actions as admin actions, each one service call.

The admin is not a second editor: domain models are read-only here (no add, change or delete,
even for superusers), so every write goes through the services, which sanitise, check and
audit. Datasets are edited on the site's pages or in the Wagtail admin.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext_lazy as _
from taggit import admin as taggit_admin  # noqa: F401  (registers Tag now, replaced below)
from taggit.models import Tag

from sdg87.catalog.models import AuditEntry, Dataset, Distribution
from sdg87.catalog.services import review


class ReadOnlyAdminMixin:
    """View only: the add, change and delete views (and delete_selected) answer 403."""

    def has_add_permission(self, request: Any, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: Any, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: Any, obj: Any = None) -> bool:
        return False


class DistributionInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = Distribution
    extra = 0
    fields = ("title", "format", "byte_size", "sha256", "is_valid", "published")
    readonly_fields = ("title", "format", "byte_size", "sha256", "is_valid", "published")
    can_delete = False


def _run(modeladmin: Any, request: Any, queryset: Any, action: str, **kwargs: Any) -> None:
    done = 0
    for dataset in queryset:
        try:
            getattr(review, action)(actor=request.user, dataset=dataset, **kwargs)
            done += 1
        except (PermissionDenied, ValidationError) as exc:
            modeladmin.message_user(request, f"{dataset.slug}: {exc}", messages.ERROR)
    modeladmin.message_user(request, _("%(n)s dataset(s) updated.") % {"n": done})


@admin.action(description=_("Approve selected submitted datasets"))
def approve(modeladmin: Any, request: Any, queryset: Any) -> None:
    _run(modeladmin, request, queryset, "dataset_approve")


@admin.action(description=_("Publish selected approved datasets"))
def publish(modeladmin: Any, request: Any, queryset: Any) -> None:
    _run(modeladmin, request, queryset, "dataset_publish")


@admin.action(description=_("Unpublish selected datasets"))
def unpublish(modeladmin: Any, request: Any, queryset: Any) -> None:
    _run(modeladmin, request, queryset, "dataset_unpublish")


@admin.register(Dataset)
class DatasetAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["title", "publisher", "status", "live", "visibility", "last_modified"]
    list_filter = ["status", "live", "visibility", "licence"]
    search_fields = ["title", "slug"]
    # the only writes here: each action is one service call (permission, audit, statistics)
    actions = [approve, publish, unpublish]
    inlines = [DistributionInline]
    exclude = ["spatial", "related_series"]


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["created_at", "dataset_slug", "action", "actor", "from_status", "to_status"]
    list_filter = ["action"]


# Tags are the datasets' keywords: renaming or merging them here (taggit's admin) would edit
# datasets without an audit entry. Listed read-only instead.
if admin.site.is_registered(Tag):
    admin.site.unregister(Tag)


@admin.register(Tag)
class KeywordAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["name", "slug"]
    ordering = ["name", "slug"]
    search_fields = ["name"]
