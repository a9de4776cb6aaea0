"""The client's address: the one place that decides which address a request comes from.

Behind reverse proxies every request arrives from the nearest proxy, and the client's address is
in ``X-Forwarded-For``, where each proxy appends the address it received the request from. Only
the entries appended by our own proxies can be trusted (a client can send any header it likes),
so with ``SDG87_TRUSTED_PROXY_COUNT = N`` the client is the Nth address from the right; with
``0`` (no proxy) the header is ignored and ``REMOTE_ADDR`` is the client. This assumes the
application can only be reached through those N proxies.

Used by django-axes (``AXES_CLIENT_IP_CALLABLE``) and by the rate limits in
``sdg87.core.ratelimit``.
"""

from __future__ import annotations

import ipaddress

from django.conf import settings
from django.http import HttpRequest


def forwarded_client_ip(*, remote_addr: str, forwarded_for: str, proxy_count: int) -> str:
    """The client address given the socket peer, the X-Forwarded-For header and the number of
    trusted proxies. Falls back to ``remote_addr`` when the header is shorter than the proxy
    chain (the request did not come through every proxy) or its entry is not an address."""
    if proxy_count <= 0 or not forwarded_for:
        return remote_addr
    hops = [hop.strip() for hop in forwarded_for.split(",")]
    if len(hops) < proxy_count:
        return remote_addr
    try:
        return str(ipaddress.ip_address(hops[-proxy_count]))
    except ValueError:
        return remote_addr


def client_ip(request: HttpRequest) -> str:
    """The address of the client that sent ``request`` (see the module docstring)."""
    return forwarded_client_ip(
        remote_addr=request.META.get("REMOTE_ADDR", ""),
        forwarded_for=request.META.get("HTTP_X_FORWARDED_FOR", ""),
        proxy_count=settings.SDG87_TRUSTED_PROXY_COUNT,
    )


def rate_subject(address: str) -> str:
    """The unit that rate limits count per address: an IPv4 address, or an IPv6 /64 network
    (one subscriber usually holds a whole /64 and can change addresses within it at will)."""
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return address or "unknown"
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.ipv4_mapped is not None:
            return str(ip.ipv4_mapped)
        return str(ipaddress.IPv6Network((ip, 64), strict=False))
    return str(ip)
