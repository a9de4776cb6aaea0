"""CKAN actions refuse text the database cannot take, and bodies Django cannot parse, with
CKAN's JSON envelope (issue 7 item 12, findings of the CKAN fuzz).

- A lone surrogate (JSON's "\\ud800" escape: not a character, not encodable as UTF-8) in any
  parameter, key or value, nested or not, is a 409 Validation Error naming the field, before
  any query: it used to be a 500 (UnicodeEncodeError) on reads and a 409 with Python's codec
  message on writes. A NUL stays a 400 Bad request, now naming the field too.
- A form body Django's parsers refuse (a multipart field name over 1 KB, a broken boundary,
  too many fields or files) is a 400 Bad request in CKAN's envelope, for every action: it used
  to be Django's HTML 400.
"""

from __future__ import annotations

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from sdg87.catalog.ckan import write_actions  # noqa: F401  (registers the write actions)
from sdg87.catalog.ckan.actions import ACTIONS
from sdg87.catalog.models import Dataset
from sdg87.catalog.tests.ckan.test_actions import call, error
from sdg87.core.textsafe import find_bad_text

pytestmark = pytest.mark.django_db

SURROGATE_MESSAGE = "Must be valid Unicode text (no lone surrogates such as \\ud800)"


def strict_envelope(response) -> dict:
    """The response as strict UTF-8 JSON, with no lone surrogate anywhere in it (a caller's
    bad text is never echoed back raw)."""
    assert response["Content-Type"].startswith("application/json"), response["Content-Type"]
    body = json.loads(response.content.decode("utf-8"))
    assert find_bad_text(body) is None, body
    assert isinstance(body["help"], str) and body["success"] is False
    assert isinstance(body["error"]["message"], str)
    return body


def surrogate_refused(response, field: str) -> dict:
    strict_envelope(response)
    err = error(response, 409, "Validation Error")
    assert err[field] == [SURROGATE_MESSAGE]
    return err


@pytest.mark.parametrize(
    ("name", "data", "field"),
    [
        ("package_show", {"id": "\ud800"}, "id"),
        ("package_show", {"id": "zz-public\udfff"}, "id"),
        ("organization_show", {"id": "\ud800"}, "id"),
        ("group_show", {"id": "\ud800"}, "id"),
        ("resource_show", {"id": "\ud800"}, "id"),
        ("package_search", {"q": "x\ud800"}, "q"),
        ("package_search", {"fq": "tags:\ud800"}, "fq"),
        ("package_search", {"q": "zz", "sort": "\udbff\udbff"}, "sort"),
    ],
)
def test_a_lone_surrogate_in_a_read_is_a_validation_error(client, mini_catalog, name, data, field):
    """Reads with a lone surrogate answer 409 Validation Error naming the field (no 500)."""
    err = surrogate_refused(call(client, name, data), field)
    assert err["message"] == f"Invalid text in {field}: a lone surrogate is not a character"


@pytest.mark.parametrize(
    "name", ["package_show", "package_update", "package_patch", "package_delete"]
)
def test_a_lone_surrogate_id_in_a_write_is_a_validation_error(client, mini_catalog, name):
    """package_show/update/patch/delete with {"id": "\\ud800"} and an editor's token: 409
    naming `id`, nothing changed."""
    response = call(client, name, {"id": "\ud800", "title": "x"}, token=mini_catalog.editor_token)
    surrogate_refused(response, "id")
    assert Dataset.objects.get(slug="zz-public").title == mini_catalog.public.title


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("title", "Child labour \ud800"),
        ("notes", "Notes\udc00"),
        ("tags", [{"name": "ok"}, {"name": "bad\ud800"}]),
        ("extras", [{"key": "spatial", "value": "\ud800"}]),
    ],
)
def test_a_lone_surrogate_in_written_text_is_refused_before_the_database(
    client, mini_catalog, field, value
):
    """package_create and package_patch with a lone surrogate in title, notes, tags or extras
    answer 409 naming the field, instead of Python's raw codec message; nothing is written."""
    body = {"name": "zz-surrogate", "title": "T", "owner_org": "zz-test-ministry", field: value}
    err = surrogate_refused(
        call(client, "package_create", body, token=mini_catalog.contributor_token), field
    )
    assert "codec" not in err["message"] and "utf-8" not in err["message"]
    assert not Dataset.objects.filter(slug="zz-surrogate").exists()

    patch = {"id": "zz-public", field: value}
    surrogate_refused(call(client, "package_patch", patch, token=mini_catalog.editor_token), field)
    dataset = Dataset.objects.get(slug="zz-public")
    assert (dataset.title, dataset.description) == (
        mini_catalog.public.title,
        mini_catalog.public.description,
    )


