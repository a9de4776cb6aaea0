"""The review status of a dataset as the person looking at the page may see it."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.translation import gettext as _

from sdg87.catalog.models import Dataset, Status
from sdg87.catalog.selectors import dataset_status_for
from sdg87.core.actors import Actor

register = template.Library()


@register.simple_tag(takes_context=True)
def dataset_status(context: dict[str, Any], dataset: Dataset, brief: bool = False) -> str:
    """'Published' for the public; the working copy's status for its writers, marked as a
    revision in progress while the dataset is live. With `brief`, nothing for a plainly
    published dataset (the listing only flags the others)."""
    request = context.get("request")
    user: Actor | None = getattr(request, "user", None)  # None: a request without a session
    status = dataset_status_for(user=user, dataset=dataset)
    if status == Status.PUBLISHED and dataset.live:
        return "" if brief else str(Status.PUBLISHED.label)
    label = str(Status(status).label)
    if dataset.live:
        return _("%(status)s (revision in progress)") % {"status": label}
    return label
