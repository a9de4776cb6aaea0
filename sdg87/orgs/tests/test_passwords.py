"""Password reset by e-mail: through the outbox, throttled, the same answer for any address,
and a reset lifts the account's sign-in lock."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.test import Client

from sdg87.core.models import OutboundMail

pytestmark = pytest.mark.django_db

OLD, NEW = "correct-Horse-87", "Another-horse-9152"


@pytest.fixture
def ana() -> Any:
    return get_user_model().objects.create_user("zz_ana", email="ana@example.org", password=OLD)


def _ask(email: str, client: Client | None = None) -> Any:
    return (client or Client()).post("/en/accounts/password-reset/", {"email": email})


def _link(mail: OutboundMail) -> str:
    match = re.search(r"https?://[^/\s]+(/en/accounts/reset/\S+/)", mail.body)
    assert match, mail.body
    return match.group(1)


def _set_password(link: str, password: str) -> Any:
    client = Client()
    page = client.get(link, follow=True)
    assert page.status_code == 200 and "Choose a new password" in page.content.decode()
    return client.post(
        page.redirect_chain[-1][0], {"new_password1": password, "new_password2": password}
    )


def test_a_reset_link_is_queued_in_the_outbox_and_sets_a_new_password(ana: Any) -> None:
    """The link goes through the outbox (an OutboundMail row nobody but superusers may see,
    sent after commit), works once, and the new password signs in."""
    response = _ask("ANA@example.org")
    assert response.status_code == 302
    assert response["Location"] == "/en/accounts/password-reset/sent/"
    mail = OutboundMail.objects.get(recipient="ana@example.org")
    assert mail.organisation_id is None and "zz_ana" in mail.body
    link = _link(mail)
    done = _set_password(link, NEW)
    assert done.status_code == 302 and done["Location"] == "/en/accounts/reset/done/"
    assert "Password saved" in Client().get(done["Location"]).content.decode()
    signed_in = Client().post("/en/accounts/login/", {"username": "zz_ana", "password": NEW})
    assert signed_in.status_code == 302
    again = Client().get(link, follow=True).content.decode()
    assert "This link no longer works" in again


def test_the_answer_is_the_same_for_unknown_addresses(ana: Any) -> None:
    """No user enumeration: same redirect and same page; nothing is queued."""
    known, unknown = _ask("ana@example.org"), _ask("nobody@example.org")
    assert (known.status_code, known["Location"]) == (unknown.status_code, unknown["Location"])
    assert not OutboundMail.objects.filter(recipient="nobody@example.org").exists()
    page = Client().get(known["Location"]).content.decode()
    assert "If an account uses this address" in page


def test_an_account_without_password_can_ask_for_a_link() -> None:
    """Accounts from an approved request have no password until one is set: they may reset
    (Django's own form would skip them)."""
    user = get_user_model().objects.create_user("zz_new", email="new@example.org")
    assert not user.has_usable_password()
    _ask("new@example.org")
    assert _set_password(_link(OutboundMail.objects.get()), NEW).status_code == 302
    user.refresh_from_db()
    assert user.check_password(NEW)


def test_reset_requests_are_throttled(settings: Any, ana: Any) -> None:
    """Per address: the 429 page with Retry-After. Per mailbox: silently no more mail (saying
    so would tell that the address has an account)."""
    settings.SDG87_PASSWORD_RESET_IP_LIMIT = 3
    settings.SDG87_PASSWORD_RESET_EMAIL_LIMIT = 2
    cache.clear()
    try:
        office = Client(REMOTE_ADDR="198.51.100.20")
        assert [_ask("ana@example.org", office).status_code for _ in range(3)] == [302] * 3
        assert OutboundMail.objects.count() == 2
        refused = _ask("ana@example.org", office)
        assert refused.status_code == 429 and int(refused["Retry-After"]) > 0
        assert "Too many password reset requests" in refused.content.decode()
        assert _ask("ana@example.org", Client(REMOTE_ADDR="203.0.113.8")).status_code == 302
        assert OutboundMail.objects.count() == 2
    finally:
        cache.clear()


def test_a_new_password_lifts_the_sign_in_lock(settings: Any, ana: Any) -> None:
    """Locked out after five failures (the lockout page says when to retry and offers the
    reset); after a reset by e-mail the new password signs in at once."""
    settings.AXES_FAILURE_LIMIT = 5
    client = Client(REMOTE_ADDR="198.51.100.30")
    for _ in range(5):
        client.post("/en/accounts/login/", {"username": "zz_ana", "password": "wrong"})
    locked = client.post("/en/accounts/login/", {"username": "zz_ana", "password": OLD})
    assert locked.status_code == 429
    html = locked.content.decode()
    assert "Please try again in 60 minutes." in html
    assert 3500 < int(locked["Retry-After"]) <= 3600
    assert 'href="/en/accounts/password-reset/"' in html
    assert '<nav class="main-nav"' in html  # the site's page, not a bare answer
    _ask("ana@example.org")
    _set_password(_link(OutboundMail.objects.get()), NEW)
    assert (
        client.post("/en/accounts/login/", {"username": "zz_ana", "password": NEW}).status_code
        == 302
    )


def test_wagtail_admin_has_no_second_reset_path() -> None:
    """Wagtail's own reset (which mails directly) is off; its sign-in page offers none."""
    assert Client().get("/admin/password_reset/").status_code == 404


def test_the_sign_in_page_links_reset_and_account_request() -> None:
    html = Client().get("/en/accounts/login/").content.decode()
    assert 'href="/en/accounts/password-reset/"' in html
    assert 'href="/en/accounts/request/"' in html
