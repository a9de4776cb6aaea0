"""The annual report services on the real bundled data: Uganda's report pre-filled from its
bundled roadmap (NAP II, 8 public actions) and its SDG 8.7.1 figure (13.2 % of children aged
5-17 in 2017), kept as filed; who writes, who publishes; drafts never public."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from sdg87.alliance import selectors, visibility
from sdg87.alliance.models import (
    AllianceAuditEntry,
    AnnualReport,
    AnnualReportEntry,
    Completion,
    ReviewStatus,
    RoadmapAction,
)
from sdg87.alliance.services import reports, roadmap
from sdg87.alliance.tests.contrib_fixtures import *  # noqa: F403
from sdg87.core.models import OutboundMail
from sdg87.geo.models import Geography
from sdg87.indicators.models import Observation

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("bundled_data")]

YEAR = 2024


@pytest.fixture  # type: ignore[no-redef]
def uga(bundled_data: None) -> Geography:
    return Geography.objects.get(iso3="UGA")


@pytest.fixture  # type: ignore[no-redef]
def ken(bundled_data: None) -> Geography:
    return Geography.objects.get(iso3="KEN")


def _uganda_actions() -> list[RoadmapAction]:
    return list(
        visibility.public_actions()
        .filter(plan__country__iso3="UGA")
        .order_by("plan__title", "priority_area", "pk")
    )


def _start(people: dict[str, Any], uga: Geography, year: int = YEAR) -> AnnualReport:
    return reports.report_start(actor=people["focal_point"], country=uga, year=year)


def _accept_status(
    people: dict[str, Any], action: RoadmapAction, completion: str, as_of: date, evidence: str
) -> None:
    change = roadmap.status_change_propose(
        actor=people["focal_point"],
        action=action,
        completion=completion,
        as_of=as_of,
        evidence=evidence,
        evidence_url="https://example.org/evidence",
    )
    roadmap.status_change_accept(actor=people["secretariat"], change=change)


def test_start_prefills_one_entry_per_public_action_of_the_bundled_roadmap(
    people: Any, uga: Geography
) -> None:
    """Uganda's 8 public bundled actions each get an entry; with no accepted status yet, the
    completion starts at 'no evidence available' and the evidence is empty."""
    actions = _uganda_actions()
    assert len(actions) == 8
    report = _start(people, uga)
    entries = list(report.entries.order_by("action_id"))
    assert sorted(e.action_id for e in entries) == sorted(a.pk for a in actions)
    assert {e.completion for e in entries} == {Completion.NO_EVIDENCE}
    assert {e.evidence for e in entries} == {""}
    assert report.status == ReviewStatus.DRAFT and not report.live
    assert report.filed_at is None
    assert report.created_by == people["focal_point"]
    entry = AllianceAuditEntry.objects.get(subject_type="report", subject_id=report.pk)
    assert (entry.action, entry.to_status, entry.country_id) == ("create", "draft", uga.pk)


def test_start_takes_the_latest_accepted_status_and_its_evidence(
    people: Any, uga: Geography
) -> None:
    """The newest accepted status is the starting point; an older accepted one and a newer
    one still only proposed are not."""
    first, second = _uganda_actions()[:2]
    _accept_status(people, first, Completion.LIMITED, date(2023, 6, 30), "Older report.")
    _accept_status(people, first, Completion.SUBSTANTIAL, date(2024, 6, 30), "Newer report.")
    roadmap.status_change_propose(
        actor=people["focal_point"],
        action=first,
        completion=Completion.COMPLETE,
        as_of=date(2024, 12, 1),
        evidence="Proposed, not accepted.",
    )
    report = _start(people, uga)
    by_action = {e.action_id: e for e in report.entries.all()}
    assert by_action[first.pk].completion == Completion.SUBSTANTIAL
    assert by_action[first.pk].evidence == "Newer report."
    assert by_action[first.pk].evidence_url == "https://example.org/evidence"
    assert by_action[second.pk].completion == Completion.NO_EVIDENCE


def test_start_leaves_out_actions_that_are_not_public(people: Any, uga: Geography) -> None:
    """A contributed draft is not in the report; it is not part of the public roadmap."""
    draft = roadmap.roadmap_action_create(
        actor=people["focal_point"], country=uga, priority_area="Prevention", text="A draft"
    )
    report = _start(people, uga)
    assert not report.entries.filter(action=draft).exists()
    assert report.entries.count() == 8


def test_statistics_are_the_pathfinder_pages_871_figure(people: Any, uga: Geography) -> None:
    """The statistics are the 8.7.1 figure of the Pathfinder page: 13.2 % of children aged
    5-17, 2017, with its release and source."""
    report = _start(people, uga)
    figure = selectors.child_labour_figures(geographies=[uga])[uga.pk]
    assert len(report.statistics) == 1
    stat = report.statistics[0]
    release = figure.latest_release
    assert release is not None
    assert (stat["series"], stat["age"], stat["year"], stat["value"]) == (
        "SL_TLF_CHLDEA",
        "Y5T17",
        2017,
        13.2,
    )
    assert stat["release"] == release.code and stat["release_year"] == release.year
    assert stat["source"] == release.source.title
    assert stat["source_url"] == (release.url or release.source.url)
    assert stat["source_url"].startswith("http")
    assert stat["category"] == "limited_progress"
    assert stat["taken_on"] == timezone.localdate().isoformat()


def test_statistics_are_kept_as_filed_when_the_data_change(people: Any, uga: Geography) -> None:
    """A corrected figure after the report was started changes what the Pathfinder page
    shows, never the report, not even once it is published."""
    report = _start(people, uga)
    filed = list(report.statistics)
    Observation.all_objects.filter(
        series__code="SL_TLF_CHLDEA", geography=uga, year=2017, sex="_T", age="Y5T17"
    ).update(value=42.5)
    assert reports.report_statistics_current(country=uga)[0]["value"] == 42.5
    reports.report_update(actor=people["focal_point"], report=report, summary="Summary.")
    reports.report_submit(actor=people["focal_point"], report=report)
    reports.report_publish(actor=people["secretariat"], report=report)
    report.refresh_from_db()
    assert report.statistics == filed
    assert report.statistics[0]["value"] == 13.2


def test_one_report_per_country_and_year(people: Any, uga: Geography) -> None:
    _start(people, uga)
    with pytest.raises(ValidationError) as info:
        _start(people, uga)
    assert "year" in info.value.message_dict
    assert AnnualReport.objects.filter(country=uga).count() == 1
    assert _start(people, uga, year=YEAR - 1).year == YEAR - 1


@pytest.mark.parametrize("year", [2015, timezone.now().year + 1])
def test_start_refuses_years_out_of_range(people: Any, uga: Geography, year: int) -> None:
    with pytest.raises(ValidationError) as info:
        _start(people, uga, year=year)
    assert "year" in info.value.message_dict
    assert not AnnualReport.objects.exists()


@pytest.mark.parametrize(
    "role", ["anonymous", "other_focal_point", "reviewer", "secretariat", "superuser"]
)
def test_only_ugandas_focal_points_start_its_report(people: Any, uga: Any, role: str) -> None:
    with pytest.raises(PermissionDenied):
        reports.report_start(actor=people[role], country=uga, year=YEAR)
    assert not AnnualReport.objects.exists()


def test_update_changes_summary_and_entries_all_or_nothing(people: Any, uga: Geography) -> None:
    """One wrong value saves nothing; the errors name the entry and the field."""
    report = _start(people, uga)
    one, two = list(report.entries.order_by("pk"))[:2]
    with pytest.raises(ValidationError) as info:
        reports.report_update(
            actor=people["focal_point"],
            report=report,
            summary="A good year.",
            entries={
                one.pk: {"completion": Completion.COMPLETE, "barriers": "Funding"},
                two.pk: {"evidence": "<b>markup</b>", "evidence_url": "javascript:x"},
            },
        )
    assert set(info.value.message_dict) == {
        f"entry-{two.pk}-evidence",
        f"entry-{two.pk}-evidence_url",
    }
    report.refresh_from_db()
    one.refresh_from_db()
    assert report.summary == "" and one.completion == Completion.NO_EVIDENCE

    reports.report_update(
        actor=people["focal_point"],
        report=report,
        summary="A good year.",
        entries={one.pk: {"completion": Completion.COMPLETE, "next_steps": "Scale up"}},
    )
    one.refresh_from_db()
    report.refresh_from_db()
    assert (report.summary, one.completion, one.next_steps) == (
        "A good year.",
        Completion.COMPLETE,
        "Scale up",
    )
    entry = reports.entry_update(
        actor=people["focal_point"], entry=two, data={"barriers": "Staff turnover"}
    )
    assert entry.barriers == "Staff turnover"
    edits = AllianceAuditEntry.objects.filter(subject_type="report", action="edit")
    assert edits.count() == 2


def test_update_refuses_entries_of_another_report(people: Any, uga: Geography) -> None:
    report = _start(people, uga)
    other = _start(people, uga, year=YEAR - 1)
    foreign = other.entries.first()
    assert foreign is not None
    with pytest.raises(ValidationError):
        reports.report_update(
            actor=people["focal_point"], report=report, entries={foreign.pk: {"barriers": "x"}}
        )
    foreign.refresh_from_db()
    assert foreign.barriers == ""


@pytest.mark.parametrize(
    "role", ["anonymous", "other_focal_point", "reviewer", "secretariat", "superuser"]
)
def test_only_ugandas_focal_points_edit_and_submit(people: Any, uga: Any, role: str) -> None:
    report = _start(people, uga)
    with pytest.raises(PermissionDenied):
        reports.report_update(actor=people[role], report=report, summary="Not mine")
    with pytest.raises(PermissionDenied):
        reports.report_submit(actor=people[role], report=report)
    report.refresh_from_db()
    assert report.status == ReviewStatus.DRAFT and report.summary == ""


def test_submit_needs_a_summary_and_files_the_report(people: Any, uga: Geography) -> None:
    report = _start(people, uga)
    with pytest.raises(ValidationError) as info:
        reports.report_submit(actor=people["focal_point"], report=report)
    assert "summary" in info.value.message_dict
    reports.report_update(actor=people["focal_point"], report=report, summary="Summary.")
    OutboundMail.objects.all().delete()
    report = reports.report_submit(actor=people["focal_point"], report=report, message="Ready")
    assert report.status == ReviewStatus.SUBMITTED and report.filed_at is not None
    assert not report.live
    with pytest.raises(PermissionDenied):  # no edits while under review
        reports.report_update(actor=people["focal_point"], report=report, summary="Changed")
    mail = OutboundMail.objects.get()
    assert mail.recipient == "secretariat@example.org"
    assert "Annual report 2024 of Uganda" in mail.subject


@pytest.mark.parametrize("role", ["anonymous", "focal_point", "other_focal_point", "reviewer"])
def test_only_the_secretariat_publishes_or_returns(people: Any, uga: Any, role: str) -> None:
    report = _start(people, uga)
    reports.report_update(actor=people["focal_point"], report=report, summary="Summary.")
    reports.report_submit(actor=people["focal_point"], report=report)
    with pytest.raises(PermissionDenied):
        reports.report_publish(actor=people[role], report=report)
    with pytest.raises(PermissionDenied):
        reports.report_request_changes(actor=people[role], report=report, message="No")
    report.refresh_from_db()
    assert report.status == ReviewStatus.SUBMITTED and not report.live


def test_drafts_are_never_public_and_publishing_makes_it_public(
    people: Any, uga: Geography
) -> None:
    """Draft, submitted and returned reports are not in visibility.public_reports nor on the
    Pathfinder page; published ones are; withdrawn ones leave again."""
    report = _start(people, uga)

    def public() -> bool:
        return (
            visibility.public_reports().filter(pk=report.pk).exists()
            and selectors.report_public_detail(iso3="UGA", year=YEAR) is not None
        )

    assert not public()
    reports.report_update(actor=people["focal_point"], report=report, summary="Summary.")
    reports.report_submit(actor=people["focal_point"], report=report)
    assert not public()
    reports.report_request_changes(actor=people["secretariat"], report=report, message="Add X")
    report.refresh_from_db()
    assert report.status == ReviewStatus.CHANGES_REQUESTED and not public()
    reports.report_submit(actor=people["focal_point"], report=report)
    OutboundMail.objects.all().delete()
    reports.report_publish(actor=people["secretariat"], report=report)
    assert public()
    mail = OutboundMail.objects.get()
    assert mail.recipient == "fp_uga@example.org"
    detail = selectors.pathfinder_detail(iso3="UGA")
    assert detail is not None and [r.pk for r in detail.reports] == [report.pk]
    with pytest.raises(PermissionDenied):  # a focal point cannot take down a published one
        reports.report_withdraw(actor=people["focal_point"], report=report)
    reports.report_withdraw(actor=people["secretariat"], report=report, message="Error")
    assert not public()
    actions = list(
        AllianceAuditEntry.objects.filter(subject_type="report", subject_id=report.pk)
        .order_by("created_at", "id")
        .values_list("action", flat=True)
    )
    assert actions == [
        "create",
        "edit",
        "submit",
        "request_changes",
        "submit",
        "publish",
        "withdraw",
    ]


def test_request_changes_needs_a_message(people: Any, uga: Geography) -> None:
    report = _start(people, uga)
    reports.report_update(actor=people["focal_point"], report=report, summary="Summary.")
    reports.report_submit(actor=people["focal_point"], report=report)
    with pytest.raises(ValidationError):
        reports.report_request_changes(actor=people["secretariat"], report=report, message=" ")
    report.refresh_from_db()
    assert report.status == ReviewStatus.SUBMITTED


def test_a_focal_point_withdraws_a_draft(people: Any, uga: Geography) -> None:
    report = _start(people, uga)
    with pytest.raises(PermissionDenied):
        reports.report_withdraw(actor=people["other_focal_point"], report=report)
    reports.report_withdraw(actor=people["focal_point"], report=report)
    report.refresh_from_db()
    assert report.status == ReviewStatus.WITHDRAWN
    assert AnnualReportEntry.objects.filter(report=report).count() == 8  # kept
