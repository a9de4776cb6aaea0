"""REST API v1: `news` and `events`, with the filters of the pages (theme, country,
organisation; events also `when`=upcoming|past and `from`/`to`), keyset pagination (`next`,
ordered by id) and `format=csv`. Only live, public pages (sdg87.library.news_selectors)."""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Iterator
from typing import Any, Literal

from django.http import HttpRequest, JsonResponse, StreamingHttpResponse
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.html import strip_tags
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema

from sdg87.api.errors import ERROR_RESPONSES, ApiError
from sdg87.api.pagination import cursor_decode, next_url
from sdg87.api.schemas import Lang, split_codes
from sdg87.core.csvsafe import csv_row
from sdg87.library import news_selectors as sel
from sdg87.library.news_feeds import has_calendar_entry
from sdg87.library.pages import EventPage, NewsPage

router = Router(tags=["news and events"])
MAX_LIMIT = 100


class OrgRef(Schema):
    slug: str
    name: str


class NewsOut(Schema):
    id: int
    slug: str
    language: str
    translation_key: str
    title: str
    kind: str
    date: str = Field(description='As precise as known: "2002", "2017-06" or "2017-09-19"')
    date_precision: str
    end_date: dt.date | None
    summary: str
    body: str = Field(description="Sanitised HTML")
    themes: list[str]
    countries: list[str]
    organisation: OrgRef | None
    source_url: str
    source_is_publisher_page: bool
    first_published_at: dt.datetime | None
    last_published_at: dt.datetime | None
    url: str


class EventOut(Schema):
    id: int
    slug: str
    language: str
    translation_key: str
    title: str
    start: str = Field(description="A datetime with offset, or a date as precise as known")
    end: str | None
    date_precision: str
    all_day: bool
    time_zone: str
    start_date: dt.date
    end_date: dt.date | None
    place: str
    country: str | None
    online: bool
    online_url: str
    organiser: OrgRef | None
    organiser_name: str
    registration_url: str
    description: str = Field(description="Sanitised HTML")
    themes: list[str]
    source_url: str
    source_is_publisher_page: bool
    first_published_at: dt.datetime | None
    last_published_at: dt.datetime | None
    url: str
    ics_url: str | None


class NewsPageOut(Schema):
    next: str | None
    results: list[NewsOut]


class EventPageOut(Schema):
    next: str | None
    results: list[EventOut]


class _Filters(Schema):
    lang: Lang = "en"
    theme: list[str] | None = None
    country: list[str] | None = None
    organisation: list[str] | None = None
    cursor: str | None = None
    limit: int = Field(50, ge=1, le=MAX_LIMIT)
    format: Literal["json", "csv"] = "json"


class NewsFilters(_Filters):
    pass


class EventFilters(_Filters):
    when: Literal["all", "upcoming", "past"] = "all"
    date_from: dt.date | None = Field(None, alias="from")
    date_to: dt.date | None = Field(None, alias="to")


def _org(org: Any) -> dict[str, str] | None:
    return {"slug": org.slug, "name": org.name} if org is not None else None


def _news(request: HttpRequest, p: NewsPage) -> dict[str, Any]:
    return {
        "id": p.id,
        "slug": p.slug,
        "language": p.locale.language_code,
        "translation_key": str(p.translation_key),
        "title": p.title,
        "kind": p.kind,
        "date": p.when.iso,
        "date_precision": p.date_precision,
        "end_date": p.end_date,
        "summary": p.summary,
        "body": p.body,
        "themes": sorted(t.code for t in p.themes.all()),
        "countries": sorted(g.iso3 or g.code for g in p.countries.all()),
        "organisation": _org(p.organisation),
        "source_url": p.source_url,
        "source_is_publisher_page": p.source_publisher is not None,
        "first_published_at": p.first_published_at,
        "last_published_at": p.last_published_at,
        "url": request.build_absolute_uri(p.url),
    }


def _event(request: HttpRequest, p: EventPage) -> dict[str, Any]:
    until = p.until
    return {
        "id": p.id,
        "slug": p.slug,
        "language": p.locale.language_code,
        "translation_key": str(p.translation_key),
        "title": p.title,
        "start": p.when.iso,
        "end": until.iso if until else None,
        "date_precision": p.date_precision,
        "all_day": p.all_day,
        "time_zone": p.time_zone,
        "start_date": p.start_date,
        "end_date": p.end_date,
        "place": p.place,
        "country": (p.country.iso3 or p.country.code) if p.country else None,
        "online": p.online,
        "online_url": p.online_url,
        "organiser": _org(p.organisation),
        "organiser_name": p.organiser_name,
        "registration_url": p.registration_url,
        "description": p.description,
        "themes": sorted(t.code for t in p.themes.all()),
        "source_url": p.source_url,
        "source_is_publisher_page": p.source_publisher is not None,
        "first_published_at": p.first_published_at,
        "last_published_at": p.last_published_at,
        "url": request.build_absolute_uri(p.url),
        "ics_url": request.build_absolute_uri(
            reverse("library-news:event_ics", kwargs={"slug": p.slug})
        )
        if has_calendar_entry(p)
        else None,
    }


