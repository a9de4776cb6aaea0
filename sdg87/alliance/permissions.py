"""Who may do what with the Alliance's contributions. Every page, command and service asks these.

Roles are `AllianceRole` rows (read once per user object, i.e. once per request, and cached on
it): a **focal point** holds the role for one country; a **reviewer** and the **secretariat**
hold theirs for all countries. Superusers may do what the secretariat does.

Columns: superuser (su), secretariat (sec), reviewer (rev), focal point of country C (fp C),
focal point of another country (fp X), anonymous or signed in without a role (anon).

| action (on country C)                                | su  | sec | rev | fp C  | fp X | anon |
|------------------------------------------------------|:---:|:---:|:---:|:-----:|:----:|:----:|
| see C's working copies (drafts, proposals)           | yes | yes | no  | yes   | no   | no   |
| add an action, edit a draft, submit it               | no  | no  | no  | yes   | no   | no   |
| withdraw a contributed action before publication     | yes | yes | no  | yes   | no   | no   |
| publish or return a submitted action; withdraw one   | yes | yes | no  | no    | no   | no   |
| propose a status change with evidence                | no  | no  | no  | yes   | no   | no   |
| accept or return a proposed status change            | yes | yes | no  | no    | no   | no   |
| propose an indicator link (series, baseline, target) | no  | no  | no  | yes   | no   | no   |
| accept or return a proposed indicator link           | yes | yes | no  | no    | no   | no   |
| rate a public action (completion, potential)         | rev | rev | yes | never | rev  | no   |
| draft, edit, submit or withdraw a reply for C        | no  | no  | no  | yes   | no   | no   |
| publish or return a submitted reply (form only)      | yes | yes | no  | no    | no   | no   |
| withdraw a published reply                           | yes | yes | no  | yes   | no   | no   |
| grant or revoke roles; see the review queue          | yes | yes | no  | no    | no   | no   |
| start, edit, submit C's annual report of a year      | no  | no  | no  | yes   | no   | no   |
| publish or return a submitted annual report          | yes | yes | no  | no    | no   | no   |
| withdraw an annual report                            | yes | yes | no  | yes*  | no   | no   |
| apply to join the Alliance (the public form)         | yes | yes | yes | yes   | yes  | yes  |
| see applications to join; accept or decline one      | yes | yes | no  | no    | no   | no   |
| link a publication or news page to an Action Group   | yes | yes | no  | no    | no   | no   |

("rev": only when the person also holds the reviewer role; "yes*": until it is published.)

Funding commitments (the resources pillar) belong to their donor organisation: people with an
edit role there (sdg87.orgs.roles.EDIT_ROLES: admin, editor, contributor) enter them; the
secretariat reviews and publishes them but never enters a commitment in a donor's name.

Columns: editor of the donor D (ed D), member of D without an edit role (mem D), editor of
another organisation (ed X).

| action (on a commitment of donor D)                 | su  | sec | ed D | mem D | ed X | anon |
|-----------------------------------------------------|:---:|:---:|:----:|:-----:|:----:|:----:|
| see D's working copies (draft, submitted, returned) | yes | yes | yes  | no    | no   | no   |
| enter a commitment, edit a draft, submit it         | no  | no  | yes  | no    | no   | no   |
| publish or return a submitted commitment            | yes | yes | no   | no    | no   | no   |
| withdraw a commitment (published ones included)     | yes | yes | yes  | no    | no   | no   |

Action Group workspaces (members only) belong to the group's member organisations
(ActionGroup.members): everybody with a Membership in one of them (any role) reads the
workspace; people with an edit role there add documents and versions. A document is private
to the group until the secretariat releases it; a released document is public on the group's
hub (its latest version, frozen while released). The secretariat reads every workspace but
never uploads in a member's name.

Columns: editor of a member organisation of group G (ed G), member of one without an edit
role (mem G), person of an organisation outside G (other).

| action (on the workspace of group G)              | su  | sec | ed G | mem G | other | anon |
|---------------------------------------------------|:---:|:---:|:----:|:-----:|:-----:|:----:|
| see the workspace, its documents, every version   | yes | yes | yes  | yes   | no    | no   |
| add a document; add a version or edit it (*)      | no  | no  | yes  | no    | no    | no   |
| propose a document for public release (*)         | no  | no  | yes  | yes   | no    | no   |
| withdraw a proposal (back to members only)        | no  | no  | yes  | yes   | no    | no   |
| release or decline a proposed document            | yes | yes | no   | no    | no    | no   |
| take a released document back to members only     | yes | yes | no   | no    | no    | no   |
| see a released document on the hub, download it   | yes | yes | yes  | yes   | yes   | yes  |

(*) while the document is members only or its release was declined: a proposed or released
document keeps the version that was reviewed.

What a country says (its actions, their status, its replies) is written by its own focal
points only: the secretariat reviews it but never writes in a government's name.

Ratings are the independent assessment: only the reviewer role rates, and a reviewer who is
also a focal point of the action's country never rates that country's actions, whatever other
role they hold. The state still applies: the `can_*` functions of the review steps check it too
(pages use them to show buttons), and the services' transition tables agree with them.
`user` is `request.user` (sdg87.core.actors.Actor); None is an anonymous caller or the system.
"""

