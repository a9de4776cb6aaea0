"""DCAT-AP 3 serialisation of the catalog with rdflib (JSON-LD, Turtle, RDF/XML).

URIs follow ckanext-dcat: `<site>/dataset/<name>` for datasets and `<site>/catalog` for the
catalog, so harvesters that know CKAN find what they expect. Controlled vocabularies are the
EU Publications Office authority tables (frequency, file type, language) and IANA media types.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from django.utils.html import strip_tags
from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, RDF, SKOS, XSD

from sdg87.catalog.models import LICENCE_URLS, Dataset, Distribution, Visibility

# DCAT 3's dcat:version; rdflib's DCAT namespace predates it (and warns on DCAT.version)
DCAT_VERSION = URIRef(f"{DCAT}version")
VCARD = Namespace("http://www.w3.org/2006/vcard/ns#")
SPDX = Namespace("http://spdx.org/rdf/terms#")
ADMS = Namespace("http://www.w3.org/ns/adms#")
HYDRA = Namespace("http://www.w3.org/ns/hydra/core#")
EU_FREQUENCY = Namespace("http://publications.europa.eu/resource/authority/frequency/")
EU_FILE_TYPE = Namespace("http://publications.europa.eu/resource/authority/file-type/")
EU_LANGUAGE = Namespace("http://publications.europa.eu/resource/authority/language/")
EU_COUNTRY = Namespace("http://publications.europa.eu/resource/authority/country/")
IANA = "https://www.iana.org/assignments/media-types/"

FREQUENCIES = {
    "daily": "DAILY",
    "weekly": "WEEKLY",
    "biweekly": "BIWEEKLY",
    "monthly": "MONTHLY",
    "quarterly": "QUARTERLY",
    "semiannual": "ANNUAL_2",
    "annual": "ANNUAL",
    "biennial": "BIENNIAL",
    "triennial": "TRIENNIAL",
    "quadrennial": "QUADRENNIAL",
    "quinquennial": "QUINQUENNIAL",
    "irregular": "IRREG",
    "never": "NEVER",
}
LANGUAGES = {"en": "ENG", "fr": "FRA", "es": "SPA"}
FILE_TYPES = {
    "CSV": "CSV",
    "XLSX": "XLSX",
    "JSON": "JSON",
    "PDF": "PDF",
    "ZIP": "ZIP",
    "XML": "XML",
    "HTML": "HTML",
}
FORMATS = {"json-ld": "application/ld+json", "turtle": "text/turtle", "xml": "application/rdf+xml"}


# Characters rdflib refuses in an IRI: one of them in a stored URL (Django's URLValidator lets
# `"` or `{` through in a path) would make the whole Turtle catalog fail to serialise.
_IRI_ESCAPES = str.maketrans({c: f"%{ord(c):02X}" for c in '<>" {}|\\^`'})
# type/subtype of RFC 6838, without parameters such as "; charset=utf-8"
_MEDIA_TYPE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]*/[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]*$")


_LANGUAGE_TAG = re.compile(r"^[A-Za-z]{1,8}(-[A-Za-z0-9]{1,8})*$")


def language_tag(code: str) -> str | None:
    """A BCP 47 tag for literals ("en_GB" -> "en-GB"), or None when the stored language is
    not one: rdflib refuses such a literal, which would fail the whole catalog."""
    tag = code.strip().replace("_", "-")
    return tag if _LANGUAGE_TAG.match(tag) else None


def uri(value: str) -> URIRef:
    """An IRI from stored text, percent-encoding what RDF serialisers cannot write."""
    return URIRef(value.strip().translate(_IRI_ESCAPES))


def media_type_uri(media_type: str) -> URIRef | None:
    """The IANA IRI of a media type (parameters dropped), or None if it is not one."""
    essence = media_type.split(";", 1)[0].strip().lower()
    return URIRef(IANA + essence) if _MEDIA_TYPE.match(essence) else None


@dataclass(frozen=True)
class DistributionView:
    """A distribution as a harvester may see it: download URL only where data is public."""

    distribution: Distribution
    download_url: str | None
    access_url: str


def bind_namespaces(graph: Graph) -> None:
    for prefix, ns in {
        "dcat": DCAT,
        "dct": DCTERMS,
        "foaf": FOAF,
        "vcard": VCARD,
        "spdx": SPDX,
        "skos": SKOS,
        "adms": ADMS,
        "hydra": HYDRA,
    }.items():
        graph.bind(prefix, ns)


def dataset_uri(base_url: str, dataset: Dataset) -> URIRef:
    return URIRef(f"{base_url}/dataset/{dataset.slug}")


def add_dataset(
    graph: Graph,
    dataset: Dataset,
    *,
    base_url: str,
    distributions: Iterable[DistributionView],
    landing_page: str,
) -> URIRef:
    ds = dataset_uri(base_url, dataset)
    graph.add((ds, RDF.type, DCAT.Dataset))
    graph.add((ds, DCTERMS.identifier, Literal(dataset.identifier or str(ds))))
    lang = language_tag(dataset.language)
    graph.add((ds, DCTERMS.title, Literal(dataset.title, lang=lang)))
    description = strip_tags(dataset.description)
    if description:
        graph.add((ds, DCTERMS.description, Literal(description, lang=lang)))
    graph.add((ds, DCAT.landingPage, uri(landing_page)))

    publisher = URIRef(f"{base_url}/organization/{dataset.publisher.slug}")
    graph.add((ds, DCTERMS.publisher, publisher))
    graph.add((publisher, RDF.type, FOAF.Agent))
    graph.add((publisher, FOAF.name, Literal(dataset.publisher.name)))
    if dataset.publisher.website:
        graph.add((publisher, FOAF.homepage, uri(dataset.publisher.website)))

    if dataset.contact_name or dataset.contact_email:
        contact = BNode()
        graph.add((ds, DCAT.contactPoint, contact))
        graph.add((contact, RDF.type, VCARD.Kind))
        graph.add((contact, VCARD.fn, Literal(dataset.contact_name or dataset.publisher.name)))
        if dataset.contact_email:
            graph.add((contact, VCARD.hasEmail, uri(f"mailto:{dataset.contact_email}")))

    for theme in dataset.themes.all():
        concept = URIRef(f"{base_url}/group/{theme.code}")
        graph.add((ds, DCAT.theme, concept))
        graph.add((concept, RDF.type, SKOS.Concept))
        graph.add((concept, SKOS.prefLabel, Literal(str(theme.label), lang="en")))
    for keyword in sorted(t.name for t in dataset.keywords.all()):
        graph.add((ds, DCAT.keyword, Literal(keyword)))
    for geography in dataset.spatial.all():
        place = (
            EU_COUNTRY[geography.iso3]
            if geography.iso3
            else URIRef(f"{base_url}/api/v1/geographies?code={geography.code}")
        )
        graph.add((ds, DCTERMS.spatial, place))
        graph.add((place, RDF.type, DCTERMS.Location))
        graph.add((place, SKOS.prefLabel, Literal(geography.name_en, lang="en")))
    if dataset.temporal_start or dataset.temporal_end:
        period = BNode()
        graph.add((ds, DCTERMS.temporal, period))
        graph.add((period, RDF.type, DCTERMS.PeriodOfTime))
        if dataset.temporal_start:
            graph.add((period, DCAT.startDate, Literal(dataset.temporal_start, datatype=XSD.date)))
        if dataset.temporal_end:
            graph.add((period, DCAT.endDate, Literal(dataset.temporal_end, datatype=XSD.date)))
    if dataset.frequency in FREQUENCIES:
        graph.add((ds, DCTERMS.accrualPeriodicity, EU_FREQUENCY[FREQUENCIES[dataset.frequency]]))
    if dataset.language in LANGUAGES:
        graph.add((ds, DCTERMS.language, EU_LANGUAGE[LANGUAGES[dataset.language]]))
    if dataset.first_published_at:
        graph.add((ds, DCTERMS.issued, Literal(dataset.first_published_at, datatype=XSD.dateTime)))
    graph.add((ds, DCTERMS.modified, Literal(dataset.last_modified, datatype=XSD.dateTime)))
    if dataset.visibility == Visibility.METADATA_ONLY:
        graph.add((ds, DCTERMS.accessRights, Literal("Data available on request")))
    for line in dataset.related_publications.splitlines():
        if line.strip().startswith(("http://", "https://")):
            graph.add((ds, DCTERMS.isReferencedBy, uri(line)))
    if dataset.sensitive:
        # The disclosure-control certificate of the release (sdg87.disclosure, ADR 0014) as a
        # related resource; reached through the reverse relation so catalog imports no app.
        certificates = getattr(dataset, "disclosure_certificates", None)
        latest = certificates.order_by("-issued_at", "-id").first() if certificates else None
        if latest is not None:
            from django.urls import reverse
            from django.utils import translation

            with translation.override("en"):
                path = reverse("disclosure:certificate_json", kwargs={"pk": latest.pk})
            graph.add((ds, DCTERMS.relation, uri(f"{base_url}{path}")))
    version_count = dataset.versions.count()
    if version_count:
        graph.add((ds, DCAT_VERSION, Literal(str(version_count))))

    for view in distributions:
        _add_distribution(graph, ds, dataset, view, base_url=base_url)
    return ds


def _add_distribution(
    graph: Graph, ds: URIRef, dataset: Dataset, view: DistributionView, *, base_url: str
) -> None:
    d = view.distribution
    node = URIRef(f"{base_url}/dataset/{dataset.slug}/resource/{d.pk}")
    graph.add((ds, DCAT.distribution, node))
    graph.add((node, RDF.type, DCAT.Distribution))
    graph.add((node, DCTERMS.title, Literal(d.title)))
    if d.description:
        graph.add((node, DCTERMS.description, Literal(strip_tags(d.description))))
    graph.add((node, DCAT.accessURL, uri(view.access_url)))
    if view.download_url:
        graph.add((node, DCAT.downloadURL, uri(view.download_url)))
    if d.format.upper() in FILE_TYPES:
        graph.add((node, DCTERMS.format, EU_FILE_TYPE[FILE_TYPES[d.format.upper()]]))
    media_type = media_type_uri(d.media_type)
    if media_type is not None:
        graph.add((node, DCAT.mediaType, media_type))
    if d.byte_size is not None:
        graph.add((node, DCAT.byteSize, Literal(d.byte_size, datatype=XSD.nonNegativeInteger)))
    if d.sha256:
        checksum = BNode()
        graph.add((node, SPDX.checksum, checksum))
        graph.add((checksum, RDF.type, SPDX.Checksum))
        graph.add((checksum, SPDX.algorithm, SPDX.checksumAlgorithm_sha256))
        graph.add((checksum, SPDX.checksumValue, Literal(d.sha256, datatype=XSD.hexBinary)))
    licence_url = LICENCE_URLS.get(dataset.licence)
    if licence_url:
        graph.add((node, DCTERMS.license, uri(licence_url)))
    else:
        graph.add((node, DCTERMS.rights, Literal(dataset.get_licence_display())))


def catalog_graph(
    *,
    base_url: str,
    title: str,
    entries: list[tuple[Dataset, list[DistributionView], str]],
    page: int,
    page_size: int,
    total: int,
) -> Graph:
    graph = Graph()
    bind_namespaces(graph)
    catalog = URIRef(f"{base_url}/catalog")
    graph.add((catalog, RDF.type, DCAT.Catalog))
    graph.add((catalog, DCTERMS.title, Literal(title, lang="en")))
    graph.add(
        (
            catalog,
            DCTERMS.description,
            Literal(
                "Data directory of the SDG 8.7 Knowledge Platform: statistics and research "
                "on forced labour, modern slavery, human trafficking and child labour.",
                lang="en",
            ),
        )
    )
    graph.add((catalog, FOAF.homepage, URIRef(base_url + "/")))
    for code in LANGUAGES.values():
        graph.add((catalog, DCTERMS.language, EU_LANGUAGE[code]))
    for dataset, distributions, landing in entries:
        ds = add_dataset(
            graph, dataset, base_url=base_url, distributions=distributions, landing_page=landing
        )
        graph.add((catalog, DCAT.dataset, ds))
    last_page = max(1, -(-total // page_size))
    paging = URIRef(f"{base_url}/catalog.ttl?page={page}")
    graph.add((paging, RDF.type, HYDRA.PagedCollection))
    graph.add((paging, HYDRA.totalItems, Literal(total, datatype=XSD.integer)))
    graph.add((paging, HYDRA.itemsPerPage, Literal(page_size, datatype=XSD.integer)))
    graph.add((paging, HYDRA.firstPage, Literal(f"{base_url}/catalog.ttl?page=1")))
    graph.add((paging, HYDRA.lastPage, Literal(f"{base_url}/catalog.ttl?page={last_page}")))
    if page < last_page:
        graph.add((paging, HYDRA.nextPage, Literal(f"{base_url}/catalog.ttl?page={page + 1}")))
    if page > 1:
        graph.add((paging, HYDRA.previousPage, Literal(f"{base_url}/catalog.ttl?page={page - 1}")))
    return graph


def dataset_graph(
    *, base_url: str, dataset: Dataset, distributions: list[DistributionView], landing_page: str
) -> Graph:
    graph = Graph()
    bind_namespaces(graph)
    add_dataset(
        graph, dataset, base_url=base_url, distributions=distributions, landing_page=landing_page
    )
    return graph


def serialise(graph: Graph, fmt: str) -> str:
    if fmt == "json-ld":
        return graph.serialize(format="json-ld", auto_compact=True)
    return graph.serialize(format=fmt)
