"""The OAI-PMH endpoint (/oai): GET, or POST with application/x-www-form-urlencoded.

The view parses (protocol.request_parse), reads (selectors) and writes the response with lxml.
Errors are OAI-PMH errors in a 200 response, as the protocol says. POST is CSRF-exempt: the
protocol only reads, and harvesters do not hold a session.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import timedelta

from django.http import HttpRequest, HttpResponse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods
from lxml import etree

from sdg87.library.oai import config, protocol, selectors
from sdg87.library.oai.metadata import (
    FORMATS,
    OAI_NS,
    OAI_SCHEMA,
    XSI_NS,
    clean,
    metadata_element,
)
from sdg87.library.oai.protocol import OaiError, OaiRequest, format_datestamp

OAI = f"{{{OAI_NS}}}"
CONTENT_TYPE = "text/xml; charset=utf-8"
REPOSITORY_NAME = "SDG 8.7 Knowledge Platform: library and data catalogue"


class _Response:
    def __init__(self, base_url: str) -> None:
        self.root = etree.Element(f"{OAI}OAI-PMH", nsmap={None: OAI_NS, "xsi": XSI_NS})
        self.root.set(f"{{{XSI_NS}}}schemaLocation", f"{OAI_NS} {OAI_SCHEMA}")
        etree.SubElement(self.root, f"{OAI}responseDate").text = format_datestamp(timezone.now())
        self.request = etree.SubElement(self.root, f"{OAI}request")
        self.request.text = base_url

    def echo(self, arguments: Mapping[str, str]) -> None:
        for name, value in arguments.items():
            self.request.set(name, clean(value))

    def error(self, err: OaiError) -> None:
        etree.SubElement(self.root, f"{OAI}error", code=err.code).text = clean(err.message)

    def body(self) -> bytes:
        return etree.tostring(self.root, xml_declaration=True, encoding="UTF-8")


def _params(request: HttpRequest) -> dict[str, list[str]]:
    source = request.POST if request.method == "POST" else request.GET
    return {name: list(values) for name, values in source.lists()}


@csrf_exempt
@require_http_methods(["GET", "HEAD", "POST"])
def endpoint(request: HttpRequest) -> HttpResponse:
    base_url = request.build_absolute_uri(request.path)
    with translation.override("en"):
        response = _Response(base_url)
        params = _params(request)
        try:
            oai_request = protocol.request_parse(
                params, formats=list(FORMATS), token_max_age=config.token_max_age()
            )
        except OaiError as err:
            if err.code not in (protocol.BAD_VERB, protocol.BAD_ARGUMENT):
                response.echo({name: values[0] for name, values in params.items()})
            response.error(err)
            return HttpResponse(response.body(), content_type=CONTENT_TYPE)
        response.echo({"verb": oai_request.verb, **oai_request.arguments})
        try:
            HANDLERS[oai_request.verb](response, oai_request, request)
        except OaiError as err:
            response.error(err)
        return HttpResponse(response.body(), content_type=CONTENT_TYPE)


def _base(request: HttpRequest) -> str:
    return request.build_absolute_uri("/").rstrip("/")


# --- verbs ------------------------------------------------------------------------------------


def identify(response: _Response, oai_request: OaiRequest, request: HttpRequest) -> None:
    node = etree.SubElement(response.root, f"{OAI}Identify")
    for tag, text in (
        ("repositoryName", REPOSITORY_NAME),
        ("baseURL", response.request.text),
        ("protocolVersion", "2.0"),
        ("adminEmail", config.admin_email()),
        ("earliestDatestamp", format_datestamp(selectors.earliest_datestamp())),
        ("deletedRecord", "persistent"),
        ("granularity", protocol.GRANULARITY),
    ):
        etree.SubElement(node, f"{OAI}{tag}").text = text


def list_metadata_formats(
    response: _Response, oai_request: OaiRequest, request: HttpRequest
) -> None:
    if oai_request.identifier and selectors.record_get(identifier=oai_request.identifier) is None:
        raise OaiError(protocol.ID_DOES_NOT_EXIST, _("No record has this identifier."))
    node = etree.SubElement(response.root, f"{OAI}ListMetadataFormats")
    for prefix, (schema, namespace) in FORMATS.items():
        fmt = etree.SubElement(node, f"{OAI}metadataFormat")
        etree.SubElement(fmt, f"{OAI}metadataPrefix").text = prefix
        etree.SubElement(fmt, f"{OAI}schema").text = schema
        etree.SubElement(fmt, f"{OAI}metadataNamespace").text = namespace


def _token_element(
    parent: etree._Element, *, state: protocol.ListState, sent: int, total: int, more: bool
) -> None:
    """The resumptionToken of a list split across responses (none when it is not split)."""
    if not more and state.cursor == 0:
        return
    element = etree.SubElement(parent, f"{OAI}resumptionToken")
    element.set("completeListSize", str(total))
    element.set("cursor", str(state.cursor))
    if more:
        next_state = protocol.ListState(
            verb=state.verb,
            metadata_prefix=state.metadata_prefix,
            set_spec=state.set_spec,
            lower=state.lower,
            upper=state.upper,
            position=state.position,
            cursor=state.cursor + sent,
        )
        expires = timezone.now() + timedelta(seconds=config.token_max_age())
        element.set("expirationDate", format_datestamp(expires))
        element.text = protocol.token_encode(next_state)


def list_sets(response: _Response, oai_request: OaiRequest, request: HttpRequest) -> None:
    sets = selectors.sets_in_use()
    if not sets:
        raise OaiError(protocol.NO_SET_HIERARCHY, _("The repository holds no sets."))
    assert oai_request.state is not None
    state = oai_request.state
    size = config.page_size()
    page = sets[state.cursor : state.cursor + size]
    if not page:
        raise OaiError(protocol.BAD_RESUMPTION_TOKEN, _("The list of sets has changed."))
    node = etree.SubElement(response.root, f"{OAI}ListSets")
    for info in page:
        element = etree.SubElement(node, f"{OAI}set")
        etree.SubElement(element, f"{OAI}setSpec").text = info.spec
        etree.SubElement(element, f"{OAI}setName").text = clean(info.name)
    more = state.cursor + len(page) < len(sets)
    _token_element(node, state=state, sent=len(page), total=len(sets), more=more)


def _header(parent: etree._Element, header: selectors.Header) -> None:
    element = etree.SubElement(parent, f"{OAI}header")
    if header.deleted:
        element.set("status", "deleted")
    etree.SubElement(element, f"{OAI}identifier").text = header.identifier
    etree.SubElement(element, f"{OAI}datestamp").text = format_datestamp(header.datestamp)
    for spec in header.set_specs:
        etree.SubElement(element, f"{OAI}setSpec").text = spec


def _record(
    parent: etree._Element, record: selectors.Record, prefix: str, request: HttpRequest
) -> None:
    element = etree.SubElement(parent, f"{OAI}record")
    _header(element, record.header)
    if record.item is not None and not record.header.deleted:
        metadata = etree.SubElement(element, f"{OAI}metadata")
        desc = selectors.description_of(record.item, base_url=_base(request))
        metadata.append(metadata_element(prefix, desc, datacentre=config.repository_identifier()))


def get_record(response: _Response, oai_request: OaiRequest, request: HttpRequest) -> None:
    record = selectors.record_get(identifier=oai_request.identifier)
    if record is None:
        raise OaiError(protocol.ID_DOES_NOT_EXIST, _("No record has this identifier."))
    node = etree.SubElement(response.root, f"{OAI}GetRecord")
    _record(node, record, oai_request.metadata_prefix, request)


def _list(response: _Response, oai_request: OaiRequest, request: HttpRequest) -> None:
    assert oai_request.state is not None
    state = oai_request.state
    page = selectors.record_page(state=state, page_size=config.page_size())
    if not page.records:
        # Also when a resumed list lost its last records meanwhile (they were rescheduled).
        raise OaiError(protocol.NO_RECORDS_MATCH, _("No record matches these arguments."))
    node = etree.SubElement(response.root, f"{OAI}{oai_request.verb}")
    for record in page.records:
        if oai_request.verb == protocol.LIST_IDENTIFIERS:
            _header(node, record.header)
        else:
            _record(node, record, state.metadata_prefix, request)
    last = page.records[-1].position
    moved = protocol.ListState(
        verb=state.verb,
        metadata_prefix=state.metadata_prefix,
        set_spec=state.set_spec,
        lower=state.lower,
        upper=state.upper,
        position=last,
        cursor=state.cursor,
    )
    _token_element(
        node,
        state=moved,
        sent=len(page.records),
        total=max(page.complete_list_size, state.cursor + len(page.records)),
        more=page.more,
    )


HANDLERS = {
    protocol.IDENTIFY: identify,
    protocol.LIST_METADATA_FORMATS: list_metadata_formats,
    protocol.LIST_SETS: list_sets,
    protocol.GET_RECORD: get_record,
    protocol.LIST_IDENTIFIERS: _list,
    protocol.LIST_RECORDS: _list,
}
