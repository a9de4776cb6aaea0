"""Background work for the packs: record new versions of every listed pair after a data load."""

from __future__ import annotations

from collections.abc import Collection

from django.tasks import task
from django.utils.text import slugify

from sdg87.assessments.models import GoodListing
from sdg87.core.task_priority import BACKGROUND
from sdg87.geo.models import Geography
from sdg87.packs.services import pack_version_record


def packs_refresh(*, goods: Collection[str] | None = None) -> int:
    """Record a version of every good-country pair listed in any edition (of `goods`, DOL's
    spelling, when given) whose content changed; returns the number of pairs checked."""
    listings = GoodListing.objects.all()
    if goods is not None:
        listings = listings.filter(good__in=list(goods))
    pairs = listings.order_by("good", "country_id").values_list("good", "country_id")
    checked = 0
    countries = {g.pk: g for g in Geography.objects.filter(dol_goods__isnull=False).distinct()}
    for good, country_id in dict.fromkeys(pairs):
        pack_version_record(good=good, good_slug=slugify(good), country=countries[country_id])
        checked += 1
    return checked


@task(priority=BACKGROUND)
def packs_refresh_task() -> int:
    return packs_refresh()