from __future__ import annotations

from dataclasses import dataclass

from sdg87.alliance.models import (
    ActionGroup,
    ActionIndicator,
    AllianceRole,
    AnnualReport,
    ApplicationStatus,
    ChangeReview,
    FundingCommitment,
    PartnerApplication,
    Release,
    Reply,
    ReviewStatus,
    RoadmapAction,
    RoleName,
    StatusChange,
    Verification,
    WorkspaceDocument,
)
from sdg87.core.actors import Actor
from sdg87.orgs.roles import EDIT_ROLES, organisation_ids_with_role, role_in, user_roles

EDITABLE_STATES = frozenset({ReviewStatus.DRAFT, ReviewStatus.CHANGES_REQUESTED})

_CACHE_ATTRIBUTE = "_sdg87_alliance_roles"


@dataclass(frozen=True)
class Roles:
    """The Alliance roles of one user."""

    focal_countries: frozenset[int]
    reviewer: bool
    secretariat: bool
    superuser: bool

    @property
    def manages(self) -> bool:
        """Secretariat powers (the secretariat or a superuser)."""
        return self.secretariat or self.superuser


_NOBODY = Roles(frozenset(), reviewer=False, secretariat=False, superuser=False)


def user_alliance_roles(user: Actor | None) -> Roles:
    """The user's roles, cached on the user object for the request (none for anonymous)."""
    if user is None or not user.is_authenticated:
        return _NOBODY
    cached: Roles | None = getattr(user, _CACHE_ATTRIBUTE, None)
    if cached is None:
        rows = list(AllianceRole.objects.filter(user_id=user.pk).values_list("role", "country_id"))
        cached = Roles(
            focal_countries=frozenset(
                c for r, c in rows if r == RoleName.FOCAL_POINT and c is not None
            ),
            reviewer=any(r == RoleName.REVIEWER for r, _c in rows),
            secretariat=any(r == RoleName.SECRETARIAT for r, _c in rows),
            superuser=bool(user.is_superuser),
        )
        setattr(user, _CACHE_ATTRIBUTE, cached)
    return cached


def user_alliance_roles_forget(user: Actor) -> None:
    """Drop the cached roles (the roles service calls it after a change)."""
    if hasattr(user, _CACHE_ATTRIBUTE):
        delattr(user, _CACHE_ATTRIBUTE)


def is_focal_point(user: Actor | None, country_id: int) -> bool:
    return country_id in user_alliance_roles(user).focal_countries


