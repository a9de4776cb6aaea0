"""A full disk (no space, a quota, a file size limit, the database's disk) is answered 507
with a page that says nothing was saved, in production and under `make run` (DEBUG); a page
view says it cannot be shown now; other OS and database errors stay 500."""

from __future__ import annotations

import pytest
from django.test import Client, override_settings

pytestmark = [pytest.mark.django_db, pytest.mark.urls("sdg87.core.tests.storage_full_urls")]


@pytest.fixture
def client() -> Client:
    return Client(raise_request_exception=False)


@pytest.mark.parametrize("debug", [False, True])
@pytest.mark.parametrize("path", ["/en/full/", "/en/too-big/", "/en/database-full/"])
def test_a_full_disk_is_507_and_says_nothing_was_saved(
    client: Client, path: str, debug: bool
) -> None:
    with override_settings(DEBUG=debug, SDG87_DEBUG_ERRORS=False):
        answer = client.post(path, {"title": "x"})
    assert answer.status_code == 507
    text = answer.content.decode()
    assert "Nothing was saved" in text and "no room left" in text


def test_the_api_answers_the_usual_error_shape(client: Client) -> None:
    answer = client.post("/api/v1/full/")
    assert answer.status_code == 507
    assert answer.json()["error"]["code"] == "storage_full"


def test_other_os_errors_stay_server_errors(client: Client) -> None:
    answer = client.post("/en/other/")
    assert answer.status_code == 500
    assert "Nothing was saved" not in answer.content.decode()


def test_a_page_view_on_a_full_disk_does_not_claim_a_failed_save(client: Client) -> None:
    answer = client.get("/en/full/")
    assert answer.status_code == 507
    text = answer.content.decode()
    assert "Out of storage space" in text and "Nothing was saved" not in text
    assert client.get("/api/v1/full/").json()["error"]["code"] == "storage_full"


def test_the_cause_chain_is_read() -> None:
    from psycopg import errors

    from sdg87.core.error_views import is_storage_full

    try:
        try:
            raise errors.DiskFull("could not extend file")
        except errors.DiskFull as error:
            raise RuntimeError("wrapped") from error
    except RuntimeError as wrapped:
        assert is_storage_full(wrapped)
    assert not is_storage_full(RuntimeError("no cause"))
    assert not is_storage_full(None)
