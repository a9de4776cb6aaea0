"""CKAN package_search answered from the search index (sdg87.search.ckan), over the bundled
real data: the same datasets in the same order as /api/v1/search?kind=dataset."""

from __future__ import annotations

import json
from typing import Any

import ckanapi
import pytest

from sdg87.catalog.models import Dataset
from sdg87.search.indexing import index_rebuild

HOOK = "sdg87.search.ckan.package_search"
ACTION = "/api/3/action/package_search"
QUERIES = [
    "child labour",
    "trafficking",
    "Nepal",
    "travail des enfants",
    "GSI",
    "forced labour",
    "trabajo infantil",
    "modern slavery",
]


@pytest.fixture
def hooked(settings: Any) -> None:
    settings.SDG87_CKAN_PACKAGE_SEARCH = HOOK


@pytest.fixture
def index(bundled_data: None, search_index: Any, hooked: None) -> None:
    search_index()


def _search(client: Any, **data: Any) -> dict[str, Any]:
    response = client.get(ACTION, data)
    body = response.json()
    assert response.status_code == 200 and body["success"], body
    result: dict[str, Any] = body["result"]
    return result


def _api_ids(client: Any, q: str) -> list[str]:
    ids: list[str] = []
    page = 1
    while True:
        body = client.get(
            "/api/v1/search", {"q": q, "kind": "dataset", "per_page": 100, "page": page}
        ).json()
        ids += [hit["id"] for hit in body["results"]]
        if page >= body["pages"]:
            return ids
        page += 1


@pytest.mark.django_db
@pytest.mark.parametrize("q", QUERIES)
def test_package_search_and_api_search_agree(client, index, q):
    """package_search?q= and /api/v1/search?q=&kind=dataset: same ids, same order, and the
    count is the API's total."""
    api = _api_ids(client, q)
    ckan = _search(client, q=q, rows=1000)
    assert [r["id"] for r in ckan["results"]] == api
    assert ckan["count"] == len(api)


@pytest.mark.django_db
def test_queries_find_what_the_catalog_word_match_missed(client, index):
    """ "travail des enfants" (French) finds the English child labour datasets through the
    thesaurus, as "child labour" does; the catalog's word match finds none of them."""
    french = _search(client, q="travail des enfants", rows=1000)
    english = _search(client, q="child labour", rows=1000)
    assert french["count"] == english["count"] >= 10
    assert {r["id"] for r in french["results"]} == {r["id"] for r in english["results"]}


@pytest.mark.django_db
def test_fq_filters_rows_start_and_sort(client, index):
    """organization/groups/res_format/license_id filter (AND across fields, quoted or with
    +), rows/start page the ranked list, sort by metadata_modified orders by the catalog."""
    whole = _search(client, q="child labour", rows=1000)
    ilo = _search(client, q="child labour", fq="organization:ilo", rows=1000)
    assert 0 < ilo["count"] < whole["count"]
    assert {r["organization"]["name"] for r in ilo["results"]} == {"ilo"}
    # the ranked order is kept by the filter
    assert [r["id"] for r in ilo["results"]] == [
        r["id"] for r in whole["results"] if r["organization"]["name"] == "ilo"
    ]
    quoted = _search(client, q="child labour", fq='+organization:"ilo" groups:child_labour')
    assert quoted["count"] == len(
        [r for r in ilo["results"] if "child_labour" in {g["name"] for g in r["groups"]}]
    )
    csv = _search(client, q="child labour", fq="res_format:csv", rows=1000)
    assert csv["count"] > 0
    for package in csv["results"]:
        assert "CSV" in {res["format"].upper() for res in package["resources"]}
    licence = whole["results"][0]["license_id"]
    by_licence = _search(client, q="child labour", fq=f"license_id:{licence}", rows=1000)
    assert {r["license_id"] for r in by_licence["results"]} == {licence}
    pages = [_search(client, q="child labour", rows=3, start=s)["results"] for s in (0, 3, 6)]
    assert [r["id"] for page in pages for r in page] == [r["id"] for r in whole["results"][:9]]
    recent = _search(client, q="child labour", sort="metadata_modified desc", rows=1000)
    modified = [r["metadata_modified"] for r in recent["results"]]
    assert modified == sorted(modified, reverse=True)
    assert sorted(r["id"] for r in recent["results"]) == sorted(r["id"] for r in whole["results"])


@pytest.mark.django_db
def test_tags_and_exclusions_fall_back_to_the_catalog(client, index):
    """tags:<keyword> and -organization:<slug> are the catalog's filters over the ranked
    matches; facets then count the same results."""
    whole = _search(client, q="child labour", rows=1000)
    # the bundled datasets have no keywords: two of them get a test one (not in the index)
    keyword = "zz-test-tag"
    for package in whole["results"][1:5:3]:
        Dataset.objects.get(pk=int(package["id"])).keywords.add(keyword)
    whole = _search(client, q="child labour", rows=1000)
    tagged = _search(client, q="child labour", fq=f'tags:"{keyword}"', rows=1000)
    assert tagged["count"] == 2
    assert all(keyword in {t["name"] for t in r["tags"]} for r in tagged["results"])
    assert [r["id"] for r in tagged["results"]] == [
        r["id"] for r in whole["results"] if keyword in {t["name"] for t in r["tags"]}
    ]
    not_ilo = _search(
        client,
        q="child labour",
        fq="-organization:ilo",
        rows=1000,
        **{"facet.field": json.dumps(["organization", "tags"])},
    )
    assert "ilo" not in {r["organization"]["name"] for r in not_ilo["results"]}
    assert not_ilo["count"] == len(
        [r for r in whole["results"] if r["organization"]["name"] != "ilo"]
    )
    assert "ilo" not in not_ilo["facets"]["organization"]
    assert sum(not_ilo["facets"]["organization"].values()) == not_ilo["count"]


