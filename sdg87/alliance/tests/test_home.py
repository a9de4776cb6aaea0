"""The Alliance 8.7 landing page counts public rows only and links to each structure."""

from __future__ import annotations

from typing import Any

import pytest

from sdg87.alliance import visibility
from sdg87.alliance.home_selectors import alliance_overview
from sdg87.alliance.models import Milestone

pytestmark = pytest.mark.django_db


def test_counts_are_the_public_rows(bundled_data: None) -> None:
    overview = alliance_overview()
    assert overview.pathfinders == 30
    assert overview.milestones == visibility.public_milestones().count()
    # the conflicting and unverified milestones of the bundled table are not counted
    assert Milestone.objects.count() - overview.milestones == 4
    assert overview.action_groups == 9


@pytest.mark.parametrize("lang", ["en", "fr", "es"])
def test_page_links_to_each_structure(client: Any, bundled_data: None, lang: str) -> None:
    response = client.get(f"/{lang}/alliance/")
    assert response.status_code == 200
    html = response.content.decode()
    for path in ("pathfinders/", "action-groups/", "gcg/"):
        assert f'href="/{lang}/{path}"' in html
    assert f'href="/{lang}/alliance/"' in html  # the header's link
