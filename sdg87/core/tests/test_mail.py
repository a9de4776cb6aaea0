from __future__ import annotations

import logging
from datetime import timedelta
from typing import Any

import pytest
from django.core import mail as django_mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from sdg87.core import mail
from sdg87.core.models import OutboundMail
from sdg87.core.tests.mail_backends import FAILING, LOCMEM, DownSMTPBackend
from sdg87.orgs.models import OrganisationType, Role
from sdg87.orgs.services import membership_set, organisation_upsert


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Dataset approved: A\nB", "Dataset approved: A B"),
        ("A\r\n\tB\x00C\x1b[31m\u2028D\u0085E", "A B C [31m D E"),
        ("  plain  ", "plain"),
        ("", ""),
    ],
)
def test_subject_clean_gives_one_line(raw: str, expected: str) -> None:
    """Line breaks, control characters and runs of white space become one space."""
    assert mail.mail_subject_clean(raw) == expected


def test_subject_clean_limits_length() -> None:
    """Long subjects are cut to SUBJECT_MAX_LENGTH characters, ending with an ellipsis."""
    cleaned = mail.mail_subject_clean("x" * 5000)
    assert len(cleaned) == mail.SUBJECT_MAX_LENGTH and cleaned.endswith("…")


@pytest.fixture
def org_users(db: None) -> dict[str, Any]:
    from django.contrib.auth import get_user_model

    User = get_user_model()
    org = organisation_upsert(slug="zz-mail-org", name="ZZ Mail", type=OrganisationType.NGO)
    other = organisation_upsert(slug="zz-mail-other", name="ZZ Other", type=OrganisationType.NGO)
    out: dict[str, Any] = {"org": org, "other_org": other}
    for name, organisation, role in [
        ("editor", org, Role.EDITOR),
        ("contributor", org, Role.CONTRIBUTOR),
        ("other", other, Role.EDITOR),
    ]:
        out[name] = User.objects.create_user(username=f"zz_m_{name}", email=f"{name}@example.org")
        membership_set(user=out[name], organisation=organisation, role=role)
    out["superuser"] = User.objects.create_user(username="zz_m_super", is_superuser=True)
    return out


def _queue(org: Any, **kw: Any) -> list[OutboundMail]:
    return mail.mail_queue(
        recipients=kw.pop("recipients", ["a@example.org"]),
        subject=kw.pop("subject", "Hello"),
        body="Body",
        organisation_id=org.pk,
        **kw,
    )


def test_mail_is_sent_after_commit_once_per_recipient(
    org_users: dict[str, Any], django_capture_on_commit_callbacks: Any
) -> None:
    """Queued mail goes out only when the transaction commits, one message per person;
    invalid addresses are skipped, not raised."""
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        created = _queue(
            org_users["org"], recipients=["b@example.org", "a@example.org", "bad\naddress"]
        )
    assert [m.recipient for m in created] == ["a@example.org", "b@example.org"]
    assert django_mail.outbox == []
    for callback in callbacks:
        callback()
    assert sorted(m.to[0] for m in django_mail.outbox) == ["a@example.org", "b@example.org"]
    assert all(len(m.to) == 1 for m in django_mail.outbox)
    assert set(OutboundMail.objects.values_list("status", flat=True)) == {"sent"}
    assert all(m.sent_at for m in OutboundMail.objects.all())


def test_failing_server_marks_mail_failed_after_max_attempts(
    org_users: dict[str, Any],
    settings: Any,
    caplog: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    """With a mail server that refuses, the mail is tried MAX_ATTEMPTS times (no endless loop
    under the ImmediateBackend), then marked failed with the error, and logged."""
    settings.MAILERS = FAILING
    DownSMTPBackend.attempts = 0
    with (
        caplog.at_level(logging.WARNING, logger="sdg87.core.mail"),
        django_capture_on_commit_callbacks(execute=True),
    ):
        (queued,) = _queue(org_users["org"])
    queued.refresh_from_db()
    assert queued.status == OutboundMail.Status.FAILED
    assert queued.attempts == mail.MAX_ATTEMPTS == DownSMTPBackend.attempts == 5
    assert queued.last_error.startswith("SMTPException: 421")
    assert "giving up" in caplog.text
    assert django_mail.outbox == []


def test_retry_sends_again_once_the_server_is_back(
    org_users: dict[str, Any], settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    """An editor of the organisation resends a failed mail with a fresh set of attempts."""
    settings.MAILERS = FAILING
    with django_capture_on_commit_callbacks(execute=True):
        (queued,) = _queue(org_users["org"])
    settings.MAILERS = LOCMEM
    with django_capture_on_commit_callbacks(execute=True):
        mail.mail_retry(actor=org_users["editor"], mail_id=queued.pk)
    queued.refresh_from_db()
    assert queued.status == OutboundMail.Status.SENT and queued.attempts == 1
    assert [m.to for m in django_mail.outbox] == [["a@example.org"]]
    with pytest.raises(ValidationError):  # sent mail is not sent twice
        mail.mail_retry(actor=org_users["editor"], mail_id=queued.pk)


@pytest.mark.parametrize("who", ["contributor", "other"])
def test_only_editors_of_the_organisation_see_and_retry(
    org_users: dict[str, Any], settings: Any, who: str, django_capture_on_commit_callbacks: Any
) -> None:
    """Contributors and editors of another organisation neither list nor resend the mail."""
    settings.MAILERS = FAILING
    with django_capture_on_commit_callbacks(execute=True):
        (queued,) = _queue(org_users["org"])
    assert list(mail.mail_unsent_list(user=org_users["editor"])) == [queued]
    assert list(mail.mail_unsent_list(user=org_users["superuser"])) == [queued]
    assert list(mail.mail_unsent_list(user=org_users[who])) == []
    with pytest.raises(PermissionDenied):
        mail.mail_retry(actor=org_users[who], mail_id=queued.pk)


def test_send_is_idempotent(
    org_users: dict[str, Any], django_capture_on_commit_callbacks: Any
) -> None:
    """Running the task again for a mail already sent sends nothing."""
    with django_capture_on_commit_callbacks(execute=True):
        (queued,) = _queue(org_users["org"])
    assert mail.mail_send(mail_id=queued.pk) == "sent"
    assert mail.mail_send(mail_id=0) == "missing"
    assert len(django_mail.outbox) == 1


def test_retry_is_deferred_when_the_backend_supports_it(
    org_users: dict[str, Any], settings: Any
) -> None:
    """With the database task backend a failed attempt re-enqueues the task to run after the
    backoff delay, instead of at once."""
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.MAILERS = FAILING
    (queued,) = _queue(org_users["org"])
    before = timezone.now()
    assert mail.mail_send(mail_id=queued.pk) == OutboundMail.Status.QUEUED
    task = DBTaskResult.objects.get(task_path="sdg87.core.tasks.mail_send")
    assert task.args_kwargs == {"args": [], "kwargs": {"mail_id": queued.pk}}
    assert task.run_after is not None
    assert task.run_after >= before + timedelta(seconds=mail.RETRY_DELAYS[0])


def test_stuck_queued_mail_can_be_retried(org_users: dict[str, Any]) -> None:
    """A mail that no worker picked up within STUCK_AFTER is offered for resending."""
    queued = OutboundMail.objects.create(
        recipient="a@example.org", subject="s", body="b", organisation=org_users["org"]
    )
    assert not mail.mail_is_retryable(queued)
    later = timezone.now() + mail.STUCK_AFTER + timedelta(seconds=1)
    assert mail.mail_is_retryable(queued, now=later)
