"""{% disclosure_certificate dataset as cert %}: the latest certificate of a dataset (pages
that show the dataset have already checked that the user may see it)."""

from __future__ import annotations

from django import template

from sdg87.catalog.models import Dataset
from sdg87.disclosure.models import Certificate
from sdg87.disclosure.selectors import certificate_latest

register = template.Library()


@register.simple_tag
def disclosure_certificate(dataset: Dataset) -> Certificate | None:
    return certificate_latest(dataset=dataset)
