"""The review workflow's transition table (services/review.py) and the permission functions
(permissions.py, which the pages use to show buttons) agree on the states each action starts
from: for a superuser, whom no role limits, an action is allowed exactly in its table's
source states."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User

from sdg87.catalog.models import Dataset, Status
from sdg87.catalog.services.review import TRANSITIONS

SUPERUSER = User(pk=1, username="zz_root", is_superuser=True)  # unsaved: no query needed


@pytest.mark.parametrize("name", sorted(TRANSITIONS))
@pytest.mark.parametrize("status", list(Status))
@pytest.mark.parametrize("live", [False, True])
def test_table_and_permissions_agree_on_the_source_states(
    name: str, status: str, live: bool
) -> None:
    transition = TRANSITIONS[name]
    # `release` (ADR 0014) is for a dataset in quarantine, whatever its review state
    dataset = Dataset(status=status, live=live, publisher_id=1, quarantined=name == "release")
    assert transition.allowed(SUPERUSER, dataset) == transition.starts_from(dataset)
    if name == "release":
        dataset.quarantined = False
        assert not transition.allowed(SUPERUSER, dataset)


def test_every_state_change_of_the_workflow_is_in_the_table() -> None:
    """The diagram in the module docstring, as data: each review state is reached by one
    action, and only `publish` makes a dataset published (and `release`, which publishes the
    protected file of a dataset in quarantine, ADR 0014)."""
    targets = {t.target for t in TRANSITIONS.values() if t.target is not None}
    assert targets == set(Status)
    published = [n for n, t in TRANSITIONS.items() if t.target == Status.PUBLISHED]
    assert published == ["publish", "release"]
