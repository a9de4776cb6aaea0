"""Fixtures for the workspace tests (services, pages, the permission matrix): an Action Group
whose member organisation has an editor and a plain member, an unrelated organisation's editor,
the secretariat, a superuser and an anonymous visitor; files are stored under the test's own
media and private directories. Memberships go through sdg87.orgs.services and the secretariat's
role through the roles service, as the system: the real grant paths. There is no bundled
workspace data: every document here is made in the test through the services."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.files.uploadedfile import SimpleUploadedFile

from sdg87.alliance.models import ActionGroup, RoleName, Verification, WorkspaceDocument
from sdg87.alliance.services import roles, workspace
from sdg87.alliance.tests.contrib_fixtures import make_user
from sdg87.core.models import OutboundMail
from sdg87.library.tests.review_fixtures import (  # noqa: F401 (the library's test files)
    EXE,
    HTML,
    PDF,
    docx_bytes,
)
from sdg87.orgs.models import Organisation, OrganisationType, Role
from sdg87.orgs.services import membership_set

WS_ROLES = ("anonymous", "other", "member", "editor", "secretariat", "superuser")
VIEWERS = frozenset({"member", "editor", "secretariat", "superuser"})


def upload(content: bytes, name: str = "minutes.pdf", content_type: str = "application/pdf") -> Any:
    return SimpleUploadedFile(name, content, content_type=content_type)


@pytest.fixture(autouse=True)
def ws_file_roots(settings: Any, tmp_path: Any) -> None:
    """Each test stores its files in its own directories (public media, private root)."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.SDG87_PRIVATE_ROOT = tmp_path / "private"


@pytest.fixture
def member_org(db: Any) -> Organisation:
    return Organisation.objects.create(
        slug="zz-ws-member", name="ZZ Workspace Member Union", type=OrganisationType.WORKERS
    )


@pytest.fixture
def unrelated_org(db: Any) -> Organisation:
    return Organisation.objects.create(
        slug="zz-ws-unrelated", name="ZZ Unrelated Institute", type=OrganisationType.ACADEMIA
    )


@pytest.fixture
def group(member_org: Organisation) -> ActionGroup:
    """A verified (public) Action Group with one member organisation."""
    found = ActionGroup.objects.create(
        slug="zz-ws-group",
        name="Qxgroupword Action Group on Testing",
        group_type="action_group",
        current_status="active",
        verification=Verification.VERIFIED,
        source_url="https://www.alliance87.org/action-groups/",
    )
    found.members.add(member_org)
    return found


@pytest.fixture
def ws_people(member_org: Organisation, unrelated_org: Organisation) -> dict[str, Any]:
    """An anonymous visitor, an editor of an unrelated organisation, a plain member and a
    contributor of the member organisation, the secretariat and a superuser."""
    out: dict[str, Any] = {"anonymous": AnonymousUser()}
    out["other"] = make_user("ws_other")
    membership_set(user=out["other"], organisation=unrelated_org, role=Role.EDITOR)
    out["member"] = make_user("ws_member")
    membership_set(user=out["member"], organisation=member_org, role=Role.MEMBER)
    out["editor"] = make_user("ws_editor")
    membership_set(user=out["editor"], organisation=member_org, role=Role.CONTRIBUTOR)
    out["secretariat"] = make_user("ws_secretariat")
    roles.alliance_role_grant(actor=None, user=out["secretariat"], role=RoleName.SECRETARIAT)
    out["superuser"] = make_user("ws_root", superuser=True)
    OutboundMail.objects.all().delete()  # each test starts with no mail
    return out


def make_document(
    people: dict[str, Any], group: ActionGroup, *, title: str, content: bytes = PDF
) -> WorkspaceDocument:
    return workspace.document_create(
        actor=people["editor"],
        group=group,
        title=title,
        kind="meeting_notes",
        description=f"Description of {title}",
        file=upload(content, name=f"{title.split()[0].lower()}.pdf"),
    )