class _Echo:
    def write(self, value: str) -> str:
        return value


def _csv(rows: Iterator[dict[str, Any]], name: str) -> StreamingHttpResponse:
    def lines() -> Iterator[str]:
        writer = csv.writer(_Echo())
        header: list[str] | None = None
        for row in rows:
            if header is None:
                header = list(row)
                yield writer.writerow(header)
            cells = []
            for key in header:
                value = row[key]
                if isinstance(value, list):
                    value = ";".join(value)
                elif isinstance(value, dict):
                    value = value["slug"]
                elif isinstance(value, dt.date | dt.datetime):
                    value = value.isoformat()
                elif isinstance(value, bool):
                    value = "true" if value else "false"
                if key in ("body", "description"):
                    value = strip_tags(value or "")
                cells.append(value)
            yield writer.writerow(csv_row(cells))

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="sdg87-{name}-{stamp}.csv"'
    return response


def _page(
    request: HttpRequest, qs: Any, filters: _Filters, shape: Any, name: str
) -> JsonResponse | StreamingHttpResponse:
    qs = qs.order_by("id")
    if filters.format == "csv":
        return _csv((shape(request, p) for p in qs.iterator(chunk_size=500)), name)
    if filters.cursor:
        qs = qs.filter(id__gt=cursor_decode(filters.cursor))
    rows = list(qs[: filters.limit + 1])
    has_more = len(rows) > filters.limit
    rows = rows[: filters.limit]
    return JsonResponse(
        {
            "next": next_url(request, last_id=rows[-1].id) if has_more else None,
            "results": [shape(request, p) for p in rows],
        }
    )


CSV_CONTENT = {"responses": {200: {"content": {"text/csv": {"schema": {"type": "string"}}}}}}


@router.get(
    "/news",
    operation_id="sdg87_library_api_news_list",
    response={200: NewsPageOut, **ERROR_RESPONSES},
    url_name="news_list",
    summary="News items; keyset-paginated JSON or CSV",
    openapi_extra=CSV_CONTENT,
)
def news_list(
    request: HttpRequest, filters: Query[NewsFilters]
) -> JsonResponse | StreamingHttpResponse:
    """Published news items and campaigns in one language (`lang`), filtered by `theme`
    (code), `country` (ISO3) and `organisation` (slug), each repeatable or comma-separated.
    Ordered by id; follow `next` until it is null. `format=csv` gives every match at once."""
    with translation.override(filters.lang):
        qs = sel.news_filter(
            sel.news_public_queryset(locale=filters.lang),
            theme=split_codes(filters.theme),
            country=[c.upper() for c in split_codes(filters.country)],
            organisation=split_codes(filters.organisation),
        )
        return _page(request, qs, filters, _news, "news")


@router.get(
    "/events",
    operation_id="sdg87_library_api_event_list",
    response={200: EventPageOut, **ERROR_RESPONSES},
    url_name="event_list",
    summary="Events; keyset-paginated JSON or CSV",
    openapi_extra=CSV_CONTENT,
)
def event_list(
    request: HttpRequest, filters: Query[EventFilters]
) -> JsonResponse | StreamingHttpResponse:
    """Published events in one language (`lang`), filtered like news, and by `when`
    (`upcoming`: not over yet; `past`) and `from`/`to` (events running on any day of the
    range). Ordered by id; follow `next` until it is null. `format=csv` gives every match."""
    if filters.date_from and filters.date_to and filters.date_from > filters.date_to:
        raise ApiError(
            status=400,
            code="invalid_range",
            message=_("from must not be after to."),
            parameter="from",
        )
    with translation.override(filters.lang):
        qs = sel.event_filter(
            sel.event_public_queryset(locale=filters.lang),
            theme=split_codes(filters.theme),
            country=[c.upper() for c in split_codes(filters.country)],
            organisation=split_codes(filters.organisation),
            date_from=filters.date_from,
            date_to=filters.date_to,
        )
        now = timezone.now()
        if filters.when == "upcoming":
            qs = sel.events_upcoming(qs, now=now)
        elif filters.when == "past":
            qs = sel.events_past(qs, now=now)
        return _page(request, qs, filters, _event, "events")
