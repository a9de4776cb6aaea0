"""Pure parsers of what other catalogues answer: CKAN package_search pages, DCAT-AP documents
(JSON-LD, Turtle, RDF/XML) and SDMX-ML 2.1 dataflow lists, into RemoteRecords.

No ORM and no network here. A record that cannot be read becomes a RecordProblem (reported as
a failed record of the run); an answer that is not what the protocol promises at all raises
Garbage (the whole run fails, nothing is written). XML is parsed without DTDs, entities or
network access, and a document that declares a DOCTYPE is refused outright; a JSON-LD document
that points at a remote @context is refused too (rdflib would fetch it).
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import asdict, dataclass, field
from typing import Any
from urllib.parse import urljoin, urlsplit

from lxml import etree
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCAT, DCTERMS, RDF
from rdflib.term import Node

from sdg87.catalog.models import LICENCE_URLS, Licence

HYDRA_NEXT = URIRef("http://www.w3.org/ns/hydra/core#nextPage")
SDMX_STRUCTURE_NS = "http://www.sdmx.org/resources/sdmxml/schemas/v2_1/structure"
SDMX_COMMON_NS = "http://www.sdmx.org/resources/sdmxml/schemas/v2_1/common"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
MAX_LINKS = 20
_DOCTYPE = re.compile(rb"<!DOCTYPE|<!ENTITY", re.IGNORECASE)

# CKAN's usual licence ids (and ours, which are SPDX-like) -> our Licence codes
_CKAN_LICENCES = {
    "cc-by": "CC-BY-4.0",
    "cc-by-4.0": "CC-BY-4.0",
    "cc-by-sa": "CC-BY-SA-4.0",
    "cc-by-sa-4.0": "CC-BY-SA-4.0",
    "cc-zero": "CC0-1.0",
    "cc0-1.0": "CC0-1.0",
    "odc-odbl": "ODbL-1.0",
    "odbl-1.0": "ODbL-1.0",
    "odc-pddl": "PDDL-1.0",
    "pddl-1.0": "PDDL-1.0",
    "cc-by-3.0-igo": "CC-BY-3.0-IGO",
    "other-at": "other-attribution",
    "other-closed": "other-closed",
}


class Garbage(ValueError):
    """The answer is not a document of the kind asked for: the run fails as a whole."""


@dataclass(frozen=True)
class RemoteRecord:
    remote_id: str
    title: str
    description: str = ""
    licence: str = ""  # one of our Licence codes, or "" when the source says none we know
    original_url: str = ""  # the record's own page at the source
    identifier: str = ""  # the identifier the source gives (may name another record)
    keywords: tuple[str, ...] = ()
    links: tuple[tuple[str, str, str], ...] = field(default=())  # (url, title, format)

    def content_hash(self) -> str:
        """A stable hash of everything harvested: equal hashes, nothing to write."""
        text = json.dumps(asdict(self), sort_keys=True, ensure_ascii=True)
        return hashlib.sha256(text.encode()).hexdigest()


@dataclass(frozen=True)
class RecordProblem:
    remote_id: str
    reason: str


type Parsed = list[RemoteRecord | RecordProblem]


def licence_code(value: str) -> str:
    """Our licence code for a CKAN licence id, an SPDX id or a licence URL; "" if unknown."""
    value = value.strip()
    if not value:
        return ""
    if value in Licence.values:
        return value
    if value.lower() in _CKAN_LICENCES:
        return _CKAN_LICENCES[value.lower()]
    bare = value.rstrip("/").split("://", 1)[-1].lower()
    for code, url in LICENCE_URLS.items():
        if url.rstrip("/").split("://", 1)[-1].lower() == bare:
            return code
    return ""


def _http_url(value: Any) -> str:
    text = str(value or "").strip()
    return text if urlsplit(text).scheme in ("http", "https") else ""


def _echo_filter(items: Parsed) -> tuple[Parsed, list[RecordProblem]]:
    """Drop records that declare themselves a copy of another record of the same listing
    (their identifier is that record's remote id): a catalogue that harvested its own
    neighbour serves both, and the copy must not come back as a second dataset."""
    ids = {i.remote_id for i in items if isinstance(i, RemoteRecord)}
    kept: Parsed = []
    echoes = []
    for item in items:
        if (
            isinstance(item, RemoteRecord)
            and item.identifier
            and item.identifier != item.remote_id
            and item.identifier in ids
        ):
            echoes.append(RecordProblem(item.remote_id, item.identifier))
        else:
            kept.append(item)
    return kept, echoes


echo_filter = _echo_filter


# --- CKAN ------------------------------------------------------------------------------------


def ckan_api_base(url: str) -> tuple[str, str]:
    """(action API base ending in "/", site root) for a CKAN address given either way."""
    url = url.split("?", 1)[0].split("#", 1)[0]
    marker = url.find("/api/")
    site = (url[:marker] if marker >= 0 else url).rstrip("/")
    return site + "/api/3/action/", site


def ckan_search_page(body: bytes, *, site: str) -> tuple[int, Parsed]:
    """(count, records) of one package_search answer."""
    try:
        payload = json.loads(body)
    except (UnicodeDecodeError, ValueError) as exc:
        raise Garbage(f"not JSON: {exc}") from None
    if not isinstance(payload, dict) or payload.get("success") is not True:
        raise Garbage("not a successful CKAN answer")
    result = payload.get("result")
    if not isinstance(result, dict):
        raise Garbage("no result in the CKAN answer")
    count, results = result.get("count"), result.get("results")
    if not isinstance(count, int) or not isinstance(results, list):
        raise Garbage("the CKAN answer has no count or results")
    return count, [ckan_package(p, site=site, position=n) for n, p in enumerate(results)]


def ckan_package(package: Any, *, site: str, position: int = 0) -> RemoteRecord | RecordProblem:
    if not isinstance(package, dict):
        return RecordProblem(f"#{position}", "not a package")
    remote_id = str(package.get("id") or "").strip()
    if not remote_id:
        return RecordProblem(f"#{position}", "the package has no id")
    title = str(package.get("title") or package.get("name") or "").strip()
    if not title:
        return RecordProblem(remote_id, "the package has no title")
    name = str(package.get("name") or remote_id)
    licence = licence_code(str(package.get("license_id") or "")) or licence_code(
        str(package.get("license_url") or "")
    )
    identifier = str(package.get("identifier") or "")
    for extra in package.get("extras") or []:
        if isinstance(extra, dict) and extra.get("key") == "identifier" and not identifier:
            identifier = str(extra.get("value") or "")
    links = []
    for resource in package.get("resources") or []:
        if not isinstance(resource, dict):
            continue
        links.append(
            (
                str(resource.get("url") or ""),
                str(resource.get("name") or ""),
                str(resource.get("format") or ""),
            )
        )
    tags = [str(t.get("name") or "") for t in package.get("tags") or [] if isinstance(t, dict)]
    return RemoteRecord(
        remote_id=remote_id,
        title=title[:300],
        description=str(package.get("notes") or ""),
        licence=licence,
        original_url=f"{site}/dataset/{name}",
        identifier=identifier.strip(),
        keywords=tuple(sorted({t.strip()[:100] for t in tags if t.strip()})),
        links=tuple(links[:MAX_LINKS]),
    )


# --- DCAT ------------------------------------------------------------------------------------

RDF_FORMATS = {
    "application/ld+json": "json-ld",
    "application/json": "json-ld",
    "text/turtle": "turtle",
    "application/x-turtle": "turtle",
    "application/rdf+xml": "xml",
    "application/xml": "xml",
    "text/xml": "xml",
}


def rdf_format(content_type: str, url: str) -> str:
    media = content_type.split(";", 1)[0].strip().lower()
    if media in RDF_FORMATS:
        return RDF_FORMATS[media]
    path = urlsplit(url).path.lower()
    for ending, fmt in ((".jsonld", "json-ld"), (".ttl", "turtle"), (".rdf", "xml")):
        if path.endswith(ending):
            return fmt
    raise Garbage(f"not an RDF media type: {media or 'none'}")


def _no_remote_context(value: Any) -> None:
    if isinstance(value, dict):
        for key, inner in value.items():
            if key == "@context" and (
                isinstance(inner, str)
                or (isinstance(inner, list) and any(isinstance(c, str) for c in inner))
            ):
                raise Garbage("a remote JSON-LD @context is not fetched")
            _no_remote_context(inner)
    elif isinstance(value, list):
        for inner in value:
            _no_remote_context(inner)


def dcat_graph(body: bytes, *, fmt: str) -> Graph:
    if fmt == "xml" and _DOCTYPE.search(body[:4096]):
        raise Garbage("XML with a DOCTYPE or entities is refused")
    if fmt == "json-ld":
        try:
            _no_remote_context(json.loads(body))
        except (UnicodeDecodeError, ValueError) as exc:
            raise Garbage(f"not JSON: {exc}") from None
    graph = Graph()
    try:
        graph.parse(data=body, format=fmt)
    except Exception as exc:  # rdflib raises many kinds (SAX, JSON, BadSyntax, ...)
        raise Garbage(f"not {fmt}: {type(exc).__name__}: {str(exc)[:200]}") from None
    return graph


def _text(graph: Graph, subject: Node, predicate: URIRef) -> str:
    """The English (or untagged, or any) literal of subject/predicate."""
    values = [o for o in graph.objects(subject, predicate) if isinstance(o, Literal)]
    for wanted in ("en", None):
        for value in values:
            if value.language == wanted:
                return str(value).strip()
    return str(values[0]).strip() if values else ""


def dcat_records(graph: Graph) -> tuple[Parsed, str]:
    """(records, next page URL or "") of a DCAT catalogue graph."""
    items: Parsed = []
    for subject in sorted(set(graph.subjects(RDF.type, DCAT.Dataset)), key=str):
        identifier = _text(graph, subject, DCTERMS.identifier)
        remote_id = str(subject) if isinstance(subject, URIRef) else identifier
        if not remote_id:
            items.append(RecordProblem("(blank node)", "a dataset without URI or identifier"))
            continue
        title = _text(graph, subject, DCTERMS.title)
        if not title:
            items.append(RecordProblem(remote_id, "the dataset has no title"))
            continue
        licences = [str(o) for o in graph.objects(subject, DCTERMS.license)]
        links = []
        for dist in graph.objects(subject, DCAT.distribution):
            licences += [str(o) for o in graph.objects(dist, DCTERMS.license)]
            url = str(
                graph.value(dist, DCAT.downloadURL) or graph.value(dist, DCAT.accessURL) or ""
            )
            fmt = str(graph.value(dist, DCTERMS.format) or graph.value(dist, DCAT.mediaType) or "")
            links.append((url, _text(graph, dist, DCTERMS.title), fmt.rstrip("/").split("/")[-1]))
        licence = next((c for c in map(licence_code, licences) if c), "")
        landing = _http_url(graph.value(subject, DCAT.landingPage)) or _http_url(subject)
        keywords = {str(k).strip()[:100] for k in graph.objects(subject, DCAT.keyword)}
        items.append(
            RemoteRecord(
                remote_id=remote_id,
                title=title[:300],
                description=_text(graph, subject, DCTERMS.description),
                licence=licence,
                original_url=landing,
                identifier=identifier,
                keywords=tuple(sorted(k for k in keywords if k)),
                links=tuple(sorted(links)[:MAX_LINKS]),
            )
        )
    next_page = next((str(o) for o in graph.objects(None, HYDRA_NEXT)), "")
    return items, next_page


# --- SDMX ------------------------------------------------------------------------------------


def sdmx_base(url: str) -> str:
    """The SDMX REST root of a dataflow-list address (…/sdmx/dataflow/… or …/structure/…)."""
    path = url.split("?", 1)[0]
    for marker in ("/structure/dataflow", "/dataflow"):
        at = path.find(marker)
        if at >= 0:
            return path[:at]
    return path.rstrip("/")


def _safe_xml(body: bytes) -> etree._Element:
    if _DOCTYPE.search(body[:4096]):
        raise Garbage("XML with a DOCTYPE or entities is refused")
    parser = etree.XMLParser(
        resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False
    )
    try:
        return etree.fromstring(body, parser=parser)
    except etree.XMLSyntaxError as exc:
        raise Garbage(f"not XML: {exc}") from None


def _sdmx_texts(element: etree._Element, name: str) -> dict[str, str]:
    return {
        str(child.get(XML_LANG) or ""): (child.text or "").strip()
        for child in element
        if isinstance(child.tag, str) and etree.QName(child).localname == name
    }


def sdmx_dataflows(body: bytes, *, base: str) -> Parsed:
    """The dataflows of an SDMX-ML 2.1 structure message."""
    root = _safe_xml(body)
    if etree.QName(root).localname not in ("Structure", "Error"):
        raise Garbage("not an SDMX-ML structure message")
    if etree.QName(root).localname == "Error":
        raise Garbage("the SDMX service answered with an error message")
    items: Parsed = []
    for flow in root.iter(f"{{{SDMX_STRUCTURE_NS}}}Dataflow"):
        agency, flow_id, version = flow.get("agencyID"), flow.get("id"), flow.get("version")
        if not (agency and flow_id and version):
            problem = "a dataflow without agency, id or version"
            items.append(RecordProblem(flow_id or "(no id)", problem))
            continue
        remote_id = f"{agency}:{flow_id}({version})"
        names = _sdmx_texts(flow, "Name")
        title = names.get("en") or next(iter(names.values()), "") or flow_id
        descriptions = _sdmx_texts(flow, "Description")
        description = descriptions.get("en") or next(iter(descriptions.values()), "")
        ref = f"{agency},{flow_id},{version}"
        items.append(
            RemoteRecord(
                remote_id=remote_id,
                title=title[:300],
                description=description,
                original_url=f"{base}/dataflow/{agency}/{flow_id}/{version}",
                identifier=str(flow.get("urn") or ""),
                links=((urljoin(base + "/", f"data/{ref}/all"), title[:300], "SDMX"),),
            )
        )
    return items
