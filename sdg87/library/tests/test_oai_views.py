"""The OAI-PMH endpoint, verb by verb: every response is checked against OAI-PMH.xsd (with the
oai_dc and DataCite schemas for the metadata) before its content is."""

from __future__ import annotations

import pytest
import xmlschema
from lxml import etree

from sdg87.catalog.selectors import dataset_public_queryset
from sdg87.library.oai import selectors
from sdg87.library.selectors import publication_public_queryset
from sdg87.library.tests.test_oai_fixtures import (
    OAI,
    ORG_SET,
    build_world,
    error_code,
    get,
    harvest,
    identifiers,
    oai_schema,
    validated,
)

DC = "{http://purl.org/dc/elements/1.1/}"
DATACITE = "{http://datacite.org/schema/kernel-4}"


@pytest.fixture
def world(db):
    return build_world()


def ident(path: str, slug: str) -> str:
    return selectors.oai_identifier(path, slug)


def test_identify(client, world, settings):
    """Identify names the base URL, persistent deletions, seconds granularity and the
    earliest datestamp of the repository."""
    settings.SDG87_OAI_ADMIN_EMAIL = "oai@example.org"
    root = get(client, verb="Identify")
    node = root.find(f"{OAI}Identify")
    assert node.findtext(f"{OAI}baseURL") == "http://testserver/oai"
    assert node.findtext(f"{OAI}protocolVersion") == "2.0"
    assert node.findtext(f"{OAI}adminEmail") == "oai@example.org"
    assert node.findtext(f"{OAI}deletedRecord") == "persistent"
    assert node.findtext(f"{OAI}granularity") == "YYYY-MM-DDThh:mm:ssZ"
    earliest = node.findtext(f"{OAI}earliestDatestamp")
    assert earliest is not None and earliest <= "2024-03-10T12:00:00Z"
    assert root.find(f"{OAI}request").attrib == {"verb": "Identify"}


def test_post_is_answered_like_get_without_csrf(world):
    """Harvesters may POST the arguments as a form; no CSRF token is asked for."""
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    response = client.post(
        "/oai",
        {
            "verb": "GetRecord",
            "identifier": ident("publication", "t-oai-report"),
            "metadataPrefix": "oai_dc",
        },
    )
    assert response.status_code == 200
    root = validated(response.content)
    assert root.findtext(f".//{DC}title") == "OAI test publication report"


def test_other_methods_are_refused(client):
    assert client.put("/oai").status_code == 405


def test_list_metadata_formats(client, world):
    root = get(client, verb="ListMetadataFormats")
    prefixes = [e.text for e in root.iter(f"{OAI}metadataPrefix")]
    assert prefixes == ["oai_dc", "oai_datacite"]
    root = get(client, verb="ListMetadataFormats", identifier=ident("dataset", "t-oai-ds-dataset"))
    assert len(list(root.iter(f"{OAI}metadataFormat"))) == 2
    root = get(client, verb="ListMetadataFormats", identifier="oai:elsewhere:publication/x")
    assert error_code(root) == "idDoesNotExist"


def test_list_sets_names_the_sets_in_use(client, world, settings):
    """Types, themes, organisations and countries that public records use, paged by token."""
    settings.SDG87_OAI_PAGE_SIZE = 1000
    root = get(client, verb="ListSets")
    specs = {e.text for e in root.iter(f"{OAI}setSpec")}
    assert {"type", "theme", "org", "country"} <= specs
    assert {"type:report", "type:impact_evaluation", "type:research_article"} <= specs
    assert {"type:dataset", "theme:child_labour", ORG_SET, "country:XQZ"} <= specs
    names = {
        s.findtext(f"{OAI}setSpec"): s.findtext(f"{OAI}setName") for s in root.iter(f"{OAI}set")
    }
    assert names["country:XQZ"] == "Oailand"
    assert names[ORG_SET] == "OAI test organisation"

    settings.SDG87_OAI_PAGE_SIZE = 3
    sets, tokens = [], []
    root = get(client, verb="ListSets")
    while True:
        sets += [e.text for e in root.iter(f"{OAI}setSpec")]
        token = root.find(f".//{OAI}resumptionToken")
        if token is None or not token.text:
            tokens.append(token)
            break
        tokens.append(token)
        root = get(client, verb="ListSets", resumptionToken=token.text)
    assert set(sets) == specs and len(sets) == len(specs)
    assert tokens[0].get("completeListSize") == str(len(specs))
    assert [t.get("cursor") for t in tokens[:3]] == ["0", "3", "6"]


