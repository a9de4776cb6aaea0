"""The published datasets that describe the bundled statistics releases (loaders.py)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime

from django.db import transaction
from django.db.models import Max, Min
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from sdg87.catalog.models import Dataset, Distribution, Status, Theme, Visibility
from sdg87.catalog.services.review import dataset_publish_bundled
from sdg87.core.html import sanitise_html
from sdg87.geo.models import Geography
from sdg87.indicators.models import Release, Series
from sdg87.orgs.models import Organisation


@transaction.atomic
def dataset_upsert_for_release(
    *,
    release: Release,
    publisher: Organisation,
    licence: str,
    frequency: str,
    themes: Sequence[str],
    download_url: str,
    download_is_api: bool = True,
) -> Dataset:
    """The published dataset describing one bundled statistics release (system action)."""
    slug = slugify(release.code)[:100]
    dataset = (
        Dataset.objects.filter(release=release).first()
        or Dataset.objects.filter(slug=slug).first()
        or Dataset(slug=slug)
    )
    obs = release.observations.all()
    years = obs.aggregate(lo=Min("year"), hi=Max("year"))
    dataset.title = release.title
    dataset.description = sanitise_html(
        "<p>" + (release.source.description or release.source.title) + "</p>"
    )
    dataset.publisher = publisher
    dataset.licence = licence
    dataset.frequency = frequency
    dataset.visibility = Visibility.PUBLIC
    dataset.identifier = release.url or release.code
    dataset.related_publications = "\n".join(
        x for x in (release.citation, release.url, release.source.url) if x
    )
    dataset.release = release
    dataset.is_bundled = True
    dataset.contact_name = publisher.name
    if years["lo"] is not None:
        dataset.temporal_start = date(years["lo"], 1, 1)
        dataset.temporal_end = date(years["hi"], 12, 31)
    released = release.released_on or date(release.year, 12, 31)
    released_at = datetime(
        released.year, released.month, released.day, tzinfo=timezone.get_current_timezone()
    )
    dataset.data_updated_at = released_at
    dataset.full_clean()
    dataset.save()
    dataset.themes.set(Theme.objects.filter(code__in=list(themes)))
    dataset.spatial.set(Geography.objects.filter(id__in=obs.values("geography_id").distinct()))
    dataset.related_series.set(Series.objects.filter(id__in=obs.values("series_id").distinct()))
    dist = dataset.distributions.filter(url=download_url).first() or Distribution(
        dataset=dataset, url=download_url
    )
    if download_is_api:
        dist.title = _("All observations of this release (CSV)")
        dist.format = "CSV"
        dist.media_type = "text/csv"
    else:
        dist.title = _("Publisher's page for this release")
        dist.format = "HTML"
        dist.media_type = "text/html"
    dist.description = release.citation
    dist.row_count = obs.count() if download_is_api else None
    dist.published = True
    dist.full_clean()
    dist.save()
    if not dataset.versions.exists() or dataset.status != Status.PUBLISHED:
        dataset_publish_bundled(
            dataset=dataset,
            note=_("Loaded from the bundled data"),
            data_updated_at=released_at,
        )
    return dataset
