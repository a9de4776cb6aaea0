"""Publisher account requests: a visitor asks; the organisation's administrator or the
secretariat approves (account, membership, set-password mail) or refuses; all audited."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client

from sdg87.core.models import OutboundMail
from sdg87.orgs.models import AccountRequest, Membership, MembershipAuditEntry, Organisation
from sdg87.orgs.permissions import can_decide_account_request, can_see_account_requests
from sdg87.orgs.services import membership_set, organisation_upsert
from sdg87.orgs.services.account_requests import (
    account_request_approve,
    account_request_create,
    account_request_refuse,
)

pytestmark = pytest.mark.django_db

PASSWORD = "correct-Horse-87"
Users = get_user_model()


@pytest.fixture
def world() -> dict[str, Any]:
    """Two organisations, each with an administrator; an editor of the first; a staff member
    (the secretariat); a signed-in nobody."""
    home = organisation_upsert(slug="zz-home", name="ZZ Home Statistics", type="government")
    other = organisation_upsert(slug="zz-other", name="ZZ Other NGO", type="ngo")

    def user(name: str, **extra: Any) -> Any:
        return Users.objects.create_user(
            name, email=f"{name}@example.org", password=PASSWORD, **extra
        )

    out = {
        "home": home,
        "other": other,
        "home_admin": user("zz_home_admin"),
        "home_editor": user("zz_home_editor"),
        "other_admin": user("zz_other_admin"),
        "staff": user("zz_staff", is_staff=True),
        "nobody": user("zz_nobody"),
    }
    membership_set(user=out["home_admin"], organisation=home, role="admin")
    membership_set(user=out["home_editor"], organisation=home, role="editor")
    membership_set(user=out["other_admin"], organisation=other, role="admin")
    return out


def _ask(organisation: Organisation | None = None, **extra: Any) -> AccountRequest:
    values: dict[str, Any] = {
        "name": "Ana Pérez",
        "email": "ana.perez@example.org",
        "reason": "We publish the national child labour survey.",
        "role": "contributor",
        "organisation": organisation,
    }
    values.update(extra)
    return account_request_create(**values)


def _signed_in(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _link(body: str) -> str:
    match = re.search(r"https?://[^/\s]+(/\S+/accounts/reset/\S+/)", body)
    assert match, body
    return match.group(1)


def test_a_request_is_stored_audited_and_sent_to_the_organisations_administrators(
    world: dict[str, Any], django_capture_on_commit_callbacks: Any
) -> None:
    """The request waits for a decision, leaves an audit entry, and is mailed (through the
    outbox, sent by the task after commit) to the organisation's administrators only, with a
    link to decide."""
    with django_capture_on_commit_callbacks(execute=True):
        request = _ask(world["home"])
    assert request.status == AccountRequest.Status.PENDING
    entry = MembershipAuditEntry.objects.get(account_request=request)
    assert (entry.action, entry.organisation_slug, entry.username, entry.actor) == (
        "request",
        "zz-home",
        "ana.perez@example.org",
        None,
    )
    queued = OutboundMail.objects.filter(subject__contains="Ana Pérez")
    assert sorted(queued.values_list("recipient", flat=True)) == ["zz_home_admin@example.org"]
    assert f"/en/accounts/requests/{request.pk}/" in queued.get().body
    assert [m.to for m in mail.outbox] == [["zz_home_admin@example.org"]]


def test_a_new_organisation_or_one_without_administrator_goes_to_the_secretariat(
    world: dict[str, Any],
) -> None:
    """A proposed organisation, or an organisation without an administrator, is decided by
    the secretariat, who are mailed."""
    _ask(proposed_organisation="ZZ New Research Centre", proposed_organisation_type="academia")
    bare = organisation_upsert(slug="zz-bare", name="ZZ Bare", type="ngo")
    _ask(bare, email="bo@example.org")
    assert sorted(OutboundMail.objects.values_list("recipient", flat=True)) == [
        "zz_staff@example.org",
        "zz_staff@example.org",
    ]


def test_organisation_must_be_picked_or_proposed_not_both(world: dict[str, Any]) -> None:
    with pytest.raises(ValidationError):
        _ask(None)
    with pytest.raises(ValidationError):
        _ask(None, proposed_organisation="ZZ New")  # no type
    request = _ask(world["home"], proposed_organisation="ignored when one is picked")
    assert request.proposed_organisation == ""
    with pytest.raises(ValidationError):
        _ask(world["home"], role="member")  # no publishing rights: not requestable
    assert AccountRequest.objects.count() == 1


def test_asking_twice_is_one_request(world: dict[str, Any]) -> None:
    first = _ask(world["home"])
    again = _ask(world["home"], email="ANA.PEREZ@example.org")
    assert again.pk == first.pk and AccountRequest.objects.count() == 1


def test_approval_creates_account_membership_and_sends_a_working_set_password_link(
    world: dict[str, Any], django_capture_on_commit_callbacks: Any
) -> None:
    """The organisation's administrator approves: a new account without a password, the
    membership with the role given, audit entries (request, add, approve) naming the
    administrator; the requester's mail holds a link that sets the password, and they can
    then sign in. The link does not appear in the organisation's outbox."""
    request = _ask(world["home"])
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        account_request_approve(
            actor=world["home_admin"], account_request=request, role="editor", note="Welcome!"
        )
    request.refresh_from_db()
    user = Users.objects.get(email="ana.perez@example.org")
    assert request.status == "approved" and request.user == user
    assert request.granted_role == "editor" and request.decided_by == world["home_admin"]
    assert not user.has_usable_password()
    assert Membership.objects.get(user=user).role == "editor"
    actions = list(
        MembershipAuditEntry.objects.filter(username=user.username)
        .order_by("id")
        .values_list("action", "actor__username")
    )
    assert actions == [("request", None), ("add", "zz_home_admin"), ("approve", "zz_home_admin")]
    sent = OutboundMail.objects.get(recipient="ana.perez@example.org")
    assert sent.organisation_id is None  # only superusers may see a mail that opens an account
    assert "Welcome!" in sent.body and "choose a password" in sent.subject.lower()
    [message] = mail.outbox
    client = Client()
    form_page = client.get(_link(str(message.body)), follow=True)
    assert form_page.status_code == 200
    done = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": PASSWORD, "new_password2": PASSWORD, "username": user.username},
    )
    assert done.status_code == 302
    assert (
        Client()
        .post("/en/accounts/login/", {"username": user.username, "password": PASSWORD})
        .status_code
        == 302
    )


