"""The Alliance 8.7's structures: Pathfinder Countries and their roadmaps, the Global
Coordinating Group, the Action Groups.

Two kinds of rows live here:

- **bundled facts** (data/alliance87/, loaded by sdg87.alliance.loaders): each carries its
  source, a verbatim quote and a `verification` status. Only `SHOWN` statuses are shown as
  fact; `verified_approx` dates are shown as approximate; `verified_conflicting` and
  `unverified` rows are drafts that only the secretariat sees, to confirm or correct.
- **platform contributions**: roadmap actions proposed by a country's focal points, their
  dated status changes with evidence, the independent reviewers' ratings and the
  governments' replies. They go through review (sdg87.alliance.services, on the shared
  machine of sdg87.core.review) and every change is audited (`AllianceAuditEntry`).

Who may do what is decided in sdg87.alliance.permissions from `AllianceRole` rows.
"""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from sdg87.alliance.private_storage import workspace_storage


class Verification(models.TextChoices):
    VERIFIED = "verified", _("verified against the source")
    SECONDARY = "verified_secondary", _("verified against a third party's account")
    APPROX = "verified_approx", _("verified, date approximate")
    CONFLICTING = "verified_conflicting", _("sources disagree")
    UNVERIFIED = "unverified", _("not verified")
    CONTRIBUTED = "contributed", _("reported on the platform")


# What a public page may state as fact.
SHOWN = frozenset({Verification.VERIFIED, Verification.SECONDARY, Verification.APPROX})


class DatePrecision(models.TextChoices):
    DAY = "day", _("day")
    MONTH = "month", _("month")
    YEAR = "year", _("year")


class Sourced(models.Model):
    """A fact with its source: the publisher's page, a verbatim quote, how it was checked."""

    source_url = models.URLField(_("source"), max_length=1000, blank=True)
    quote = models.TextField(_("quote from the source"), blank=True)
    verification = models.CharField(
        _("verification"), max_length=24, choices=Verification.choices, db_index=True
    )
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        abstract = True

    @property
    def is_fact(self) -> bool:
        return self.verification in SHOWN

    @property
    def is_approximate(self) -> bool:
        return self.verification == Verification.APPROX


class Dated(models.Model):
    """A date known to a day, a month or a year (the first day of the period is stored)."""

    date = models.DateField(_("date"), null=True, blank=True, db_index=True)
    date_precision = models.CharField(
        max_length=8, choices=DatePrecision.choices, default=DatePrecision.DAY
    )

    class Meta:
        abstract = True


class PathfinderStatus(models.TextChoices):
    NAMED = "named_as_pathfinder", _("named as a Pathfinder Country")
    CANDIDATE = "candidate_presented", _("candidacy presented")
    COMMITMENT = "commitment_expressed", _("commitment expressed")
    WORKSHOP = "strategic_workshop_held", _("national strategic workshop held")
    DRAFTED = "roadmap_drafted", _("national roadmap drafted")
    ADOPTED = "roadmap_adopted", _("national roadmap adopted")
    LAUNCHED = "roadmap_launched", _("national roadmap launched")


class PathfinderCountry(Sourced):
    country = models.OneToOneField(
        "geo.Geography", on_delete=models.PROTECT, related_name="pathfinder"
    )
    status = models.CharField(_("stage"), max_length=32, choices=PathfinderStatus.choices)
    listed_2025 = models.BooleanField(_("in the 2025 list of Pathfinder Countries"))
    commitment_date = models.CharField(max_length=10, blank=True)  # YYYY, YYYY-MM or a day
    commitment_note = models.TextField(blank=True)
    workshop_dates = models.CharField(max_length=60, blank=True)
    workshop_place = models.CharField(max_length=100, blank=True)
    roadmap_note = models.TextField(blank=True)
    other_source_urls = models.TextField(blank=True)  # one per line

    class Meta:
        ordering = ["country__name_en"]
        verbose_name_plural = "Pathfinder countries"

    def __str__(self) -> str:
        return self.country.name