def test_no_set_hierarchy_when_the_repository_holds_no_sets(client, monkeypatch):
    """ListSets answers noSetHierarchy when no record is public (the protocol's ListSets
    needs at least one set); with records there are always sets."""
    monkeypatch.setattr(selectors, "sets_in_use", lambda now=None: [])
    root = get(client, verb="ListSets")
    assert error_code(root) == "noSetHierarchy"


def test_get_record_oai_dc(client, world):
    root = get(
        client,
        verb="GetRecord",
        identifier=ident("publication", "t-oai-report"),
        metadataPrefix="oai_dc",
    )
    header = root.find(f".//{OAI}header")
    assert header.get("status") is None
    assert header.findtext(f"{OAI}datestamp") == "2024-03-10T12:00:00Z"
    assert [e.text for e in header.iter(f"{OAI}setSpec")] == [
        "type:report",
        "theme:child_labour",
        ORG_SET,
        "country:XQZ",
    ]
    dc = root.find(".//{http://www.openarchives.org/OAI/2.0/oai_dc/}dc")
    values = [(e.tag.removeprefix(DC), e.text) for e in dc]
    assert ("creator", "Tester, Ada") in values
    assert ("creator", "OAI Working Group") in values
    assert ("subject", "Child labour") in values
    assert ("subject", "SDG 8.7") in values
    # The control character is dropped; markup-like text stays text.
    assert (
        "description",
        "A report on child labour in Oailand & elsewhere <b>not html</b>.",
    ) in values
    assert ("identifier", "https://doi.org/10.9999/t-oai.1") in values
    assert ("identifier", "urn:isbn:978-92-2-000000-0") in values
    assert ("date", "2023-06-12") in values
    assert ("coverage", "Oailand") in values
    assert ("rights", "https://creativecommons.org/licenses/by/4.0/") in values
    assert ("type", "Text") in values and ("type", "Report") in values


def test_get_record_oai_datacite(client, world):
    """DataCite kernel 4 inside <oai_datacite>; resourceTypeGeneral from the type table
    (a report is Report, a report in a journal JournalArticle, a dataset Dataset)."""
    root = get(
        client,
        verb="GetRecord",
        identifier=ident("publication", "t-oai-report"),
        metadataPrefix="oai_datacite",
    )
    resource = root.find(f".//{DATACITE}resource")
    assert resource.find(f"{DATACITE}identifier").attrib == {"identifierType": "DOI"}
    assert resource.findtext(f"{DATACITE}identifier") == "10.9999/t-oai.1"
    assert resource.find(f"{DATACITE}resourceType").get("resourceTypeGeneral") == "Report"
    assert resource.findtext(f"{DATACITE}publicationYear") == "2023"
    orcid = resource.find(f".//{DATACITE}nameIdentifier")
    assert orcid.text == "https://orcid.org/0000-0002-1825-0097"
    assert root.findtext(".//{http://schema.datacite.org/oai/oai-1.1/}schemaVersion") == "4"

    for identifier, general in (
        (ident("publication", "t-oai-article"), "JournalArticle"),
        (ident("dataset", "t-oai-ds-dataset"), "Dataset"),
    ):
        root = get(client, verb="GetRecord", identifier=identifier, metadataPrefix="oai_datacite")
        assert root.find(f".//{DATACITE}resourceType").get("resourceTypeGeneral") == general
    # The dataset's description is text, not its sanitised HTML.
    description = root.findtext(f".//{DATACITE}description")
    assert description == "Survey of child labour & schooling"
    assert root.findtext(f".//{DATACITE}identifier").endswith("/datasets/t-oai-ds-dataset/")