def test_another_organisations_administrator_cannot_decide(world: dict[str, Any]) -> None:
    """Neither through the service nor through the page: the request stays pending, nothing
    is created; an editor (not administrator) of the organisation cannot either."""
    request = _ask(world["home"])
    for actor in (world["other_admin"], world["home_editor"], world["nobody"]):
        with pytest.raises(PermissionDenied):
            account_request_approve(actor=actor, account_request=request)
        with pytest.raises(PermissionDenied):
            account_request_refuse(actor=actor, account_request=request)
    response = _signed_in(world["other_admin"]).post(
        f"/en/accounts/requests/{request.pk}/", {"action": "approve", "role": "admin"}
    )
    assert response.status_code == 404
    request.refresh_from_db()
    assert request.status == "pending"
    assert not Users.objects.filter(email="ana.perez@example.org").exists()


def test_only_the_secretariat_decides_a_proposed_organisation(world: dict[str, Any]) -> None:
    """An organisation administrator cannot approve a new organisation; staff can, which
    creates it, with the requester as its first member."""
    request = _ask(
        proposed_organisation="ZZ New Research Centre",
        proposed_organisation_type="academia",
        proposed_organisation_website="https://zz-new.example.org",
        role="admin",
    )
    with pytest.raises(PermissionDenied):
        account_request_approve(actor=world["home_admin"], account_request=request)
    account_request_approve(actor=world["staff"], account_request=request)
    created = Organisation.objects.get(name="ZZ New Research Centre")
    assert (created.slug, created.type, created.website) == (
        "zz-new-research-centre",
        "academia",
        "https://zz-new.example.org",
    )
    assert Membership.objects.get(organisation=created).role == "admin"