def test_a_lone_surrogate_in_a_nested_key_names_the_field_and_its_path(client, mini_catalog):
    """Keys are checked too, at any depth: the error names the top-level field and the message
    the path, with the surrogate written as an escape."""
    body = {"id": "zz-public", "extras": [{"key": "spatial"}, {"k\udc00": "v"}]}
    err = surrogate_refused(call(client, "package_show", body), "extras")
    assert (
        err["message"] == "Invalid text in extras[1].k\\udc00: a lone surrogate is not a character"
    )


def test_a_field_named_like_the_envelope_does_not_replace_its_message(client, mini_catalog):
    """A bad field called `message` or `__type` never overwrites the envelope's own keys."""
    response = call(client, "package_show", {"message": "\ud800", "__type": "x"})
    body = strict_envelope(response)
    assert response.status_code == 409
    assert body["error"]["__type"] == "Validation Error"
    assert (
        body["error"]["message"] == "Invalid text in message: a lone surrogate is not a character"
    )


def test_a_nul_is_still_a_bad_request_and_names_its_field(client, mini_catalog):
    """NUL (refused by PostgreSQL) stays a 400 Bad request, now naming the field."""
    response = call(client, "package_show", {"id": "zz-public", "tags": [{"name": "a\x00"}]})
    err = error(response, 400, "Bad request")
    assert err["tags"] == ["Must not contain NUL characters"]
    assert err["message"].endswith("NUL characters: tags[0].name")


# --- bodies Django's parsers refuse ------------------------------------------------------


def django_refused(response) -> str:
    """CKAN's 400 envelope (JSON, not Django's HTML page); the message."""
    body = strict_envelope(response)
    assert response.status_code == 400, body
    assert body["error"]["__type"] == "Bad request"
    return body["error"]["message"]


@pytest.mark.parametrize("name", sorted(ACTIONS))
def test_a_multipart_field_name_over_a_kilobyte_is_a_bad_request(client, db, name):
    """Every action answers a multipart form whose field name is 2,000 characters long
    (Django: 'Request max total header size exceeded') with CKAN's 400 envelope."""
    response = client.post(f"/api/3/action/{name}", {"x" * 2000: "1"})
    assert django_refused(response) == "Bad request - Request max total header size exceeded."


def test_a_broken_multipart_boundary_is_a_bad_request(client, db):
    """A multipart body with an invalid boundary is CKAN's 400, not Django's HTML one."""
    response = client.generic(
        "POST",
        "/api/3/action/package_search",
        b"--x\r\n",
        content_type="multipart/form-data; boundary=\x7f\x7f",
    )
    assert django_refused(response).startswith("Bad request - Invalid boundary in multipart")


def test_too_many_fields_and_files_are_bad_requests(client, db, settings):
    """Django's DATA_UPLOAD_MAX_NUMBER_FIELDS and _FILES limits answer CKAN's 400."""
    settings.DATA_UPLOAD_MAX_NUMBER_FIELDS = 5
    settings.DATA_UPLOAD_MAX_NUMBER_FILES = 2
    fields = {f"f{i}": "1" for i in range(10)}
    urlencoded = "&".join(f"{k}={v}" for k, v in fields.items())
    response = client.post(
        "/api/3/action/package_show", urlencoded, content_type="application/x-www-form-urlencoded"
    )
    assert "DATA_UPLOAD_MAX_NUMBER_FIELDS" in django_refused(response)
    files = {f"upload{i}": SimpleUploadedFile(f"{i}.csv", b"a\n1\n") for i in range(3)}
    response = client.post("/api/3/action/resource_create", files)
    assert "DATA_UPLOAD_MAX_NUMBER_FILES" in django_refused(response)
