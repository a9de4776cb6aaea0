"""News and events as Wagtail pages (issue 10 item 4): revisions, moderation, scheduled
publishing and translation with wagtail-localize come from Wagtail.

Tree, per locale: the locale's home page (the Site root; the Django home view still serves
/<lang>/) has a `NewsIndexPage` (slug "news", /<lang>/news/) and an `EventIndexPage` (slug
"events", /<lang>/events/). French and Spanish pages are wagtail-localize translations of the
English ones (same `translation_key`); text not yet translated is the English text, and the
templates mark it `lang="en"`.

Dates are stored as honestly as the source gives them: `date_precision` says whether a date is
known to the day, the month or only the year (the stored date is then the first day of that
month or year and is shown as "June 2017" or "2017"). An event with a known time has aware
`starts_at`/`ends_at` and an IANA `time_zone`; without one it is an all-day event and no time
is invented. Reads go through sdg87.library.news_selectors (live, public pages only); writes
through sdg87.library.news_services.
"""

from __future__ import annotations

import calendar
import zoneinfo
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, TypedDict
from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from django.core.paginator import Page as PaginatorPage
from django.core.paginator import Paginator
from django.db import models
from django.http import Http404, HttpRequest
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Locale, Page
from wagtail_localize.fields import SynchronizedField, TranslatableField

RICH_TEXT_FEATURES = ["h2", "h3", "bold", "italic", "ol", "ul", "link"]
PAGE_SIZE = 20


class DatePrecision(models.TextChoices):
    DAY = "day", _("Day")
    MONTH = "month", _("Month (day not known)")
    YEAR = "year", _("Year (month and day not known)")


class NewsKind(models.TextChoices):
    NEWS = "news", _("News")
    CAMPAIGN = "campaign", _("Campaign")


def period_last_day(value: date, precision: str) -> date:
    """The last day a date of this precision may stand for: 2017-06 (month) -> 2017-06-30."""
    if precision == DatePrecision.YEAR:
        return date(value.year, 12, 31)
    if precision == DatePrecision.MONTH:
        return date(value.year, value.month, calendar.monthrange(value.year, value.month)[1])
    return value


def period_first_day(value: date, precision: str) -> date:
    if precision == DatePrecision.YEAR:
        return date(value.year, 1, 1)
    if precision == DatePrecision.MONTH:
        return date(value.year, value.month, 1)
    return value


@dataclass(frozen=True)
class When:
    """A date or time for a <time> element: `iso` for its datetime attribute ("2017-06",
    "2002", "2010-05-10", or an ISO datetime with offset), `label` in the active language."""

    iso: str
    label: str


def when_of(value: date, precision: str) -> When:
    if precision == DatePrecision.YEAR:
        return When(f"{value.year:04d}", f"{value.year}")
    if precision == DatePrecision.MONTH:
        return When(f"{value.year:04d}-{value.month:02d}", date_format(value, "YEAR_MONTH_FORMAT"))
    return When(value.isoformat(), date_format(value, "DATE_FORMAT"))


def when_at(value: datetime, zone_name: str) -> When:
    return When(
        value.isoformat(timespec="minutes"),
        f"{date_format(value, 'DATETIME_FORMAT')} ({zone_name})",
    )


def host_of(url: str) -> str:
    return (urlsplit(url).hostname or "").lower().removeprefix("www.")


def on_domain(url: str, website: str) -> bool:
    """Whether `url` is on the web domain of `website` (subdomains included)."""
    host, domain = host_of(url), host_of(website)
    return bool(host and domain) and (host == domain or host.endswith("." + domain))