def test_refusal_tells_the_requester_and_a_decision_is_final(world: dict[str, Any]) -> None:
    request = _ask(world["home"])
    account_request_refuse(
        actor=world["home_admin"], account_request=request, note="Please use your work address."
    )
    request.refresh_from_db()
    assert request.status == "refused"
    told = OutboundMail.objects.get(recipient="ana.perez@example.org")
    assert "not approved" in told.body and "Please use your work address." in told.body
    assert MembershipAuditEntry.objects.filter(account_request=request, action="refuse").exists()
    with pytest.raises(ValidationError):
        account_request_approve(actor=world["home_admin"], account_request=request)
    assert not Users.objects.filter(email="ana.perez@example.org").exists()


def test_approving_an_existing_account_adds_the_membership_and_never_lowers_a_role(
    world: dict[str, Any],
) -> None:
    """The address already has an account: no second account, no password link (a note to
    sign in instead); an administrator asking again as contributor stays administrator."""
    request = _ask(world["other"], email="zz_home_admin@example.org")
    account_request_approve(actor=world["other_admin"], account_request=request)
    assert Users.objects.filter(email="zz_home_admin@example.org").count() == 1
    assert Membership.objects.get(user=world["home_admin"], organisation=world["other"]).role == (
        "contributor"
    )
    note = OutboundMail.objects.get(
        recipient="zz_home_admin@example.org", subject__contains="approved"
    )
    assert "/accounts/reset/" not in note.body and "/accounts/login/" in note.body
    again = _ask(world["home"], email="zz_home_admin@example.org")
    account_request_approve(actor=world["staff"], account_request=again)
    assert Membership.objects.get(user=world["home_admin"], organisation=world["home"]).role == (
        "admin"
    )


@pytest.mark.parametrize(
    ("who", "home", "proposed", "sees_queue"),
    [
        ("staff", True, True, True),
        ("home_admin", True, False, True),
        ("other_admin", False, False, True),
        ("home_editor", False, False, False),
        ("nobody", False, False, False),
        ("anonymous", False, False, False),
    ],
)
def test_permission_matrix(
    world: dict[str, Any], who: str, home: bool, proposed: bool, sees_queue: bool
) -> None:
    """Who may see the queue, decide a request for an organisation, decide a proposal."""
    from django.contrib.auth.models import AnonymousUser

    user = AnonymousUser() if who == "anonymous" else world[who]
    for_home = _ask(world["home"])
    new_org = _ask(
        email="x@example.org", proposed_organisation="ZZ N", proposed_organisation_type="ngo"
    )
    assert can_see_account_requests(user) is sees_queue
    assert can_decide_account_request(user, for_home) is home
    assert can_decide_account_request(user, new_org) is proposed


# --- the pages --------------------------------------------------------------------------------


FORM = {
    "name": "Ana Pérez",
    "email": "ana.perez@example.org",
    "position": "Statistician",
    "role": "contributor",
    "reason": "We publish the national child labour survey.",
}


def test_the_form_page_sends_a_request(world: dict[str, Any]) -> None:
    """The form (CSRF-protected) lists organisations, marks required fields, and sends."""
    client = Client(enforce_csrf_checks=True)
    page = client.get("/en/accounts/request/")
    html = page.content.decode()
    assert page.status_code == 200 and "ZZ Home Statistics" in html and "(required)" in html
    token = page.cookies["csrftoken"].value
    assert client.post("/en/accounts/request/", FORM).status_code == 403  # no token
    sent = client.post(
        "/en/accounts/request/",
        {**FORM, "organisation": world["home"].pk, "csrfmiddlewaretoken": token},
    )
    assert sent.status_code == 302 and sent["Location"] == "/en/accounts/request/sent/"
    assert AccountRequest.objects.get().organisation == world["home"]