def test_get_record_errors(client, world):
    base = {"verb": "GetRecord", "metadataPrefix": "oai_dc"}
    assert error_code(get(client, **base, identifier="oai:nowhere:x")) == "idDoesNotExist"
    for never_public in ("t-oai-scheduled", "t-oai-draft", "t-oai-unverified-draft"):
        root = get(client, **base, identifier=ident("publication", never_public))
        assert error_code(root) == "idDoesNotExist", never_public
    root = get(
        client,
        verb="GetRecord",
        identifier=ident("publication", "t-oai-report"),
        metadataPrefix="marcxml",
    )
    assert error_code(root) == "cannotDisseminateFormat"
    # The request is echoed for errors other than badVerb and badArgument.
    assert root.find(f"{OAI}request").get("metadataPrefix") == "marcxml"
    assert error_code(get(client, verb="GetRecord", metadataPrefix="oai_dc")) == "badArgument"


@pytest.mark.parametrize(
    "slug",
    ["t-oai-unpublished", "t-oai-unverified"],
)
def test_a_record_public_once_is_deleted(client, world, slug):
    """Unpublished or marked unverified: a deleted header, no metadata, the datestamp of the
    change."""
    root = get(
        client, verb="GetRecord", identifier=ident("publication", slug), metadataPrefix="oai_dc"
    )
    header = root.find(f".//{OAI}header")
    assert header.get("status") == "deleted"
    assert root.find(f".//{OAI}metadata") is None
    assert header.findtext(f"{OAI}datestamp").startswith("2024-03-12T")


def test_an_organisation_only_record_is_never_named(client, world):
    """Restricted to its publisher's members (whether or not it was public before): not even
    a deleted header, which would show its slug and sets."""
    root = get(
        client,
        verb="GetRecord",
        identifier=ident("publication", "t-oai-org-only"),
        metadataPrefix="oai_dc",
    )
    assert error_code(root) == "idDoesNotExist"


def test_hard_deleted_record_is_deleted_for_ever(client, world):
    root = get(
        client,
        verb="GetRecord",
        identifier=ident("publication", "t-oai-gone"),
        metadataPrefix="oai_datacite",
    )
    header = root.find(f".//{OAI}header")
    assert header.get("status") == "deleted"
    assert header.findtext(f"{OAI}datestamp") == "2024-03-13T00:00:00Z"
    assert [e.text for e in header.iter(f"{OAI}setSpec")] == [ORG_SET, "type:report"]


def test_list_identifiers_in_order_with_deleted_and_nothing_leaking(client, world):
    headers, tokens = harvest(client, "ListIdentifiers", metadataPrefix="oai_dc", set=ORG_SET)
    assert tokens == []  # 10 records fit in one page of 50
    got = [(h.findtext(f"{OAI}identifier").rsplit(":", 1)[1], h.get("status")) for h in headers]
    assert got == [
        ("dataset/t-oai-ds-dataset", None),  # 10 March 12:00, datasets before publications
        ("publication/t-oai-report", None),  # 10 March 12:00
        ("publication/t-oai-evaluation", None),  # 11 March 00:00
        ("publication/t-oai-article", None),  # 11 March 23:59:59
        ("publication/t-oai-files-embargoed", None),  # 12 March 08:00 (files only)
        ("dataset/t-oai-ds-withdrawn", "deleted"),  # 12 March 09:00
        ("publication/t-oai-unpublished", "deleted"),
        ("publication/t-oai-unverified", "deleted"),
        ("publication/t-oai-gone", "deleted"),  # 13 March
        ("publication/t-oai-went-public", None),  # 15 March 08:00, its scheduled time
    ]


@pytest.mark.parametrize(
    ("verb", "prefix"),
    [("ListRecords", "oai_dc"), ("ListRecords", "oai_datacite"), ("ListIdentifiers", "oai_dc")],
)
def test_paging_by_resumption_token(client, world, settings, verb, prefix):
    """Pages of 3 over 10 records: cursor 0, 3, 6, 9; completeListSize 10 on every page; the
    last page has an empty token; every record comes once, in order."""
    settings.SDG87_OAI_PAGE_SIZE = 3
    headers, tokens = harvest(client, verb, metadataPrefix=prefix, set=ORG_SET)
    assert len(headers) == 10
    assert len({h.findtext(f"{OAI}identifier") for h in headers}) == 10
    assert [t["cursor"] for t in tokens] == ["0", "3", "6", "9"]
    assert {t["completeListSize"] for t in tokens} == {"10"}
    assert [bool(t["text"]) for t in tokens] == [True, True, True, False]
    assert "expirationDate" in tokens[0] and "expirationDate" not in tokens[-1]
    stamps = [h.findtext(f"{OAI}datestamp") for h in headers]
    assert stamps == sorted(stamps)


