"""Fixtures of the review/contribution tests: two organisations created here (slugs `t-rev-`),
a user per role in the first, an editor of the second, files built as bytes.

Imported by the test modules that use them (`from ... import *` keeps the fixture names)."""

from __future__ import annotations

import io
import zipfile
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser
from django.core.files.uploadedfile import SimpleUploadedFile

from sdg87.geo.models import Geography, GeographyKind
from sdg87.library.models import Publication
from sdg87.library.services import publications
from sdg87.orgs.models import Organisation, OrganisationType, Role
from sdg87.orgs.services import membership_set, organisation_upsert

ROLES = ("admin", "editor", "contributor", "member")

# A small real PDF (one empty page): `filetype` sniffs it from `%PDF-`.
PDF = (
    b"%PDF-1.4\n"
    b"1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 112 + b"PE\x00\x00"
HTML = b"<!DOCTYPE html><html><body><script>alert(1)</script></body></html>\n"


def docx_bytes(*, macro: bool = False) -> bytes:
    """A minimal Word document (Office Open XML), optionally with a VBA project."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as archive:
        archive.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types/>')
        archive.writestr("_rels/.rels", '<?xml version="1.0"?><Relationships/>')
        archive.writestr("word/document.xml", '<?xml version="1.0"?><w:document/>')
        if macro:
            archive.writestr("word/vbaProject.bin", b"\xd0\xcf\x11\xe0macro")
    return buf.getvalue()


def upload(content: bytes, name: str = "report.pdf", content_type: str = "application/pdf") -> Any:
    return SimpleUploadedFile(name, content, content_type=content_type)


@pytest.fixture(autouse=True)
def _media_root(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def rev_org(db: None) -> Organisation:
    return organisation_upsert(
        slug="t-rev-ngo", name="T-Rev Research NGO", acronym="TRN", type=OrganisationType.NGO
    )


@pytest.fixture
def rev_other_org(db: None) -> Organisation:
    return organisation_upsert(
        slug="t-rev-agency", name="T-Rev Other Agency", type=OrganisationType.UN_AGENCY
    )


def _user(username: str, **extra: Any) -> Any:
    return get_user_model().objects.create_user(
        username=username, email=f"{username}@example.org", password="pw-Zz-12345", **extra
    )


@pytest.fixture
def rev_users(rev_org: Organisation, rev_other_org: Organisation) -> dict[str, Any]:
    """One user per role in `rev_org`, `other` (editor of `rev_other_org`), `superuser`,
    `anonymous`."""
    out: dict[str, Any] = {}
    for role in ROLES:
        out[role] = _user(f"t_rev_{role}")
        membership_set(user=out[role], organisation=rev_org, role=role)
    out["other"] = _user("t_rev_other")
    membership_set(user=out["other"], organisation=rev_other_org, role=Role.EDITOR)
    out["superuser"] = _user("t_rev_super", is_superuser=True, is_staff=True)
    out["anonymous"] = AnonymousUser()
    return out


@pytest.fixture
def rev_place(db: None) -> Geography:
    place, _ = Geography.objects.get_or_create(
        code="TRVZ", defaults={"kind": GeographyKind.COUNTRY, "name_en": "T-Rev Land"}
    )
    return place


@pytest.fixture
def draft(rev_org: Organisation, rev_users: dict[str, Any], rev_place: Geography) -> Publication:
    """A contributor's draft report with one person and one organisation as authors."""
    return publications.publication_create(
        actor=rev_users["contributor"],
        publisher=rev_org,
        title="T-Rev What works against child labour in cocoa",
        slug="t-rev-cocoa",
        resource_type="report",
        abstract="Findings of a <b>three-year</b> programme.",
        year=2024,
        creators=[
            {"family": "Okafor", "given": "Ada", "orcid": "0000-0002-1825-0097"},
            {"name": "T-Rev Research NGO"},
        ],
        themes=["child_labour"],
        geographies=["TRVZ"],
    )
