"""The workspace's part of an Action Group hub (templates/alliance/group_detail.html): the
released documents, for everybody, and the link to the members-only workspace, only for the
people who may see it.

The hub is cached per URL (sdg87.core.cache.cache_public_page) and varies on the cookie
(`vary_on_cookie` on the view): the cache stores the page before the session middleware adds
`Vary: Cookie`, so the view declares it itself and a member's page is never served to another
visitor."""

from __future__ import annotations

from typing import Any

from django import template

from sdg87.alliance import permissions, workspace_selectors
from sdg87.alliance.models import ActionGroup

register = template.Library()


@register.inclusion_tag("alliance/workspace/_hub.html", takes_context=True)
def workspace_hub(context: template.Context, group: ActionGroup) -> dict[str, Any]:
    request = context.get("request")
    user = getattr(request, "user", None)
    return {
        "group": group,
        "can_see": user is not None and permissions.can_view_workspace(user, group),
        "released": workspace_selectors.released_documents(group=group),
    }
