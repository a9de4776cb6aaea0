"""The pure parsers, on small hand-written documents whose expected records are checked by
hand."""

from __future__ import annotations

import json

import pytest

from sdg87.harvest import parsers
from sdg87.harvest.parsers import Garbage, RecordProblem, RemoteRecord

TURTLE = b"""
@prefix dcat: <http://www.w3.org/ns/dcat#> .
@prefix dct: <http://purl.org/dc/terms/> .
@prefix hydra: <http://www.w3.org/ns/hydra/core#> .
<https://x.org/dataset/a> a dcat:Dataset ;
    dct:title "Titre"@fr, "Child labour survey"@en ;
    dct:description "Counts"@en ;
    dct:identifier "A-1" ;
    dcat:keyword "child labour", "survey" ;
    dcat:landingPage <https://x.org/a> ;
    dcat:distribution [ a dcat:Distribution ; dct:title "CSV" ;
        dcat:downloadURL <https://x.org/a.csv> ;
        dct:format <http://publications.europa.eu/resource/authority/file-type/CSV> ;
        dct:license <https://creativecommons.org/licenses/by/4.0/> ] .
<https://x.org/dataset/b> a dcat:Dataset .
<https://x.org/catalog.ttl?page=1> hydra:nextPage "https://x.org/catalog.ttl?page=2" .
"""


def test_dcat_turtle_records():
    """The English title, the licence from the distribution, keywords, the landing page and
    the link; a dataset without a title is a problem; the next page is found."""
    items, next_page = parsers.dcat_records(parsers.dcat_graph(TURTLE, fmt="turtle"))
    assert next_page == "https://x.org/catalog.ttl?page=2"
    assert items == [
        RemoteRecord(
            remote_id="https://x.org/dataset/a",
            title="Child labour survey",
            description="Counts",
            licence="CC-BY-4.0",
            original_url="https://x.org/a",
            identifier="A-1",
            keywords=("child labour", "survey"),
            links=(("https://x.org/a.csv", "CSV", "CSV"),),
        ),
        RecordProblem("https://x.org/dataset/b", "the dataset has no title"),
    ]


def test_the_same_dcat_in_rdf_xml_and_json_ld_gives_the_same_records():
    from rdflib import Graph

    graph = parsers.dcat_graph(TURTLE, fmt="turtle")
    expected = parsers.dcat_records(graph)
    for fmt in ("xml", "json-ld"):
        body = Graph().parse(data=TURTLE, format="turtle").serialize(format=fmt).encode()
        assert parsers.dcat_records(parsers.dcat_graph(body, fmt=fmt)) == expected


@pytest.mark.parametrize(
    ("body", "fmt", "why"),
    [
        (b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "f:x">]><r/>', "xml", "DOCTYPE"),
        (json.dumps({"@context": "https://evil.example/ctx"}).encode(), "json-ld", "remote"),
        (b"this is not turtle", "turtle", "not turtle"),
        (b"\xff\xfe", "json-ld", "not JSON"),
    ],
)
def test_hostile_or_broken_rdf_is_garbage(body, fmt, why):
    with pytest.raises(Garbage, match=why):
        parsers.dcat_graph(body, fmt=fmt)


def test_rdf_format_by_media_type_then_extension():
    assert parsers.rdf_format("text/turtle; charset=utf-8", "https://x/c") == "turtle"
    assert parsers.rdf_format("application/octet-stream", "https://x/catalog.rdf") == "xml"
    with pytest.raises(Garbage):
        parsers.rdf_format("text/html", "https://x/")