def is_secretariat(user: Actor | None) -> bool:
    """The secretariat role, or a superuser."""
    return user_alliance_roles(user).manages


def is_reviewer(user: Actor | None) -> bool:
    return user_alliance_roles(user).reviewer


def focal_country_ids(user: Actor | None) -> frozenset[int]:
    return user_alliance_roles(user).focal_countries


def _speaks_for(user: Actor | None, country_id: int) -> bool:
    """A focal point of the country, or the secretariat acting for it."""
    return is_focal_point(user, country_id) or is_secretariat(user)


def _action_country_id(action: RoadmapAction) -> int:
    return int(action.plan.country_id)


# --- working copies ------------------------------------------------------------------------


def can_manage_country(user: Actor | None, country_id: int) -> bool:
    """May the user see the country's working copies (drafts, proposals) and its manage page?"""
    return _speaks_for(user, country_id)


def can_view_action(user: Actor | None, action: RoadmapAction) -> bool:
    """A live action is public; a working copy only for those who speak for its country."""
    if action.live and (action.is_fact or action.verification == Verification.CONTRIBUTED):
        return True
    return _speaks_for(user, _action_country_id(action))


# --- roadmap actions -----------------------------------------------------------------------


def can_create_action(user: Actor | None, country_id: int) -> bool:
    return is_focal_point(user, country_id)


def can_edit_action(user: Actor | None, action: RoadmapAction) -> bool:
    """Contributed actions in draft or sent back; bundled rows are changed in data/ only."""
    if action.verification != Verification.CONTRIBUTED or action.status not in EDITABLE_STATES:
        return False
    return is_focal_point(user, _action_country_id(action))


def can_submit_action(user: Actor | None, action: RoadmapAction) -> bool:
    return can_edit_action(user, action)


def can_review_action(user: Actor | None, action: RoadmapAction) -> bool:
    """Publish a submitted action, or return it with requested changes."""
    return action.status == ReviewStatus.SUBMITTED and is_secretariat(user)


def can_withdraw_action(user: Actor | None, action: RoadmapAction) -> bool:
    """Focal points withdraw their contributed actions until published; the secretariat any
    contributed action, published ones included."""
    if action.verification != Verification.CONTRIBUTED or action.status == ReviewStatus.WITHDRAWN:
        return False
    if is_secretariat(user):
        return True
    return action.status != ReviewStatus.PUBLISHED and is_focal_point(
        user, _action_country_id(action)
    )


# --- status changes ------------------------------------------------------------------------


def can_propose_status(user: Actor | None, action: RoadmapAction) -> bool:
    """Any action of the country that is not withdrawn (bundled ones included)."""
    if action.status == ReviewStatus.WITHDRAWN:
        return False
    return is_focal_point(user, _action_country_id(action))


def can_decide_status(user: Actor | None, change: StatusChange) -> bool:
    """Accept or return a proposed status change."""
    return change.review == ChangeReview.PROPOSED and is_secretariat(user)


def can_link_indicator(user: Actor | None, action: RoadmapAction) -> bool:
    """Propose an indicator (series, baseline, target) for any action of the country that is
    not withdrawn, as for status changes."""
    return can_propose_status(user, action)


def can_decide_indicator(user: Actor | None, link: ActionIndicator) -> bool:
    """Accept or return a proposed indicator link."""
    return link.review == ChangeReview.PROPOSED and is_secretariat(user)


# --- ratings -------------------------------------------------------------------------------


def can_rate_action(user: Actor | None, action: RoadmapAction) -> bool:
    """Reviewers rate public actions; never a focal point of the action's country."""
    if not can_view_action(None, action):
        return False
    roles = user_alliance_roles(user)
    return roles.reviewer and _action_country_id(action) not in roles.focal_countries


# --- replies -------------------------------------------------------------------------------


def can_create_reply(user: Actor | None, country_id: int) -> bool:
    return is_focal_point(user, country_id)


