"""Rules on dataset names (slugs) shared by every path that names a dataset: the services, the
Wagtail admin form and the CKAN write actions.

A dataset's name must contain a letter. An all-digit name would read like a primary key, and
the CKAN API resolves an all-digit `id` to the primary key only (see docs/api.md): a dataset
named "27" in one organisation could otherwise be mistaken for, or hide, dataset 27 of another.
"""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

_LETTER = re.compile(r"[A-Za-z]")


def slug_has_letter(value: str) -> bool:
    """True when `value` contains at least one ASCII letter."""
    return _LETTER.search(value) is not None


def validate_dataset_slug(value: str) -> None:
    """Refuse a dataset name without a letter (empty names are left to the caller)."""
    if value and not slug_has_letter(value):
        raise ValidationError(
            _(
                "A dataset name must contain at least one letter: a name made only of digits "
                "would be confused with a dataset id."
            ),
            code="slug_without_letter",
        )


def slug_with_letter(base: str) -> str:
    """`base`, prefixed with "dataset-" when it has no letter (a title such as "2024")."""
    return base if slug_has_letter(base) else f"dataset-{base}"
