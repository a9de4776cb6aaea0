"""Django admin (/django-admin/): the review actions as admin actions, each one service call."""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext_lazy as _

from sdg87.catalog import services
from sdg87.catalog.models import AuditEntry, Dataset, Distribution


class DistributionInline(admin.TabularInline):
    model = Distribution
    extra = 0
    fields = ("title", "format", "byte_size", "sha256", "is_valid", "published")
    readonly_fields = ("title", "format", "byte_size", "sha256", "is_valid", "published")
    can_delete = False


def _run(modeladmin: Any, request: Any, queryset: Any, action: str, **kwargs: Any) -> None:
    done = 0
    for dataset in queryset:
        try:
            getattr(services, action)(actor=request.user, dataset=dataset, **kwargs)
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
class DatasetAdmin(admin.ModelAdmin):
    list_display = ["title", "publisher", "status", "live", "visibility", "last_modified"]
    list_filter = ["status", "live", "visibility", "licence"]
    search_fields = ["title", "slug"]
    actions = [approve, publish, unpublish]
    inlines = [DistributionInline]
    readonly_fields = [
        "status",
        "live",
        "first_published_at",
        "last_published_at",
        "data_updated_at",
        "created_by",
    ]
    raw_id_fields = ["release"]
    filter_horizontal = ["themes"]
    exclude = ["spatial", "related_series"]


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    list_display = ["created_at", "dataset_slug", "action", "actor", "from_status", "to_status"]
    list_filter = ["action"]

    def has_add_permission(self, request: Any) -> bool:
        return False

    def has_change_permission(self, request: Any, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: Any, obj: Any = None) -> bool:
        return False
