"""CKAN Action API through Django's test client: envelope, reads, visibility, errors, writes."""

from __future__ import annotations

import json

import pytest

from sdg87.catalog.models import Dataset, Status

pytestmark = pytest.mark.django_db


def call(client, name, data=None, *, token=None, method="post", prefix="/api/3/action/"):
    headers = {"HTTP_AUTHORIZATION": token} if token else {}
    if method == "get":
        return client.get(prefix + name, data or {}, **headers)
    return client.post(
        prefix + name, json.dumps(data or {}), content_type="application/json", **headers
    )


def ok(response):
    body = response.json()
    assert response.status_code == 200, body
    assert body["success"] is True and "help" in body
    return body["result"]


def error(response, status, error_type):
    body = response.json()
    assert response.status_code == status, body
    assert body["success"] is False and body["error"]["__type"] == error_type
    return body["error"]


def test_status_show_and_site_read_on_both_prefixes(client):
    """Both /api/3/action/ and /api/action/ answer with CKAN's envelope."""
    assert ok(call(client, "status_show", method="get"))["api_version"] == 3
    assert ok(call(client, "site_read", prefix="/api/action/")) is True


def test_unknown_action_is_a_bad_request(client):
    """An action we do not have answers 400 'Bad request', as CKAN does."""
    err = error(call(client, "no_such_action"), 400, "Bad request")
    assert "no_such_action" in err["message"]


def test_package_list_shows_only_public_published_datasets(client, mini_catalog):
    """Anonymous callers see published public and metadata-only datasets; never drafts or
    organisation-only ones."""
    names = ok(call(client, "package_list", method="get"))
    assert "zz-public" in names and "zz-metadata-only" in names
    assert "zz-org-only" not in names and "zz-draft" not in names


def test_package_show_by_name_and_id_with_sanitised_notes(client, mini_catalog):
    """package_show finds a dataset by name or id and returns CKAN's package shape."""
    by_name = ok(call(client, "package_show", {"id": "zz-public"}))
    by_id = ok(call(client, "package_show", {"id": str(mini_catalog.public.pk)}))
    assert by_name == by_id
    assert by_name["organization"]["name"] == "zz-test-ministry"
    assert by_name["resources"][0]["format"] == "CSV"
    assert by_name["groups"][0]["name"] == "child_labour"
    assert "script" not in by_name["notes"]
    assert by_name["state"] == "active" and by_name["private"] is False


def test_package_show_hides_what_the_caller_may_not_see(client, mini_catalog):
    """Organisation-only and draft datasets are 'Not Found' to outsiders, visible to members."""
    error(call(client, "package_show", {"id": "zz-org-only"}), 404, "Not Found Error")
    error(
        call(client, "package_show", {"id": "zz-draft"}, token=mini_catalog.outsider_token),
        404,
        "Not Found Error",
    )
    assert (
        ok(call(client, "package_show", {"id": "zz-draft"}, token=mini_catalog.contributor_token))[
            "state"
        ]
        == "draft"
    )


def test_package_search_paging_filters_and_facets(client, mini_catalog):
    """rows/start page through results; fq filters; facet.field counts."""
    base = {"fq": "organization:zz-test-ministry", "facet.field": '["organization","groups"]'}
    first = ok(call(client, "package_search", {**base, "rows": 1, "start": 0, "sort": "name asc"}))
    second = ok(call(client, "package_search", {**base, "rows": 1, "start": 1, "sort": "name asc"}))
    assert first["count"] == 2
    assert [first["results"][0]["name"], second["results"][0]["name"]] == [
        "zz-metadata-only",
        "zz-public",
    ]
    assert first["facets"]["organization"] == {"zz-test-ministry": 2}
    assert first["search_facets"]["groups"]["items"][0]["name"] == "child_labour"
    by_tag = ok(call(client, "package_search", {"fq": "tags:zz-public"}))
    assert [r["name"] for r in by_tag["results"]] == ["zz-public"]
    text = ok(call(client, "package_search", {"q": "zz-metadata-only"}))
    assert [r["name"] for r in text["results"]] == ["zz-metadata-only"]


def test_package_search_errors(client, mini_catalog):
    """Bad fq fields and bad rows are CKAN errors, not silently ignored."""
    error(call(client, "package_search", {"fq": "author:x"}), 409, "Search Query Error")
    err = error(call(client, "package_search", {"rows": "lots"}), 409, "Validation Error")
    assert "rows" in err


