"""The bundled Alliance 8.7 facts, written by the data load (sdg87.alliance.loaders).

`bundled_replace` makes the tables hold exactly the file's rows, in one transaction (the
load step's): bundled rows are matched by their natural keys and updated in place (so links to
them survive a reload), rows no longer in the files are removed, and what was contributed on
the platform (`verification = contributed`: focal points' actions, status changes, ratings,
replies) is never touched.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import transaction

from sdg87.alliance import goals, ingest
from sdg87.alliance.models import (
    SHOWN,
    ActionGroup,
    ActionGroupEvent,
    ActionIndicator,
    ActionTextVersion,
    ChangeReview,
    CountSnapshot,
    GCGMeeting,
    Goal,
    GroupLink,
    Milestone,
    NationalTarget,
    PathfinderCountry,
    Plan,
    ReviewStatus,
    RoadmapAction,
    Verification,
    Workstream,
)
from sdg87.alliance.services import roadmap
from sdg87.core.ingest import ParseError
from sdg87.geo.models import Geography
from sdg87.indicators.models import Series
from sdg87.orgs.models import Organisation


@dataclass(frozen=True)
class Bundle:
    pathfinders: list[ingest.PathfinderRow]
    milestones: list[ingest.MilestoneRow]
    actions: list[ingest.ActionRow]
    targets: list[ingest.TargetRow]
    meetings: list[ingest.MeetingRow]
    groups: list[ingest.GroupRow]
    group_events: list[ingest.GroupEventRow]
    snapshots: list[ingest.SnapshotRow]
    goals: list[goals.GoalRow] = field(default_factory=list)
    group_links: list[ingest.GroupLinkRow] = field(default_factory=list)


def _sourced(row: ingest.SourcedRow) -> dict[str, str]:
    return {
        "source_url": row.source_url,
        "quote": row.quote,
        "verification": row.verification,
        "notes": row.notes,
    }


def _countries(bundle: Bundle) -> dict[str, Geography]:
    codes = {
        row.iso3
        for rows in (bundle.pathfinders, bundle.milestones, bundle.actions, bundle.targets)
        for row in rows
    }
    found = {g.iso3: g for g in Geography.objects.filter(iso3__in=codes) if g.iso3}
    missing = sorted(codes - set(found))
    if missing:
        raise ParseError(
            f"countries not in the geography table: {', '.join(missing)}", column="iso3"
        )
    return found


@transaction.atomic
def bundled_replace(*, bundle: Bundle) -> int:
    """Make the bundled rows exactly the bundle's; returns the number of rows written."""
    countries = _countries(bundle)
    written = 0

    PathfinderCountry.objects.exclude(
        country__iso3__in=[row.iso3 for row in bundle.pathfinders]
    ).delete()
    for row in bundle.pathfinders:
        PathfinderCountry.objects.update_or_create(
            country=countries[row.iso3],
            defaults={
                "status": row.status,
                "listed_2025": row.listed_2025,
                "commitment_date": row.commitment_date,
                "commitment_note": row.commitment_note,
                "workshop_dates": row.workshop_dates,
                "workshop_place": row.workshop_place,
                "roadmap_note": row.roadmap_note,
                "other_source_urls": "\n".join(row.other_source_urls),
                **_sourced(row.sourced),
            },
        )
        written += 1

    Milestone.objects.exclude(verification=Verification.CONTRIBUTED).delete()
    Milestone.objects.bulk_create(
        Milestone(
            country=countries[row.iso3],
            date=row.date,
            date_precision=row.precision,
            kind=row.kind,
            title=row.title,
            description=row.description,
            **_sourced(row.sourced),
        )
        for row in bundle.milestones
    )
    written += len(bundle.milestones)

    written += _replace_actions(bundle.actions, countries)

    NationalTarget.objects.exclude(verification=Verification.CONTRIBUTED).delete()
    NationalTarget.objects.bulk_create(
        NationalTarget(
            country=countries[row.iso3],
            indicator=row.indicator,
            baseline_year=row.baseline_year,
            baseline_value=row.baseline_value,
            target_year=row.target_year,
            target_value=row.target_value,
            document=row.document,
            **_sourced(row.sourced),
        )
        for row in bundle.targets
    )
    written += len(bundle.targets)

    written += _replace_meetings(bundle.meetings)
    written += _replace_groups(bundle.groups, bundle.group_events)
    written += _replace_group_links(bundle.group_links)

    CountSnapshot.objects.all().delete()
    CountSnapshot.objects.bulk_create(
        CountSnapshot(
            as_of=row.as_of,
            metric=row.metric,
            value=row.value,
            qualifier=row.qualifier,
            source_url=row.source_url,
            verification=row.verification,
        )
        for row in bundle.snapshots
    )
    written += len(bundle.snapshots)
    return written + _replace_goals(bundle.goals)


