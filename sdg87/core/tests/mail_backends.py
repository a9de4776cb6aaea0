"""E-mail backends for tests: real backend classes, configured through settings.MAILERS."""

from __future__ import annotations

import smtplib
from collections.abc import Sequence
from typing import Any

from django.core.mail.backends.base import BaseEmailBackend

FAILING = {"default": {"BACKEND": "sdg87.core.tests.mail_backends.DownSMTPBackend"}}
LOCMEM = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}


class DownSMTPBackend(BaseEmailBackend):
    """Behaves like the SMTP backend when the mail server refuses service: every send raises
    SMTPException. `attempts` counts the messages it was asked to send."""

    attempts = 0

    def send_messages(self, email_messages: Sequence[Any]) -> int:
        for message in email_messages:
            message.message()  # header validation happens before the network, as in SMTP
            type(self).attempts += 1
        raise smtplib.SMTPException("421 Service not available (test backend)")
