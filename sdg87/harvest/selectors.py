"""Reads of the harvester: sources an editor manages, runs, reports, a dataset's provenance."""

from __future__ import annotations

from datetime import datetime

from django.db.models import QuerySet
from django.utils import timezone

from sdg87.core.actors import Actor
from sdg87.harvest.models import HarvestedRecord, HarvestRun, HarvestSource
from sdg87.harvest.permissions import harvest_organisation_ids


def harvest_source_list(*, user: Actor | None) -> QuerySet[HarvestSource]:
    """The sources of the organisations the user edits (all for a superuser)."""
    qs = HarvestSource.objects.select_related("organisation")
    ids = harvest_organisation_ids(user)
    return qs if ids is None else qs.filter(organisation_id__in=ids)


def harvest_source_get(*, user: Actor | None, pk: int) -> HarvestSource | None:
    return harvest_source_list(user=user).filter(pk=pk).first()


def harvest_run_get(*, user: Actor | None, pk: int) -> HarvestRun | None:
    sources = harvest_source_list(user=user)
    return HarvestRun.objects.select_related("source").filter(pk=pk, source__in=sources).first()


def harvest_source_due_ids(*, now: datetime | None = None) -> list[int]:
    now = now or timezone.now()
    return list(
        HarvestSource.objects.filter(active=True, next_run_at__lte=now)
        .order_by("next_run_at", "pk")
        .values_list("pk", flat=True)
    )


def harvested_record_for(*, dataset_id: int) -> HarvestedRecord | None:
    """Where a dataset was harvested from (None for one made here)."""
    return HarvestedRecord.objects.select_related("source").filter(dataset_id=dataset_id).first()