class MilestoneType(models.TextChoices):
    COMMITMENT = "commitment", _("commitment")
    WORKSHOP = "national_workshop", _("national workshop")
    ROADMAP = "roadmap_adopted", _("roadmap adopted")
    PLAN = "national_action_plan", _("national action plan or policy")
    REPORT = "progress_report", _("progress report")
    RATIFICATION = "ratification", _("ratification")
    LAW = "law_adopted", _("law adopted")
    OTHER = "other", _("other")


class Milestone(Sourced, Dated):
    country = models.ForeignKey(
        "geo.Geography", on_delete=models.PROTECT, related_name="pathfinder_milestones"
    )
    kind = models.CharField(_("milestone"), max_length=24, choices=MilestoneType.choices)
    title = models.CharField(_("title"), max_length=500)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        ordering = ["country__name_en", "date", "id"]

    def __str__(self) -> str:
        return self.title


class Plan(models.Model):
    """A national plan or roadmap whose actions are tracked."""

    country = models.ForeignKey(
        "geo.Geography", on_delete=models.PROTECT, related_name="pathfinder_plans"
    )
    title = models.CharField(_("plan"), max_length=500)
    period = models.CharField(_("period"), max_length=60, blank=True)

    class Meta:
        ordering = ["country__name_en", "title"]
        constraints = [
            models.UniqueConstraint(fields=["country", "title"], name="alliance_plan_unique")
        ]

    def __str__(self) -> str:
        return self.title


class ReviewStatus(models.TextChoices):
    """The review state of a contribution's working copy (ADR 0004's editorial model)."""

    DRAFT = "draft", _("draft")
    SUBMITTED = "submitted", _("submitted for review")
    CHANGES_REQUESTED = "changes_requested", _("changes requested")
    PUBLISHED = "published", _("published")
    WITHDRAWN = "withdrawn", _("withdrawn")


class Funding(models.TextChoices):
    UNKNOWN = "", _("not stated")
    FUNDED = "funded", _("funded")
    PARTLY = "partly_funded", _("partly funded")
    UNFUNDED = "unfunded", _("unfunded")


