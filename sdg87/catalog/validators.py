"""Rules on dataset names (slugs) and metadata shared by every path that writes a dataset: the
services, the Wagtail admin form, the data pages' form and the CKAN write actions.

A dataset's name must contain a letter. An all-digit name would read like a primary key, and
the CKAN API resolves an all-digit `id` to the primary key only (see docs/api.md): a dataset
named "27" in one organisation could otherwise be mistaken for, or hide, dataset 27 of another.
"""

from __future__ import annotations

import functools
import gettext as gettext_module
import re
from collections.abc import Sequence
from datetime import date

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import get_language
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


# --- dataset metadata ------------------------------------------------------------------------
# The rules every path that writes a dataset applies (the services call `dataset_field_errors`;
# the data pages' form calls it too, so that a contributor sees every problem at once).


@functools.cache
def language_names() -> dict[str, str]:
    """ISO 639-1 code -> English name of every language a dataset may be in (pycountry)."""
    import pycountry

    return {
        lang.alpha_2: lang.name for lang in pycountry.languages if getattr(lang, "alpha_2", None)
    }


def language_name(code: str) -> str:
    """The name of a language in the active language (pycountry's translations of ISO 639),
    or "" for an unknown code."""
    english = language_names().get(code)
    if english is None:
        return ""
    return _language_translations(get_language() or "en").gettext(english)


@functools.cache
def _language_translations(lang: str) -> gettext_module.NullTranslations:
    import pycountry

    return gettext_module.translation(
        "iso639-3", pycountry.LOCALES_DIR, languages=[lang[:2]], fallback=True
    )


def language_choices() -> list[tuple[str, str]]:
    """(code, "Name (code)") for every language, by name in the active language."""
    choices = [(code, f"{language_name(code)} ({code})") for code in language_names()]
    return sorted(choices, key=lambda choice: choice[1].casefold())


def dataset_field_errors(
    *,
    language: str | None = None,
    temporal_start: date | None = None,
    temporal_end: date | None = None,
    spatial: Sequence[str] | None = None,
    related_series: Sequence[str] | None = None,
) -> dict[str, list[str]]:
    """Every problem of these dataset values, by field ({} when there is none): a language
    that is not an ISO 639-1 code (None: not checked, e.g. an unchanged stored value), a
    temporal coverage that ends before it starts, geography and series codes the platform
    does not know. The field names are the services' (`language`, `temporal_end`, `spatial`,
    `related_series`)."""
    errors: dict[str, list[str]] = {}
    if language is not None and language not in language_names():
        errors["language"] = [
            _("'%(code)s' is not a language code: choose the language from the list (ISO 639-1).")
            % {"code": language[:20]}
        ]
    if temporal_start and temporal_end and temporal_end < temporal_start:
        errors["temporal_end"] = [
            _(
                "The temporal coverage ends (%(end)s) before it starts (%(start)s): "
                "check the two dates."
            )
            % {"start": temporal_start.isoformat(), "end": temporal_end.isoformat()}
        ]
    if spatial:
        unknown = unknown_geography_codes(spatial)
        if unknown:
            errors["spatial"] = [
                _("Unknown geography codes: %(codes)s") % {"codes": ", ".join(unknown)}
            ]
    if related_series:
        unknown = unknown_series_codes(related_series)
        if unknown:
            errors["related_series"] = [
                _(
                    "Unknown series codes: %(codes)s. Use the codes of series on the platform, "
                    "e.g. SL_TLF_CHLDEA."
                )
                % {"codes": ", ".join(unknown)}
            ]
    return errors


def unknown_geography_codes(codes: Sequence[str]) -> list[str]:
    """The codes (ISO3, M49 or platform codes, any case) that name no geography."""
    from sdg87.geo.models import Geography

    wanted = [c.strip().upper() for c in codes if c.strip()]
    found = Geography.objects.filter(Q(iso3__in=wanted) | Q(code__in=wanted))
    known = set()
    for code, iso3 in found.values_list("code", "iso3"):
        known.update({code, iso3})
    return [c for c in dict.fromkeys(wanted) if c not in known]


def unknown_series_codes(codes: Sequence[str]) -> list[str]:
    """The series codes (exact) that name no series."""
    from sdg87.indicators.models import Series

    wanted = [c.strip() for c in codes if c.strip()]
    known = set(Series.objects.filter(code__in=wanted).values_list("code", flat=True))
    return [c for c in dict.fromkeys(wanted) if c not in known]
