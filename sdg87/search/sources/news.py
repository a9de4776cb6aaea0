"""News items and events in the index: one document per English original page, carrying the
French and Spanish titles and summaries of its translations where they are really translated
(wagtail-localize copies the English text until a translator changes it).

Who may see a page is the library's rule (sdg87.library.news_selectors), asked once for all
rows: a page in `news_public_queryset` / `event_public_queryset` is public; a page that is
not live but approved to go live later (Wagtail's scheduled publishing) is visible from its
`go_live_at`; any other page (draft, unpublished, withdrawn, restricted) makes no document.
A translation counts only while the public queryset of its own locale shows it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.db.models import F, Q, QuerySet
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from wagtail.models import Locale, Page

from sdg87.geo.models import Geography
from sdg87.library.news_selectors import event_public_queryset, news_public_queryset
from sdg87.library.pages import EventPage, NewsKind, NewsPage
from sdg87.orgs.models import Organisation
from sdg87.search.registry import DocumentData, Source, Text
from sdg87.search.sources.library import place_code, place_texts, plain, summary_of, unique

PublicQuerySet = Callable[..., QuerySet[Any]]


@dataclass
class PageRow:
    """An English original page, with what the news selectors say about it."""

    page: Any  # NewsPage or EventPage
    public: bool  # in the public queryset now
    visible_from: datetime | None = None  # not live yet: scheduled to go live then
    translations: dict[str, Any] = field(default_factory=dict)  # public translations by language


def _originals(model: type[Page], default: Locale) -> QuerySet[Any]:
    qs = model.objects.filter(locale=default).select_related(
        "locale", "organisation", "source_organisation"
    )
    if model is EventPage:
        return qs.select_related("country").prefetch_related("themes")
    return qs.prefetch_related("themes", "countries")


def _page_rows(
    model: type[Page], public_queryset: PublicQuerySet, pk: int | None = None
) -> list[PageRow]:
    """The English pages of `model` (all, or the one `pk`) in a fixed number of queries."""
    default = Locale.get_default()
    now = timezone.now()
    originals = _originals(model, default)
    public = public_queryset(locale=default, now=now).prefetch_related(None)
    # Approved to go live later (Wagtail keeps the page not live until `go_live_at`), without
    # view restrictions and not expiring before it goes live.
    scheduled = (
        model.objects.filter(locale=default, live=False, go_live_at__gt=now)
        .filter(_revisions__approved_go_live_at__isnull=False)
        .public()
        .exclude(expire_at__lte=F("go_live_at"))
    )
    if pk is not None:
        originals, public, scheduled = (q.filter(pk=pk) for q in (originals, public, scheduled))
    pages = list(originals.order_by("pk"))
    if not pages:
        return []
    public_ids = set(public.values_list("pk", flat=True))
    going_live = dict(scheduled.values_list("pk", "go_live_at").distinct())
    translated: dict[Any, dict[str, Any]] = {}
    for locale in Locale.objects.exclude(pk=default.pk):
        copies = public_queryset(locale=locale, now=now).prefetch_related(None)
        if pk is not None:
            copies = copies.filter(translation_key=pages[0].translation_key)
        for copy in copies:
            translated.setdefault(copy.translation_key, {})[locale.language_code] = copy
    return [
        PageRow(
            page=page,
            public=page.pk in public_ids,
            visible_from=going_live.get(page.pk),
            translations=translated.get(page.translation_key, {}) if page.pk in public_ids else {},
        )
        for page in pages
    ]


def news_rows() -> list[PageRow]:
    return _page_rows(NewsPage, news_public_queryset)


def news_get(object_id: str) -> PageRow | None:
    rows = _page_rows(NewsPage, news_public_queryset, int(object_id)) if object_id.isdigit() else []
    return rows[0] if rows else None


def event_rows() -> list[PageRow]:
    return _page_rows(EventPage, event_public_queryset)


def event_get(object_id: str) -> PageRow | None:
    rows = (
        _page_rows(EventPage, event_public_queryset, int(object_id)) if object_id.isdigit() else []
    )
    return rows[0] if rows else None


# --- documents ---------------------------------------------------------------------------------


def _path(page: Page) -> str:
    with translation.override("en"):
        return str(page.get_url(None))


def _organisations(page: Any) -> list[Organisation]:
    orgs = [page.organisation, page.source_organisation]
    return [o for i, o in enumerate(orgs) if o is not None and o not in orgs[:i]]


def _organisation_texts(orgs: list[Organisation]) -> list[Text]:
    return [Text(t, "en") for o in orgs for t in (o.name, o.acronym) if t]


def _translations(
    row: PageRow, summary: Callable[[Any], str]
) -> tuple[dict[str, dict[str, str]], list[Text]]:
    """The headings and summaries of the really translated pages, and their texts to index."""
    page = row.page
    english_summary = summary(page)
    out: dict[str, dict[str, str]] = {}
    texts: list[Text] = []
    for lang, copy in sorted(row.translations.items()):
        entry: dict[str, str] = {}
        if copy.title and copy.title != page.title:
            entry["heading"] = copy.title
            texts.append(Text(copy.title, lang, "title"))
        copied = summary(copy)
        if copied and copied != english_summary:
            entry["summary"] = copied
            texts.append(Text(copied, lang))
        if entry:
            out[lang] = entry
    return out, texts


def _document(
    row: PageRow,
    *,
    kind: str,
    summary: Callable[[Any], str],
    on: date,
    meta: list[str],
    texts: list[Text],
    places: list[Geography],
    resource_type: str,
) -> DocumentData:
    page = row.page
    translations, translated_texts = _translations(row, summary)
    return DocumentData(
        kind=kind,
        object_id=str(page.pk),
        heading=page.title,
        path=_path(page),
        summary=summary(page),
        translations=translations,
        language="en",
        date=on,
        year=on.year,
        meta=[m for m in meta if m],
        public=True,
        visible_from=row.visible_from,
        texts=unique(
            [Text(page.title, "en", "title"), *texts, *translated_texts, *place_texts(places)]
        ),
        facets={
            "theme": [t.code for t in page.themes.all()],
            "place": [place_code(g) for g in places],
            "organisation": [o.slug for o in _organisations(page)],
            "language": ["en", *translations],
            "resource_type": [resource_type],
        },
        boost=1.0,
    )


def _news_summary(page: NewsPage) -> str:
    return summary_of(page.summary or page.body)


def build_news(row: PageRow) -> DocumentData | None:
    if not row.public and row.visible_from is None:
        return None
    page: NewsPage = row.page
    orgs = _organisations(page)
    with translation.override("en"):
        kind_label = str(NewsKind(page.kind).label) if page.kind in NewsKind.values else ""
    texts = [Text(plain(t), "en") for t in (page.summary, page.body) if t]
    return _document(
        row,
        kind="news",
        summary=_news_summary,
        on=page.date,
        meta=[kind_label, orgs[0].name if orgs else "", str(page.date.year)],
        texts=texts + _organisation_texts(orgs),
        places=list(page.countries.all()),
        resource_type=page.kind,
    )


def _event_summary(page: EventPage) -> str:
    return summary_of(page.description)


def build_event(row: PageRow) -> DocumentData | None:
    if not row.public and row.visible_from is None:
        return None
    page: EventPage = row.page
    orgs = _organisations(page)
    country = page.country
    where = ", ".join(p for p in (page.place, country.name_en if country else "") if p)
    with translation.override("en"):
        online = str(_("Online")) if page.online else ""
    organiser = page.organisation.name if page.organisation else page.organiser_name
    texts = [Text(plain(t), "en") for t in (page.description, page.place, page.organiser_name) if t]
    for lang, copy in row.translations.items():
        texts += [Text(copy.place, lang)] if copy.place and copy.place != page.place else []
    return _document(
        row,
        kind="event",
        summary=_event_summary,
        on=page.start_date,
        meta=[where or online, organiser, str(page.start_date.year)],
        texts=texts + _organisation_texts(orgs),
        places=[country] if country is not None else [],
        resource_type="event",
    )


# --- what changes them -------------------------------------------------------------------------


def _original_ids(page: Page) -> list[str]:
    """The English original of a saved page (itself, or the page its translation copies)."""
    default = Locale.get_default()
    if page.locale_id == default.pk:
        return [str(page.pk)]
    originals = Page.objects.filter(translation_key=page.translation_key, locale=default)
    return [str(pk) for pk in originals.values_list("pk", flat=True)]


def _pages_of(model: type[Page]) -> Callable[[Organisation], list[str]]:
    def affected(organisation: Organisation) -> list[str]:
        pages = model.objects.filter(locale=Locale.get_default()).filter(
            Q(organisation=organisation) | Q(source_organisation=organisation)
        )
        return [str(pk) for pk in pages.values_list("pk", flat=True)]

    return affected


SOURCES = [
    Source(
        kind="news",
        label=_("News"),
        rows=news_rows,
        build=build_news,
        get=news_get,
        watches=((NewsPage, _original_ids), (Organisation, _pages_of(NewsPage))),
    ),
    Source(
        kind="event",
        label=_("Events"),
        rows=event_rows,
        build=build_event,
        get=event_get,
        watches=((EventPage, _original_ids), (Organisation, _pages_of(EventPage))),
    ),
]
