"""The search page's query string as a form: request.GET in, SearchParams out.

Nothing a visitor types makes the page fail. A value that cannot be used is dropped and said
so in `notes` (plain-language sentences the page shows above the results); the rest of the
search goes on: an unknown facet value leaves the facet's other values, a bad year leaves the
other filters, a page that is not a number starts at page 1. The query itself is kept (cut to
MAX_QUERY_CHARS, control characters such as NUL removed): the search service parses it and
never lets its syntax through to the database.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable
from typing import Any

from django import forms
from django.core.validators import ProhibitNullCharactersValidator
from django.db.models import Q
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from sdg87.catalog.freshness import Freshness
from sdg87.catalog.models import Licence, ThemeCode
from sdg87.geo.models import Geography
from sdg87.library.resource_types import ResourceType
from sdg87.orgs.models import Organisation
from sdg87.search.types import (
    FACETS,
    KINDS,
    MAX_QUERY_CHARS,
    PER_PAGE_DEFAULT,
    PER_PAGE_MAX,
    SORTS,
    SearchParams,
)

# Facets chosen with repeated parameters (?kind=dataset&kind=news); "year" is year_from/year_to.
MULTI_FACETS = tuple(f for f in FACETS if f != "year")
MAX_VALUES = 50  # per facet: more is not a person choosing
MAX_VALUE_CHARS = 100
YEAR_MIN, YEAR_MAX = 1900, 2100
# Resource types the index gives content that is not a library publication.
OTHER_RESOURCE_TYPES = ("dataset", "news", "campaign", "event")

FIELD_LABELS = {
    "q": _("The search"),
    "kind": _("Type"),
    "theme": _("Theme"),
    "place": _("Country or region"),
    "organisation": _("Organisation"),
    "language": _("Language"),
    "resource_type": _("Resource type"),
    "format": _("Format"),
    "licence": _("Licence"),
    "freshness": _("Freshness"),
    "year_from": _("From year"),
    "year_to": _("To year"),
    "sort": _("Sort"),
    "page": _("Page"),
    "per_page": _("Results per page"),
}

_LANGUAGE = re.compile(r"[a-z]{2,3}")
_FORMAT = re.compile(r"[A-Za-z0-9][A-Za-z0-9.+-]{0,19}")


def _in(values: Iterable[str]) -> Callable[[list[str]], set[str]]:
    allowed = set(values)
    return lambda chosen: {v for v in chosen if v in allowed}


def _matching(pattern: re.Pattern[str]) -> Callable[[list[str]], set[str]]:
    return lambda chosen: {v for v in chosen if pattern.fullmatch(v)}


def _places(chosen: list[str]) -> set[str]:
    found = Geography.objects.filter(Q(iso3__in=chosen) | Q(code__in=chosen))
    return {v for row in found.values_list("iso3", "code") for v in row if v}


def _organisations(chosen: list[str]) -> set[str]:
    return set(Organisation.objects.filter(slug__in=chosen).values_list("slug", flat=True))


# What each facet accepts (unknown values are dropped with a note).
KNOWN: dict[str, Callable[[list[str]], set[str]]] = {
    "kind": _in(KINDS),
    "theme": _in(ThemeCode.values),
    "place": _places,
    "organisation": _organisations,
    "language": _matching(_LANGUAGE),
    "resource_type": _in([*ResourceType.values, *OTHER_RESOURCE_TYPES]),
    "format": _matching(_FORMAT),
    "licence": _in(Licence.values),
    "freshness": _in(v.value for v in Freshness),
}


def _normal(facet: str, value: str) -> str:
    value = value.strip()
    if facet == "format":
        return value.upper()
    if facet == "place" and len(value) == 3 and value.isalpha():
        return value.upper()
    if facet == "language":
        return value.lower()
    return value


class ValuesField(forms.Field):
    """Every value of a repeated parameter, trimmed, without blanks or repeats (checked
    against the facet's vocabulary by the form, which can say what it dropped)."""

    widget = forms.MultipleHiddenInput

    def to_python(self, value: Any) -> list[str]:
        if not value:
            return []
        if isinstance(value, str):
            value = [value]
        return list(dict.fromkeys(str(v).strip() for v in value if str(v).strip()))

    def validate(self, value: Any) -> None:  # nothing is required; the form filters
        return None


class QueryField(forms.CharField):
    """The query as typed: NUL and other control characters are removed by the form (with a
    note) rather than failing the field."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(required=False, **kwargs)
        self.validators = [
            v for v in self.validators if not isinstance(v, ProhibitNullCharactersValidator)
        ]


def without_controls(text: str) -> str:
    """Control characters (NUL, escape, ...) and lone surrogates become spaces."""
    return "".join(" " if unicodedata.category(c) in ("Cc", "Cs") else c for c in text)


class SearchForm(forms.Form):
    q = QueryField()
    kind = ValuesField(required=False)
    theme = ValuesField(required=False)
    place = ValuesField(required=False)
    organisation = ValuesField(required=False)
    language = ValuesField(required=False)
    resource_type = ValuesField(required=False)
    format = ValuesField(required=False)
    licence = ValuesField(required=False)
    freshness = ValuesField(required=False)
    year_from = forms.IntegerField(required=False, min_value=YEAR_MIN, max_value=YEAR_MAX)
    year_to = forms.IntegerField(required=False, min_value=YEAR_MIN, max_value=YEAR_MAX)
    sort = forms.ChoiceField(required=False, choices=[(s, s) for s in SORTS])
    page = forms.IntegerField(required=False, min_value=1)
    per_page = forms.IntegerField(required=False, min_value=1, max_value=PER_PAGE_MAX)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.notes: list[str] = []

    # --- cleaning -------------------------------------------------------------------------------

    def clean_q(self) -> str:
        q: str = self.cleaned_data.get("q") or ""
        cleaned = " ".join(without_controls(q).split())
        if cleaned != " ".join(q.split()):  # tabs and line breaks are only spaces
            self.notes.append(gettext("Characters that cannot be searched were removed."))
        if len(cleaned) > MAX_QUERY_CHARS:
            cleaned = cleaned[:MAX_QUERY_CHARS].rstrip()
            self.notes.append(
                gettext("Your search was long: only its first %(n)s characters were used.")
                % {"n": MAX_QUERY_CHARS}
            )
        return cleaned

    def _clean_values(self, facet: str) -> tuple[str, ...]:
        raw = [_normal(facet, v) for v in self.cleaned_data.get(facet) or []]
        raw = list(dict.fromkeys(v for v in raw if v))
        label = FIELD_LABELS[facet]
        if len(raw) > MAX_VALUES:
            raw = raw[:MAX_VALUES]
            self.notes.append(
                gettext("%(facet)s: only the first %(n)s values were used.")
                % {"facet": label, "n": MAX_VALUES}
            )
        usable = [v for v in raw if len(v) <= MAX_VALUE_CHARS]
        known = KNOWN[facet](usable) if usable else set()
        kept = tuple(v for v in usable if v in known)
        unknown = len(raw) - len(kept)
        if unknown == 1:
            self.notes.append(
                gettext("%(facet)s: a value that does not exist was left out.") % {"facet": label}
            )
        elif unknown:
            self.notes.append(
                gettext("%(facet)s: %(n)s values that do not exist were left out.")
                % {"facet": label, "n": unknown}
            )
        return kept

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for facet in MULTI_FACETS:
            if facet in data:
                data[facet] = self._clean_values(facet)
        year_from, year_to = data.get("year_from"), data.get("year_to")
        if year_from is not None and year_to is not None and year_from > year_to:
            data["year_from"], data["year_to"] = year_to, year_from
            self.notes.append(gettext("The years were the wrong way round: they were swapped."))
        return data

    # --- the outcome ----------------------------------------------------------------------------

    def dropped(self) -> list[str]:
        """A sentence for every field whose value could not be used at all."""
        out = []
        for name, errors in self.errors.items():
            label = FIELD_LABELS.get(name, name)
            for error in errors:
                out.append(
                    gettext("%(field)s was ignored: %(reason)s") % {"field": label, "reason": error}
                )
        return out

    def messages(self) -> list[str]:
        """Everything the page should say about the query string, in order."""
        if not self.is_bound:
            return []
        self.is_valid()
        return [*self.notes, *self.dropped()]

    def params(self) -> SearchParams:
        """The search, from what could be used (call after is_valid())."""
        if not self.is_bound:
            return SearchParams()
        self.is_valid()
        data = self.cleaned_data

        def chosen(facet: str) -> tuple[str, ...]:
            return tuple(data.get(facet) or ())

        return SearchParams(
            q=data.get("q") or "",
            kind=chosen("kind"),
            theme=chosen("theme"),
            place=chosen("place"),
            organisation=chosen("organisation"),
            language=chosen("language"),
            resource_type=chosen("resource_type"),
            format=chosen("format"),
            licence=chosen("licence"),
            freshness=chosen("freshness"),
            year_from=data.get("year_from"),
            year_to=data.get("year_to"),
            sort=data.get("sort") or SORTS[0],
            page=data.get("page") or 1,
            per_page=data.get("per_page") or PER_PAGE_DEFAULT,
        )
