"""DCAT-AP documents and datapackage.json, parsed back with rdflib / json."""

from __future__ import annotations

import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import DCAT, DCTERMS, RDF

pytestmark = pytest.mark.django_db

BASE = "http://testserver"


def parse(response, fmt):
    assert response.status_code == 200
    graph = Graph()
    graph.parse(data=response.content.decode(), format=fmt)
    return graph


def datasets_in(graph):
    return {str(s) for s in graph.subjects(RDF.type, DCAT.Dataset)}


@pytest.mark.parametrize(
    ("url", "fmt"),
    [("/catalog.jsonld", "json-ld"), ("/catalog.ttl", "turtle"), ("/catalog.rdf", "xml")],
)
def test_catalog_lists_exactly_the_public_datasets(client, mini_catalog, url, fmt):
    """The catalog holds published datasets visible to anonymous users, nothing else."""
    graph = parse(client.get(url), fmt)
    found = datasets_in(graph)
    assert f"{BASE}/dataset/zz-public" in found
    assert f"{BASE}/dataset/zz-metadata-only" in found
    assert f"{BASE}/dataset/zz-org-only" not in found
    assert f"{BASE}/dataset/zz-draft" not in found
    catalog = URIRef(f"{BASE}/catalog")
    assert (catalog, RDF.type, DCAT.Catalog) in graph


def test_dataset_document_carries_dcat_ap_properties(client, mini_catalog):
    """A dataset has title, publisher, theme, keyword, contact, licence and a download URL."""
    graph = parse(client.get("/dataset/zz-public.ttl"), "turtle")
    ds = URIRef(f"{BASE}/dataset/zz-public")
    assert str(graph.value(ds, DCTERMS.title)) == "Test dataset zz-public"
    assert graph.value(ds, DCTERMS.publisher) is not None
    assert graph.value(ds, DCAT.theme) is not None
    assert "zz-test-keyword" in {str(k) for k in graph.objects(ds, DCAT.keyword)}
    assert graph.value(ds, DCAT.contactPoint) is not None
    dist = graph.value(ds, DCAT.distribution)
    assert str(graph.value(dist, DCAT.downloadURL)) == "https://example.org/zz-public.csv"
    assert str(graph.value(dist, DCTERMS.license)).startswith("https://creativecommons.org/")


def test_metadata_only_dataset_has_no_download_url(client, mini_catalog):
    """Data on request: the distribution points to the landing page, without a downloadURL."""
    graph = parse(client.get("/dataset/zz-metadata-only.jsonld"), "json-ld")
    dist = graph.value(URIRef(f"{BASE}/dataset/zz-metadata-only"), DCAT.distribution)
    assert graph.value(dist, DCAT.downloadURL) is None
    assert graph.value(dist, DCAT.accessURL) is not None


def test_hidden_datasets_are_404(client, mini_catalog):
    """Organisation-only and draft datasets are not found for anonymous callers."""
    assert client.get("/dataset/zz-org-only.ttl").status_code == 404
    assert client.get("/dataset/zz-draft.jsonld").status_code == 404
    client.force_login(mini_catalog.contributor)
    assert client.get("/dataset/zz-org-only.ttl").status_code == 200


def test_datapackage_descriptor(client, mini_catalog):
    """datapackage.json names the licence, publisher and each resource with its path."""
    descriptor = client.get("/dataset/zz-public/datapackage.json").json()
    assert descriptor["name"] == "zz-public"
    assert descriptor["licenses"][0]["name"] == "CC-BY-4.0"
    assert descriptor["resources"][0]["path"] == "https://example.org/zz-public.csv"
    assert descriptor["sources"][0]["title"] == "ZZ Test Ministry"


def test_catalog_page_parameter_is_validated(client, mini_catalog):
    """A malformed page answers 400 with the API's error shape."""
    response = client.get("/catalog.ttl?page=abc")
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "invalid_parameter"


@pytest.mark.parametrize("page", ["0", "-3", "9" * 30])
def test_catalog_page_out_of_range_is_a_400(client, mini_catalog, page):
    """A page below 1 or too large for the database's OFFSET answers 400, not a 500."""
    response = client.get(f"/catalog.ttl?page={page}")
    assert response.status_code == 400
    assert response.json()["error"]["parameter"] == "page"


def test_unusual_stored_urls_and_media_types_still_serialise(client, mini_catalog):
    """A media type with parameters and a URL holding characters Turtle cannot write
    (Django's URLValidator accepts `"` in a path) do not break the catalog: the media type
    loses its parameters and the URL is percent-encoded."""
    from sdg87.catalog.models import Distribution

    dist = Distribution.objects.get(dataset=mini_catalog.public)
    Distribution.objects.filter(pk=dist.pk).update(
        media_type="text/csv; charset=utf-8", url='https://example.org/a"b{c}.csv'
    )
    for url, fmt in [("/catalog.ttl", "turtle"), ("/dataset/zz-public.ttl", "turtle")]:
        graph = parse(client.get(url), fmt)
        node = URIRef(f"{BASE}/dataset/zz-public/resource/{dist.pk}")
        assert graph.value(node, DCAT.mediaType) == URIRef(
            "https://www.iana.org/assignments/media-types/text/csv"
        )
        assert graph.value(node, DCAT.downloadURL) == URIRef("https://example.org/a%22b%7Bc%7D.csv")


def test_uri_helpers():
    """uri() percent-encodes what RDF cannot hold; media_type_uri() keeps type/subtype only
    and refuses text that is not a media type."""
    from sdg87.catalog.dcat import media_type_uri, uri

    assert uri(" https://x.org/a b<c> ") == URIRef("https://x.org/a%20b%3Cc%3E")
    assert media_type_uri("Text/CSV; charset=utf-8") == URIRef(
        "https://www.iana.org/assignments/media-types/text/csv"
    )
    assert media_type_uri("not a media type") is None
    assert media_type_uri("") is None


@pytest.mark.parametrize(("stored", "expected"), [("en_GB", "en-GB"), ("x y", None)])
def test_odd_dataset_language_does_not_break_the_catalog(client, mini_catalog, stored, expected):
    """Dataset.language is free text (CKAN extras can set it): "en_GB" becomes the tag
    "en-GB" and a value that is no language tag leaves the title untagged; the catalog and
    the dataset document still serialise."""
    from sdg87.catalog.models import Dataset

    Dataset.objects.filter(pk=mini_catalog.public.pk).update(language=stored)
    parse(client.get("/catalog.ttl"), "turtle")
    graph = parse(client.get("/dataset/zz-public.jsonld"), "json-ld")
    title = graph.value(URIRef(f"{BASE}/dataset/zz-public"), DCTERMS.title)
    assert title.language == expected


@pytest.mark.parametrize(
    ("uri", "target"),
    [
        ("/dataset/zz-public", "/en/datasets/zz-public/"),
        ("/organization/zz-test-ministry", "/en/organisations/zz-test-ministry/"),
        ("/group/child_labour", "/en/datasets/?theme=child_labour"),
    ],
)
def test_dcat_resource_uris_lead_to_pages(client, mini_catalog, uri, target):
    """The URIs the DCAT documents use for datasets, publishers and themes resolve."""
    response = client.get(uri)
    assert response.status_code == 302 and response["Location"] == target
