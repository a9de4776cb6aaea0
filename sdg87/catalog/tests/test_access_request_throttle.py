"""Access requests e-mail the publisher, so the request form is throttled: per client address,
per signed-in account (higher), per e-mail address and dataset, and per dataset. A refused
request shows the form again with the reason (429), stores nothing and sends no mail."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.core import mail
from django.core.cache import cache
from django.test import Client

from sdg87.catalog.models import AccessRequest, Dataset

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _limits(settings: Any) -> Iterator[None]:
    """The production defaults, fresh counters."""
    settings.SDG87_ACCESS_REQUEST_IP_LIMIT = 5
    settings.SDG87_ACCESS_REQUEST_USER_LIMIT = 20
    settings.SDG87_ACCESS_REQUEST_EMAIL_LIMIT = 3
    settings.SDG87_ACCESS_REQUEST_DATASET_LIMIT = 50
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def dataset(make_dataset: Callable[..., Dataset]) -> Dataset:
    return make_dataset(visibility="metadata_only", contact_email="data@example.org")


@pytest.fixture
def send(
    django_capture_on_commit_callbacks: Any,
) -> Callable[..., Any]:
    def post(
        dataset: Dataset, *, email: str, address: str = "198.51.100.7", client: Any = None
    ) -> Any:
        client = client or Client(REMOTE_ADDR=address)
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(
                f"/en/datasets/{dataset.slug}/request-access/",
                {"name": "R", "email": email, "reason": "research"},
                REMOTE_ADDR=address,
            )

    return post


def _refused(response: Any, message: str) -> None:
    assert response.status_code == 429
    page = response.content.decode()
    assert message in page.replace("&#x27;", "'")
    assert "<form" in page  # the form again, with what was typed


def test_sixth_anonymous_request_from_one_address_is_refused(
    dataset: Dataset, send: Callable[..., Any]
) -> None:
    """Five anonymous requests per address and hour are sent; the sixth is refused with a form
    error, stores no request and sends no mail; another address can still ask."""
    assert send(dataset, email="r0@example.org").status_code == 302
    per_request = len(mail.outbox)
    assert per_request >= 1 and "data@example.org" in {m.to[0] for m in mail.outbox}
    for n in range(1, 5):
        assert send(dataset, email=f"r{n}@example.org").status_code == 302
    assert len(mail.outbox) == 5 * per_request
    _refused(
        send(dataset, email="r5@example.org"),
        "Too many access requests from your network. Please try again in an hour.",
    )
    assert AccessRequest.objects.filter(dataset=dataset).count() == 5
    assert len(mail.outbox) == 5 * per_request
    assert send(dataset, email="r5@example.org", address="203.0.113.9").status_code == 302


def test_fourth_request_for_one_dataset_from_one_email_is_refused(
    dataset: Dataset, make_dataset: Callable[..., Dataset], send: Callable[..., Any]
) -> None:
    """One e-mail address may ask for one dataset three times a day, from any address and in
    any letter case; the fourth is refused without mail; another dataset is still possible."""
    for n, email in enumerate(["r@example.org", "R@Example.org", "r@example.org"]):
        assert send(dataset, email=email, address=f"192.0.2.{n}").status_code == 302
    sent = len(mail.outbox)
    _refused(
        send(dataset, email="r@EXAMPLE.org", address="192.0.2.9"),
        "This e-mail address has already asked for this dataset several times today.",
    )
    assert len(mail.outbox) == sent
    assert AccessRequest.objects.filter(dataset=dataset).count() == 3
    other = make_dataset(visibility="metadata_only", title="ZZ other dataset")
    assert send(other, email="r@example.org", address="192.0.2.9").status_code == 302


def test_signed_in_users_have_a_higher_limit(
    settings: Any, users: dict[str, Any], dataset: Dataset, send: Callable[..., Any]
) -> None:
    """A signed-in user is counted per account with SDG87_ACCESS_REQUEST_USER_LIMIT (higher than
    the anonymous per-address limit), whatever address they use, then refused."""
    settings.SDG87_ACCESS_REQUEST_USER_LIMIT = 8
    client = Client()
    client.force_login(users["member"])
    for n in range(8):
        response = send(dataset, email=f"m{n}@example.org", client=client)
        assert response.status_code == 302, n
    sent = len(mail.outbox)
    _refused(
        send(dataset, email="m9@example.org", client=client, address="203.0.113.50"),
        "You have sent too many access requests. Please try again in an hour.",
    )
    assert len(mail.outbox) == sent


def test_one_dataset_receives_a_bounded_number_of_requests_per_day(
    settings: Any, dataset: Dataset, send: Callable[..., Any]
) -> None:
    """Requests from many addresses and e-mails to one dataset stop at
    SDG87_ACCESS_REQUEST_DATASET_LIMIT a day, so its publisher's inbox cannot be flooded."""
    settings.SDG87_ACCESS_REQUEST_DATASET_LIMIT = 2
    for n in range(2):
        assert send(dataset, email=f"d{n}@example.org", address=f"192.0.2.{n}").status_code == 302
    sent = len(mail.outbox)
    _refused(
        send(dataset, email="d9@example.org", address="192.0.2.9"),
        "This dataset has received too many access requests today. Please try again tomorrow.",
    )
    assert len(mail.outbox) == sent


def test_invalid_form_is_not_counted(dataset: Dataset, send: Callable[..., Any]) -> None:
    """A form with errors (bad e-mail address) is answered 400 and uses none of the allowance."""
    for _ in range(6):
        assert send(dataset, email="not-an-address").status_code == 400
    assert send(dataset, email="ok@example.org").status_code == 302
