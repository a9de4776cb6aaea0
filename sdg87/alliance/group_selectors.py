"""Reads for the public Action Group hubs. Only facts verified against a source are shown
(sdg87.alliance.visibility); the members-only workspaces are not read here."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from wagtail.models import Page
from wagtail.query import PageQuerySet

from sdg87.alliance import visibility
from sdg87.alliance.models import (
    SHOWN,
    ActionGroup,
    ActionGroupEvent,
    GroupLink,
    GroupLinkKind,
    Workstream,
)
from sdg87.library.models import Publication
from sdg87.library.selectors import publication_public_queryset
from sdg87.orgs.models import Organisation

# Order of the groups on the index: those at work first.
STATUS_ORDER = {"active": 0, "listed": 1, "historical": 2, "unknown": 3}


def group_list() -> list[ActionGroup]:
    groups = ActionGroup.objects.filter(verification__in=SHOWN)
    return sorted(groups, key=lambda g: (STATUS_ORDER.get(g.current_status, 9), g.name))


def group_get(*, slug: str) -> ActionGroup | None:
    return ActionGroup.objects.filter(slug=slug, verification__in=SHOWN).first()


@dataclass(frozen=True)
class LinkedPublication:
    publication: Publication
    evidence_url: str


@dataclass(frozen=True)
class LinkedNews:
    title: str
    url: str
    date: date | None  # the page's date (news) or first day (event)
    precision: str  # "day", "month" or "year", as the page knows it
    evidence_url: str


@dataclass(frozen=True)
class GroupHub:
    group: ActionGroup
    workstreams: list[Workstream]
    events: list[ActionGroupEvent]
    members: list[Organisation]
    publications: list[LinkedPublication]
    news: list[LinkedNews]


def group_hub(*, group: ActionGroup) -> GroupHub:
    events = list(visibility.public_group_events().filter(group=group).order_by("-date", "id"))
    return GroupHub(
        group=group,
        workstreams=list(group.workstreams.filter(verification__in=SHOWN).order_by("order")),
        events=events,
        members=list(group.members.order_by("name")),
        publications=group_publications(group=group),
        news=group_news(group=group),
    )


def group_publications(*, group: ActionGroup) -> list[LinkedPublication]:
    """The group's outputs in the library: publications the secretariat (or the bundled data)
    linked with a source, while they are public. No theme match: a topic's reading list is not
    the group's output."""
    links = (
        GroupLink.objects.filter(
            group=group,
            kind=GroupLinkKind.OUTPUT,
            publication__in=publication_public_queryset(),
        )
        .select_related("publication")
        .order_by("-publication__year", "publication__title")
    )
    return [
        LinkedPublication(link.publication, link.evidence_url)
        for link in links
        if link.publication is not None
    ]


def group_news(*, group: ActionGroup) -> list[LinkedNews]:
    """News and event pages about the group, live and public, in the reader's language where
    a translation is live (English otherwise), newest first."""
    links = GroupLink.objects.filter(group=group, kind=GroupLinkKind.NEWS).select_related("page")
    public = set(
        Page.objects.live()
        .public()
        .filter(pk__in=[link.page_id for link in links])
        .values_list("pk", flat=True)
    )
    items = []
    for link in links:
        if link.page is None or link.page_id not in public:
            continue
        page = link.page.localized.specific
        day = getattr(page, "date", None) or getattr(page, "start_date", None)
        precision = getattr(page, "date_precision", "day")
        items.append(LinkedNews(page.title, page.url or "", day, precision, link.evidence_url))
    # Newest first; undated last.
    return sorted(items, key=lambda item: (item.date is not None, item.date), reverse=True)


def event_count_by_group() -> dict[int, int]:
    counts: dict[int, int] = {}
    events: QuerySet[ActionGroupEvent] = visibility.public_group_events()
    for group_id in events.values_list("group_id", flat=True):
        counts[group_id] = counts.get(group_id, 0) + 1
    return counts


# --- for the secretariat's page of links ----------------------------------------------------


def group_links_all(*, group: ActionGroup) -> list[GroupLink]:
    """Every link of the group, shown or not (a target may have stopped being public)."""
    return list(
        GroupLink.objects.filter(group=group)
        .select_related("publication", "page", "added_by")
        .order_by("kind", "-added_at", "-id")
    )


def _news_pages() -> PageQuerySet:
    from sdg87.library.pages import EventPage, NewsPage

    return Page.objects.live().public().type(NewsPage, EventPage).filter(locale__language_code="en")


def linkable_choices() -> list[tuple[str, list[tuple[str, str]]]]:
    """The options of the secretariat's form, grouped: public publications, live English news
    and event pages (a link to a page shows its translation to readers of other languages)."""
    publications = [
        (f"pub:{slug}", f"{title} ({year})" if year else title)
        for slug, title, year in publication_public_queryset()
        .order_by("title")
        .values_list("slug", "title", "year")
    ]
    pages = [
        (f"page:{pk}", title)
        for pk, title in _news_pages().order_by("title").values_list("pk", "title")
    ]
    return [(str(_("Publications")), publications), (str(_("News and events")), pages)]


def linkable_publication(*, slug: str) -> Publication | None:
    return Publication.objects.filter(slug=slug).first()


def linkable_page(*, pk: str) -> Page | None:
    return Page.objects.filter(pk=int(pk)).first() if pk.isdigit() else None
