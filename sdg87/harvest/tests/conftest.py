"""Fixtures of the harvest tests: a tiny local HTTP server (http.server in a thread) that
answers what a test sets, and an editor of an organisation with loopback harvesting allowed."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from django.contrib.auth import get_user_model

from sdg87.orgs.models import Role
from sdg87.orgs.services import membership_set, organisation_upsert

type Reply = tuple[int, str, bytes] | Callable[[], tuple[int, str, bytes]]


class _Handler(BaseHTTPRequestHandler):
    routes: dict[str, list[Reply]] = {}

    def do_GET(self) -> None:
        path = self.path.split("?", 1)[0]
        start = self.path.split("start=", 1)[1].split("&", 1)[0] if "start=" in self.path else "0"
        replies = self.routes.get(f"{path}#{start}") or self.routes.get(path) or []
        reply = replies.pop(0) if len(replies) > 1 else (replies[0] if replies else None)
        status, content_type, body = (
            (404, "text/plain", b"no") if reply is None else reply() if callable(reply) else reply
        )
        self.send_response(status)
        if status in (301, 302):  # a redirect's reply body is its target
            self.send_header("Location", body.decode())
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture(scope="module")
def server() -> Iterator[tuple[str, dict[str, list[Reply]]]]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}", _Handler.routes
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture
def routes(server: tuple[str, dict[str, list[Reply]]]) -> Iterator[dict[str, list[Reply]]]:
    server[1].clear()
    yield server[1]
    server[1].clear()


@pytest.fixture
def setup(db: None, settings: Any) -> dict[str, Any]:
    settings.SDG87_HARVEST_ALLOW_PRIVATE = True
    settings.SDG87_HARVEST_TIMEOUT = 1
    editor = get_user_model().objects.create_user("zz-harvester", "h@example.org", "pw-123-abc")
    org = organisation_upsert(slug="zz-harvest-org", name="ZZ Harvest Org", type="ngo")
    membership_set(user=editor, organisation=org, role=Role.EDITOR)
    return {"editor": editor, "org": org}
