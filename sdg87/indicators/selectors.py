from __future__ import annotations

from django.db.models import QuerySet

from sdg87.indicators.models import Indicator


def indicator_list() -> QuerySet[Indicator]:
    return Indicator.objects.prefetch_related("series").order_by("sort_order", "code")
