"""HTTP GET for harvesting, with the limits a server that fetches what users name needs.

- only http(s) URLs; every address the host name resolves to must be a public one (no
  loopback, private, link-local, reserved or multicast network: SSRF), unless
  SDG87_HARVEST_ALLOW_PRIVATE is on (tests and development only, see
  docs/howto/harvesting.md);
- connect and read timeouts (SDG87_HARVEST_TIMEOUT seconds; the whole answer must arrive
  within twice that), and at most SDG87_HARVEST_MAX_BYTES bytes per answer;
- redirects followed by hand (at most 3), each target checked like the first URL.

The check resolves the name before requests does: a name whose answer changes between the
two look-ups (DNS rebinding) could still reach a private address; ADR 0016 records this.
"""

from __future__ import annotations

import ipaddress
import socket
import time
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

import requests
from django.conf import settings

MAX_REDIRECTS = 3
USER_AGENT = "sdg87-harvester/1 (+https://github.com/; SDG 8.7 Knowledge Platform)"


class FetchError(Exception):
    """The answer could not be had (refused URL, network, status, size or time)."""


@dataclass(frozen=True)
class Answer:
    url: str
    content_type: str
    body: bytes


def url_refusal(url: str, *, allow_private: bool | None = None) -> str:
    """Why `url` may not be fetched, or "" if it may."""
    if allow_private is None:
        allow_private = settings.SDG87_HARVEST_ALLOW_PRIVATE
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https"):
        return "only http and https addresses can be harvested"
    host = parts.hostname
    if not host:
        return "the address has no host"
    if allow_private:
        return ""
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
        infos = socket.getaddrinfo(host, port, proto=socket.IPPROTO_TCP)
    except (OSError, ValueError) as exc:
        return f"the host name does not resolve: {exc}"
    for info in infos:
        address = ipaddress.ip_address(str(info[4][0]).split("%", 1)[0])
        if not address.is_global or address.is_multicast:
            return f"{host} is a private, loopback or reserved address ({address})"
    return ""


def get(url: str, *, accept: str) -> Answer:
    """The body of `url` (after at most 3 checked redirects), within the limits."""
    timeout = float(settings.SDG87_HARVEST_TIMEOUT)
    limit = settings.SDG87_HARVEST_MAX_BYTES
    deadline = time.monotonic() + 2 * timeout
    headers = {"Accept": accept, "User-Agent": USER_AGENT}
    for _hop in range(MAX_REDIRECTS + 1):
        refusal = url_refusal(url)
        if refusal:
            raise FetchError(refusal)
        try:
            response = requests.get(
                url,
                headers=headers,
                timeout=(min(timeout, 10.0), timeout),
                stream=True,
                allow_redirects=False,
            )
        except requests.Timeout:
            raise FetchError(f"no answer within {timeout:g} s") from None
        except requests.RequestException as exc:
            raise FetchError(f"network error: {type(exc).__name__}") from None
        with response:
            if response.is_redirect and response.headers.get("Location"):
                url = urljoin(url, response.headers["Location"])
                continue
            if response.status_code != 200:
                raise FetchError(f"HTTP {response.status_code}")
            declared = response.headers.get("Content-Length", "")
            if declared.isdigit() and int(declared) > limit:
                raise FetchError(f"the answer is larger than {limit} bytes")
            chunks, size = [], 0
            try:
                for chunk in response.iter_content(64 * 1024):
                    size += len(chunk)
                    if size > limit:
                        raise FetchError(f"the answer is larger than {limit} bytes")
                    if time.monotonic() > deadline:
                        raise FetchError(f"the answer took longer than {2 * timeout:g} s")
                    chunks.append(chunk)
            except requests.RequestException as exc:
                raise FetchError(f"the answer broke off: {type(exc).__name__}") from None
            return Answer(url, response.headers.get("Content-Type", ""), b"".join(chunks))
    raise FetchError("too many redirects")