def test_the_form_answers_the_same_for_known_and_unknown_addresses(world: dict[str, Any]) -> None:
    """No user enumeration: an address with an account gets the same answer as a new one."""
    known = Client().post(
        "/en/accounts/request/",
        {**FORM, "email": "zz_nobody@example.org", "organisation": world["home"].pk},
    )
    unknown = Client().post(
        "/en/accounts/request/",
        {**FORM, "email": "new.person@example.org", "organisation": world["home"].pk},
    )
    assert (known.status_code, known["Location"]) == (unknown.status_code, unknown["Location"])


def test_the_form_reports_a_missing_organisation() -> None:
    page = Client().post("/en/accounts/request/", FORM)
    assert page.status_code == 400
    assert "Pick your organisation" in page.content.decode()
    assert not AccountRequest.objects.exists()


def test_the_form_is_throttled_per_address(settings: Any, world: dict[str, Any]) -> None:
    """Beyond SDG87_ACCOUNT_REQUEST_IP_LIMIT a day from one address: the 429 page with
    Retry-After, nothing stored."""
    settings.SDG87_ACCOUNT_REQUEST_IP_LIMIT = 2
    cache.clear()
    client = Client(REMOTE_ADDR="203.0.113.50")
    for n in range(2):
        data = {**FORM, "email": f"p{n}@example.org", "organisation": world["home"].pk}
        assert client.post("/en/accounts/request/", data).status_code == 302
    refused = client.post(
        "/en/accounts/request/",
        {**FORM, "email": "p9@example.org", "organisation": world["home"].pk},
    )
    assert refused.status_code == 429 and int(refused["Retry-After"]) > 0
    assert "Too many account requests" in refused.content.decode()
    assert AccountRequest.objects.count() == 2
    cache.clear()


def test_anonymous_visitors_cannot_see_the_queue(world: dict[str, Any]) -> None:
    request = _ask(world["home"])
    for path in ("/en/accounts/requests/", f"/en/accounts/requests/{request.pk}/"):
        response = Client().get(path)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
        assert "Ana" not in response.content.decode()
    denied = _signed_in(world["nobody"]).get("/en/accounts/requests/")
    assert denied.status_code == 403 and "Ana" not in denied.content.decode()


def test_each_decider_sees_their_queue_and_decides_in_the_page(world: dict[str, Any]) -> None:
    """The home administrator sees the home request (not the other's) and approves it in the
    page; the other administrator sees only theirs."""
    mine = _ask(world["home"])
    theirs = _ask(world["other"], email="bo@example.org", name="Bo Other")
    home_admin = _signed_in(world["home_admin"])
    queue = home_admin.get("/en/accounts/requests/").content.decode()
    assert "Ana Pérez" in queue and "Bo Other" not in queue
    assert (
        "Bo Other"
        in _signed_in(world["other_admin"]).get("/en/accounts/requests/").content.decode()
    )
    page = home_admin.get(f"/en/accounts/requests/{mine.pk}/")
    assert page.status_code == 200 and 'value="approve"' in page.content.decode()
    assert home_admin.get(f"/en/accounts/requests/{theirs.pk}/").status_code == 404
    done = home_admin.post(
        f"/en/accounts/requests/{mine.pk}/", {"action": "approve", "role": "contributor"}
    )
    assert done.status_code == 302
    mine.refresh_from_db()
    assert mine.status == "approved"
    after = home_admin.get(f"/en/accounts/requests/{mine.pk}/").content.decode()
    assert 'value="approve"' not in after and "Account request approved" in after


def test_the_wagtail_admin_links_the_queue_for_deciders_only(world: dict[str, Any]) -> None:
    """Staff see "Account requests" in the admin menu; an editor signed in to the admin does
    not (they cannot decide)."""
    from django.contrib.auth.models import Permission

    access = Permission.objects.get(codename="access_admin")
    world["home_editor"].user_permissions.add(access)
    world["staff"].user_permissions.add(access)
    staff_menu = _signed_in(world["staff"]).get("/admin/").content.decode()
    assert "/accounts/requests/" in staff_menu
    editor_page = _signed_in(world["home_editor"]).get("/admin/")
    assert (
        editor_page.status_code == 200 and "/accounts/requests/" not in editor_page.content.decode()
    )
