"""Notifications of the review workflow (issue 7 item 10): mail is queued with the change and
sent by the task worker, so a mail server that is down or a title with a line break never turns
a saved change into an error; unsent mail is listed for the organisation's editors."""

from __future__ import annotations

from typing import Any

import pytest
from django.core import mail as django_mail
from django.test import Client, TestCase

from sdg87.catalog.models import AuditEntry, Dataset, Status
from sdg87.catalog.services import datasets, distributions, review
from sdg87.catalog.tests.conftest import csv_file
from sdg87.core import mail
from sdg87.core.models import OutboundMail
from sdg87.core.tests.mail_backends import FAILING, LOCMEM, DownSMTPBackend

pytestmark = pytest.mark.django_db

OUTBOX = "/en/account/notifications/"


def _login(users: dict[str, Any], role: str) -> Client:
    client = Client()
    client.force_login(users[role])
    return client


def _draft(users: dict[str, Any], org: Any, title: str) -> Dataset:
    dataset = datasets.dataset_create(actor=users["contributor"], publisher=org, title=title)
    # the file is validated by its task, enqueued on commit (which a test never reaches)
    with TestCase.captureOnCommitCallbacks(execute=True):
        distributions.distribution_upload(
            actor=users["contributor"], dataset=dataset, file=csv_file()
        )
    return dataset


def test_submit_with_mail_server_down_redirects_and_records_failed_mail(
    users: dict[str, Any], org: Any, settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    """SMTP down: submitting answers the normal redirect, the state changes once, and each
    reviewer's mail ends failed after MAX_ATTEMPTS tries with the error recorded; once the
    server is back an editor resends it from the Notifications page."""
    dataset = _draft(users, org, "ZZ mail down")
    settings.MAILERS = FAILING
    DownSMTPBackend.attempts = 0
    contributor = _login(users, "contributor")
    with django_capture_on_commit_callbacks(execute=True):
        response = contributor.post(f"/en/datasets/{dataset.slug}/action/submit/")
    assert response.status_code == 302
    assert response["Location"] == dataset.get_absolute_url()
    assert Dataset.objects.get(pk=dataset.pk).status == Status.SUBMITTED
    assert AuditEntry.objects.filter(dataset=dataset, action="submit").count() == 1
    failed = OutboundMail.objects.filter(status=OutboundMail.Status.FAILED).order_by("recipient")
    assert [m.recipient for m in failed] == ["zz_admin@example.org", "zz_editor@example.org"]
    assert all(m.attempts == mail.MAX_ATTEMPTS for m in failed)
    assert all(m.last_error.startswith("SMTPException: 421") for m in failed)
    assert DownSMTPBackend.attempts == 2 * mail.MAX_ATTEMPTS
    assert django_mail.outbox == []

    editor = _login(users, "editor")
    page = editor.get(OUTBOX).content.decode()
    assert "zz_editor@example.org" in page and "SMTPException" in page and "ZZ mail down" in page
    settings.MAILERS = LOCMEM
    target = failed[0]
    with django_capture_on_commit_callbacks(execute=True):
        response = editor.post(f"{OUTBOX}{target.pk}/resend/")
    assert response.status_code == 302 and response["Location"] == OUTBOX
    target.refresh_from_db()
    assert target.status == OutboundMail.Status.SENT
    assert [m.to for m in django_mail.outbox] == [[target.recipient]]
    assert "ZZ mail down" in django_mail.outbox[0].subject
    assert target.recipient not in editor.get(OUTBOX).content.decode()


@pytest.mark.parametrize("who", ["contributor", "member", "other"])
def test_unsent_mail_is_hidden_from_non_editors(
    users: dict[str, Any],
    org: Any,
    settings: Any,
    who: str,
    django_capture_on_commit_callbacks: Any,
) -> None:
    """Contributors, members and editors of another organisation see no addresses on the
    Notifications page and cannot resend; anonymous visitors are sent to sign in."""
    dataset = _draft(users, org, "ZZ hidden")
    settings.MAILERS = FAILING
    with django_capture_on_commit_callbacks(execute=True):
        review.dataset_submit(actor=users["contributor"], dataset=dataset)
    failed = OutboundMail.objects.filter(status=OutboundMail.Status.FAILED).first()
    assert failed is not None
    client = _login(users, who)
    page = client.get(OUTBOX)
    assert page.status_code == 200
    assert "@example.org" not in page.content.decode().replace(f"zz_{who}@", "")
    assert "ZZ hidden" not in page.content.decode()
    assert client.post(f"{OUTBOX}{failed.pk}/resend/").status_code == 403
    assert Client().get(OUTBOX).status_code == 302


def test_title_with_newline_goes_through_the_whole_workflow(
    users: dict[str, Any], org: Any, django_capture_on_commit_callbacks: Any
) -> None:
    """A dataset titled "A\\nB" is submitted, approved and published through the web pages
    without an error, and every notification has a one-line subject."""
    dataset = _draft(users, org, "A\nB")
    contributor, editor = _login(users, "contributor"), _login(users, "editor")
    for client, action in [(contributor, "submit"), (editor, "approve"), (editor, "publish")]:
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(f"/en/datasets/{dataset.slug}/action/{action}/")
        assert response.status_code == 302, action
    dataset.refresh_from_db()
    assert dataset.live and dataset.status == Status.PUBLISHED
    subjects = [m.subject for m in django_mail.outbox]
    assert len(subjects) == 2 + 1 + 3  # reviewers; the author; authors and reviewers
    assert all("\n" not in s and "\r" not in s for s in subjects)
    assert {s.rsplit(": ", 1)[1] for s in subjects} == {"A B"}
    assert all(m.message()["Subject"] for m in django_mail.outbox)
    assert not OutboundMail.objects.exclude(status=OutboundMail.Status.SENT).exists()