def _replace_actions(rows: list[ingest.ActionRow], countries: dict[str, Geography]) -> int:
    """Bundled actions keep their key (<iso3>-<n>) so that status changes, ratings and
    replies made on the platform stay attached across reloads."""
    keys = [row.key for row in rows]
    RoadmapAction.objects.exclude(verification=Verification.CONTRIBUTED).exclude(
        key__in=keys
    ).delete()
    for row in rows:
        plan, _created = Plan.objects.update_or_create(
            country=countries[row.iso3], title=row.plan_title, defaults={"period": row.plan_period}
        )
        before = RoadmapAction.objects.filter(key=row.key).first()
        action, _created = RoadmapAction.objects.update_or_create(
            key=row.key,
            defaults={
                "plan": plan,
                "priority_area": row.priority_area,
                "text": row.text,
                "responsible_body": row.responsible_body,
                "timeline": row.timeline,
                "status": ReviewStatus.PUBLISHED,
                "live": True,
                **_sourced(row.sourced),
            },
        )
        _text_versions(action, before)
        # Links proposed on the platform stay; only the bundled ones are reloaded.
        action.indicators.filter(contributed=False).delete()
        if row.linked_indicator or row.target_text:
            ActionIndicator.objects.create(
                action=action,
                label=row.linked_indicator or row.text[:300],
                target_text=row.target_text,
                review=ChangeReview.ACCEPTED,
            )
    Plan.objects.filter(actions__isnull=True).delete()
    return len(rows)


def _text_versions(action: RoadmapAction, before: RoadmapAction | None) -> None:
    """A bundled action's wording as loaded becomes its next version (by nobody: the data);
    an action loaded before versions were kept gets its former wording first."""
    if before is not None and before.text != action.text and not action.text_versions.exists():
        ActionTextVersion.objects.create(
            action=action, number=1, text=before.text, changed_at=before.created_at, published=True
        )
    roadmap.action_text_record(action=action, actor=None, published=True)


def _replace_meetings(rows: list[ingest.MeetingRow]) -> int:
    """Meetings are matched on (type, date, number, place); goals keep their meeting."""
    kept = []
    for row in rows:
        meeting, _created = GCGMeeting.objects.update_or_create(
            event_type=row.event_type,
            date=row.date,
            number=row.number,
            place=row.place,
            defaults={
                "date_precision": row.precision,
                "decisions": row.decisions,
                **_sourced(row.sourced),
            },
        )
        kept.append(meeting.pk)
    GCGMeeting.objects.exclude(pk__in=kept).exclude(verification=Verification.CONTRIBUTED).delete()
    return len(rows)