def test_organization_group_tag_and_resource_reads(client, mini_catalog):
    """organization_list/show, group_list/show, tag_list and resource_show work."""
    assert "zz-test-ministry" in ok(call(client, "organization_list"))
    org = ok(
        call(client, "organization_show", {"id": "zz-test-ministry", "include_datasets": True})
    )
    assert org["package_count"] == 2 and len(org["packages"]) == 2
    assert "child_labour" in ok(call(client, "group_list"))
    assert ok(call(client, "group_show", {"id": "child_labour"}))["package_count"] >= 2
    assert "zz-test-keyword" in ok(call(client, "tag_list", {"query": "zz-test"}))
    resource_id = ok(call(client, "package_show", {"id": "zz-public"}))["resources"][0]["id"]
    assert ok(call(client, "resource_show", {"id": resource_id}))["url"].endswith("zz-public.csv")
    error(call(client, "organization_show", {"id": "nope"}), 404, "Not Found Error")


def test_writes_need_a_token(client, mini_catalog):
    """Write actions without a token are 'Authorization Error'; a session cookie is not enough."""
    client.force_login(mini_catalog.editor)
    error(
        call(client, "package_patch", {"id": "zz-public", "title": "x"}), 403, "Authorization Error"
    )
    error(
        call(client, "package_patch", {"id": "zz-public"}, token="wagtail_invalid"),
        403,
        "Authorization Error",
    )


def test_create_patch_update_and_delete_with_permissions(client, mini_catalog):
    """A contributor creates a draft; an outsider cannot touch it; an editor patches and
    withdraws published datasets."""
    created = ok(
        call(
            client,
            "package_create",
            {
                "name": "zz-api-created",
                "title": "Created by API",
                "owner_org": "zz-test-ministry",
                "notes": "Made through the CKAN API",
                "license_id": "CC-BY-4.0",
                "tags": [{"name": "zz-api"}],
                "groups": [{"name": "forced_labour"}],
                "extras": [
                    {"key": "spatial", "value": "ZZA"},
                    {"key": "frequency", "value": "annual"},
                ],
                "resources": [{"url": "https://example.org/x.csv", "name": "x", "format": "CSV"}],
            },
            token=mini_catalog.contributor_token,
        )
    )
    assert created["state"] == "draft" and created["num_resources"] == 1
    assert Dataset.objects.get(slug="zz-api-created").status == Status.DRAFT
    error(
        call(
            client,
            "package_create",
            {"name": "zz-x", "title": "x", "owner_org": "zz-test-ministry"},
            token=mini_catalog.outsider_token,
        ),
        403,
        "Authorization Error",
    )
    error(
        call(
            client,
            "package_create",
            {"name": "zz-y", "owner_org": "zz-test-ministry"},
            token=mini_catalog.contributor_token,
        ),
        409,
        "Validation Error",
    )
    patched = ok(
        call(
            client,
            "package_patch",
            {"id": "zz-public", "title": "New title"},
            token=mini_catalog.editor_token,
        )
    )
    assert patched["title"] == "New title" and patched["notes"]  # untouched fields kept
    updated = ok(
        call(
            client,
            "package_update",
            {"id": "zz-public", "title": "Replaced"},
            token=mini_catalog.editor_token,
        )
    )
    assert updated["notes"] == "" and updated["tags"] == []  # update replaces, as in CKAN
    error(
        call(client, "package_delete", {"id": "zz-public"}, token=mini_catalog.contributor_token),
        403,
        "Authorization Error",
    )
    assert (
        ok(call(client, "package_delete", {"id": "zz-public"}, token=mini_catalog.editor_token))
        is None
    )
    assert "zz-public" not in ok(call(client, "package_list"))


