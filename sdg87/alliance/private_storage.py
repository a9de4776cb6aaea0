"""Where the Action Groups' members-only workspace files are stored: never under MEDIA_ROOT.

Everything under MEDIA_ROOT is reachable at /media/ (config/urls.py serves it when DEBUG is on;
in production the web server in front usually does). Workspace files are private to a group's
members, so they live under settings.SDG87_PRIVATE_ROOT (default `var/private/`, outside
MEDIA_ROOT) and have no URL at all: the only way to read one is the workspace download view,
which checks permission first (sdg87.alliance.workspace_views.version_download).

A deployment that keeps files in object storage names a private bucket as
`STORAGES["workspaces"]`; otherwise the private directory is used. The system check
`sdg87.E120` refuses a private root inside MEDIA_ROOT or STATIC_ROOT (or the reverse).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core import checks
from django.core.files.storage import FileSystemStorage, Storage, storages

WORKSPACE_STORAGE_ALIAS = "workspaces"


class PrivateFileSystemStorage(FileSystemStorage):
    """A FileSystemStorage rooted at settings.SDG87_PRIVATE_ROOT (read at each use, so test
    settings apply) whose files have no URL."""

    @property
    def base_location(self) -> str:
        return str(settings.SDG87_PRIVATE_ROOT)

    @property
    def location(self) -> str:
        return os.path.abspath(self.base_location)

    def url(self, name: str | None) -> str:
        raise ValueError("Private files have no URL: serve them through a view that checks.")


def workspace_storage() -> Storage:
    """The storage of WorkspaceVersion.file (a callable, so migrations name this function)."""
    if WORKSPACE_STORAGE_ALIAS in settings.STORAGES:
        return storages[WORKSPACE_STORAGE_ALIAS]
    return PrivateFileSystemStorage()


def _inside(child: Path, parent: Path) -> bool:
    child, parent = child.resolve(), parent.resolve()
    return child == parent or parent in child.parents


@checks.register(checks.Tags.security)
def check_private_root(**_kwargs: Any) -> list[checks.CheckMessage]:
    """sdg87.E120: the private root must not overlap a directory that is served publicly."""
    private = Path(settings.SDG87_PRIVATE_ROOT)
    errors: list[checks.CheckMessage] = []
    for name in ("MEDIA_ROOT", "STATIC_ROOT"):
        public = getattr(settings, name, None)
        if not public:
            continue
        if _inside(private, Path(public)) or _inside(Path(public), private):
            errors.append(
                checks.Error(
                    f"SDG87_PRIVATE_ROOT ({private}) overlaps {name} ({public}), which is "
                    "served to everybody: members-only workspace files would be public.",
                    hint="Set SDG87_PRIVATE_ROOT to a directory outside MEDIA_ROOT and "
                    "STATIC_ROOT that the web server does not serve.",
                    id="sdg87.E120",
                )
            )
    return errors