@pytest.mark.parametrize(
    ("arguments", "expected"),
    [
        ({"from": "2024-03-11", "until": "2024-03-11"}, ["t-oai-evaluation", "t-oai-article"]),
        (
            {"from": "2024-03-11T00:00:00Z", "until": "2024-03-11T00:00:00Z"},
            ["t-oai-evaluation"],
        ),
        ({"from": "2024-03-11T00:00:01Z", "until": "2024-03-11T23:59:59Z"}, ["t-oai-article"]),
        ({"until": "2024-03-10T11:59:59Z"}, []),
        (
            {"until": "2024-03-10T12:00:00Z"},
            ["t-oai-ds-dataset", "t-oai-report"],
        ),
        ({"from": "2024-03-15"}, ["t-oai-went-public"]),
        ({"from": "2024-03-15T08:00:01Z"}, []),
    ],
)
def test_from_until_at_both_granularities(client, world, arguments, expected):
    """`from` and `until` are inclusive, to the day or to the second."""
    root = get(client, verb="ListIdentifiers", metadataPrefix="oai_dc", set=ORG_SET, **arguments)
    if not expected:
        assert error_code(root) == "noRecordsMatch"
        return
    assert [i.rsplit("/", 1)[1] for i in identifiers(root)] == expected


def test_sets_select_records(client, world):
    def slugs(**arguments):
        root = get(client, verb="ListIdentifiers", metadataPrefix="oai_dc", **arguments)
        return {i.rsplit("/", 1)[1] for i in identifiers(root)}

    assert slugs(set="country:XQZ") == {"t-oai-report", "t-oai-ds-dataset"}
    assert {"t-oai-report", "t-oai-ds-dataset"} <= slugs(set="theme:child_labour")
    assert "t-oai-org-only" not in slugs(set="theme:child_labour")
    assert slugs(set="type:impact_evaluation") >= {"t-oai-evaluation"}
    assert "t-oai-report" not in slugs(set="type:impact_evaluation")
    assert "t-oai-ds-dataset" in slugs(set="type:dataset")
    assert "t-oai-report" not in slugs(set="type:dataset")
    # The top-level set holds its subsets; the hard-deleted record keeps its sets.
    assert {"t-oai-report", "t-oai-gone"} <= slugs(set="org")
    assert "t-oai-gone" in slugs(set="type:report")
    root = get(client, verb="ListIdentifiers", metadataPrefix="oai_dc", set="org:t-oai-nobody")
    assert error_code(root) == "noRecordsMatch"


@pytest.mark.parametrize(
    ("query", "code"),
    [
        ({}, "badVerb"),
        ({"verb": "ListEverything"}, "badVerb"),
        ({"verb": ["Identify", "Identify"]}, "badVerb"),
        ({"verb": "Identify", "metadataPrefix": "oai_dc"}, "badArgument"),
        ({"verb": "ListRecords"}, "badArgument"),
        ({"verb": "ListRecords", "metadataPrefix": ["oai_dc", "oai_dc"]}, "badArgument"),
        ({"verb": "ListRecords", "metadataPrefix": "oai_dc", "from": "2024-13-01"}, "badArgument"),
        (
            {"verb": "ListRecords", "metadataPrefix": "oai_dc", "from": "2024-03-01T10:00Z"},
            "badArgument",
        ),
        (
            {
                "verb": "ListRecords",
                "metadataPrefix": "oai_dc",
                "from": "2024-03-01",
                "until": "2024-03-02T00:00:00Z",
            },
            "badArgument",
        ),
        (
            {
                "verb": "ListRecords",
                "metadataPrefix": "oai_dc",
                "from": "2024-03-02",
                "until": "2024-03-01",
            },
            "badArgument",
        ),
        ({"verb": "ListRecords", "metadataPrefix": "oai_dc", "set": "bad set"}, "badArgument"),
        ({"verb": "ListRecords", "metadataPrefix": "mods"}, "cannotDisseminateFormat"),
        ({"verb": "ListIdentifiers", "resumptionToken": "forged"}, "badResumptionToken"),
        ({"verb": "ListSets", "resumptionToken": "forged"}, "badResumptionToken"),
        (
            {"verb": "ListRecords", "metadataPrefix": "oai_dc", "until": "1990-01-01"},
            "noRecordsMatch",
        ),
    ],
)
def test_errors(client, db, query, code):
    root = get(client, **query) if query else validated(client.get("/oai").content)
    assert error_code(root) == code
    if code in ("badVerb", "badArgument"):
        assert root.find(f"{OAI}request").attrib == {}


