"""Per-path CSP and framing: public responses may not be framed, the admin may frame itself."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db


def test_public_responses_forbid_framing(client):
    """Public responses say X-Frame-Options: DENY and CSP frame-ancestors 'none'
    (clickjacking; `check --deploy` warns on SAMEORIGIN)."""
    response = client.get("/api/3/action/status_show")
    assert response["X-Frame-Options"] == "DENY"
    assert "frame-ancestors 'none'" in response["Content-Security-Policy"]


def test_admin_keeps_its_relaxed_policy(client):
    """The Wagtail admin keeps frame-ancestors 'self' (its preview panel frames the page)."""
    response = client.get("/admin/login/")
    assert "frame-ancestors 'self'" in response["Content-Security-Policy"]