def test_resource_create_uploads_a_validated_file(client, mini_catalog):
    """resource_create with a multipart upload stores the file through the upload service."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("t.csv", b"geo,year,value\nKEN,2020,1.5\n", "text/csv")
    response = client.post(
        "/api/3/action/resource_create",
        {"package_id": "zz-draft", "name": "upload", "upload": upload},
        HTTP_AUTHORIZATION=mini_catalog.contributor_token,
    )
    resource = ok(response)
    assert resource["format"] == "CSV" and resource["hash"].startswith("sha256:")


def test_metadata_only_resources_do_not_hand_out_the_data_url(client, mini_catalog):
    """For a metadata-only dataset an anonymous caller gets the landing page as a resource's
    url (as DCAT's accessURL), never the link to the data; members get the data URL."""
    landing = "http://testserver" + mini_catalog.metadata_only.get_absolute_url()
    data_url = "https://example.org/zz-metadata-only.csv"
    package = ok(call(client, "package_show", {"id": "zz-metadata-only"}))
    assert [r["url"] for r in package["resources"]] == [landing]
    resource_id = package["resources"][0]["id"]
    assert ok(call(client, "resource_show", {"id": resource_id}))["url"] == landing
    search = ok(call(client, "package_search", {"fq": "name:zz-metadata-only"}))
    assert search["results"][0]["resources"][0]["url"] == landing
    member = ok(
        call(client, "package_show", {"id": "zz-metadata-only"}, token=mini_catalog.editor_token)
    )
    assert member["resources"][0]["url"] == data_url
    public = ok(call(client, "package_show", {"id": "zz-public"}))
    assert public["resources"][0]["url"] == "https://example.org/zz-public.csv"


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("package_search", {"start": "9" * 30}),
        ("current_package_list_with_resources", {"offset": "9" * 30}),
        ("current_package_list_with_resources", {"limit": "9" * 30}),
        ("package_list", {"offset": "-1"}),
    ],
)
def test_offsets_out_of_range_are_validation_errors(client, mini_catalog, name, data):
    """Offsets and limits beyond what the database can hold answer 409, never a 500."""
    error(call(client, name, data, method="get"), 409, "Validation Error")


def test_package_create_with_a_bad_resource_creates_nothing(client, mini_catalog):
    """If one of the resources is invalid, package_create fails as a whole: no dataset is
    left behind, so the client can fix the resource and send the same name again."""
    error(
        call(
            client,
            "package_create",
            {
                "name": "zz-half-made",
                "title": "Half made",
                "owner_org": "zz-test-ministry",
                "resources": [{"url": "not a url", "name": "broken"}],
            },
            token=mini_catalog.contributor_token,
        ),
        409,
        "Validation Error",
    )
    assert not Dataset.objects.filter(slug="zz-half-made").exists()


@pytest.mark.parametrize(
    "extra",
    [
        {"resources": 5},
        {"resources": "https://example.org/a.csv"},
        {"notes": {"html": "<p>x</p>"}},
        {"notes": ["a", "b"]},
        {"maintainer": {"name": "Data desk"}},
        {"license_id": True},
    ],
)
def test_package_create_with_wrongly_typed_fields_is_a_validation_error(
    client, mini_catalog, extra
):
    """A field of the wrong JSON type is a 409 Validation Error naming the field (never a
    500), and no dataset is created."""
    body = {"name": "zz-typed", "title": "Typed", "owner_org": "zz-test-ministry", **extra}
    err = error(
        call(client, "package_create", body, token=mini_catalog.contributor_token),
        409,
        "Validation Error",
    )
    assert set(extra) & set(err)
    assert not Dataset.objects.filter(slug="zz-typed").exists()


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("package_show", {"id": "²"}),
        ("resource_show", {"id": "²"}),
        ("organization_show", {"id": "³"}),
    ],
)
def test_unicode_digits_are_not_ids(client, mini_catalog, name, data):
    """Identifiers made of non-ASCII digits ('²' passes str.isdigit but not int()) are
    simply not found: 404, never a 500."""
    error(call(client, name, data, method="get"), 404, "Not Found Error")


@pytest.mark.parametrize("fq", ["id:²", "owner_org:²"])
def test_unicode_digit_filters_match_nothing(client, mini_catalog, fq):
    """fq clauses on numeric ids with non-ASCII digits match nothing instead of failing."""
    assert ok(call(client, "package_search", {"fq": fq}, method="get"))["count"] == 0


@pytest.mark.parametrize(
    ("method", "data"),
    [
        ("get", {"id": "zz-\x00public"}),
        ("post", {"id": "zz-public", "fields": {"nested": ["a\x00b"]}}),
    ],
)
def test_nul_characters_are_a_bad_request(client, mini_catalog, method, data):
    """NUL characters anywhere in the parameters answer 400 before any query (PostgreSQL
    refuses them in text parameters, which would be a 500 there)."""
    error(call(client, "package_show", data, method=method), 400, "Bad request")


def test_bundled_dataset_links_follow_the_served_host(client, bundled_data):
    """Bundled datasets store a site path for their API download, so CKAN clients get a URL
    on the host and port actually being served (not the one of the first load)."""
    from sdg87.catalog.models import Distribution

    dist = Distribution.objects.filter(dataset__slug="gsi-2023").first()
    assert dist is not None and dist.url.startswith("/api/v1/observations?release=gsi-2023")
    package = ok(call(client, "package_show", {"id": "gsi-2023"}))
    assert package["resources"][0]["url"].startswith("http://testserver/api/v1/observations")
