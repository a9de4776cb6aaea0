"""Reads of the library. `publication_public_queryset` is the one rule of what anonymous
visitors may see: every public read (pages, API, feeds, OAI-PMH, citation exports, the evidence
map, country and indicator blocks) starts from it."""

from __future__ import annotations

from datetime import datetime

from django.db.models import Q, QuerySet
from django.utils import timezone

from sdg87.catalog.models import Visibility
from sdg87.library.models import Publication


def publication_live_queryset(now: datetime | None = None) -> QuerySet[Publication]:
    """Published (and not withdrawn), verified and past its scheduled time: what the
    publisher's members see (organisation-only records included)."""
    now = now or timezone.now()
    return Publication.objects.filter(live=True, verified=True).filter(
        Q(publish_at__isnull=True) | Q(publish_at__lte=now)
    )


def publication_public_queryset(now: datetime | None = None) -> QuerySet[Publication]:
    """What anyone may see: live (above) and not restricted to the publisher's members.
    Embargo hides the files only (`publication_files_open`)."""
    return publication_live_queryset(now).exclude(visibility=Visibility.ORGANISATION)


def publication_is_public(pub: Publication, now: datetime | None = None) -> bool:
    """`publication_public_queryset`'s rule for one loaded record (same answer, no query)."""
    now = now or timezone.now()
    return (
        pub.live
        and pub.verified
        and (pub.publish_at is None or pub.publish_at <= now)
        and pub.visibility != Visibility.ORGANISATION
    )


def publication_files_open(pub: Publication, now: datetime | None = None) -> bool:
    """May the files be downloaded by anyone who may see the record? Not while embargoed."""
    now = now or timezone.now()
    return pub.embargo_until is None or pub.embargo_until <= now
