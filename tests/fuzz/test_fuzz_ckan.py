"""Fuzz of the CKAN Action API through Django's test client (issue 7 item 12).

Every registered action answers every request with CKAN's envelope JSON and never a server
error: arbitrary JSON bodies (nested, huge numbers, NaN, wrong types, unicode, NUL, lone
surrogates, many words), raw bodies that are not JSON or nest too deep, form posts and GET
query strings; anonymous, with a garbage token, with a contributor's, an editor's and an
outsider's API token. Identifiers of real datasets, resources and organisations are mixed
into the bodies so that the actions get past their lookups and into the services.

One test per action and kind of request (JSON body, raw body, form post, GET, multipart
upload), so one failing kind does not stop the search in the others. The catalog
(build_mini_catalog) is made once for the module; each request runs in a savepoint that is
rolled back, so every example starts from the same state and a failure replays exactly.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from django.db import transaction
from django.test import Client, override_settings
from hypothesis import given
from hypothesis import strategies as st

from sdg87.catalog.ckan import write_actions  # noqa: F401  (registers the write actions)
from sdg87.catalog.ckan.actions import ACTIONS
from sdg87.catalog.tests.mini_catalog import MiniCatalog, build_mini_catalog

from .strategies import dumps, fuzz_settings, json_values, nasty_text, numbers

pytestmark = [pytest.mark.fuzz, pytest.mark.django_db]

ACTION_NAMES = sorted(ACTIONS)
KINDS = ["json", "raw", "form", "get", "upload"]
EXAMPLES = {"json": 40, "raw": 15, "form": 15, "get": 20, "upload": 10}

# Parameter names the actions read (see sdg87/catalog/ckan/), and CKAN's usual ones.
PARAMETERS = [
    "id", "name", "q", "fq", "rows", "start", "sort", "limit", "offset", "facet.field",
    "facet.limit", "include_private", "include_drafts", "include_datasets", "all_fields",
    "package_count", "query", "package_id", "owner_org", "title", "notes", "license_id",
    "maintainer", "maintainer_email", "tags", "groups", "extras", "resources", "private",
    "url", "format", "mimetype", "description", "upload",
]  # fmt: skip
EXTRA_KEYS = ["spatial", "temporal_start", "temporal_end", "frequency", "language", "identifier"]


@dataclass(frozen=True)
class Known:
    """Identifiers the catalog really has (strings and numbers), by what they name."""

    datasets: list[Any]
    resources: list[Any]
    organisations: list[Any]
    others: list[Any]

    @property
    def all(self) -> list[Any]:
        return [*self.datasets, *self.resources, *self.organisations, *self.others]


def identifiers(catalog: MiniCatalog) -> Known:
    datasets = [catalog.public, catalog.org_only, catalog.metadata_only, catalog.draft]
    resources = [d.pk for ds in datasets for d in ds.distributions.all()]
    return Known(
        datasets=[*[ds.slug for ds in datasets], *[str(ds.pk) for ds in datasets], datasets[0].pk],
        resources=[*[str(pk) for pk in resources], *resources],
        organisations=[catalog.org.slug, catalog.other_org.slug, str(catalog.org.pk)],
        others=["child_labour", "zz-test-keyword", "ZZA"],
    )


def nearly_valid(known: Known) -> st.SearchStrategy[dict[str, Any]]:
    """A body every action would accept (real ids, a fresh name, a title, a URL) with fuzzed
    parameters over it, so that the fuzz reaches the services and serialisers, not only the
    argument checks."""
    base = st.fixed_dictionaries(
        {
            "id": st.sampled_from(known.datasets),
            "package_id": st.sampled_from(known.datasets),
            "owner_org": st.sampled_from(known.organisations),
            "name": st.from_regex(r"[a-z][a-z0-9-]{0,40}", fullmatch=True),
            "title": st.text(min_size=1, max_size=40),
            "url": st.just("https://example.org/data.csv"),
        }
    )
    return st.tuples(base, bodies(known)).map(lambda parts: {**parts[0], **parts[1]})


def bodies(known: Known) -> st.SearchStrategy[dict[str, Any]]:
    """JSON objects whose keys are mostly the actions' parameters and whose values are known
    identifiers, CKAN-shaped lists (tags, groups, extras, resources) or anything at all."""
    leaves = st.one_of(st.sampled_from(known.all), st.none(), st.booleans(), numbers, nasty_text)
    values = json_values(leaves)
    extras = st.lists(
        st.one_of(
            st.fixed_dictionaries(
                {"key": st.one_of(st.sampled_from(EXTRA_KEYS), nasty_text), "value": values}
            ),
            values,
        ),
        max_size=4,
    )
    named = st.lists(
        st.one_of(st.fixed_dictionaries({"name": values}), values, st.sampled_from(known.all)),
        max_size=4,
    )
    resources = st.lists(
        st.one_of(
            st.fixed_dictionaries(
                {"url": st.one_of(st.just("https://example.org/x.csv"), values)},
                optional={"name": values, "format": values, "mimetype": values},
            ),
            values,
        ),
        max_size=3,
    )
    special = {
        "extras": extras,
        "tags": named,
        "groups": named,
        "resources": resources,
        "private": st.one_of(st.sampled_from(["true", "false", True, False, 1]), values),
        "rows": st.one_of(st.integers(-5, 2000), values),
        "start": st.one_of(st.integers(-5, 10**6), values),
        "q": st.one_of(nasty_text, values),
    }
    pairs = st.one_of(
        st.sampled_from(PARAMETERS).flatmap(
            lambda name: st.tuples(st.just(name), special.get(name, values))
        ),
        st.tuples(nasty_text, values),
    )
    return st.lists(pairs, max_size=8).map(dict)


# Raw bodies that are not a JSON object: broken JSON, other JSON types, deep nesting, NaN
# tokens, huge numbers, invalid UTF-8, other encodings' BOMs.
raw_bodies = st.one_of(
    st.binary(max_size=200),
    st.sampled_from(
        [
            b"",
            b"{",
            b"[]",
            b"null",
            b"1",
            b'"x"',
            b'{"q": NaN}',
            b'{"rows": Infinity}',
            b'{"id": -Infinity}',
            b'{"id": ' + b"9" * 5000 + b"}",
            b'{"id": 1e999999}',
            b'{"id": "\\ud800"}',
            b'{"q": "\\u0000"}',
            b"[" * 100_000,
            b'{"a":' * 5_000 + b"1" + b"}" * 5_000,
            b"\xff\xfe{\x00}\x00",
            b"\xef\xbb\xbf{}",
            b'{"id": "a", "id": {"x": [1]}}',
        ]
    ),
    json_values().map(lambda v: dumps(v).encode()),
)
content_types = st.sampled_from(
    ["application/json", "text/plain", "application/x-www-form-urlencoded", ""]
)
http_text = nasty_text.map(lambda t: t.encode("utf-8", "replace").decode("utf-8"))
query_values = st.one_of(
    st.sampled_from(["", "1", "-1", "true", "zz-public", "99999999999999999999"]), http_text
)


@st.composite
def requests(draw: st.DrawFn, kind: str, known: Known, tokens: list[str]) -> dict[str, Any]:
    """One request of `kind`: body or query, content type and Authorization header. Mostly
    with a real token (the editor's twice as often), sometimes none or a bad one."""
    token = draw(st.sampled_from([None, "not-a-token", tokens[0], *tokens]))
    request: dict[str, Any] = {"kind": kind, "token": token}
    if kind == "json":
        request["body"] = dumps(
            draw(st.one_of(nearly_valid(known), nearly_valid(known), bodies(known)))
        ).encode()
        request["content_type"] = "application/json"
    elif kind == "raw":
        request["body"] = draw(raw_bodies)
        request["content_type"] = draw(content_types)
    elif kind == "form":
        request["data"] = draw(
            st.dictionaries(
                st.one_of(st.sampled_from(PARAMETERS), http_text.filter(lambda k: k != "")),
                st.one_of(query_values, st.lists(query_values, min_size=2, max_size=3)),
                max_size=6,
            )
        )
    elif kind == "get":
        request["query"] = draw(
            st.dictionaries(
                st.one_of(st.sampled_from(PARAMETERS), http_text),
                st.one_of(st.sampled_from(known.all).map(str), query_values),
                max_size=6,
            )
        )
    else:  # a multipart upload (resource_create's `upload`)
        request["fields"] = {
            "package_id": draw(st.sampled_from(known.datasets).map(str)),
            "name": draw(query_values),
        }
        request["file"] = (
            draw(st.sampled_from(["data.csv", "data.json", "data.xlsx", "x", "../../x.csv"])),
            draw(
                st.one_of(
                    st.binary(max_size=300),
                    st.sampled_from(
                        [
                            b"geo,year,value,unit\nKEN,2019,inf,PERCENT\n",
                            b"geo,year,value,unit\nKEN,1e400,1,PERCENT\n",
                            b"a,b\n1,\xff",
                            b'[["a"],["\\ud800"]]',
                            b"[" * 50_000,
                            b"PK\x03\x04" + b"\x00" * 40,
                        ]
                    ),
                )
            ),
        )
    return request


def send(client: Client, name: str, request: dict[str, Any]) -> Any:
    from django.core.files.uploadedfile import SimpleUploadedFile

    url = f"/api/3/action/{name}"
    headers = {} if request["token"] is None else {"HTTP_AUTHORIZATION": request["token"]}
    kind = request["kind"]
    if kind in ("json", "raw"):
        return client.generic(
            "POST", url, request["body"], content_type=request["content_type"], **headers
        )
    if kind == "form":
        return client.post(url, request["data"], **headers)
    if kind == "get":
        return client.get(url, request["query"], **headers)
    filename, content = request["file"]
    data = {**request["fields"], "upload": SimpleUploadedFile(filename, content)}
    return client.post(url, data, **headers)


def strict_json(raw: bytes) -> Any:
    """The body parsed as strict JSON: NaN and Infinity are not JSON."""

    def refuse(token: str) -> Any:
        raise ValueError(f"not JSON: {token}")

    return json.loads(raw, parse_constant=refuse)


@pytest.fixture(scope="module")
def catalog(
    django_db_setup: None, django_db_blocker: Any, tmp_path_factory: Any
) -> Iterator[MiniCatalog]:
    """The mini catalog, made once for the module in a transaction rolled back at its end
    (each test's own transaction is a savepoint inside it)."""
    media = tmp_path_factory.mktemp("media")
    unblocked = django_db_blocker.unblock()
    with unblocked, override_settings(MEDIA_ROOT=media), transaction.atomic():
        yield build_mini_catalog()
        transaction.set_rollback(True)


@pytest.fixture
def media(catalog: MiniCatalog, settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("name", ACTION_NAMES)
def test_ckan_action_answers_any_request_with_its_envelope(
    name: str, kind: str, catalog: MiniCatalog, media: None, db: None
) -> None:
    """No server error, and every answer is CKAN's envelope: {"help", "success": true,
    "result"} or {"help", "success": false, "error": {"__type", "message"}} with a 4xx."""
    known = identifiers(catalog)
    tokens = [catalog.editor_token, catalog.contributor_token, catalog.outsider_token]
    # Django's test client raises the view's exception (with its traceback) instead of a 500
    client = Client(raise_request_exception=True)

    @fuzz_settings(EXAMPLES[kind])
    @given(request=requests(kind, known, tokens))
    def run(request: dict[str, Any]) -> None:
        with transaction.atomic():
            response = send(client, name, request)
            transaction.set_rollback(True)
        assert response.status_code < 500, response.content[:2000]
        content_type = response["Content-Type"]
        assert content_type.startswith("application/json"), (response.status_code, content_type)
        body = strict_json(response.content)
        assert isinstance(body, dict) and isinstance(body.get("help"), str), body
        if body.get("success") is True:
            assert response.status_code == 200 and "result" in body, body
        else:
            assert body.get("success") is False, body
            assert 400 <= response.status_code < 500, (response.status_code, body)
            assert isinstance(body["error"].get("__type"), str), body
            assert isinstance(body["error"].get("message"), str), body

    run()
