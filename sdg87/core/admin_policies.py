"""Wagtail permission policies shared by the domain apps' admin (who may do what to a model).

Each app's `wagtail_hooks.py` says who owns its models; these policies enforce it in the
Wagtail admin whatever the user's Django permissions, superusers included.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from django.db import models
from wagtail.permission_policies.base import ModelPermissionPolicy

from sdg87.core.actors import Actor


class ActionsPermissionPolicy(ModelPermissionPolicy):
    """Allows only `actions` (e.g. {"view"} for code-owned rows, {"view", "change"} for rows
    that loaders create and editors correct), and those only with the usual permissions."""

    def __init__(self, model: type[models.Model], *, actions: Collection[str], **kwargs: Any):
        super().__init__(model, **kwargs)
        self.actions = frozenset(actions)

    def user_has_permission(self, user: Actor, action: str) -> bool:
        return action in self.actions and super().user_has_permission(user, action)


def read_only_policy(model: type[models.Model]) -> ActionsPermissionPolicy:
    """Code-owned rows: the admin can list and inspect them, never add, edit or delete."""
    return ActionsPermissionPolicy(model, actions={"view"})


def edit_only_policy(model: type[models.Model]) -> ActionsPermissionPolicy:
    """Loader-created rows that editors correct: never added or deleted in the admin."""
    return ActionsPermissionPolicy(model, actions={"view", "change"})
