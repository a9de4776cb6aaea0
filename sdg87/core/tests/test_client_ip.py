"""sdg87.core.client_ip: which address a request comes from, with and without reverse proxies."""

from __future__ import annotations

import pytest
from axes.models import AccessAttempt
from django.test import Client

from sdg87.core.client_ip import forwarded_client_ip, rate_subject

PROXY = "10.0.0.2"


@pytest.mark.parametrize(
    ("forwarded_for", "proxy_count", "expected"),
    [
        # no proxy: the header is whatever the client sent, so it is ignored
        ("203.0.113.9", 0, PROXY),
        ("203.0.113.9, 198.51.100.7", 0, PROXY),
        # one proxy appends the address it saw: the rightmost entry; the left ones are spoofable
        ("198.51.100.7", 1, "198.51.100.7"),
        ("203.0.113.9, 198.51.100.7", 1, "198.51.100.7"),
        # two proxies (CDN, then nginx): the second from the right
        ("203.0.113.9, 198.51.100.7, 192.0.2.1", 2, "198.51.100.7"),
        ("198.51.100.7, 192.0.2.1", 2, "198.51.100.7"),
        # a chain shorter than the proxies, no header, or junk: the socket peer
        ("192.0.2.1", 2, PROXY),
        ("", 1, PROXY),
        ("not-an-address", 1, PROXY),
        ("198.51.100.7:5555", 1, PROXY),
        ("2001:db8::1", 1, "2001:db8::1"),
    ],
)
def test_forwarded_client_ip(forwarded_for: str, proxy_count: int, expected: str) -> None:
    """The client is the Nth address from the right of X-Forwarded-For for N trusted proxies,
    and REMOTE_ADDR with no proxy, a short chain or an entry that is not an address."""
    assert (
        forwarded_client_ip(remote_addr=PROXY, forwarded_for=forwarded_for, proxy_count=proxy_count)
        == expected
    )


def test_rate_subject_groups_an_ipv6_subscriber_network() -> None:
    """IPv4 addresses count alone; IPv6 addresses count per /64, the block one subscriber
    holds; IPv4-mapped IPv6 counts as the IPv4 address."""
    assert rate_subject("198.51.100.7") == "198.51.100.7"
    assert rate_subject("2001:db8:1:2:aaaa::1") == rate_subject("2001:db8:1:2:bbbb::9")
    assert rate_subject("2001:db8:1:2::1") == "2001:db8:1:2::/64"
    assert rate_subject("2001:db8:1:3::1") != rate_subject("2001:db8:1:2::1")
    assert rate_subject("::ffff:198.51.100.7") == "198.51.100.7"


def _fail_sign_in(forwarded_for: str) -> None:
    Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=forwarded_for).post(
        "/en/accounts/login/", {"username": "zz-nobody", "password": "wrong"}
    )


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("proxy_count", "recorded"),
    [(0, PROXY), (1, "198.51.100.7"), (2, "203.0.113.9")],
)
def test_axes_records_the_client_address(settings, proxy_count: int, recorded: str) -> None:
    """django-axes records the address that sdg87.core.client_ip decides: the proxy's own
    address with SDG87_TRUSTED_PROXY_COUNT=0 (a forged header changes nothing), the client's
    behind one or two proxies."""
    settings.SDG87_TRUSTED_PROXY_COUNT = proxy_count
    _fail_sign_in("203.0.113.9, 198.51.100.7")
    assert list(AccessAttempt.objects.values_list("ip_address", flat=True)) == [recorded]
