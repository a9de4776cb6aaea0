"""Pure parsers of the bundled Alliance 8.7 tables (data/alliance87/, PROVENANCE-alliance.md).

Each returns plain dataclasses; no ORM. Every row is kept with its verification status (the
selectors decide what is shown as fact); a row that cannot be read raises ParseError naming
its row and column.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from django.utils.translation import gettext as _

from sdg87.core.ingest import ParseError, read_rows

VERIFICATIONS = frozenset(
    {"verified", "verified_secondary", "verified_approx", "verified_conflicting", "unverified"}
)
MILESTONE_TYPES = frozenset(
    {
        "commitment",
        "national_workshop",
        "roadmap_adopted",
        "national_action_plan",
        "progress_report",
        "ratification",
        "law_adopted",
        "other",
    }
)
PATHFINDER_STATUSES = frozenset(
    {
        "named_as_pathfinder",
        "candidate_presented",
        "commitment_expressed",
        "strategic_workshop_held",
        "roadmap_drafted",
        "roadmap_adopted",
        "roadmap_launched",
    }
)
GCG_EVENT_TYPES = frozenset(
    {
        "gcg_meeting",
        "gcg_extraordinary_session",
        "gcg_decision",
        "strategy_workshop",
        "briefing",
        "alliance_launch",
        "pathfinder_focal_point_workshop",
        "progress_reporting_event",
        "global_conference",
        "mandate_statement",
    }
)
_ISO3 = re.compile(r"^[A-Z]{3}$")
_SLUG = re.compile(r"^[a-z0-9][a-z0-9_-]{0,59}$")


@dataclass(frozen=True)
class SourcedRow:
    source_url: str
    quote: str
    verification: str
    notes: str


@dataclass(frozen=True)
class PathfinderRow:
    iso3: str
    status: str
    listed_2025: bool
    commitment_date: str
    commitment_note: str
    workshop_dates: str
    workshop_place: str
    roadmap_note: str
    other_source_urls: list[str]
    sourced: SourcedRow


@dataclass(frozen=True)
class MilestoneRow:
    iso3: str
    date: date | None
    precision: str
    kind: str
    title: str
    description: str
    sourced: SourcedRow


@dataclass(frozen=True)
class ActionRow:
    key: str  # <iso3 lower>-<n>: the n-th action of the country in the file
    iso3: str
    plan_title: str
    plan_period: str
    priority_area: str
    text: str
    responsible_body: str
    timeline: str
    linked_indicator: str
    target_text: str
    sourced: SourcedRow


@dataclass(frozen=True)
class TargetRow:
    iso3: str
    indicator: str
    baseline_year: int | None
    baseline_value: str
    target_year: int | None
    target_value: str
    document: str
    sourced: SourcedRow


@dataclass(frozen=True)
class MeetingRow:
    number: int | None
    date: date | None
    precision: str
    place: str
    event_type: str
    decisions: str
    sourced: SourcedRow


@dataclass(frozen=True)
class GroupRow:
    slug: str
    name: str
    group_type: str
    current_status: str
    chair: str
    chair_verified: bool
    established: str
    established_note: str
    member_count: str
    members_as_of: str
    description: str
    other_source_urls: list[str]
    sourced: SourcedRow
    workstreams: list[WorkstreamRow] = field(default_factory=list)


@dataclass(frozen=True)
class WorkstreamRow:
    group: str
    order: int
    kind: str
    name: str
    period: str
    source_url: str
    verification: str


@dataclass(frozen=True)
class GroupEventRow:
    group: str
    date: date | None
    precision: str
    place: str
    title: str
    description: str
    sourced: SourcedRow


@dataclass(frozen=True)
class GroupLinkRow:
    group: str
    kind: str  # "news" (target: a news_events.csv event_id) or "output" (a publications.csv pub_id)
    target: str
    evidence_url: str
    notes: str


@dataclass(frozen=True)
class SnapshotRow:
    as_of: str
    metric: str
    value: str
    qualifier: str
    source_url: str
    verification: str


def partial_date(text: str, *, row: int, column: str) -> tuple[date | None, str]:
    """ "2017-06" -> (2017-06-01, "month"); "2002" -> (2002-01-01, "year"); "" -> (None, "day")."""
    if not text:
        return None, "day"
    try:
        if re.fullmatch(r"\d{4}", text):
            return date(int(text), 1, 1), "year"
        if re.fullmatch(r"\d{4}-\d{2}", text):
            return date(int(text[:4]), int(text[5:]), 1), "month"
        return date.fromisoformat(text), "day"
    except ValueError:
        raise ParseError(
            _("not a date (YYYY, YYYY-MM or YYYY-MM-DD): %(value)s") % {"value": repr(text)},
            row=row,
            column=column,
        ) from None


def _choice(value: str, allowed: frozenset[str], *, row: int, column: str) -> str:
    if value not in allowed:
        raise ParseError(
            _("unknown value %(value)s") % {"value": repr(value)}, row=row, column=column
        )
    return value


def _iso3(value: str, *, row: int) -> str:
    if not _ISO3.match(value):
        raise ParseError(_("not an ISO 3166 alpha-3 code"), row=row, column="iso3")
    return value


def _year(value: str, *, row: int, column: str) -> int | None:
    """A year, or a fiscal year "2008/09" read as its first year; empty -> None."""
    if not value:
        return None
    match = re.fullmatch(r"(\d{4})(/\d{2,4})?", value)
    if not match:
        raise ParseError(_("not a year"), row=row, column=column)
    return int(match.group(1))


def _urls(value: str) -> list[str]:
    return [url.strip() for url in value.split(";") if url.strip()]


def _sourced(row: dict[str, str], number: int) -> SourcedRow:
    return SourcedRow(
        source_url=row.get("source_url", ""),
        quote=row.get("quote", ""),
        verification=_choice(
            row["verification_status"], VERIFICATIONS, row=number, column="verification_status"
        ),
        notes=row.get("notes", ""),
    )


def parse_pathfinders(text: str) -> list[PathfinderRow]:
    out = []
    for number, row in read_rows(text, required=("iso3", "status", "verification_status")):
        out.append(
            PathfinderRow(
                iso3=_iso3(row["iso3"], row=number),
                status=_choice(row["status"], PATHFINDER_STATUSES, row=number, column="status"),
                listed_2025=row.get("listed_in_2025_list", "") == "yes",
                commitment_date=row.get("commitment_date", ""),
                commitment_note=row.get("commitment_note", ""),
                workshop_dates=row.get("strategic_workshop_dates", ""),
                workshop_place=row.get("strategic_workshop_place", ""),
                roadmap_note=row.get("roadmap_note", ""),
                other_source_urls=_urls(row.get("other_source_urls", "")),
                sourced=_sourced(row, number),
            )
        )
    return out


def parse_milestones(text: str) -> list[MilestoneRow]:
    out = []
    required = ("iso3", "date", "milestone_type", "title", "verification_status")
    for number, row in read_rows(text, required=required):
        day, precision = partial_date(row["date"], row=number, column="date")
        out.append(
            MilestoneRow(
                iso3=_iso3(row["iso3"], row=number),
                date=day,
                precision=precision,
                kind=_choice(
                    row["milestone_type"], MILESTONE_TYPES, row=number, column="milestone_type"
                ),
                title=row["title"],
                description=row.get("description", ""),
                sourced=_sourced(row, number),
            )
        )
    return out


def parse_actions(text: str) -> list[ActionRow]:
    out = []
    counts: dict[str, int] = {}
    required = ("iso3", "plan_title", "priority_area", "action", "verification_status")
    for number, row in read_rows(text, required=required):
        iso3 = _iso3(row["iso3"], row=number)
        if not row["action"]:
            raise ParseError(_("an action needs its text"), row=number, column="action")
        counts[iso3] = counts.get(iso3, 0) + 1
        out.append(
            ActionRow(
                key=f"{iso3.lower()}-{counts[iso3]}",
                iso3=iso3,
                plan_title=row["plan_title"],
                plan_period=row.get("plan_period", ""),
                priority_area=row["priority_area"],
                text=row["action"],
                responsible_body=row.get("responsible_body", ""),
                timeline=row.get("timeline", ""),
                linked_indicator=row.get("linked_indicator", ""),
                target_text=row.get("target_value", ""),
                sourced=_sourced(row, number),
            )
        )
    return out


def parse_targets(text: str) -> list[TargetRow]:
    out = []
    for number, row in read_rows(text, required=("iso3", "indicator", "verification_status")):
        out.append(
            TargetRow(
                iso3=_iso3(row["iso3"], row=number),
                indicator=row["indicator"],
                baseline_year=_year(
                    row.get("baseline_year", ""), row=number, column="baseline_year"
                ),
                baseline_value=row.get("baseline_value", ""),
                target_year=_year(row.get("target_year", ""), row=number, column="target_year"),
                target_value=row.get("target_value", ""),
                document=row.get("document", ""),
                sourced=_sourced(row, number),
            )
        )
    return out


def parse_meetings(text: str) -> list[MeetingRow]:
    out = []
    required = ("date", "event_type", "decisions_or_goals", "verification_status")
    for number, row in read_rows(text, required=required):
        day, precision = partial_date(row["date"], row=number, column="date")
        meeting_number = row.get("meeting_number", "")
        if meeting_number and not meeting_number.isdigit():
            raise ParseError(_("not a meeting number"), row=number, column="meeting_number")
        out.append(
            MeetingRow(
                number=int(meeting_number) if meeting_number else None,
                date=day,
                precision=precision,
                place=row.get("place", ""),
                event_type=_choice(
                    row["event_type"], GCG_EVENT_TYPES, row=number, column="event_type"
                ),
                decisions=row["decisions_or_goals"],
                sourced=_sourced(row, number),
            )
        )
    return out


def parse_groups(text: str, workstreams_text: str) -> list[GroupRow]:
    streams: dict[str, list[WorkstreamRow]] = {}
    required = ("group_id", "item_order", "name", "verification_status")
    for number, row in read_rows(workstreams_text, required=required):
        if not row["item_order"].isdigit():
            raise ParseError(_("not a number"), row=number, column="item_order")
        streams.setdefault(row["group_id"], []).append(
            WorkstreamRow(
                group=row["group_id"],
                order=int(row["item_order"]),
                kind=row.get("item_type", ""),
                name=row["name"],
                period=row.get("period", ""),
                source_url=row.get("source_url", ""),
                verification=_choice(
                    row["verification_status"],
                    VERIFICATIONS,
                    row=number,
                    column="verification_status",
                ),
            )
        )
    out = []
    for number, row in read_rows(text, required=("group_id", "name", "verification_status")):
        slug = row["group_id"]
        if not _SLUG.match(slug):
            raise ParseError(_("not a group id"), row=number, column="group_id")
        out.append(
            GroupRow(
                slug=slug,
                name=row["name"],
                group_type=row.get("group_type", ""),
                current_status=row.get("current_status", ""),
                chair=row.get("chair", ""),
                chair_verified=row.get("chair_verification_status", "") == "verified",
                established=row.get("established", ""),
                established_note=row.get("established_note", ""),
                member_count=row.get("member_organisations", ""),
                members_as_of=row.get("members_as_of", ""),
                description=row.get("description", ""),
                other_source_urls=_urls(row.get("other_source_urls", "")),
                sourced=_sourced(row, number),
                workstreams=streams.pop(slug, []),
            )
        )
    if streams:
        raise ParseError(
            _("workstreams of an unknown group: %(groups)s") % {"groups": ", ".join(streams)},
            row=None,
            column="group_id",
        )
    return out


def parse_group_events(text: str) -> list[GroupEventRow]:
    out = []
    for number, row in read_rows(text, required=("group_id", "event", "verification_status")):
        day, precision = partial_date(row.get("date", ""), row=number, column="date")
        out.append(
            GroupEventRow(
                group=row["group_id"],
                date=day,
                precision=precision,
                place=row.get("place", ""),
                title=row["event"],
                description=row.get("description", ""),
                sourced=_sourced(row, number),
            )
        )
    return out


def parse_group_links(text: str) -> list[GroupLinkRow]:
    """Verified rows only: a link not verified is never shown, so it is not loaded."""
    out = []
    seen: set[tuple[str, str, str]] = set()
    required = ("group_id", "kind", "target", "evidence_url", "verification_status")
    for number, row in read_rows(text, required=required):
        verification = _choice(
            row["verification_status"], VERIFICATIONS, row=number, column="verification_status"
        )
        kind = _choice(row["kind"], frozenset({"news", "output"}), row=number, column="kind")
        target = row["target"]
        if not _SLUG.match(target):
            raise ParseError(f"not a slug: {target!r}", row=number, column="target")
        if not row["evidence_url"].startswith(("https://", "http://")):
            raise ParseError(
                f"not a web address: {row['evidence_url']!r}", row=number, column="evidence_url"
            )
        key = (row["group_id"], kind, target)
        if key in seen:
            raise ParseError(f"the same link twice: {key!r}", row=number, column="target")
        seen.add(key)
        if verification != "verified":
            continue
        out.append(
            GroupLinkRow(
                group=row["group_id"],
                kind=kind,
                target=target,
                evidence_url=row["evidence_url"],
                notes=row.get("notes", ""),
            )
        )
    return out


def parse_snapshots(text: str) -> list[SnapshotRow]:
    out = []
    required = ("as_of", "metric", "value", "source_url", "verification_status")
    for number, row in read_rows(text, required=required):
        out.append(
            SnapshotRow(
                as_of=row["as_of"],
                metric=row["metric"],
                value=row["value"],
                qualifier=row.get("qualifier", ""),
                source_url=row["source_url"],
                verification=_choice(
                    row["verification_status"],
                    VERIFICATIONS,
                    row=number,
                    column="verification_status",
                ),
            )
        )
    return out