def _replace_goals(rows: list[goals.GoalRow]) -> int:
    """Goals are matched on their key (published assessments name them by it). Only rows
    verified against their source become goals; a goal's series that is not loaded stays
    empty (the GCG page then says there is no data) rather than failing the whole load."""
    shown = [row for row in rows if row.verification in SHOWN]
    Goal.objects.exclude(key__in=[row.key for row in shown]).delete()
    for row in shown:
        meeting = None
        if row.meeting_event_type:
            meeting = GCGMeeting.objects.filter(
                event_type=row.meeting_event_type, date=row.meeting_date
            ).first()
            if meeting is None:
                raise ParseError(
                    f"no GCG meeting {row.meeting_event_type} on {row.meeting_date}",
                    column="meeting_date",
                )
        geography = None
        if row.geography_code:
            geography = Geography.objects.filter(code=row.geography_code).first()
            if geography is None:
                raise ParseError(
                    f"geography not in the table: {row.geography_code}", column="geography_code"
                )
        series = Series.objects.filter(code=row.series_code).first() if row.series_code else None
        goal = Goal(
            key=row.key,
            title=row.title,
            quote=row.quote,
            verification=row.verification,
            notes=row.notes,
            meeting=meeting,
            metric=row.metric,
            series=series,
            geography=geography,
            baseline_value=row.baseline_value,
            baseline_date=row.baseline_date,
            target_value=row.target_value,
            target_date=row.target_date,
            source_url=row.source_url,
        )
        existing = Goal.objects.filter(key=row.key).first()
        if existing is not None:
            goal.pk, goal.created_at = existing.pk, existing.created_at
        goal.full_clean(validate_unique=False)
        goal.save()
    return len(shown)


def _replace_groups(groups: list[ingest.GroupRow], events: list[ingest.GroupEventRow]) -> int:
    by_slug = {}
    chairs = {org.name: org for org in Organisation.objects.all()}
    for row in groups:
        chair_name = row.chair.split(" (")[0]
        group, _created = ActionGroup.objects.update_or_create(
            slug=row.slug,
            defaults={
                "name": row.name,
                "group_type": row.group_type,
                "current_status": row.current_status,
                "chair": row.chair,
                "chair_verified": row.chair_verified,
                "chair_organisation": chairs.get(chair_name) if row.chair_verified else None,
                "established": row.established,
                "established_note": row.established_note,
                "member_count": row.member_count,
                "members_as_of": row.members_as_of,
                "description": row.description,
                "other_source_urls": "\n".join(row.other_source_urls),
                **_sourced(row.sourced),
            },
        )
        by_slug[row.slug] = group
        group.workstreams.all().delete()
        Workstream.objects.bulk_create(
            Workstream(
                group=group,
                order=item.order,
                kind=item.kind,
                name=item.name,
                period=item.period,
                source_url=item.source_url,
                verification=item.verification,
            )
            for item in row.workstreams
        )
    ActionGroup.objects.exclude(slug__in=list(by_slug)).delete()
    ActionGroupEvent.objects.exclude(verification=Verification.CONTRIBUTED).delete()
    for event in events:
        if event.group not in by_slug:
            raise ParseError(f"unknown group {event.group!r}", column="group_id")
    ActionGroupEvent.objects.bulk_create(
        ActionGroupEvent(
            group=by_slug[row.group],
            date=row.date,
            date_precision=row.precision,
            place=row.place,
            title=row.title,
            description=row.description,
            **_sourced(row.sourced),
        )
        for row in events
    )
    return len(groups) + sum(len(g.workstreams) for g in groups) + len(events)


def _replace_group_links(rows: list[ingest.GroupLinkRow]) -> int:
    """Bundled links point at the English news/event page or the publication of the same
    slug, loaded by the library's steps before this one; links the secretariat added stay."""
    from wagtail.models import Page

    from sdg87.library.models import Publication

    GroupLink.objects.filter(bundled=True).delete()
    groups = {group.slug: group for group in ActionGroup.objects.all()}
    links = []
    for row in rows:
        if row.group not in groups:
            raise ParseError(f"unknown group {row.group!r}", column="group_id")
        link = GroupLink(
            group=groups[row.group],
            kind=row.kind,
            evidence_url=row.evidence_url,
            note=row.notes[:500],
            bundled=True,
        )
        if row.kind == "news":
            link.page = Page.objects.filter(slug=row.target, locale__language_code="en").first()
            if link.page is None:
                raise ParseError(f"no news or event page {row.target!r}", column="target")
        else:
            link.publication = Publication.objects.filter(slug=row.target).first()
            if link.publication is None:
                raise ParseError(f"no publication {row.target!r}", column="target")
        # A link the secretariat already made is not made twice.
        if not GroupLink.objects.filter(
            group=link.group, page=link.page, publication=link.publication
        ).exists():
            links.append(link)
    GroupLink.objects.bulk_create(links)
    return len(links)
