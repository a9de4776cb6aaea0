"""Fixtures of the OAI-PMH tests: a small world of publications and datasets published by the
organisation `t-oai-org` (set `org:t-oai-org`), so counts do not depend on the bundled data a
shared test database may hold; and the bundled XSDs, loaded offline."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from functools import cache
from pathlib import Path
from typing import Any

import xmlschema
from django.utils import timezone
from lxml import etree

from sdg87.catalog.models import Dataset, Status, Theme, Visibility
from sdg87.geo.models import Geography, GeographyKind
from sdg87.library.models import Creator, DeletedRecord, Publication
from sdg87.library.oai import selectors
from sdg87.orgs.models import Organisation, OrganisationType

XSD = Path(selectors.__file__).resolve().parent / "xsd"
ORG_SET = "org:t-oai-org"
OAI = "{http://www.openarchives.org/OAI/2.0/}"

# The remote locations the unchanged schemas import, answered by the bundled copies.
_LOCAL = {
    "http://dublincore.org/schemas/xmls/simpledc20021212.xsd": XSD / "simpledc20021212.xsd",
    "http://www.w3.org/2001/03/xml.xsd": XSD / "xml.xsd",
    "http://www.w3.org/2001/xml.xsd": XSD / "xml.xsd",
}


def _map(uri: str) -> str:
    local = _LOCAL.get(uri)
    return local.as_uri() if local else uri


@cache
def oai_schema() -> xmlschema.XMLSchema10:
    """OAI-PMH.xsd with the metadata formats' schemas: the `##other` wildcard of <metadata>
    is processed strictly, so oai_dc content is validated against oai_dc.xsd."""
    return xmlschema.XMLSchema10(
        str(XSD / "OAI-PMH.xsd"),
        allow="local",
        uri_mapper=_map,
        locations=[
            ("http://www.openarchives.org/OAI/2.0/oai_dc/", str(XSD / "oai_dc.xsd")),
            ("http://schema.datacite.org/oai/oai-1.1/", str(XSD / "oai_datacite-1.1.xsd")),
            ("http://datacite.org/schema/kernel-4", str(XSD / "datacite" / "metadata.xsd")),
        ],
    )


@cache
def datacite_schema() -> xmlschema.XMLSchema10:
    return xmlschema.XMLSchema10(str(XSD / "datacite" / "metadata.xsd"), allow="local")


@cache
def oai_dc_schema() -> xmlschema.XMLSchema10:
    return xmlschema.XMLSchema10(str(XSD / "oai_dc.xsd"), allow="local", uri_mapper=_map)


def validated(body: bytes) -> etree._Element:
    """The response, after checking it against OAI-PMH.xsd (and, inside, oai_dc.xsd), and each
    DataCite resource against kernel-4 metadata.xsd."""
    oai_schema().validate(body)
    root = etree.fromstring(body)
    for resource in root.iter("{http://datacite.org/schema/kernel-4}resource"):
        datacite_schema().validate(etree.tostring(resource))
    for dc in root.iter("{http://www.openarchives.org/OAI/2.0/oai_dc/}dc"):
        oai_dc_schema().validate(etree.tostring(dc))
    return root


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


@dataclass
class OaiWorld:
    org: Organisation
    country: Geography
    pubs: dict[str, Publication]
    datasets: dict[str, Dataset]
    gone: DeletedRecord

    # public in org:t-oai-org (5 publications, 1 dataset)
    PUBLIC = ("report", "evaluation", "article", "files_embargoed", "went_public")
    # deleted in org:t-oai-org (3 publications, 1 dataset, 1 hard-deleted)
    DELETED = ("unpublished", "org_only", "unverified")


def _pub(slug: str, org: Organisation, stamp: datetime, **extra: Any) -> Publication:
    fields: dict[str, Any] = {
        "title": f"OAI test publication {slug}",
        "resource_type": "report",
        "publisher": org,
        "year": 2023,
        "language": "en",
        "live": True,
        "status": Status.PUBLISHED,
        "verified": True,
        "first_published_at": at("2024-01-05T09:00:00"),
    }
    fields.update(extra)
    pub = Publication.objects.create(slug=f"t-oai-{slug}", **fields)
    Publication.objects.filter(pk=pub.pk).update(last_modified=stamp)
    pub.refresh_from_db()
    return pub


def build_world() -> OaiWorld:
    now = timezone.now()
    org = Organisation.objects.create(
        slug="t-oai-org", name="OAI test organisation", type=OrganisationType.NGO
    )
    country, _ = Geography.objects.get_or_create(
        code="T-OAI-XQZ",
        defaults={"kind": GeographyKind.COUNTRY, "iso3": "XQZ", "name_en": "Oailand"},
    )
    # get_or_create: a transactional test before may have emptied the migration-made rows.
    theme, _ = Theme.objects.get_or_create(code="child_labour")
    pubs = {
        "report": _pub(
            "report",
            org,
            at("2024-03-10T12:00:00"),
            abstract="A report on child labour in \x07Oailand & elsewhere <b>not html</b>.",
            doi="10.9999/t-oai.1",
            isbns=["978-92-2-000000-0"],
            licence="CC-BY-4.0",
            sdg_targets=["8.7"],
            issued=date(2023, 6, 12),
        ),
        "evaluation": _pub(
            "evaluation", org, at("2024-03-11T00:00:00"), resource_type="impact_evaluation"
        ),
        "article": _pub(
            "article",
            org,
            at("2024-03-11T23:59:59"),
            resource_type="research_article",
            container_title="Journal of OAI tests",
        ),
        "files_embargoed": _pub(
            "files-embargoed",
            org,
            at("2024-03-12T08:00:00"),
            embargo_until=now + timedelta(days=30),
        ),
        # Scheduled for 15 March, saved before: public since then, its datestamp is then.
        "went_public": _pub(
            "went-public", org, at("2024-03-01T00:00:00"), publish_at=at("2024-03-15T08:00:00")
        ),
        "unpublished": _pub(
            "unpublished", org, at("2024-03-12T10:00:00"), live=False, status=Status.DRAFT
        ),
        "org_only": _pub(
            "org-only", org, at("2024-03-12T11:00:00"), visibility=Visibility.ORGANISATION
        ),
        "unverified": _pub("unverified", org, at("2024-03-12T12:00:00"), verified=False),
        # Never public: not in the repository at all.
        "scheduled": _pub(
            "scheduled",
            org,
            at("2024-03-12T13:00:00"),
            publish_at=now + timedelta(days=10),
            first_published_at=now - timedelta(minutes=5),
        ),
        "scheduled_then_withdrawn": _pub(
            "scheduled-withdrawn",
            org,
            at("2024-03-12T14:00:00"),
            live=False,
            publish_at=now + timedelta(days=10),
            first_published_at=now - timedelta(minutes=5),
        ),
        "draft": _pub("draft", org, at("2024-03-12T15:00:00"), live=False, first_published_at=None),
        "unverified_draft": _pub(
            "unverified-draft",
            org,
            at("2024-03-12T16:00:00"),
            live=False,
            verified=False,
            first_published_at=None,
        ),
    }
    report = pubs["report"]
    report.themes.add(theme)
    report.geographies.add(country)
    Creator.objects.create(
        publication=report, position=0, family="Tester", given="Ada", orcid="0000-0002-1825-0097"
    )
    Creator.objects.create(publication=report, position=1, name="OAI Working Group")
    pubs["org_only"].themes.add(theme)

    datasets = {}
    for name, stamp, extra in (
        ("dataset", at("2024-03-10T12:00:00"), {}),
        ("withdrawn", at("2024-03-12T09:00:00"), {"live": False, "status": Status.DRAFT}),
    ):
        fields: dict[str, Any] = {
            "title": f"OAI test dataset {name}",
            "description": "<p>Survey of <em>child labour</em> &amp; schooling</p>",
            "publisher": org,
            "live": True,
            "status": Status.PUBLISHED,
            "first_published_at": at("2024-01-05T09:00:00"),
        }
        fields.update(extra)
        dataset = Dataset.objects.create(slug=f"t-oai-ds-{name}", **fields)
        Dataset.objects.filter(pk=dataset.pk).update(last_modified=stamp)
        dataset.refresh_from_db()
        datasets[name] = dataset
    datasets["dataset"].themes.add(theme)
    datasets["dataset"].spatial.add(country)

    gone = DeletedRecord.objects.create(
        identifier=selectors.oai_identifier("publication", "t-oai-gone"),
        datestamp=at("2024-03-13T00:00:00"),
        sets=[ORG_SET, "type:report"],
    )
    return OaiWorld(org=org, country=country, pubs=pubs, datasets=datasets, gone=gone)


def get(client: Any, **params: str) -> etree._Element:
    response = client.get("/oai", params)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/xml; charset=utf-8"
    return validated(response.content)


def error_code(root: etree._Element) -> str | None:
    error = root.find(f"{OAI}error")
    return error.get("code") if error is not None else None


def identifiers(root: etree._Element) -> list[str]:
    return [e.text or "" for e in root.iter(f"{OAI}header") for e in e.iter(f"{OAI}identifier")]


def harvest(client: Any, verb: str, **params: str) -> tuple[list[etree._Element], list[dict]]:
    """Every page of a list request: (headers, the resumptionToken attributes of each page)."""
    headers: list[etree._Element] = []
    tokens: list[dict] = []
    root = get(client, verb=verb, **params)
    while True:
        assert error_code(root) is None, etree.tostring(root)
        headers += list(root.iter(f"{OAI}header"))
        token = root.find(f".//{OAI}resumptionToken")
        if token is None:
            return headers, tokens
        tokens.append(dict(token.attrib) | {"text": token.text or ""})
        if not token.text:
            return headers, tokens
        root = get(client, verb=verb, resumptionToken=token.text)