def test_resumption_token_is_exclusive_signed_and_bound_to_its_verb(client, world, settings):
    settings.SDG87_OAI_PAGE_SIZE = 2
    root = get(client, verb="ListRecords", metadataPrefix="oai_dc", set=ORG_SET)
    token = root.findtext(f".//{OAI}resumptionToken")
    assert token
    with_other = get(client, verb="ListRecords", resumptionToken=token, metadataPrefix="oai_dc")
    assert error_code(with_other) == "badArgument"
    tampered = token[:-2] + ("AA" if not token.endswith("AA") else "BB")
    assert error_code(get(client, verb="ListRecords", resumptionToken=tampered)) == (
        "badResumptionToken"
    )
    other_verb = get(client, verb="ListIdentifiers", resumptionToken=token)
    assert error_code(other_verb) == "badResumptionToken"
    settings.SDG87_OAI_TOKEN_MAX_AGE = -1  # every token has expired
    assert error_code(get(client, verb="ListRecords", resumptionToken=token)) == (
        "badResumptionToken"
    )


def test_metadata_is_validated_strictly():
    """The validator used here rejects oai_dc with an element oai_dc.xsd does not define:
    the metadata inside <metadata> is really checked, not skipped."""
    body = b"""<?xml version="1.0" encoding="UTF-8"?>
<OAI-PMH xmlns="http://www.openarchives.org/OAI/2.0/">
 <responseDate>2024-03-10T12:00:00Z</responseDate>
 <request verb="GetRecord">http://testserver/oai</request>
 <GetRecord><record>
  <header><identifier>oai:x:publication/a</identifier><datestamp>2024-03-10</datestamp></header>
  <metadata><oai_dc:dc xmlns:oai_dc="http://www.openarchives.org/OAI/2.0/oai_dc/"
      xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:titel>x</dc:titel></oai_dc:dc></metadata>
 </record></GetRecord>
</OAI-PMH>"""
    with pytest.raises(xmlschema.XMLSchemaValidationError):
        oai_schema().validate(body)
    assert oai_schema().is_valid(body.replace(b"dc:titel", b"dc:title"))


def test_nothing_private_leaks_into_any_response(client, world, settings):
    """Scheduled, draft and unverified drafts appear in no list, in no format."""
    settings.SDG87_OAI_PAGE_SIZE = 4
    seen = b""
    for verb, prefix in (("ListRecords", "oai_dc"), ("ListRecords", "oai_datacite")):
        headers, _tokens = harvest(client, verb, metadataPrefix=prefix)
        seen += b"".join(etree.tostring(h) for h in headers)
    for slug in (b"t-oai-scheduled", b"t-oai-draft", b"t-oai-unverified-draft"):
        assert slug not in seen


@pytest.mark.parametrize("prefix", ["oai_dc", "oai_datacite"])
@pytest.mark.django_db
def test_the_bundled_library_and_catalogue_validate(client, bundled_data, settings, prefix):
    """Every record of the bundled data (the library's publications and the catalogue's
    datasets) is valid in both formats, and the list holds exactly the public ones."""
    settings.SDG87_OAI_PAGE_SIZE = 100
    headers, tokens = harvest(client, "ListRecords", metadataPrefix=prefix)
    public = publication_public_queryset().count() + dataset_public_queryset().count()
    assert public > 150  # 174 bundled publications are public, and the bundled datasets
    assert len([h for h in headers if h.get("status") != "deleted"]) == public
    assert len(headers) == int(tokens[0]["completeListSize"])
