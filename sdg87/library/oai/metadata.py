"""The two metadata formats, written with lxml from a `Description` (pure: no ORM).

- `oai_dc`: unqualified Dublin Core inside `<oai_dc:dc>` (oai_dc.xsd).
- `oai_datacite`: a DataCite kernel-4 `<resource>` inside `<oai_datacite><payload>`, the
  envelope of DataCite's own OAI-PMH service (oai-1.1/oai.xsd). resourceTypeGeneral comes from
  the library's one table of types (resource_types.type_mapping); datasets are `Dataset`.

Text is never concatenated into XML: every value is an element's text or an attribute, and
characters XML 1.0 cannot carry (control characters) are dropped first.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from lxml import etree

OAI_NS = "http://www.openarchives.org/OAI/2.0/"
XSI_NS = "http://www.w3.org/2001/XMLSchema-instance"
XML_NS = "http://www.w3.org/XML/1998/namespace"
OAI_DC_NS = "http://www.openarchives.org/OAI/2.0/oai_dc/"
DC_NS = "http://purl.org/dc/elements/1.1/"
DATACITE_NS = "http://datacite.org/schema/kernel-4"
OAI_DATACITE_NS = "http://schema.datacite.org/oai/oai-1.1/"

OAI_SCHEMA = "http://www.openarchives.org/OAI/2.0/OAI-PMH.xsd"
OAI_DC_SCHEMA = "http://www.openarchives.org/OAI/2.0/oai_dc.xsd"
DATACITE_SCHEMA = "http://schema.datacite.org/meta/kernel-4/metadata.xsd"
OAI_DATACITE_SCHEMA = "http://schema.datacite.org/oai/oai-1.1/oai.xsd"

OAI_DC = "oai_dc"
OAI_DATACITE = "oai_datacite"
# prefix -> (schema, namespace), in the order ListMetadataFormats lists them
FORMATS: dict[str, tuple[str, str]] = {
    OAI_DC: (OAI_DC_SCHEMA, OAI_DC_NS),
    OAI_DATACITE: (OAI_DATACITE_SCHEMA, OAI_DATACITE_NS),
}
DATACITE_SCHEMA_VERSION = "4"
UNAVAILABLE = "(:unav)"  # DataCite's code for a value that is not available

_NOT_XML = re.compile("[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_LANGUAGE = re.compile(r"[a-zA-Z]{1,8}(-[a-zA-Z0-9]{1,8})*")


def clean(value: object) -> str:
    """The text without the characters XML 1.0 forbids."""
    return _NOT_XML.sub("", str(value)).strip()


@dataclass(frozen=True)
class Person:
    """An author: a person (family, given, optional ORCID iD) or an organisation (name)."""

    name: str = ""
    family: str = ""
    given: str = ""
    orcid: str = ""

    @property
    def is_organisation(self) -> bool:
        return bool(self.name) and not self.family

    @property
    def display(self) -> str:
        if self.is_organisation:
            return self.name
        return f"{self.family}, {self.given}" if self.given else self.family


@dataclass(frozen=True)
class Description:
    """What both formats say about one record, in English."""

    oai_identifier: str
    title: str
    type_label: str  # the platform's type, e.g. "Impact evaluation"
    datacite_type: str  # resourceTypeGeneral, e.g. "Report", "Dataset"
    dcmi_type: str  # DCMI Type vocabulary: "Text" or "Dataset"
    creators: list[Person] = field(default_factory=list)
    publisher: str = ""
    year: int | None = None
    issued: str = ""  # ISO date when known
    language: str = ""
    abstract: str = ""
    subjects: list[str] = field(default_factory=list)
    sdg_targets: list[str] = field(default_factory=list)
    places: list[str] = field(default_factory=list)
    landing_url: str = ""
    doi: str = ""
    isbns: list[str] = field(default_factory=list)
    handle: str = ""
    publisher_url: str = ""
    licence_name: str = ""
    licence_url: str = ""


def _sub(parent: etree._Element, tag: str, text: object = None, **attrib: str) -> etree._Element:
    element = etree.SubElement(parent, tag, {k: v for k, v in attrib.items() if v})
    if text is not None:
        element.text = clean(text)
    return element


def _identifiers(desc: Description) -> list[str]:
    found = []
    if desc.landing_url:
        found.append(desc.landing_url)
    if desc.doi:
        found.append(f"https://doi.org/{desc.doi}")
    found += [f"urn:isbn:{isbn}" for isbn in desc.isbns]
    if desc.handle:
        found.append(f"hdl:{desc.handle}")
    if desc.publisher_url:
        found.append(desc.publisher_url)
    return found


def oai_dc(desc: Description) -> etree._Element:
    nsmap = {"oai_dc": OAI_DC_NS, "dc": DC_NS, "xsi": XSI_NS}
    root = etree.Element(f"{{{OAI_DC_NS}}}dc", nsmap=nsmap)
    root.set(f"{{{XSI_NS}}}schemaLocation", f"{OAI_DC_NS} {OAI_DC_SCHEMA}")

    def dc(name: str, text: str) -> None:
        if clean(text):
            _sub(root, f"{{{DC_NS}}}{name}", text)

    dc("title", desc.title)
    for person in desc.creators:
        dc("creator", person.display)
    for subject in desc.subjects:
        dc("subject", subject)
    for target in desc.sdg_targets:
        dc("subject", f"SDG {target}")
    dc("description", desc.abstract)
    dc("publisher", desc.publisher)
    dc("date", desc.issued or (str(desc.year) if desc.year else ""))
    dc("type", desc.dcmi_type)
    dc("type", desc.type_label)
    for identifier in _identifiers(desc):
        dc("identifier", identifier)
    dc("language", desc.language)
    for place in desc.places:
        dc("coverage", place)
    dc("rights", desc.licence_url or desc.licence_name)
    return root


def datacite_resource(desc: Description) -> etree._Element:
    """A DataCite kernel-4 `<resource>` (metadata.xsd)."""
    d = f"{{{DATACITE_NS}}}"
    root = etree.Element(f"{d}resource", nsmap={None: DATACITE_NS, "xsi": XSI_NS})
    root.set(f"{{{XSI_NS}}}schemaLocation", f"{DATACITE_NS} {DATACITE_SCHEMA}")

    if desc.doi:
        _sub(root, f"{d}identifier", desc.doi, identifierType="DOI")
    elif desc.landing_url:
        _sub(root, f"{d}identifier", desc.landing_url, identifierType="URL")
    else:
        _sub(root, f"{d}identifier", desc.oai_identifier, identifierType="OAI")

    creators = _sub(root, f"{d}creators")
    people = desc.creators or ([Person(name=desc.publisher)] if clean(desc.publisher) else [])
    for person in people or [Person(name=UNAVAILABLE)]:
        creator = _sub(creators, f"{d}creator")
        if person.is_organisation:
            _sub(creator, f"{d}creatorName", person.name, nameType="Organizational")
        else:
            _sub(creator, f"{d}creatorName", person.display, nameType="Personal")
            if person.given:
                _sub(creator, f"{d}givenName", person.given)
            _sub(creator, f"{d}familyName", person.family)
            if person.orcid:
                _sub(
                    creator,
                    f"{d}nameIdentifier",
                    f"https://orcid.org/{person.orcid}",
                    nameIdentifierScheme="ORCID",
                    schemeURI="https://orcid.org",
                )

    titles = _sub(root, f"{d}titles")
    title = _sub(titles, f"{d}title", desc.title or UNAVAILABLE)
    if desc.language and _LANGUAGE.fullmatch(desc.language):
        title.set(f"{{{XML_NS}}}lang", desc.language)
    _sub(root, f"{d}publisher", clean(desc.publisher) or UNAVAILABLE)
    # Required. The selectors always pass one (publication year, else the year the record was
    # made available, as DataCite asks); "0000" only guards against a caller that does not.
    _sub(root, f"{d}publicationYear", f"{desc.year:04d}" if desc.year else "0000")
    _sub(
        root,
        f"{d}resourceType",
        desc.type_label,
        resourceTypeGeneral=desc.datacite_type,
    )

    if desc.subjects or desc.sdg_targets:
        subjects = _sub(root, f"{d}subjects")
        for subject in desc.subjects:
            _sub(subjects, f"{d}subject", subject)
        for target in desc.sdg_targets:
            _sub(
                subjects,
                f"{d}subject",
                f"SDG {target}",
                subjectScheme="Sustainable Development Goal targets",
            )
    if desc.issued:
        dates = _sub(root, f"{d}dates")
        _sub(dates, f"{d}date", desc.issued, dateType="Issued")
    if desc.language and _LANGUAGE.fullmatch(desc.language):
        _sub(root, f"{d}language", desc.language)

    alternates = []
    if desc.doi and desc.landing_url:
        alternates.append((desc.landing_url, "URL"))
    alternates += [(isbn, "ISBN") for isbn in desc.isbns]
    if desc.handle:
        alternates.append((desc.handle, "Handle"))
    if desc.publisher_url:
        alternates.append((desc.publisher_url, "URL"))
    if alternates:
        wrapper = _sub(root, f"{d}alternateIdentifiers")
        for value, kind in alternates:
            _sub(wrapper, f"{d}alternateIdentifier", value, alternateIdentifierType=kind)

    if desc.licence_url or desc.licence_name:
        rights_list = _sub(root, f"{d}rightsList")
        _sub(
            rights_list,
            f"{d}rights",
            desc.licence_name or desc.licence_url,
            rightsURI=desc.licence_url,
        )
    if clean(desc.abstract):
        descriptions = _sub(root, f"{d}descriptions")
        _sub(descriptions, f"{d}description", desc.abstract, descriptionType="Abstract")
    if desc.places:
        locations = _sub(root, f"{d}geoLocations")
        for place in desc.places:
            location = _sub(locations, f"{d}geoLocation")
            _sub(location, f"{d}geoLocationPlace", place)
    return root


def oai_datacite(desc: Description, *, datacentre: str) -> etree._Element:
    """DataCite's OAI-PMH envelope around the kernel-4 resource."""
    o = f"{{{OAI_DATACITE_NS}}}"
    root = etree.Element(f"{o}oai_datacite", nsmap={None: OAI_DATACITE_NS, "xsi": XSI_NS})
    root.set(f"{{{XSI_NS}}}schemaLocation", f"{OAI_DATACITE_NS} {OAI_DATACITE_SCHEMA}")
    _sub(root, f"{o}schemaVersion", DATACITE_SCHEMA_VERSION)
    _sub(root, f"{o}datacentreSymbol", datacentre)
    payload = _sub(root, f"{o}payload")
    payload.append(datacite_resource(desc))
    return root


def metadata_element(prefix: str, desc: Description, *, datacentre: str) -> etree._Element:
    if prefix == OAI_DATACITE:
        return oai_datacite(desc, datacentre=datacentre)
    return oai_dc(desc)
