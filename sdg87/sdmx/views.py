"""SDMX REST endpoints under /sdmx/ (2.x and 1.x URL spaces): parse, call a selector, write.

Errors follow the SDMX REST specification: 400 bad syntax, 404 no results, 406 no acceptable
format, 501 not implemented; the body is an SDMX-ML 2.1 error message (plain text for 406).
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from collections.abc import Callable, Sequence
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.cache import get_conditional_response
from django.utils.http import http_date, quote_etag
from django.utils.translation import trans_real
from django.views.decorators.http import require_safe

from sdg87.sdmx import data as data_query
from sdg87.sdmx import mapping, query, sdmxcsv, sdmxjson, sdmxml, selectors, structures
from sdg87.sdmx.query import NotAcceptable, NotImplementedQuery, QueryError

STRUCTURE_TYPES = {"dataflow", "datastructure", "codelist", "conceptscheme"}
OTHER_STRUCTURE_TYPES = {
    "structure",
    "agencyscheme",
    "categorisation",
    "categoryscheme",
    "contentconstraint",
    "dataconsumerscheme",
    "dataproviderscheme",
    "hierarchicalcodelist",
    "metadataflow",
    "metadatastructure",
    "organisationscheme",
    "organisationunitscheme",
    "process",
    "provisionagreement",
    "reportingtaxonomy",
    "structureset",
    "valuelist",
    "hierarchy",
    "hierarchyassociation",
    "representationmap",
    "structuremap",
    "conceptschememap",
    "categoryschememap",
    "organisationschememap",
    "reportingtaxonomymap",
    "vtlmappingscheme",
    "transformationscheme",
    "rulesetscheme",
    "userdefinedoperatorscheme",
    "customtypescheme",
    "namepersonalisationscheme",
    "metadataproviderscheme",
    "metadataprovisionagreement",
    "actualconstraint",
    "allowedconstraint",
    "dataconstraint",
    "metadataconstraint",
}
REFERENCES = {
    "none",
    "parents",
    "parentsandsiblings",
    "children",
    "descendants",
    "all",
    "ancestors",
}
DEFAULT_LIMIT = 50_000


class NoResults(LookupError):
    """404: the query is valid but nothing matches."""


def languages(request: HttpRequest) -> tuple[str, ...]:
    """Names in the language asked by Accept-Language (EN, FR or ES); all three when the
    header asks for none of them or is absent."""
    header = request.headers.get("Accept-Language", "")
    for lang, _q in trans_real.parse_accept_lang_header(header[:500]):
        base = lang.split("-")[0].lower()
        if base in structures.LANGUAGES:
            return (base,)
    return structures.LANGUAGES


def _error(status: int, text: str) -> HttpResponse:
    body = sdmxml.error_message(code=status, text=text, prepared=timezone.now())
    return HttpResponse(body, status=status, content_type="application/xml; charset=utf-8")


def _handled(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    def wrapper(request: HttpRequest, **kwargs: Any) -> HttpResponse:
        try:
            return view(request, **kwargs)
        except QueryError as exc:
            return _error(400, f"Syntax error: {exc}")
        except NoResults as exc:
            return _error(404, f"No results: {exc}")
        except NotImplementedQuery as exc:
            return _error(501, f"Not implemented: {exc}")
        except NotAcceptable as exc:
            return HttpResponse(
                f"Not acceptable: {exc}", status=406, content_type="text/plain; charset=utf-8"
            )

    wrapper.__name__ = view.__name__
    wrapper.__doc__ = view.__doc__
    return require_safe(wrapper)


def _respond(
    request: HttpRequest, body: bytes, content_type: str, last_modified: Any = None
) -> HttpResponse:
    """The body with a strong ETag (a digest of the body, language and format), answering
    304 to a matching If-None-Match."""
    etag = quote_etag(hashlib.sha256(body).hexdigest()[:32])
    response = HttpResponse(body, content_type=content_type)
    response["ETag"] = etag
    response["Vary"] = "Accept, Accept-Language"
    if last_modified is not None:
        response["Last-Modified"] = http_date(last_modified.timestamp())
    # Conditional requests are decided on the ETag alone: a release withdrawn from the public
    # changes the answer without a newer loading date, so If-Modified-Since could be stale.
    if request.headers.get("If-None-Match"):
        conditional = get_conditional_response(request, etag=etag, response=response)
        if conditional is not None and conditional.status_code == 304:
            return conditional
    return response


# --- structures ------------------------------------------------------------------------


def _references(request: HttpRequest) -> str:
    value = request.GET.get("references", "none").lower()
    if value not in REFERENCES and value not in STRUCTURE_TYPES | OTHER_STRUCTURE_TYPES:
        raise QueryError(f"Invalid references {value!r}")
    if value == "ancestors":
        raise NotImplementedQuery("references=ancestors")
    return value


def _detail(request: HttpRequest) -> None:
    value = request.GET.get("detail", "full").lower()
    allowed = {
        "full",
        "allstubs",
        "referencestubs",
        "allcompletestubs",
        "referencecompletestubs",
        "referencepartial",
        "raw",
    }
    if value not in allowed:
        raise QueryError(f"Invalid detail {value!r}")
    if value != "full":
        raise NotImplementedQuery(f"detail={value}")


def structure_answer(
    request: HttpRequest,
    *,
    artefact_type: str,
    agency: str | None,
    resource_id: str | None,
    version: str | None,
) -> HttpResponse:
    artefact_type = artefact_type.lower()
    if artefact_type not in STRUCTURE_TYPES | OTHER_STRUCTURE_TYPES:
        raise QueryError(f"Unknown structure type {artefact_type!r}")
    query.check_ref(agency=agency, resource_id=resource_id, version=version)
    references = _references(request)
    _detail(request)
    fmt = query.structure_format(
        format_param=request.GET.get("format"), accept=request.headers.get("Accept")
    )
    langs = languages(request)

    def matches(ref: mapping.Ref) -> bool:
        return (
            query.id_matches(agency, ref.agency)
            and query.id_matches(resource_id, ref.id)
            and query.version_matches(version, ref.version)
        )

    flows: list[structures.Dataflow] = []
    dsds: list[structures.DataStructure] = []
    codelists: list[structures.Codelist] = []
    schemes: list[structures.ConceptScheme] = []
    all_flows = structures.dataflows(langs)
    all_dsds = [structures.sdg_dsd(langs), structures.own_dsd(langs)]
    if artefact_type in {"dataflow", "structure"}:
        flows = [f for f in all_flows if matches(f.ref)]
    if artefact_type in {"datastructure", "structure"}:
        dsds = [d for d in all_dsds if matches(d.ref)]
    if artefact_type in {"codelist", "structure"}:
        codelists = [c for c in structures.all_codelists(langs) if matches(c.ref)]
    if artefact_type in {"conceptscheme", "structure"}:
        schemes = [
            s for s in (structures.sdg_concepts(), structures.own_concepts(langs)) if matches(s.ref)
        ]
    if not (flows or dsds or codelists or schemes):
        raise NoResults(f"no {artefact_type} matches {agency}/{resource_id}/{version}")

    primary_flows, primary_dsds = list(flows), list(dsds)
    primary_codelists, primary_schemes = list(codelists), list(schemes)
    children = references in {"children", "descendants", "all"} | (STRUCTURE_TYPES - {"dataflow"})
    parents = references in {"parents", "parentsandsiblings", "all", "dataflow"}
    if children and flows:
        wanted = {f.structure for f in flows}
        dsds += [d for d in all_dsds if d.ref in wanted and d not in dsds]
    if children and dsds:
        cl_refs = {r for d in dsds for r in d.codelist_refs()}
        scheme_refs = {r for d in dsds for r in d.concept_schemes()}
        have = {c.ref for c in codelists}
        codelists += [c for c in structures.all_codelists(langs) if c.ref in cl_refs - have]
        schemes += [
            s
            for s in (structures.sdg_concepts(), structures.own_concepts(langs))
            if s.ref in scheme_refs and s not in schemes
        ]
    if parents and (dsds or codelists):
        dsd_refs = {d.ref for d in dsds}
        used = {c.ref for c in codelists}
        dsd_refs |= {d.ref for d in all_dsds if used & set(d.codelist_refs())}
        if artefact_type == "codelist":
            dsds += [d for d in all_dsds if d.ref in dsd_refs and d not in dsds]
        flows += [f for f in all_flows if f.structure in dsd_refs and f not in flows]
    if references in STRUCTURE_TYPES:
        # Only the matched artefacts and the referenced ones of the type asked for.
        flows = flows if references == "dataflow" else primary_flows
        dsds = dsds if references == "datastructure" else primary_dsds
        codelists = codelists if references == "codelist" else primary_codelists
        schemes = schemes if references == "conceptscheme" else primary_schemes
    body = sdmxml.structure_message(
        dataflows=flows,
        codelists=codelists,
        concept_schemes=schemes,
        datastructures=dsds,
        prepared=timezone.now(),
    )
    return _respond(request, body, query.CONTENT_TYPES[fmt])


@_handled
def structure_v2(
    request: HttpRequest,
    artefact_type: str,
    agency: str | None = None,
    resource_id: str | None = None,
    version: str | None = None,
) -> HttpResponse:
    """2.x: /structure/{artefactType}/{agencyID}/{resourceID}/{version}."""
    return structure_answer(
        request,
        artefact_type=artefact_type,
        agency=agency,
        resource_id=resource_id,
        version=version,
    )


@_handled
def structure_v1(
    request: HttpRequest,
    artefact_type: str,
    agency: str | None = None,
    resource_id: str | None = None,
    version: str | None = None,
) -> HttpResponse:
    """1.x: /{resource}/{agencyID}/{resourceID}/{version}."""
    return structure_answer(
        request,
        artefact_type=artefact_type,
        agency=agency,
        resource_id=resource_id,
        version=version,
    )


# --- data ------------------------------------------------------------------------------


def _flow(agency: str | None, resource_id: str, version: str | None) -> selectors.Flow:
    query.check_ref(agency=agency, resource_id=resource_id, version=version)
    if resource_id in query.WILDCARDS:
        raise NotImplementedQuery("data queries across several dataflows")
    flow = selectors.flow_get(flow_id=resource_id)
    if (
        flow is None
        or not query.id_matches(agency, mapping.AGENCY)
        or not query.version_matches(version, mapping.FLOW_VERSION)
    ):
        raise NoResults(f"no dataflow {agency}:{resource_id}({version})")
    return flow


def data_answer(
    request: HttpRequest,
    *,
    flow: selectors.Flow,
    key: str | None,
    v1_periods: bool,
) -> HttpResponse:
    params = request.GET
    fmt = query.data_format(format_param=params.get("format"), accept=request.headers.get("Accept"))
    dims = mapping.sdg_dimension_ids() if flow.uses_sdg_dsd else list(mapping.OWN_DIMENSIONS)
    filters = query.Filters(codes=query.parse_key(key, dims))
    query.parse_component_filters(params, dims, filters)
    if params.get("startPeriod"):
        filters.year_from = query._year(params["startPeriod"], end=False)
    if params.get("endPeriod"):
        filters.year_to = query._year(params["endPeriod"], end=True)
    # Time travel over vintages (vintages.selectors): the data as published on a day, what
    # was published after a time, and every vintage with its validity (includeHistory: one
    # data set per vintage with validFrom/validTo; in SDMX-CSV, columns).
    history = query.boolean(params, "includeHistory")
    as_of = query.moment(params, "asOf")
    updated_after = query.moment(params, "updatedAfter")
    if params.get("updatedBefore"):
        raise NotImplementedQuery("updatedBefore")
    detail = params.get("detail", "full")
    if detail not in {"full", "dataonly", "serieskeysonly", "nodata"}:
        raise QueryError(f"Invalid detail {detail!r}")
    if detail != "full" and detail != "dataonly":
        raise NotImplementedQuery(f"detail={detail}")
    at = params.get("dimensionAtObservation", "TIME_PERIOD")
    if at not in {"TIME_PERIOD", "AllDimensions"}:
        if at in dims:
            raise NotImplementedQuery(f"dimensionAtObservation={at}")
        raise QueryError(f"Unknown dimension {at!r} in dimensionAtObservation")
    last_n = query.positive_int(params, "lastNObservations", maximum=1000)
    first_n = query.positive_int(params, "firstNObservations", maximum=1000)
    offset = query.positive_int(params, "offset", maximum=10_000_000) or 0
    limit = query.positive_int(params, "limit", maximum=query.MAX_LIMIT)
    langs = languages(request)
    page = data_query.query(
        flow=flow,
        filters=filters,
        last_n=last_n,
        first_n=first_n,
        offset=offset,
        limit=DEFAULT_LIMIT if limit is None else limit,
        languages=langs,
        as_of=as_of.date() if as_of else None,
        updated_after=updated_after,
        history=history,
    )
    if not page.dataset.observations:
        raise NoResults("no observations match the query")
    data = page.dataset
    if detail == "dataonly":
        data.observations = [
            dataclasses.replace(o, series_attributes=(), attributes=()) for o in data.observations
        ]
    now = timezone.now()
    if fmt in {query.CSV1, query.CSV2, query.JSON1, query.JSON2}:
        series = flow.series
        cls = (
            structures.sdg_codelists(langs, series)
            if flow.uses_sdg_dsd
            else structures.own_codelists(langs, series)
        )
        data_query.with_labels(data, cls)
    concepts = _concept_names(flow, langs)
    if fmt == query.GENERIC:
        body = sdmxml.generic_data(data, at=at, prepared=now)
    elif fmt == query.STRUCTURE_SPECIFIC:
        body = sdmxml.structure_specific_data(data, at=at, prepared=now)
    elif fmt in {query.CSV1, query.CSV2}:
        labels = params.get("labels", "id")
        if labels not in {"id", "both", "name"}:
            raise QueryError(f"Invalid labels {labels!r}")
        if labels == "name":
            raise NotImplementedQuery("labels=name")
        time_format = params.get("timeFormat", "original")
        if time_format not in {"original", "normalized"}:
            raise QueryError(f"Invalid timeFormat {time_format!r}")
        body = sdmxcsv.write(
            data,
            version="2.0" if fmt == query.CSV2 else "1.0",
            labels=labels,
            time_format=time_format,
            concepts=concepts,
        ).encode()
    else:
        writer = sdmxjson.write_v2 if fmt == query.JSON2 else sdmxjson.write_v1
        body = json.dumps(
            writer(data, at=at, concepts=concepts, prepared=now),
            ensure_ascii=False,
            allow_nan=False,
        ).encode()
    response = _respond(
        request, body, query.CONTENT_TYPES[fmt], selectors.last_loaded(series=flow.series)
    )
    if page.total > offset + len(data.observations) or offset:
        response["X-Total-Count"] = str(page.total)
    return response


def _concept_names(flow: selectors.Flow, langs: Sequence[str]) -> dict[str, dict[str, str]]:
    scheme = structures.sdg_concepts() if flow.uses_sdg_dsd else structures.own_concepts(langs)
    return dict(scheme.concepts)


@_handled
def data_v2(
    request: HttpRequest,
    context: str,
    agency: str,
    resource_id: str,
    version: str | None = None,
    key: str | None = None,
) -> HttpResponse:
    """2.x: /data/{context}/{agencyID}/{resourceID}/{version}/{key}."""
    if context == "datastructure" or context == "provisionagreement":
        raise NotImplementedQuery(f"data by {context}")
    flow = _flow(agency, resource_id, version)
    return data_answer(request, flow=flow, key=key, v1_periods=False)


@_handled
def data_v1(
    request: HttpRequest, flow_ref: str, key: str | None = None, provider: str | None = None
) -> HttpResponse:
    """1.x: /data/{flowRef}/{key}/{providerRef}."""
    ref = query.flow_ref(flow_ref)
    if provider not in {None, "all", "*", mapping.AGENCY}:
        raise NoResults(f"no data provider {provider!r}")
    flow = _flow(ref.agency, ref.id, ref.version)
    return data_answer(request, flow=flow, key=key, v1_periods=True)