def can_edit_reply(user: Actor | None, reply: Reply) -> bool:
    """A draft or returned reply; a published one too (the edit is a new version, reviewed
    before it replaces the published text)."""
    if reply.status not in EDITABLE_STATES | {ReviewStatus.PUBLISHED}:
        return False
    return is_focal_point(user, int(reply.country_id))


def can_submit_reply(user: Actor | None, reply: Reply) -> bool:
    if reply.status not in EDITABLE_STATES:
        return False
    return is_focal_point(user, int(reply.country_id))


def can_review_reply(user: Actor | None, reply: Reply) -> bool:
    """Publish a submitted reply, or return it (for its form only)."""
    return reply.status == ReviewStatus.SUBMITTED and is_secretariat(user)


def can_withdraw_reply(user: Actor | None, reply: Reply) -> bool:
    """The country withdraws its reply at any stage; the secretariat a published one."""
    if reply.status == ReviewStatus.WITHDRAWN:
        return False
    if is_focal_point(user, int(reply.country_id)):
        return True
    return reply.live and is_secretariat(user)


def can_view_reply(user: Actor | None, reply: Reply) -> bool:
    return reply.live or _speaks_for(user, int(reply.country_id))


# --- annual reports ------------------------------------------------------------------------


def can_create_report(user: Actor | None, country_id: int) -> bool:
    return is_focal_point(user, country_id)


def can_edit_report(user: Actor | None, report: AnnualReport) -> bool:
    """A draft or returned report (a published one is withdrawn and filed anew)."""
    if report.status not in EDITABLE_STATES:
        return False
    return is_focal_point(user, int(report.country_id))


def can_submit_report(user: Actor | None, report: AnnualReport) -> bool:
    return can_edit_report(user, report)


def can_review_report(user: Actor | None, report: AnnualReport) -> bool:
    """Publish a submitted report, or return it with requested changes."""
    return report.status == ReviewStatus.SUBMITTED and is_secretariat(user)


def can_withdraw_report(user: Actor | None, report: AnnualReport) -> bool:
    """Focal points withdraw their report until it is published; the secretariat any."""
    if report.status == ReviewStatus.WITHDRAWN:
        return False
    if is_secretariat(user):
        return True
    return report.status != ReviewStatus.PUBLISHED and is_focal_point(user, int(report.country_id))


def can_view_report(user: Actor | None, report: AnnualReport) -> bool:
    """A live report is public; a working copy only for those who speak for its country."""
    return report.live or _speaks_for(user, int(report.country_id))


# --- roles ---------------------------------------------------------------------------------


def can_manage_roles(user: Actor | None) -> bool:
    return is_secretariat(user)


def can_see_review_queue(user: Actor | None) -> bool:
    return is_secretariat(user)


# --- funding commitments -------------------------------------------------------------------


def funding_donor_ids(user: Actor | None) -> list[int]:
    """The organisations for which the user may enter funding commitments (an edit role)."""
    return organisation_ids_with_role(user, EDIT_ROLES)


def _edits_for_donor(user: Actor | None, donor_id: int) -> bool:
    return role_in(user, donor_id) in EDIT_ROLES


def can_create_funding(user: Actor | None, donor_id: int) -> bool:
    return _edits_for_donor(user, donor_id)


def can_view_funding(user: Actor | None, commitment: FundingCommitment) -> bool:
    """A live commitment is public; a working copy only for the donor's editors and the
    secretariat."""
    if commitment.live:
        return True
    return _edits_for_donor(user, int(commitment.donor_id)) or is_secretariat(user)


def can_edit_funding(user: Actor | None, commitment: FundingCommitment) -> bool:
    """A draft or returned commitment (a published one is withdrawn and entered anew)."""
    if commitment.status not in EDITABLE_STATES:
        return False
    return _edits_for_donor(user, int(commitment.donor_id))