def test_ckan_page_and_licences():
    body = json.dumps(
        {
            "success": True,
            "result": {
                "count": 2,
                "results": [
                    {
                        "id": "u1",
                        "name": "child-labour",
                        "title": "Child labour",
                        "license_id": "odc-odbl",
                        "extras": [{"key": "identifier", "value": "ID-9"}],
                        "resources": [{"url": "https://x/1.csv", "name": "t", "format": "csv"}],
                        "tags": [{"name": "b"}, {"name": "a"}],
                    },
                    {"id": "u2"},
                ],
            },
        }
    ).encode()
    count, items = parsers.ckan_search_page(body, site="https://ckan.x")
    assert count == 2
    assert items == [
        RemoteRecord(
            remote_id="u1",
            title="Child labour",
            licence="ODbL-1.0",
            original_url="https://ckan.x/dataset/child-labour",
            identifier="ID-9",
            keywords=("a", "b"),
            links=(("https://x/1.csv", "t", "csv"),),
        ),
        RecordProblem("u2", "the package has no title"),
    ]
    assert parsers.licence_code("https://creativecommons.org/publicdomain/zero/1.0") == "CC0-1.0"
    assert parsers.licence_code("some-own-licence") == ""
    with pytest.raises(Garbage):
        parsers.ckan_search_page(b'{"success": false}', site="https://ckan.x")


def test_ckan_api_base_from_either_address():
    assert parsers.ckan_api_base("https://d.x/") == ("https://d.x/api/3/action/", "https://d.x")
    assert parsers.ckan_api_base("https://d.x/api/3/action/package_list?x=1") == (
        "https://d.x/api/3/action/",
        "https://d.x",
    )


SDMX = b"""<?xml version="1.0" encoding="UTF-8"?>
<mes:Structure xmlns:mes="http://www.sdmx.org/resources/sdmxml/schemas/v2_1/message"
 xmlns:str="http://www.sdmx.org/resources/sdmxml/schemas/v2_1/structure"
 xmlns:com="http://www.sdmx.org/resources/sdmxml/schemas/v2_1/common">
 <mes:Structures><str:Dataflows>
  <str:Dataflow id="SDG_8_7_1" agencyID="SDG87" version="1.0" urn="urn:x:SDG_8_7_1">
   <com:Name xml:lang="fr">Travail des enfants</com:Name>
   <com:Name xml:lang="en">Child labour</com:Name>
  </str:Dataflow>
  <str:Dataflow id="NO_AGENCY" version="1.0"/>
 </str:Dataflows></mes:Structures>
</mes:Structure>"""


def test_sdmx_dataflows():
    items = parsers.sdmx_dataflows(SDMX, base="https://s.x/sdmx")
    assert items == [
        RemoteRecord(
            remote_id="SDG87:SDG_8_7_1(1.0)",
            title="Child labour",
            original_url="https://s.x/sdmx/dataflow/SDG87/SDG_8_7_1/1.0",
            identifier="urn:x:SDG_8_7_1",
            links=(("https://s.x/sdmx/data/SDG87,SDG_8_7_1,1.0/all", "Child labour", "SDMX"),),
        ),
        RecordProblem("NO_AGENCY", "a dataflow without agency, id or version"),
    ]
    assert parsers.sdmx_base("https://s.x/sdmx/dataflow/all/all/latest") == "https://s.x/sdmx"
    assert parsers.sdmx_base("https://s.x/sdmx/structure/dataflow/*/*/*") == "https://s.x/sdmx"
    with pytest.raises(Garbage, match="not an SDMX-ML"):
        parsers.sdmx_dataflows(b"<html/>", base="https://s.x")


def test_echo_filter_drops_copies_of_listed_records():
    """A record whose identifier is another listed record's id is a copy (a neighbour that
    harvested it): skipped; an identifier naming nothing listed is kept."""
    a = RemoteRecord("a", "A")
    copy = RemoteRecord("b", "A copy", identifier="a")
    own = RemoteRecord("c", "C", identifier="ISBN-1")
    kept, echoes = parsers.echo_filter([a, copy, own])
    assert kept == [a, own] and echoes == [RecordProblem("b", "a")]


def test_content_hash_changes_with_content_only():
    a = RemoteRecord("a", "A", keywords=("x",))
    assert a.content_hash() == RemoteRecord("a", "A", keywords=("x",)).content_hash()
    assert a.content_hash() != RemoteRecord("a", "A.", keywords=("x",)).content_hash()
