"""Atom feeds of the Pathfinder roadmaps (django.contrib.syndication, Atom1Feed): what changed in
a country's roadmap at /<lang>/pathfinders/<iso3>/feed.atom, and in every country's at
/<lang>/pathfinders/feed.atom, newest first, at most FEED_SIZE entries.

An entry is a self-reported status change ACCEPTED by the secretariat, of a public action, or a
government reply once published (sdg87.alliance.visibility through api_selectors); a proposed
or returned change, a draft action or an unpublished reply never is. Each entry links to the
country's page (sdg87.alliance.pathfinder_urls)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.http import Http404, HttpRequest
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _

from sdg87.alliance.api_selectors import (
    FEED_SIZE,
    RoadmapFeedEntry,
    pathfinder_get_public,
    roadmap_feed_entries,
)
from sdg87.alliance.models import Completion, PathfinderCountry, ReplySubject

SUMMARY_CHARS = 120


def country_page_url(*, iso3: str) -> str:
    return reverse("pathfinders:detail", kwargs={"iso3": iso3})


def _short(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= SUMMARY_CHARS else text[: SUMMARY_CHARS - 1].rstrip() + "\u2026"


def _label(choices: Any, value: str) -> str:
    return str(choices(value).label) if value in choices.values else value


class RoadmapFeed(Feed):
    """All Pathfinder Countries (no `iso3`) or one (`iso3` in the URL)."""

    feed_type = Atom1Feed

    def get_object(
        self, request: HttpRequest, *args: Any, iso3: str | None = None, **kwargs: Any
    ) -> PathfinderCountry | None:
        self.request = request
        if iso3 is None:
            return None
        found = pathfinder_get_public(iso3=iso3.upper()) if len(iso3) == 3 else None
        if found is None:
            raise Http404(_("No Pathfinder Country with this code."))
        return found

    def title(self, obj: PathfinderCountry | None) -> str:
        if obj is None:
            return _("Pathfinder roadmaps: status changes and replies · %(site)s") % {
                "site": settings.WAGTAIL_SITE_NAME
            }
        return _("%(country)s: roadmap status changes and replies · %(site)s") % {
            "country": obj.country.name,
            "site": settings.WAGTAIL_SITE_NAME,
        }

    def subtitle(self, obj: PathfinderCountry | None) -> str:
        return _(
            "Self-reported progress of Alliance 8.7 Pathfinder roadmap actions, as accepted by "
            "the secretariat with its evidence, and governments' published replies; newest first."
        )

    def link(self, obj: PathfinderCountry | None) -> str:
        if obj is None:
            return reverse("pathfinders:index")
        return country_page_url(iso3=obj.country.iso3 or "")

    def feed_url(self, obj: PathfinderCountry | None) -> str:
        return self.request.path

    def items(self, obj: PathfinderCountry | None) -> list[RoadmapFeedEntry]:
        return roadmap_feed_entries(iso3=obj.country.iso3 if obj else None, limit=FEED_SIZE)

    def item_title(self, item: RoadmapFeedEntry) -> str:
        if item.status_change is not None:
            change = item.status_change
            return _("%(country)s: %(action)s — %(completion)s (as of %(date)s)") % {
                "country": item.country_name,
                "action": _short(change.action.text),
                "completion": _label(Completion, change.completion),
                "date": change.as_of.isoformat(),
            }
        assert item.reply is not None
        return _("%(country)s: official response — %(title)s") % {
            "country": item.country_name,
            "title": item.reply.title,
        }

    def item_description(self, item: RoadmapFeedEntry) -> str:
        if item.status_change is not None:
            change = item.status_change
            parts = [
                _("Priority area: %(area)s") % {"area": change.action.priority_area},
                _("Action: %(text)s") % {"text": change.action.text},
                _("Evidence: %(evidence)s") % {"evidence": change.evidence},
            ]
            if change.evidence_url:
                parts.append(change.evidence_url)
            return "\n".join(parts)
        assert item.reply is not None
        answers = _("In reply to: %(subject)s") % {
            "subject": _label(ReplySubject, item.reply.subject)
        }
        return f"{answers}\n{item.reply.text}"

    def item_link(self, item: RoadmapFeedEntry) -> str:
        return country_page_url(iso3=item.iso3)

    def item_guid(self, item: RoadmapFeedEntry) -> str:
        if item.status_change is not None:
            return f"urn:sdg87:alliance:status-change:{item.status_change.pk}"
        assert item.reply is not None
        return f"urn:sdg87:alliance:reply:{item.reply.pk}:{item.when.isoformat()}"

    item_guid_is_permalink = False

    def item_pubdate(self, item: RoadmapFeedEntry) -> datetime:
        return item.when

    def item_updateddate(self, item: RoadmapFeedEntry) -> datetime:
        return item.when

    def item_categories(self, item: RoadmapFeedEntry) -> list[str]:
        return [item.iso3, item.kind]
