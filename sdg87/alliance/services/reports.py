"""A Pathfinder Country's annual progress report, filed by its focal points and reviewed by the
secretariat on the shared machine of sdg87.core.review:

    report_start --> draft --submit--> submitted --publish--> published (live)
                       ^                   |
                       +--changes_requested <-request_changes (the secretariat says what)
    withdraw: a focal point before publication, the secretariat at any stage -> withdrawn
              (not live; kept with its history)

One report per country and year. `report_start` pre-fills it from what is public at that
moment: one entry per public roadmap action of the country, starting from the latest accepted
self-reported status (its completion on the OGP scale and its evidence; "no evidence
available" when none was accepted), and `statistics`, the country's latest SDG 8.7.1 figure
as the Pathfinder page shows it (sdg87.alliance.selectors.child_labour_figures): value, unit,
age band, year, release and source. The statistics are kept as filed: a later release or a
corrected figure never changes a report that was started before it.

Each service is one transaction: lock the row, check the permission (PermissionDenied, before
anything else), validate (`full_clean()`), save, write an AllianceAuditEntry (subject
`report`) and queue the mail to the people concerned, sent after commit.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import URLValidator
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sdg87.alliance import permissions, selectors, visibility
from sdg87.alliance.models import (
    AnnualReport,
    AnnualReportEntry,
    Completion,
    ReviewStatus,
    StatusChange,
)
from sdg87.alliance.services.audit import (
    audit_write,
    focal_point_emails,
    notify,
    plain_text,
    secretariat_emails,
)
from sdg87.alliance.services.workflow import Wording, review_transitions
from sdg87.core import review
from sdg87.core.actors import Actor, signed_in_user
from sdg87.geo.models import Geography

REPORT = "report"  # the audit entries' subject type
FIRST_YEAR = 2016  # the Alliance 8.7 was launched in 2016; no Pathfinder reported before
ENTRY_FIELDS = ("completion", "evidence", "evidence_url", "barriers", "next_steps")

type Step = review.Step[AnnualReport]
Transition = review.Transition[AnnualReport]

_http_url = URLValidator(schemes=["http", "https"])


def report_lock(report: AnnualReport) -> AnnualReport:
    """The report re-read with a row lock (inside the caller's transaction)."""
    return (
        AnnualReport.objects.select_for_update(of=("self",))
        .select_related("country")
        .get(pk=report.pk)
    )


def _iso3(report: AnnualReport) -> str:
    return str(report.country.iso3 or report.country.code)


def _label(report: AnnualReport) -> str:
    return _("Annual report %(year)s of %(country)s") % {
        "year": report.year,
        "country": report.country.name,
    }


def _country_focal_points(report: AnnualReport) -> list[str]:
    return focal_point_emails(country_id=int(report.country_id))


def _secretariat(_report: AnnualReport) -> list[str]:
    return secretariat_emails()


# --- what a report starts from -------------------------------------------------------------


def report_statistics_current(*, country: Geography) -> list[dict[str, Any]]:
    """The country's latest public statistics, as plain values to be kept with a report: the
    SDG 8.7.1 figure of the Pathfinder page (empty when the country has none)."""
    figure = selectors.child_labour_figures(geographies=[country]).get(country.pk)
    if figure is None:
        return []
    release = figure.latest_release
    source = release.source if release is not None else None
    return [
        {
            "indicator": "8.7.1",
            "series": figure.series.code,
            "series_name": figure.series.name,
            "value": figure.latest.value,
            "unit": figure.unit,
            "decimals": figure.series.decimals,
            "sex": "_T",
            "age": figure.age,
            "year": figure.latest.year,
            "category": str(figure.category or ""),
            "release": release.code if release is not None else "",
            "release_title": release.title if release is not None else "",
            "release_year": release.year if release is not None else None,
            "source": source.title if source is not None else "",
            "publisher": source.publisher if source is not None else "",
            "source_url": (release.url or source.url) if release is not None and source else "",
            "taken_on": timezone.localdate().isoformat(),
        }
    ]


def _latest_accepted(*, action_ids: list[int]) -> dict[int, StatusChange]:
    latest: dict[int, StatusChange] = {}
    for change in visibility.public_status_changes().filter(action_id__in=action_ids):
        current = latest.get(change.action_id)
        if current is None or (change.as_of, change.pk) > (current.as_of, current.pk):
            latest[change.action_id] = change
    return latest


@transaction.atomic
def report_start(*, actor: Actor, country: Geography, year: int) -> AnnualReport:
    """A focal point starts the country's report for `year`: a draft pre-filled with one entry
    per public roadmap action and the statistics of the day (kept as filed)."""
    if not permissions.can_create_report(actor, country.pk):
        raise PermissionDenied(_("Only a focal point of this country files its annual report."))
    this_year = timezone.localdate().year
    if not isinstance(year, int) or not FIRST_YEAR <= year <= this_year:
        raise ValidationError(
            {
                "year": _("Give a year from %(first)d to %(last)d.")
                % {"first": FIRST_YEAR, "last": this_year}
            }
        )
    if AnnualReport.objects.filter(country=country, year=year).exists():
        raise ValidationError(
            {"year": _("This country's report for %(year)d already exists.") % {"year": year}}
        )
    report = AnnualReport(
        country=country,
        year=year,
        statistics=report_statistics_current(country=country),
        status=ReviewStatus.DRAFT,
        live=False,
        created_by=signed_in_user(actor),
    )
    report.full_clean()
    try:
        with transaction.atomic():
            report.save()
    except IntegrityError as exc:  # a concurrent start of the same year
        raise ValidationError(
            {"year": _("This country's report for %(year)d already exists.") % {"year": year}}
        ) from exc
    actions = list(
        visibility.public_actions()
        .filter(plan__country=country)
        .order_by("plan__title", "priority_area", "pk")
    )
    latest = _latest_accepted(action_ids=[a.pk for a in actions])
    entries = []
    for action in actions:
        change = latest.get(action.pk)
        entry = AnnualReportEntry(
            report=report,
            action=action,
            completion=change.completion if change is not None else Completion.NO_EVIDENCE,
            evidence=change.evidence if change is not None else "",
            evidence_url=change.evidence_url if change is not None else "",
        )
        entry.full_clean()
        entries.append(entry)
    AnnualReportEntry.objects.bulk_create(entries)
    audit_write(
        subject_type=REPORT,
        subject=report,
        country_id=country.pk,
        action="create",
        actor=actor,
        to_status=report.status,
        message=_("%(count)d actions pre-filled") % {"count": len(entries)},
    )
    return report


# --- editing -------------------------------------------------------------------------------


def _entry_apply(entry: AnnualReportEntry, data: Mapping[str, Any]) -> dict[str, list[str]]:
    """Set the entry's fields from `data` (only the keys given); the errors by field."""
    errors: dict[str, list[str]] = {}
    unknown = set(data) - set(ENTRY_FIELDS)
    if unknown:
        errors["__all__"] = [_("Unknown fields: %(names)s") % {"names": ", ".join(sorted(unknown))}]
    if "completion" in data:
        if data["completion"] not in Completion.values:
            errors["completion"] = [_("Choose a level of completion.")]
        else:
            entry.completion = data["completion"]
    for name in ("evidence", "barriers", "next_steps"):
        if name in data:
            try:
                setattr(entry, name, plain_text(data[name], field=name, required=False))
            except ValidationError as exc:
                errors.update(exc.message_dict)
    if "evidence_url" in data:
        url = (data["evidence_url"] or "").strip()
        if url:
            try:
                _http_url(url)
            except ValidationError:
                errors["evidence_url"] = [_("Enter a web address (http or https).")]
        entry.evidence_url = url
    return errors


def _editable(actor: Actor, report: AnnualReport) -> AnnualReport:
    report = report_lock(report)
    if not permissions.can_edit_report(actor, report):
        raise PermissionDenied(_("You cannot edit this report in its current state."))
    return report


@transaction.atomic
def report_update(
    *,
    actor: Actor,
    report: AnnualReport,
    summary: str | None = None,
    entries: Mapping[int, Mapping[str, Any]] | None = None,
) -> AnnualReport:
    """Change a draft (or returned) report in one go: its summary and any of its entries
    ({entry id: {field: value}}, fields among ENTRY_FIELDS). Nothing is saved when one value
    is wrong; the errors are keyed `summary` and `entry-<id>-<field>`."""
    report = _editable(actor, report)
    errors: dict[str, list[str]] = {}
    if summary is not None:
        try:
            report.summary = plain_text(summary, field="summary", required=False)
        except ValidationError as exc:
            errors.update(exc.message_dict)
    changed: list[AnnualReportEntry] = []
    if entries:
        own = {e.pk: e for e in report.entries.select_for_update().filter(pk__in=list(entries))}
        for pk, data in entries.items():
            entry = own.get(int(pk))
            if entry is None:
                errors.setdefault("__all__", []).append(
                    _("Entry %(id)s is not part of this report.") % {"id": pk}
                )
                continue
            for field, messages in _entry_apply(entry, data).items():
                errors.setdefault(f"entry-{entry.pk}-{field}", []).extend(messages)
            changed.append(entry)
    if errors:
        raise ValidationError(errors)
    report.full_clean()
    report.save()
    for entry in changed:
        entry.full_clean()
        entry.save()
    audit_write(
        subject_type=REPORT,
        subject=report,
        country_id=int(report.country_id),
        action="edit",
        actor=actor,
        from_status=report.status,
        to_status=report.status,
        message=_("summary and %(count)d entries") % {"count": len(changed)}
        if summary is not None
        else _("%(count)d entries") % {"count": len(changed)},
    )
    return report


def entry_update(
    *, actor: Actor, entry: AnnualReportEntry, data: Mapping[str, Any]
) -> AnnualReportEntry:
    """Change one entry of a draft (or returned) report (fields among ENTRY_FIELDS)."""
    report_update(actor=actor, report=entry.report, entries={entry.pk: data})
    entry.refresh_from_db()
    return entry


# --- the review workflow -------------------------------------------------------------------


def _filed(step: Step) -> None:
    if not step.subject.summary.strip():
        raise ValidationError({"summary": _("Write the report's summary before submitting it.")})
    step.subject.filed_at = step.now


TRANSITIONS: dict[str, Transition] = review_transitions(
    can_submit=permissions.can_submit_report,
    can_review=permissions.can_review_report,
    can_withdraw=permissions.can_withdraw_report,
    submit_denied=gettext_lazy("This report cannot be submitted by you in its current state."),
    review_denied=gettext_lazy("Only the secretariat reviews submitted reports."),
    withdraw_denied=gettext_lazy("You cannot withdraw this report."),
    owners=(_country_focal_points,),
    secretariat=_secretariat,
    submitted=Wording(
        subject=gettext_lazy("Annual report submitted for review: %(title)s"),
        body=lambda s: (
            _("%(user)s submitted an annual report for review.") % {"user": s.actor}
            + "\n"
            + s.message
        ),
    ),
    changes_subject=gettext_lazy("Changes requested: %(title)s"),
    published=Wording(
        subject=gettext_lazy("Annual report published: %(title)s"),
        body=lambda s: s.message or _("The report is now public, as a page and a PDF."),
    ),
    withdrawn=Wording(
        subject=gettext_lazy("Annual report withdrawn: %(title)s"),
        body=lambda s: s.message or _("The report was withdrawn."),
    ),
    on_submit=_filed,
)


WORKFLOW = review.Workflow[AnnualReport](
    transitions=TRANSITIONS,
    lock=report_lock,
    audit=lambda report, name, actor, before, message: audit_write(
        subject_type=REPORT,
        subject=report,
        country_id=int(report.country_id),
        action=name,
        actor=actor,
        from_status=before,
        to_status=report.status,
        message=message,
    ),
    notify=lambda report, recipients, subject, body: notify(
        recipients=recipients, subject=subject, body=body, label=_label(report), iso3=_iso3(report)
    ),
    title=_label,
)


def report_submit(*, actor: Actor, report: AnnualReport, message: str = "") -> AnnualReport:
    """Send a draft (or returned) report to the secretariat; it is filed as of now."""
    return review.act(WORKFLOW, "submit", actor=actor, subject=report, message=message).subject


def report_request_changes(*, actor: Actor, report: AnnualReport, message: str) -> AnnualReport:
    """Return a submitted report to the country's focal points, saying what to change."""
    step = review.act(WORKFLOW, "request_changes", actor=actor, subject=report, message=message)
    return step.subject


def report_publish(*, actor: Actor, report: AnnualReport, message: str = "") -> AnnualReport:
    """Publish a submitted report: public as a page and a PDF from now."""
    return review.act(WORKFLOW, "publish", actor=actor, subject=report, message=message).subject


def report_withdraw(*, actor: Actor, report: AnnualReport, message: str = "") -> AnnualReport:
    """Withdraw a report (no longer public; kept with its history)."""
    return review.act(WORKFLOW, "withdraw", actor=actor, subject=report, message=message).subject
