"""Reads of news and events. Every public read (pages, feeds, iCalendar, API) starts from
`news_public_queryset` or `event_public_queryset`: live pages, without view restrictions, not
past their expiry, in one locale. Drafts, pages scheduled for later and pages waiting for
moderation are not live, so they never appear."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone
from wagtail.models import Locale, Page

from sdg87.library.pages import EventIndexPage, EventPage, NewsIndexPage, NewsPage


def _locale(locale: Locale | str | None) -> Locale:
    if isinstance(locale, Locale):
        return locale
    code = locale or "en"
    found = Locale.objects.filter(language_code=code).first()
    return found or Locale.get_default()


def withdrawn_originals() -> QuerySet[Page]:
    """Translation keys of pages whose original (default-locale) page is not live: their
    translations are not shown either (unpublishing the English page withdraws them all)."""
    return Page.objects.filter(locale=Locale.get_default(), live=False).values("translation_key")


def _public(qs: Any, locale: Locale | str | None, now: datetime | None) -> QuerySet[Any]:
    now = now or timezone.now()
    return (
        qs.live()
        .public()
        .filter(locale=_locale(locale))
        .exclude(expire_at__lte=now)
        .exclude(translation_key__in=withdrawn_originals())
        .select_related("organisation", "source_organisation", "locale")
    )


def news_public_queryset(
    *, locale: Locale | str | None = None, now: datetime | None = None
) -> QuerySet[NewsPage]:
    return _public(NewsPage.objects.all(), locale, now).prefetch_related("themes", "countries")


def event_public_queryset(
    *, locale: Locale | str | None = None, now: datetime | None = None
) -> QuerySet[EventPage]:
    return (
        _public(EventPage.objects.all(), locale, now)
        .select_related("country")
        .prefetch_related("themes")
    )


def _organisation_q(organisation: list[str]) -> Q:
    return Q(organisation__slug__in=organisation) | Q(source_organisation__slug__in=organisation)


def news_filter(
    qs: QuerySet[NewsPage],
    *,
    theme: list[str] | None = None,
    country: list[str] | None = None,
    organisation: list[str] | None = None,
) -> QuerySet[NewsPage]:
    """Themes by code, countries by ISO3 (or a region's code), organisations by slug (the
    organisation of the item or the publisher of its source). Values of one filter are ORed."""
    if theme:
        qs = qs.filter(themes__code__in=theme)
    if country:
        qs = qs.filter(Q(countries__iso3__in=country) | Q(countries__code__in=country))
    if organisation:
        qs = qs.filter(_organisation_q(organisation))
    return qs.distinct()


def event_filter(
    qs: QuerySet[EventPage],
    *,
    theme: list[str] | None = None,
    country: list[str] | None = None,
    organisation: list[str] | None = None,
    date_from: date | None = None,
    date_to: date | None = None,
) -> QuerySet[EventPage]:
    """As `news_filter`; `date_from`/`date_to` keep events running on any day of the range."""
    if theme:
        qs = qs.filter(themes__code__in=theme)
    if country:
        qs = qs.filter(Q(country__iso3__in=country) | Q(country__code__in=country))
    if organisation:
        qs = qs.filter(_organisation_q(organisation))
    if date_from:
        qs = qs.filter(last_day__gte=date_from)
    if date_to:
        qs = qs.filter(start_date__lte=date_to)
    return qs.distinct()


def _running_or_later(now: datetime) -> Q:
    # Timed events end at their end (or start) time; all-day events at the end of their last
    # day, wherever that is: an all-day event stays upcoming through its last day, UTC.
    return (
        Q(ends_at__gte=now)
        | Q(ends_at__isnull=True, starts_at__gte=now)
        | Q(starts_at__isnull=True, last_day__gte=now.astimezone(UTC).date())
    )


def events_upcoming(qs: QuerySet[EventPage], *, now: datetime) -> QuerySet[EventPage]:
    """Events not yet over at `now` (running ones included), soonest first."""
    return qs.filter(_running_or_later(now)).order_by("start_date", "starts_at", "id")


def events_past(qs: QuerySet[EventPage], *, now: datetime) -> QuerySet[EventPage]:
    """Events over by `now`, most recent first."""
    return qs.exclude(_running_or_later(now)).order_by("-last_day", "-start_date", "-id")


@dataclass(frozen=True)
class Option:
    value: str
    label: str


@dataclass(frozen=True)
class FilterOptions:
    themes: list[Option]
    countries: list[Option]
    organisations: list[Option]


def filter_options(qs: QuerySet[Any]) -> FilterOptions:
    """The themes, countries and organisations that the public items of `qs` carry."""
    from sdg87.catalog.models import Theme
    from sdg87.geo.models import Geography
    from sdg87.orgs.models import Organisation

    ids = qs.model.objects.filter(id__in=list(qs.values_list("id", flat=True)))
    geo_field = "countries" if qs.model is NewsPage else "country"
    geo = Geography.objects.filter(id__in=ids.values(geo_field))
    themes = Theme.objects.filter(id__in=ids.values("themes"))
    orgs = Organisation.objects.filter(
        Q(id__in=ids.values("organisation")) | Q(id__in=ids.values("source_organisation"))
    )
    return FilterOptions(
        themes=sorted(
            (Option(t.code, str(t.label)) for t in themes.distinct()), key=lambda o: o.label
        ),
        countries=sorted(
            (Option(g.iso3 or g.code, g.name) for g in geo.distinct()), key=lambda o: o.label
        ),
        organisations=sorted(
            (Option(o.slug, o.name) for o in orgs.distinct()), key=lambda o: o.label
        ),
    )


def news_index(*, locale: Locale | str | None = None) -> NewsIndexPage | None:
    return NewsIndexPage.objects.live().filter(locale=_locale(locale)).first()


def event_index(*, locale: Locale | str | None = None) -> EventIndexPage | None:
    return EventIndexPage.objects.live().filter(locale=_locale(locale)).first()


def event_public_get(*, locale: Locale | str | None, slug: str) -> EventPage | None:
    return event_public_queryset(locale=locale).filter(slug=slug).first()
