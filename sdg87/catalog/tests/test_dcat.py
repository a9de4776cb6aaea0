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
