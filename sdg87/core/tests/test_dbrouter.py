"""sdg87.core.dbrouter: anonymous reads go to the replica, everything else to the primary."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.core.signals import request_finished, request_started
from django.db import transaction

from sdg87.core.dbrouter import (
    PrimaryReplicaRouter,
    is_public_read,
    request_began,
    request_ended,
)
from sdg87.geo.models import Geography as Country

router = PrimaryReplicaRouter()


@pytest.fixture(autouse=True)
def _outside_any_request() -> Iterator[None]:
    request_ended()
    yield
    request_ended()


def _start(method: str = "GET", cookie: str = "") -> None:
    """What the request_started receiver does when a request arrives (the signal carries the
    WSGI environ); sending the signal itself would also run close_old_connections."""
    request_began(environ={"REQUEST_METHOD": method, "HTTP_COOKIE": cookie, "PATH_INFO": "/"})


@pytest.mark.parametrize(
    ("method", "cookie", "expected"),
    [
        ("GET", "", True),
        ("HEAD", "", True),
        ("get", "csrftoken=abc; lang=fr", True),  # no session: still an anonymous read
        ("GET", "sessionid=abc", False),  # signed in (or a session): read your own writes
        ("GET", "csrftoken=abc; sessionid=abc", False),
        ("POST", "", False),
        ("PUT", "", False),
        ("DELETE", "", False),
    ],
)
def test_public_read_is_an_anonymous_get_or_head(method: str, cookie: str, expected: bool) -> None:
    assert (
        is_public_read(method=method, cookie_header=cookie, session_cookie_name="sessionid")
        is expected
    )


def test_anonymous_get_reads_from_the_replica_until_the_request_ends() -> None:
    """Inside an anonymous GET reads use the replica; once the request finishes, the primary."""
    _start("GET")
    assert router.db_for_read(Country) == "replica"
    request_ended()
    assert router.db_for_read(Country) == "default"


def test_signed_in_and_writing_requests_read_from_the_primary() -> None:
    _start("GET", cookie="sessionid=abc")
    assert router.db_for_read(Country) == "default"
    _start("POST")
    assert router.db_for_read(Country) == "default"


def test_a_write_pins_the_rest_of_the_request_to_the_primary() -> None:
    """A request that wrote (even an anonymous GET that records something) reads what it
    wrote: every later read of that request goes to the primary."""
    _start("GET")
    assert router.db_for_write(Country) == "default"
    assert router.db_for_read(Country) == "default"
    _start("GET")  # the next request starts afresh
    assert router.db_for_read(Country) == "replica"


def test_reads_outside_requests_use_the_primary() -> None:
    """The task worker and management commands never read a lagging copy."""
    assert router.db_for_read(Country) == "default"


@pytest.mark.django_db
def test_reads_inside_a_transaction_use_the_primary() -> None:
    _start("GET")
    with transaction.atomic():
        assert router.db_for_read(Country) == "default"


def test_migrations_run_on_the_primary_only() -> None:
    assert router.allow_migrate("default", "geo") is True
    assert router.allow_migrate("replica", "geo") is False
    assert router.allow_relation(object(), object()) is True


def test_the_receivers_are_connected_to_the_request_signals() -> None:
    """The WSGI handler reaches the router through request_started and request_finished."""
    started = [ref() for _key, ref, *_rest in request_started.receivers]
    finished = [ref() for _key, ref, *_rest in request_finished.receivers]
    assert request_began in started
    assert request_ended in finished
