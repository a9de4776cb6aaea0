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


# --- search text ---------------------------------------------------------------------------------

# Each word becomes one condition (a few LIKE comparisons and a keyword subquery) of a single
# query: these bounds keep that query small whatever is typed or sent.
MAX_SEARCH_CHARS = 500
MAX_SEARCH_WORDS = 16
MAX_SEARCH_WORD_CHARS = 64


def search_words(q: str) -> list[str]:
    """The distinct words of a search text, in order (case-insensitively distinct); a
    ValidationError (code "search_too_long") when the text, a word or the number of words is
    beyond the bounds above."""
    if len(q) > MAX_SEARCH_CHARS:
        raise ValidationError(
            _("The search text is too long: use at most %(max)s characters.")
            % {"max": MAX_SEARCH_CHARS},
            code="search_too_long",
        )
    distinct: dict[str, str] = {}
    for word in q.split():
        distinct.setdefault(word.casefold(), word)
    words = list(distinct.values())
    if len(words) > MAX_SEARCH_WORDS:
        raise ValidationError(
            _("The search has too many words: use at most %(max)s.") % {"max": MAX_SEARCH_WORDS},
            code="search_too_long",
        )
    if any(len(word) > MAX_SEARCH_WORD_CHARS for word in words):
        raise ValidationError(
            _("A search word is too long: use words of at most %(max)s characters.")
            % {"max": MAX_SEARCH_WORD_CHARS},
            code="search_too_long",
        )
    return words