@pytest.mark.django_db
def test_facets_in_ckan_shape_count_the_results(client, index):
    """facet.field gives `facets` {value: count} and `search_facets` {items: [...]} for
    organization, groups, res_format and license_id; a filtered field shows its chosen
    value only, as CKAN does."""
    fields = ["organization", "groups", "res_format", "license_id"]
    result = _search(client, q="child labour", rows=1000, **{"facet.field": json.dumps(fields)})
    assert list(result["facets"]) == fields and list(result["search_facets"]) == fields
    for name in fields:
        items = result["search_facets"][name]["items"]
        assert {i["name"]: i["count"] for i in items} == result["facets"][name]
        assert all(i["display_name"] for i in items)
    organisations: dict[str, int] = {}
    for package in result["results"]:
        slug = package["organization"]["name"]
        organisations[slug] = organisations.get(slug, 0) + 1
    assert result["facets"]["organization"] == organisations
    themes: dict[str, int] = {}
    for package in result["results"]:
        for group in package["groups"]:
            themes[group["name"]] = themes.get(group["name"], 0) + 1
    assert result["facets"]["groups"] == themes
    ilo = _search(
        client, q="child labour", fq="organization:ilo", **{"facet.field": '["organization"]'}
    )
    assert ilo["facets"]["organization"] == {"ilo": ilo["count"]}


@pytest.mark.django_db
def test_bad_parameters_stay_ckan_errors(client, index):
    """Unknown fq fields and bad rows are CKAN's 409 errors as before."""
    response = client.get(ACTION, {"q": "child", "fq": "author:x"})
    assert response.status_code == 409
    assert response.json()["error"]["__type"] == "Search Query Error"
    response = client.get(ACTION, {"q": "child", "rows": "lots"})
    assert response.status_code == 409
    assert response.json()["error"]["__type"] == "Validation Error"


@pytest.mark.django_db
def test_without_an_index_the_catalog_answers(client, bundled_data, hooked):
    """Before the first index build, package_search still answers (the catalog's word match)."""
    result = _search(client, q="GSI")
    assert result["count"] >= 1
    assert "gsi-2023" in {r["name"] for r in result["results"]}


@pytest.mark.live
def test_ckanapi_client_against_a_live_server(bundled_data, transactional_db, live_server, hooked):
    """The real ckanapi client gets the ranked results, pages with rows/start, and facets."""
    index_rebuild()
    remote = ckanapi.RemoteCKAN(live_server.url)
    found = remote.action.package_search(q="child labour", rows=1000)
    assert found["count"] >= 10
    expected = [r["id"] for r in found["results"]]
    paged: list[str] = []
    while len(paged) < found["count"]:
        page = remote.action.package_search(q="child labour", rows=4, start=len(paged))
        assert page["results"]
        paged += [r["id"] for r in page["results"]]
    assert paged == expected
    french = remote.action.package_search(q="travail des enfants", rows=1000)
    assert [r["id"] for r in french["results"]] == expected
    ilo = remote.action.package_search(
        q="child labour", fq="organization:ilo", **{"facet.field": ["organization"]}
    )
    assert ilo["facets"]["organization"] == {"ilo": ilo["count"]}
    assert Dataset.objects.filter(pk__in=[int(i) for i in expected], live=True).count() == len(
        expected
    )
    with pytest.raises(ckanapi.SearchQueryError):
        remote.action.package_search(q="child", fq="author:x")


@pytest.mark.django_db
def test_the_catalog_tests_expectations_hold_on_the_index(client, hooked, search_index):
    """The mini catalog's package_search expectations (sdg87/catalog/tests/ckan) hold when
    the index answers: fq by organisation, paging by name, facets, tags, a name as q;
    organisation-only datasets only with include_private for members, drafts never."""
    from sdg87.catalog.tests.mini_catalog import build_mini_catalog

    catalog = build_mini_catalog()
    search_index()
    base = {"fq": "organization:zz-test-ministry", "facet.field": '["organization","groups"]'}
    first = _search(client, **base, rows=1, start=0, sort="name asc")
    second = _search(client, **base, rows=1, start=1, sort="name asc")
    assert first["count"] == 2
    names = [first["results"][0]["name"], second["results"][0]["name"]]
    assert names == ["zz-metadata-only", "zz-public"]
    assert first["facets"]["organization"] == {"zz-test-ministry": 2}
    assert first["search_facets"]["groups"]["items"][0]["name"] == "child_labour"
    assert [r["name"] for r in _search(client, fq="tags:zz-public")["results"]] == ["zz-public"]
    # the search service relaxes to "some of the words" when few datasets have them all
    # (as CKAN's own Solr `mm`): the one with every word comes first
    assert _search(client, q="zz-metadata-only")["results"][0]["name"] == "zz-metadata-only"
    client.force_login(catalog.editor)
    assert "zz-org-only" not in {r["name"] for r in _search(client, rows=100)["results"]}
    private = _search(client, rows=100, include_private="true")
    assert "zz-org-only" in {r["name"] for r in private["results"]}
    assert "zz-draft" not in {r["name"] for r in private["results"]}