class RoadmapAction(Sourced):
    """One action of a plan. Bundled actions are published facts with their quote; actions
    proposed on the platform start as drafts of the country's focal points."""

    plan = models.ForeignKey(Plan, on_delete=models.PROTECT, related_name="actions")
    key = models.SlugField(max_length=80, unique=True)
    priority_area = models.CharField(_("priority area"), max_length=200)
    text = models.TextField(_("action"))
    responsible_body = models.CharField(_("responsible bodies"), max_length=500, blank=True)
    responsible_organisations = models.ManyToManyField(
        "orgs.Organisation", blank=True, related_name="roadmap_actions"
    )
    timeline = models.CharField(_("timeline"), max_length=120, blank=True)
    start_date = models.DateField(_("start"), null=True, blank=True)
    end_date = models.DateField(_("end"), null=True, blank=True)
    budget_amount = models.DecimalField(
        _("budget"), max_digits=16, decimal_places=2, null=True, blank=True
    )
    budget_currency = models.CharField(_("currency"), max_length=3, blank=True)
    funding = models.CharField(
        _("funding"), max_length=16, choices=Funding.choices, blank=True, default=""
    )
    status = models.CharField(
        _("review status"),
        max_length=20,
        choices=ReviewStatus.choices,
        default=ReviewStatus.DRAFT,
        db_index=True,
    )
    live = models.BooleanField(default=False, db_index=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["plan__country__name_en", "plan__title", "priority_area", "id"]

    def __str__(self) -> str:
        return self.text[:80]

    @property
    def country(self) -> models.Model:
        return self.plan.country

    def is_overdue(self, today: date, completion: str) -> bool:
        """Past its end date and not complete."""
        return bool(self.end_date and self.end_date < today and completion != Completion.COMPLETE)


class ChangeReview(models.TextChoices):
    PROPOSED = "proposed", _("proposed")
    ACCEPTED = "accepted", _("accepted")
    RETURNED = "returned", _("returned to the country")


class ActionTextVersion(models.Model):
    """Each text an action has had, with who wrote it and when (the data load: nobody). A
    version is `published` once the public has read it: a bundled action's text, a
    contributed action's text when the secretariat publishes it (drafts stay private)."""

    action = models.ForeignKey(
        "RoadmapAction", on_delete=models.CASCADE, related_name="text_versions"
    )
    number = models.PositiveIntegerField()
    text = models.TextField(_("action"))
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    changed_at = models.DateTimeField()
    published = models.BooleanField(default=False)

    class Meta:
        ordering = ["action", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["action", "number"], name="alliance_action_text_version_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.action_id} v{self.number}"


class ActionIndicator(models.Model):
    """An indicator the action should move, with the national baseline and target.

    Bundled links (data/alliance87/roadmap_actions.csv) are accepted facts of their action; a
    link proposed by a focal point (`contributed`) is public once the secretariat accepts it
    (sdg87.alliance.services.indicators)."""

    action = models.ForeignKey(RoadmapAction, on_delete=models.CASCADE, related_name="indicators")
    label = models.CharField(_("indicator as the plan names it"), max_length=300)
    series = models.ForeignKey(
        "indicators.Series", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    baseline_year = models.PositiveSmallIntegerField(null=True, blank=True)
    baseline_value = models.FloatField(null=True, blank=True)
    target_year = models.PositiveSmallIntegerField(null=True, blank=True)
    target_value = models.FloatField(null=True, blank=True)
    target_text = models.CharField(_("target as the plan states it"), max_length=300, blank=True)
    source_url = models.URLField(
        _("source of the baseline and target"), max_length=1000, blank=True
    )
    contributed = models.BooleanField(default=False)
    review = models.CharField(
        max_length=12, choices=ChangeReview.choices, default=ChangeReview.PROPOSED, db_index=True
    )
    review_note = models.TextField(_("reviewer's note"), blank=True)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(null=True, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["action", "id"]

    def __str__(self) -> str:
        return self.label


class Completion(models.TextChoices):
    """The Open Government Partnership's completion scale."""

    NO_EVIDENCE = "no_evidence", _("no evidence available")
    NOT_STARTED = "not_started", _("not started")
    LIMITED = "limited", _("limited")
    SUBSTANTIAL = "substantial", _("substantial")
    COMPLETE = "complete", _("complete")


class Potential(models.TextChoices):
    """The OGP's potential for results."""

    UNCLEAR = "unclear", _("unclear")
    MODEST = "modest", _("modest")
    SUBSTANTIAL = "substantial", _("substantial")


class StatusChange(models.Model):
    """A dated self-reported completion status with its evidence; public once accepted."""

    action = models.ForeignKey(
        RoadmapAction, on_delete=models.CASCADE, related_name="status_changes"
    )
    completion = models.CharField(_("completion"), max_length=16, choices=Completion.choices)
    as_of = models.DateField(_("as of"))
    evidence = models.TextField(_("evidence"))
    evidence_url = models.URLField(_("evidence link"), max_length=1000, blank=True)
    evidence_publication = models.ForeignKey(
        "library.Publication", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    review = models.CharField(
        max_length=12, choices=ChangeReview.choices, default=ChangeReview.PROPOSED, db_index=True
    )
    review_note = models.TextField(_("reviewer's note"), blank=True)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["action", "-as_of", "-id"]

    def __str__(self) -> str:
        return f"{self.action_id}: {self.completion} ({self.as_of})"


class Rating(models.Model):
    """An independent reviewer's rating of an action, shown beside the self-report and never
    merged with it. Each rating is kept; the latest is the current one."""

    action = models.ForeignKey(RoadmapAction, on_delete=models.CASCADE, related_name="ratings")
    completion = models.CharField(_("completion"), max_length=16, choices=Completion.choices)
    potential = models.CharField(
        _("potential for results"), max_length=16, choices=Potential.choices
    )
    reason = models.TextField(_("reason"))
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    rated_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["action", "-rated_at", "-id"]

    def __str__(self) -> str:
        return f"{self.action_id}: {self.completion}/{self.potential}"


class NationalTarget(Sourced):
    country = models.ForeignKey(
        "geo.Geography", on_delete=models.PROTECT, related_name="national_targets"
    )
    indicator = models.CharField(_("indicator"), max_length=300)
    series = models.ForeignKey(
        "indicators.Series", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    baseline_year = models.PositiveSmallIntegerField(null=True, blank=True)
    baseline_value = models.CharField(max_length=120, blank=True)
    target_year = models.PositiveSmallIntegerField(null=True, blank=True)
    target_value = models.CharField(max_length=200, blank=True)
    document = models.CharField(_("document"), max_length=400, blank=True)

    class Meta:
        ordering = ["country__name_en", "target_year", "id"]

    def __str__(self) -> str:
        return self.indicator


class ReplySubject(models.TextChoices):
    """What a government may answer on its profile."""

    DOL_LEVEL = "dol_level", _("US Department of Labor advancement level")
    TIP_TIER = "tip_tier", _("US Trafficking in Persons Report tier")
    GSI_ESTIMATE = "gsi_estimate", _("Global Slavery Index estimate")
    RATING = "rating", _("independent rating of a roadmap action")


class Reply(models.Model):
    """A government's official response, published in full and dated beside what it answers.
    Reviewed for form only. `subject_ref` names the assessed item (a report year, a rating id)."""

    country = models.ForeignKey("geo.Geography", on_delete=models.PROTECT, related_name="replies")
    subject = models.CharField(_("answers"), max_length=16, choices=ReplySubject.choices)
    subject_ref = models.CharField(_("which one"), max_length=40, blank=True)
    title = models.CharField(_("title"), max_length=300)
    text = models.TextField(_("response"))
    # A published reply being edited: the new text waits here for review, while `title` and
    # `text` stay what the public reads (sdg87.alliance.services.replies).
    pending_title = models.CharField(max_length=300, blank=True)
    pending_text = models.TextField(blank=True)
    status = models.CharField(
        max_length=20, choices=ReviewStatus.choices, default=ReviewStatus.DRAFT, db_index=True
    )
    live = models.BooleanField(default=False, db_index=True)
    published_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["country__name_en", "-published_at", "-id"]

    def __str__(self) -> str:
        return self.title


class ReplyVersion(models.Model):
    """Each published text of a reply, so its history stays readable."""

    reply = models.ForeignKey(Reply, on_delete=models.CASCADE, related_name="versions")
    title = models.CharField(max_length=300)
    text = models.TextField()
    published_at = models.DateTimeField()

    class Meta:
        ordering = ["reply", "-published_at"]

    def __str__(self) -> str:
        return self.title


class RoleName(models.TextChoices):
    FOCAL_POINT = "focal_point", _("country focal point")
    REVIEWER = "reviewer", _("independent reviewer")
    SECRETARIAT = "secretariat", _("Alliance 8.7 secretariat")


class AllianceRole(models.Model):
    """A user's role in the Alliance: a focal point for one country; a reviewer or the
    secretariat for all."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="alliance_roles"
    )
    role = models.CharField(max_length=16, choices=RoleName.choices)
    country = models.ForeignKey(
        "geo.Geography", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "role", "country"], name="alliance_role_unique"
            ),
            models.UniqueConstraint(
                fields=["user", "role"],
                condition=models.Q(country__isnull=True),
                name="alliance_role_unique_global",
            ),
            models.CheckConstraint(
                condition=models.Q(role="focal_point", country__isnull=False)
                | (~models.Q(role="focal_point") & models.Q(country__isnull=True)),
                name="alliance_role_country_iff_focal_point",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} {self.role} {self.country_id or ''}".strip()


class AllianceAuditEntry(models.Model):
    """Every change to a contribution: who, what, from which state to which, when."""

    subject_type = models.CharField(max_length=24)  # action, status_change, rating, reply, role
    subject_id = models.PositiveIntegerField()
    country = models.ForeignKey(
        "geo.Geography", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    action = models.CharField(max_length=32)
    from_status = models.CharField(max_length=20, blank=True)
    to_status = models.CharField(max_length=20, blank=True)
    # None: the system (the command line, the data load)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    message = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["subject_type", "subject_id"], name="alliance_audit_subj")]

    def __str__(self) -> str:
        return f"{self.subject_type} {self.subject_id}: {self.action}"


class GCGEventType(models.TextChoices):
    MEETING = "gcg_meeting", _("Global Coordinating Group meeting")
    EXTRAORDINARY = "gcg_extraordinary_session", _("extraordinary session")
    DECISION = "gcg_decision", _("decision")
    STRATEGY = "strategy_workshop", _("strategy workshop")
    BRIEFING = "briefing", _("briefing")
    LAUNCH = "alliance_launch", _("launch of the Alliance")
    FOCAL_POINTS = "pathfinder_focal_point_workshop", _("Pathfinder focal points workshop")
    PROGRESS = "progress_reporting_event", _("progress reporting event")
    CONFERENCE = "global_conference", _("global conference")
    MANDATE = "mandate_statement", _("mandate statement")


class GCGMeeting(Sourced, Dated):
    number = models.PositiveSmallIntegerField(_("meeting number"), null=True, blank=True)
    place = models.CharField(_("place"), max_length=200, blank=True)
    event_type = models.CharField(max_length=40, choices=GCGEventType.choices)
    decisions = models.TextField(_("decisions and goals"))

    class Meta:
        ordering = ["date", "number", "id"]

    def __str__(self) -> str:
        return f"{self.get_event_type_display()} {self.date or ''}".strip()


class GoalMetric(models.TextChoices):
    """What a goal's progress is computed from, on live data."""

    PATHFINDERS = "pathfinders", _("number of Pathfinder Countries")
    ROADMAPS = "roadmaps_adopted", _("Pathfinder Countries with an adopted roadmap or plan")
    ACTIONS_DONE = "actions_substantial", _("roadmap actions substantially complete or complete")
    INDICATOR = "indicator", _("value of a statistical series")


class Goal(models.Model):
    """A goal set by the Global Coordinating Group, with a measurable target."""

    key = models.SlugField(max_length=60, unique=True)
    title = models.CharField(_("goal"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    meeting = models.ForeignKey(
        GCGMeeting, on_delete=models.SET_NULL, null=True, blank=True, related_name="goals"
    )
    metric = models.CharField(max_length=24, choices=GoalMetric.choices)
    series = models.ForeignKey(
        "indicators.Series", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    geography = models.ForeignKey(
        "geo.Geography", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    baseline_value = models.FloatField(null=True, blank=True)
    baseline_date = models.DateField(null=True, blank=True)
    target_value = models.FloatField()
    target_date = models.DateField()
    source_url = models.URLField(max_length=1000, blank=True)
    quote = models.TextField(_("quote from the source"), blank=True)
    verification = models.CharField(_("verification"), max_length=24, choices=Verification.choices)
    notes = models.TextField(_("notes"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["target_date", "key"]

    def __str__(self) -> str:
        return self.title


class GoalAssessment(models.Model):
    """The assessment of every goal published after a meeting, kept as it was."""

    meeting = models.ForeignKey(
        GCGMeeting, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    as_of = models.DateField()
    published_at = models.DateTimeField(auto_now_add=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    rows = models.JSONField()  # [{goal, title, value, target, status, ...}] as computed then

    class Meta:
        ordering = ["-as_of", "-id"]

    def __str__(self) -> str:
        return f"{self.as_of}"


class ActionGroup(Sourced):
    slug = models.SlugField(max_length=60, unique=True)
    name = models.CharField(_("name"), max_length=200)
    group_type = models.CharField(max_length=24)
    current_status = models.CharField(max_length=24, blank=True)
    chair = models.CharField(_("chair"), max_length=300, blank=True)
    chair_verified = models.BooleanField(default=False)
    chair_organisation = models.ForeignKey(
        "orgs.Organisation", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    established = models.CharField(max_length=20, blank=True)
    established_note = models.TextField(blank=True)
    member_count = models.CharField(max_length=20, blank=True)
    members_as_of = models.CharField(max_length=10, blank=True)
    description = models.TextField(_("mandate"), blank=True)
    other_source_urls = models.TextField(blank=True)
    members = models.ManyToManyField("orgs.Organisation", blank=True, related_name="action_groups")

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Workstream(models.Model):
    group = models.ForeignKey(ActionGroup, on_delete=models.CASCADE, related_name="workstreams")
    order = models.PositiveSmallIntegerField()
    kind = models.CharField(max_length=24)
    name = models.CharField(max_length=300)
    period = models.CharField(max_length=120, blank=True)
    source_url = models.URLField(max_length=1000, blank=True)
    verification = models.CharField(max_length=24, choices=Verification.choices)

    class Meta:
        ordering = ["group", "order"]

    def __str__(self) -> str:
        return self.name


class ActionGroupEvent(Sourced, Dated):
    group = models.ForeignKey(ActionGroup, on_delete=models.CASCADE, related_name="events")
    place = models.CharField(max_length=200, blank=True)
    title = models.CharField(max_length=300)
    description = models.TextField(blank=True)

    class Meta:
        ordering = ["group", "-date", "id"]

    def __str__(self) -> str:
        return self.title


class GroupLinkKind(models.TextChoices):
    OUTPUT = "output", _("output of the group")
    NEWS = "news", _("news or event about the group")


class GroupLink(models.Model):
    """A library publication the group produced (`output`), or a news or event page about the
    group (`news`), linked to its hub with the address of a source that shows the link.

    Bundled links (data/alliance87/action_group_links.csv) are replaced on every load; links the
    secretariat adds on the platform (sdg87.alliance.services.group_links) are kept. The hub
    shows a link only while its publication or page is public."""

    group = models.ForeignKey(ActionGroup, on_delete=models.CASCADE, related_name="links")
    kind = models.CharField(_("kind"), max_length=8, choices=GroupLinkKind.choices)
    publication = models.ForeignKey(
        "library.Publication", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    page = models.ForeignKey(
        "wagtailcore.Page", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    evidence_url = models.URLField(_("source showing the link"), max_length=1000)
    note = models.CharField(_("note"), max_length=500, blank=True)
    bundled = models.BooleanField(default=False)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["group", "kind", "-added_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(kind="output", publication__isnull=False, page__isnull=True)
                    | models.Q(kind="news", page__isnull=False, publication__isnull=True)
                ),
                name="alliance_grouplink_one_target",
            ),
            models.UniqueConstraint(
                fields=["group", "publication"],
                condition=models.Q(publication__isnull=False),
                name="alliance_grouplink_publication_once",
            ),
            models.UniqueConstraint(
                fields=["group", "page"],
                condition=models.Q(page__isnull=False),
                name="alliance_grouplink_page_once",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.group_id} {self.kind} {self.publication_id or self.page_id}"


class CountSnapshot(models.Model):
    """A dated count the Alliance published (Pathfinder Countries, partners)."""

    as_of = models.CharField(max_length=20)  # as published: "2023 (early)", "undated"
    metric = models.CharField(max_length=40)
    value = models.CharField(max_length=12)  # as published: "20+" stays "20+"
    qualifier = models.TextField(blank=True)
    source_url = models.URLField(max_length=1000)
    verification = models.CharField(max_length=24, choices=Verification.choices)

    class Meta:
        ordering = ["metric", "as_of"]

    def __str__(self) -> str:
        return f"{self.metric} {self.as_of}: {self.value}"


# --- Action Group workspaces (members only) ----------------------------------------------


class WorkspaceKind(models.TextChoices):
    DOCUMENT = "document", _("document")
    MEETING_NOTES = "meeting_notes", _("meeting notes")
    DRAFT_OUTPUT = "draft_output", _("draft output")


class Release(models.TextChoices):
    """A workspace document is private to the group's members until it is released."""

    PRIVATE = "private", _("members only")
    PROPOSED = "proposed", _("proposed for public release")
    RELEASED = "released", _("released to the public")
    RETURNED = "returned", _("release declined")


class WorkspaceDocument(models.Model):
    """A document of an Action Group's workspace: visible only to people of the group's member
    organisations (and the secretariat) until the secretariat releases it."""

    group = models.ForeignKey(ActionGroup, on_delete=models.PROTECT, related_name="documents")
    title = models.CharField(_("title"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    kind = models.CharField(_("kind"), max_length=16, choices=WorkspaceKind.choices)
    release = models.CharField(
        max_length=12, choices=Release.choices, default=Release.PRIVATE, db_index=True
    )
    release_note = models.TextField(blank=True)
    released_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["group", "-updated_at", "-id"]

    def __str__(self) -> str:
        return self.title


def workspace_upload_to(instance: WorkspaceVersion, filename: str) -> str:
    # The stored name never comes from the user: no path, no executable suffix.
    import uuid

    return f"workspaces/{instance.document.group_id}/{uuid.uuid4().hex}.{instance.extension}"


class WorkspaceVersion(models.Model):
    """One uploaded file of a workspace document; a new upload is a new version."""

    document = models.ForeignKey(
        WorkspaceDocument, on_delete=models.CASCADE, related_name="versions"
    )
    number = models.PositiveIntegerField()
    # Private storage outside MEDIA_ROOT, without URLs (sdg87.alliance.private_storage).
    file = models.FileField(
        upload_to=workspace_upload_to, storage=workspace_storage, max_length=300
    )
    original_filename = models.CharField(max_length=255)
    extension = models.CharField(max_length=8)
    media_type = models.CharField(max_length=100)
    byte_size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    note = models.CharField(_("what changed"), max_length=500, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["document", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["document", "number"], name="alliance_workspace_version_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.document_id} v{self.number}"


# --- Annual progress reports of Pathfinder Countries ----------------------------------------


class AnnualReport(models.Model):
    """A country's yearly progress report, filed by its focal points and reviewed like an
    action. `statistics` keeps the figures the report was filed with, as they were then."""

    country = models.ForeignKey(
        "geo.Geography", on_delete=models.PROTECT, related_name="annual_reports"
    )
    year = models.PositiveSmallIntegerField(_("reporting year"))
    summary = models.TextField(_("summary"), blank=True)
    statistics = models.JSONField(default=list, blank=True)
    status = models.CharField(
        max_length=20, choices=ReviewStatus.choices, default=ReviewStatus.DRAFT, db_index=True
    )
    live = models.BooleanField(default=False, db_index=True)
    filed_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["country__name_en", "-year"]
        constraints = [
            models.UniqueConstraint(fields=["country", "year"], name="alliance_report_unique")
        ]

    def __str__(self) -> str:
        return f"{self.country_id} {self.year}"


class AnnualReportEntry(models.Model):
    """The report's line for one roadmap action: status, evidence, barriers, next steps."""

    report = models.ForeignKey(AnnualReport, on_delete=models.CASCADE, related_name="entries")
    action = models.ForeignKey(RoadmapAction, on_delete=models.PROTECT, related_name="+")
    completion = models.CharField(_("completion"), max_length=16, choices=Completion.choices)
    evidence = models.TextField(_("evidence"), blank=True)
    evidence_url = models.URLField(_("evidence link"), max_length=1000, blank=True)
    barriers = models.TextField(_("barriers"), blank=True)
    next_steps = models.TextField(_("next steps"), blank=True)

    class Meta:
        ordering = ["report", "action__priority_area", "action_id"]
        constraints = [
            models.UniqueConstraint(fields=["report", "action"], name="alliance_entry_unique")
        ]

    def __str__(self) -> str:
        return f"{self.report_id}: {self.action_id}"


# --- Resources: funding commitments --------------------------------------------------------


class FundingTheme(models.TextChoices):
    CHILD_LABOUR = "child_labour", _("child labour")
    FORCED_LABOUR = "forced_labour", _("forced labour")
    TRAFFICKING = "trafficking", _("human trafficking")
    MODERN_SLAVERY = "modern_slavery", _("modern slavery")
    CROSS_CUTTING = "cross_cutting", _("several of these")


class FundingStatus(models.TextChoices):
    PLEDGED = "pledged", _("pledged")
    COMMITTED = "committed", _("committed")
    DISBURSED = "disbursed", _("disbursed")
    COMPLETED = "completed", _("completed")


class FundingCommitment(models.Model):
    """A funding commitment or programme entered by a partner, reviewed before it is public.
    The amount stays in its own currency; a conversion to US dollars is stored with its rate
    and the rate's source, never silently."""

    donor = models.ForeignKey(
        "orgs.Organisation", on_delete=models.PROTECT, related_name="funding_commitments"
    )
    recipient = models.ForeignKey(
        "geo.Geography", on_delete=models.PROTECT, related_name="funding_received"
    )
    programme = models.CharField(_("programme"), max_length=300)
    amount = models.DecimalField(_("amount"), max_digits=16, decimal_places=2)
    currency = models.CharField(_("currency"), max_length=3)
    usd_rate = models.DecimalField(max_digits=18, decimal_places=8, null=True, blank=True)
    usd_rate_source = models.CharField(max_length=300, blank=True)
    start_year = models.PositiveSmallIntegerField(_("from"))
    end_year = models.PositiveSmallIntegerField(_("to"))
    theme = models.CharField(_("theme"), max_length=16, choices=FundingTheme.choices)
    commitment_status = models.CharField(_("stage"), max_length=12, choices=FundingStatus.choices)
    source_url = models.URLField(_("source document"), max_length=1000)
    status = models.CharField(
        max_length=20, choices=ReviewStatus.choices, default=ReviewStatus.DRAFT, db_index=True
    )
    live = models.BooleanField(default=False, db_index=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["recipient__name_en", "-start_year", "id"]

    def __str__(self) -> str:
        return self.programme


# --- Joining the Alliance ------------------------------------------------------------------


class ApplicationStatus(models.TextChoices):
    PENDING = "pending", _("waiting for the secretariat")
    ACCEPTED = "accepted", _("accepted")
    DECLINED = "declined", _("declined")


class PartnerApplication(models.Model):
    """An organisation's application to join the Alliance 8.7, reviewed by the secretariat."""

    organisation_name = models.CharField(_("organisation"), max_length=300)
    organisation_type = models.CharField(_("type"), max_length=32)
    country = models.ForeignKey(
        "geo.Geography", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    website = models.URLField(_("website"), max_length=500, blank=True)
    contact_name = models.CharField(_("your name"), max_length=200)
    contact_email = models.EmailField(_("e-mail address"), max_length=254)
    motivation = models.TextField(_("why your organisation wants to join"), max_length=3000)
    action_groups = models.ManyToManyField(ActionGroup, blank=True, related_name="+")
    language = models.CharField(max_length=8, blank=True)
    status = models.CharField(
        max_length=12,
        choices=ApplicationStatus.choices,
        default=ApplicationStatus.PENDING,
        db_index=True,
    )
    organisation = models.ForeignKey(
        "orgs.Organisation", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decision_note = models.TextField(blank=True, max_length=2000)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.organisation_name