class SourceMixin(models.Model):
    """Where the item is drawn from. `source_url` is shown as the publisher's page only when it
    is on the own web domain of the item's organisation or `source_organisation`; any other
    link is shown as "reported by <host>", never as the source."""

    source_url = models.URLField(
        _("source"),
        max_length=1000,
        blank=True,
        help_text=_("The publisher's own page the item is drawn from"),
    )
    source_organisation = models.ForeignKey(
        "orgs.Organisation",
        verbose_name=_("source published by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("The organisation whose own website holds the source page"),
    )

    class Meta:
        abstract = True

    @property
    def source_publisher(self) -> Any:
        """The organisation whose own page `source_url` is, or None (a report elsewhere)."""
        for org in (self.source_organisation, getattr(self, "organisation", None)):
            if org is not None and org.website and on_domain(self.source_url, org.website):
                return org
        return None

    @property
    def source_host(self) -> str:
        return host_of(self.source_url)

    def original_is_live(self) -> bool:
        """A translation is public only while its original (default-locale) page is live."""
        original = Page.objects.filter(
            translation_key=self.translation_key,  # type: ignore[attr-defined]
            locale=Locale.get_default(),
        ).first()
        return original is None or original.live

    def serve(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        if not self.original_is_live():
            raise Http404
        return super().serve(request, *args, **kwargs)  # type: ignore[misc]


def untranslated_fields(page: Page, names: tuple[str, ...]) -> set[str]:
    """Fields of a translated page whose text is still the same as its English source page's
    (wagtail-localize falls back to the source text): the templates mark them lang="en"."""
    if page.locale.language_code == "en":
        return set()
    source = page.get_translation_or_none(page.locale.get_default())
    if source is None or source.locale_id == page.locale_id:
        return set()
    source = source.specific
    return {
        name
        for name in names
        if getattr(page, name) and getattr(page, name) == getattr(source, name)
    }


def untranslated_ids(items: Any) -> set[int]:
    """Ids of translated pages in `items` whose title is still their English page's title."""
    items = list(items)
    foreign = [p for p in items if p.locale.language_code != "en"]
    if not foreign:
        return set()
    english = dict(
        Page.objects.filter(
            translation_key__in=[p.translation_key for p in foreign], locale__language_code="en"
        ).values_list("translation_key", "title")
    )
    return {p.id for p in foreign if english.get(p.translation_key) == p.title}


class Filters(TypedDict):
    theme: list[str]
    country: list[str]
    organisation: list[str]


def _filters_from(request: HttpRequest) -> Filters:
    def values(key: str) -> list[str]:
        return [v for v in request.GET.getlist(key) if v][:20]

    return {
        "theme": values("theme"),
        "country": values("country"),
        "organisation": values("organisation"),
    }


def _paginate(items: Any, request: HttpRequest) -> PaginatorPage:
    return Paginator(items, PAGE_SIZE).get_page(request.GET.get("page"))


def _query_without_page(request: HttpRequest) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


class NewsIndexPage(Page):
    intro = models.TextField(_("introduction"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types = ["wagtailcore.Page"]
    subpage_types = ["library.NewsPage"]
    max_count_per_parent = 1
    template = "library/news/news_index.html"

    class Meta:
        verbose_name = _("news index")

    def get_context(self, request: HttpRequest, *args: Any, **kwargs: Any) -> dict[str, Any]:
        from sdg87.library import news_selectors as sel

        context = super().get_context(request, *args, **kwargs)
        filters = _filters_from(request)
        base = sel.news_public_queryset(locale=self.locale)
        items = sel.news_filter(base, **filters).order_by("-date", "-id")
        page_of_items = _paginate(items, request)
        context.update(
            items=page_of_items,
            untranslated_ids=untranslated_ids(page_of_items),
            filters=filters,
            options=sel.filter_options(base),
            query=_query_without_page(request),
            untranslated=untranslated_fields(self, ("title", "intro")),
        )
        return context


class EventIndexPage(Page):
    intro = models.TextField(_("introduction"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types = ["wagtailcore.Page"]
    subpage_types = ["library.EventPage"]
    max_count_per_parent = 1
    template = "library/news/event_index.html"

    class Meta:
        verbose_name = _("events index")

    def get_context(self, request: HttpRequest, *args: Any, **kwargs: Any) -> dict[str, Any]:
        from sdg87.library import news_selectors as sel

        context = super().get_context(request, *args, **kwargs)
        filters = _filters_from(request)
        when = "past" if request.GET.get("when") == "past" else "upcoming"
        base = sel.event_public_queryset(locale=self.locale)
        filtered = sel.event_filter(base, **filters)
        now = timezone.now()
        items = (
            sel.events_past(filtered, now=now)
            if when == "past"
            else sel.events_upcoming(filtered, now=now)
        )
        page_of_items = _paginate(items, request)
        context.update(
            items=page_of_items,
            untranslated_ids=untranslated_ids(page_of_items),
            when=when,
            filters=filters,
            options=sel.filter_options(base),
            query=_query_without_page(request),
            untranslated=untranslated_fields(self, ("title", "intro")),
        )
        return context


class NewsPage(SourceMixin, Page):  # type: ignore[django-manager-missing]
    date = models.DateField(_("date"))
    date_precision = models.CharField(
        _("date known to the"),
        max_length=8,
        choices=DatePrecision.choices,
        default=DatePrecision.DAY,
    )
    end_date = models.DateField(
        _("end date"), null=True, blank=True, help_text=_("For a campaign that runs over a period")
    )
    kind = models.CharField(
        _("kind"), max_length=12, choices=NewsKind.choices, default=NewsKind.NEWS
    )
    summary = models.TextField(_("summary"), blank=True)
    body = RichTextField(_("body"), blank=True, features=RICH_TEXT_FEATURES)
    themes = ParentalManyToManyField(
        "catalog.Theme", verbose_name=_("themes"), blank=True, related_name="news_pages"
    )
    countries = ParentalManyToManyField(
        "geo.Geography",
        verbose_name=_("countries and regions"),
        blank=True,
        related_name="news_pages",
    )
    organisation = models.ForeignKey(
        "orgs.Organisation",
        verbose_name=_("organisation"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    content_panels = [
        *Page.content_panels,
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("date"), FieldPanel("date_precision")]),
                FieldPanel("end_date"),
            ],
            heading=_("When"),
        ),
        FieldPanel("kind"),
        FieldPanel("summary"),
        FieldPanel("body"),
        FieldPanel("themes"),
        FieldPanel("countries"),
        FieldPanel("organisation"),
        FieldPanel("source_url"),
        FieldPanel("source_organisation"),
    ]
    translatable_fields = [
        TranslatableField("title"),
        TranslatableField("seo_title"),
        TranslatableField("search_description"),
        TranslatableField("summary"),
        TranslatableField("body"),
        SynchronizedField("slug"),
        SynchronizedField("date"),
        SynchronizedField("date_precision"),
        SynchronizedField("end_date"),
        SynchronizedField("kind"),
        SynchronizedField("themes"),
        SynchronizedField("countries"),
        SynchronizedField("organisation"),
        SynchronizedField("source_url"),
        SynchronizedField("source_organisation"),
    ]
    parent_page_types = ["library.NewsIndexPage"]
    subpage_types: list[str] = []
    template = "library/news/news_page.html"

    class Meta:
        verbose_name = _("news item")
        verbose_name_plural = _("news items")

    def __str__(self) -> str:
        return str(self.title)

    def clean(self) -> None:
        super().clean()
        if self.date:
            self.date = period_first_day(self.date, self.date_precision)
        if self.end_date and self.date and self.end_date < self.date:
            raise ValidationError({"end_date": _("The end date is before the date.")})

    @property
    def when(self) -> When:
        return when_of(self.date, self.date_precision)

    @property
    def until(self) -> When | None:
        return when_of(self.end_date, DatePrecision.DAY) if self.end_date else None

    def get_context(self, request: HttpRequest, *args: Any, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context(request, *args, **kwargs)
        context["untranslated"] = untranslated_fields(self, ("title", "summary", "body"))
        from sdg87.library.citations.jsonld import news_article_jsonld

        publisher = self.organisation or self.source_publisher
        context["jsonld_data"] = news_article_jsonld(
            headline=self.title,
            url=request.build_absolute_uri(self.url),
            date_published=self.when.iso,
            date_modified=self.last_published_at,
            description=self.summary,
            publisher=publisher.name if publisher else "",
            language=self.locale.language_code,
        )
        return context


def _valid_time_zone(value: str) -> None:
    if value and value not in zoneinfo.available_timezones():
        raise ValidationError(
            _("'%(zone)s' is not an IANA time zone (e.g. Europe/Zurich)."), params={"zone": value}
        )


class EventPage(SourceMixin, Page):  # type: ignore[django-manager-missing]
    start_date = models.DateField(
        _("start date"), help_text=_("The first day, in the event's own time zone")
    )
    end_date = models.DateField(_("end date"), null=True, blank=True)
    date_precision = models.CharField(
        _("date known to the"),
        max_length=8,
        choices=DatePrecision.choices,
        default=DatePrecision.DAY,
    )
    starts_at = models.DateTimeField(
        _("starts at"), null=True, blank=True, help_text=_("Leave empty for an all-day event")
    )
    ends_at = models.DateTimeField(_("ends at"), null=True, blank=True)
    time_zone = models.CharField(
        _("time zone"),
        max_length=64,
        blank=True,
        validators=[_valid_time_zone],
        help_text=_("IANA name, e.g. Europe/Zurich; required when a time is given"),
    )
    # The last day the event may run (derive_dates(), run by clean()): the upcoming/past
    # split reads it. Empty only on a draft that has never been validated (never live).
    last_day = models.DateField(editable=False, null=True, db_index=True)
    place = models.CharField(_("place"), max_length=300, blank=True)
    country = models.ForeignKey(
        "geo.Geography",
        verbose_name=_("country"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    online = models.BooleanField(_("held online"), default=False)
    online_url = models.URLField(_("online link"), max_length=1000, blank=True)
    organisation = models.ForeignKey(
        "orgs.Organisation",
        verbose_name=_("organiser"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    organiser_name = models.CharField(
        _("organiser (free text)"),
        max_length=300,
        blank=True,
        help_text=_("Organisers that are not in the directory, as the organiser names them"),
    )
    registration_url = models.URLField(_("registration link"), max_length=1000, blank=True)
    description = RichTextField(_("description"), blank=True, features=RICH_TEXT_FEATURES)
    themes = ParentalManyToManyField(
        "catalog.Theme", verbose_name=_("themes"), blank=True, related_name="event_pages"
    )

    content_panels = [
        *Page.content_panels,
        MultiFieldPanel(
            [
                FieldRowPanel(
                    [FieldPanel("start_date"), FieldPanel("end_date"), FieldPanel("date_precision")]
                ),
                FieldRowPanel(
                    [FieldPanel("starts_at"), FieldPanel("ends_at"), FieldPanel("time_zone")]
                ),
            ],
            heading=_("When"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("place"),
                FieldPanel("country"),
                FieldPanel("online"),
                FieldPanel("online_url"),
            ],
            heading=_("Where"),
        ),
        FieldPanel("organisation"),
        FieldPanel("organiser_name"),
        FieldPanel("registration_url"),
        FieldPanel("description"),
        FieldPanel("themes"),
        FieldPanel("source_url"),
        FieldPanel("source_organisation"),
    ]
    translatable_fields = [
        TranslatableField("title"),
        TranslatableField("seo_title"),
        TranslatableField("search_description"),
        TranslatableField("description"),
        TranslatableField("place"),
        TranslatableField("organiser_name"),
        SynchronizedField("slug"),
        SynchronizedField("start_date"),
        SynchronizedField("end_date"),
        SynchronizedField("date_precision"),
        SynchronizedField("starts_at"),
        SynchronizedField("ends_at"),
        SynchronizedField("time_zone"),
        SynchronizedField("last_day"),
        SynchronizedField("country"),
        SynchronizedField("online"),
        SynchronizedField("online_url"),
        SynchronizedField("organisation"),
        SynchronizedField("registration_url"),
        SynchronizedField("themes"),
        SynchronizedField("source_url"),
        SynchronizedField("source_organisation"),
    ]
    parent_page_types = ["library.EventIndexPage"]
    subpage_types: list[str] = []
    template = "library/news/event_page.html"

    class Meta:
        verbose_name = _("event")
        verbose_name_plural = _("events")

    def __str__(self) -> str:
        return str(self.title)

    @property
    def all_day(self) -> bool:
        return self.starts_at is None

    @property
    def zone(self) -> zoneinfo.ZoneInfo | None:
        try:
            return zoneinfo.ZoneInfo(self.time_zone) if self.time_zone else None
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            return None

    def local(self, value: datetime | None) -> datetime | None:
        """`value` in the event's own time zone."""
        zone = self.zone
        return value.astimezone(zone) if value is not None and zone is not None else value

    @property
    def local_start(self) -> datetime | None:
        return self.local(self.starts_at)

    @property
    def local_end(self) -> datetime | None:
        return self.local(self.ends_at)

    @property
    def when(self) -> When:
        start = self.local_start
        if start is not None:
            return when_at(start, self.time_zone)
        return when_of(self.start_date, self.date_precision)

    @property
    def until(self) -> When | None:
        end = self.local_end
        if end is not None:
            return when_at(end, self.time_zone)
        if self.end_date and self.end_date != self.start_date:
            return when_of(self.end_date, DatePrecision.DAY)
        return None

    def clean(self) -> None:
        super().clean()
        errors: dict[str, Any] = {}
        if self.starts_at is not None:
            if not self.time_zone:
                errors["time_zone"] = _("A time zone is needed when a time is given.")
            if self.date_precision != DatePrecision.DAY:
                errors["date_precision"] = _("An event with a time is known to the day.")
        elif self.ends_at is not None:
            errors["ends_at"] = _("An end time needs a start time.")
        if self.starts_at and self.ends_at and self.ends_at < self.starts_at:
            errors["ends_at"] = _("The event ends before it starts.")
        if errors:
            raise ValidationError(errors)
        self.derive_dates()

    def derive_dates(self) -> None:
        """Dates from the times (in the event's zone), the first day of an imprecise date, and
        `last_day`."""
        if self.starts_at is not None and self.zone is not None:
            # The dates follow the times, in the event's own zone.
            self.start_date = self.starts_at.astimezone(self.zone).date()
            if self.ends_at is not None:
                self.end_date = self.ends_at.astimezone(self.zone).date()
        if self.start_date:
            self.start_date = period_first_day(self.start_date, self.date_precision)
            if self.end_date and self.end_date < self.start_date:
                raise ValidationError({"end_date": _("The end date is before the start date.")})
            self.last_day = self.end_date or period_last_day(self.start_date, self.date_precision)

    def get_context(self, request: HttpRequest, *args: Any, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context(request, *args, **kwargs)
        context["untranslated"] = untranslated_fields(
            self, ("title", "description", "place", "organiser_name")
        )
        context["has_ics"] = self.date_precision == DatePrecision.DAY
        from sdg87.library.citations.jsonld import event_jsonld

        context["jsonld_data"] = event_jsonld(
            name=self.title,
            start=self.when.iso,
            end=self.until.iso if self.until else None,
            url=request.build_absolute_uri(self.url),
            place_name=", ".join(
                p for p in (self.place, self.country.name if self.country else "") if p
            ),
            online_url=self.online_url,
            organiser=self.organisation.name if self.organisation else self.organiser_name,
            registration_url=self.registration_url,
            language=self.locale.language_code,
        )
        context["is_past"] = bool(self.last_day and self.last_day < timezone.localdate())
        return context