def can_submit_funding(user: Actor | None, commitment: FundingCommitment) -> bool:
    return can_edit_funding(user, commitment)


def can_review_funding(user: Actor | None, commitment: FundingCommitment) -> bool:
    """Publish a submitted commitment, or return it with requested changes."""
    return commitment.status == ReviewStatus.SUBMITTED and is_secretariat(user)


def can_withdraw_funding(user: Actor | None, commitment: FundingCommitment) -> bool:
    """The donor's editors and the secretariat, at any stage until withdrawn."""
    if commitment.status == ReviewStatus.WITHDRAWN:
        return False
    return _edits_for_donor(user, int(commitment.donor_id)) or is_secretariat(user)


def can_see_funding_queue(user: Actor | None) -> bool:
    return is_secretariat(user)


# --- applications to join the Alliance -------------------------------------------------------


def can_see_applications(user: Actor | None) -> bool:
    """The applications to join (names, e-mail addresses, motivations): the secretariat only."""
    return is_secretariat(user)


def can_decide_application(user: Actor | None, application: PartnerApplication) -> bool:
    """Accept or decline an application that is still waiting."""
    return application.status == ApplicationStatus.PENDING and is_secretariat(user)


# --- Action Group workspaces (members only) --------------------------------------------------

WORKSPACE_EDITABLE = frozenset({Release.PRIVATE, Release.RETURNED})


def workspace_member_roles(user: Actor | None, group: ActionGroup) -> set[str]:
    """The user's roles in the group's member organisations (empty: not a member)."""
    roles = user_roles(user)
    if not roles:
        return set()
    member_ids = set(group.members.filter(pk__in=roles).values_list("pk", flat=True))
    return {roles[org_id] for org_id in member_ids}


def _workspace_editor(user: Actor | None, group: ActionGroup) -> bool:
    return bool(workspace_member_roles(user, group) & EDIT_ROLES)


def _workspace_member(user: Actor | None, group: ActionGroup) -> bool:
    return bool(workspace_member_roles(user, group))


def can_view_workspace(user: Actor | None, group: ActionGroup) -> bool:
    """The workspace, its documents (whatever their release) and every version."""
    return is_secretariat(user) or _workspace_member(user, group)


def can_view_workspace_document(user: Actor | None, document: WorkspaceDocument) -> bool:
    return can_view_workspace(user, document.group)


def can_download_released(document: WorkspaceDocument) -> bool:
    """Everybody may download the latest version of a released document (from the hub)."""
    return document.release == Release.RELEASED


def can_create_workspace_document(user: Actor | None, group: ActionGroup) -> bool:
    return _workspace_editor(user, group)


def can_edit_workspace_document(user: Actor | None, document: WorkspaceDocument) -> bool:
    """Add a version or change the title, description or kind: while members only or after a
    declined release (a proposed or released document keeps the version that was reviewed)."""
    if document.release not in WORKSPACE_EDITABLE:
        return False
    return _workspace_editor(user, document.group)


def can_propose_release(user: Actor | None, document: WorkspaceDocument) -> bool:
    if document.release not in WORKSPACE_EDITABLE:
        return False
    return _workspace_member(user, document.group)


def can_withdraw_proposal(user: Actor | None, document: WorkspaceDocument) -> bool:
    return document.release == Release.PROPOSED and _workspace_member(user, document.group)


def can_decide_release(user: Actor | None, document: WorkspaceDocument) -> bool:
    """Release a proposed document to the public, or decline it with a note."""
    return document.release == Release.PROPOSED and is_secretariat(user)


def can_unrelease(user: Actor | None, document: WorkspaceDocument) -> bool:
    """Take a released document back to the members only."""
    return document.release == Release.RELEASED and is_secretariat(user)


def can_link_group_content(user: Actor | None) -> bool:
    """Link a library publication (an output) or a news or event page to an Action Group's hub,
    with a source that shows the link: the secretariat only."""
    return is_secretariat(user)
