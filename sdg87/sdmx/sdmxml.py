"""SDMX-ML 2.1 writers: structure messages, generic and structure-specific data, errors.

Pure (no ORM). Written with the standard library's ElementTree: sdmx1 can write SDMX-ML but
pulls pandas into the web runtime, which the platform keeps out of it (ADR 0015). Only
writing happens here; nothing incoming is parsed.
"""

from __future__ import annotations

import datetime
import uuid
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Sequence
from itertools import groupby

from sdg87.sdmx.dataset import DataSet, Obs, Vintage, format_value
from sdg87.sdmx.mapping import Ref
from sdg87.sdmx.structures import (
    Codelist,
    Component,
    ConceptScheme,
    Dataflow,
    DataStructure,
    Names,
)

V21 = "http://www.sdmx.org/resources/sdmxml/schemas/v2_1/"
NS = {
    "mes": V21 + "message",
    "str": V21 + "structure",
    "com": V21 + "common",
    "gen": V21 + "data/generic",
    "ss": V21 + "data/structurespecific",
    "footer": V21 + "message/footer",
    "xsi": "http://www.w3.org/2001/XMLSchema-instance",
}
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
for _prefix, _uri in NS.items():
    ET.register_namespace(_prefix, _uri)

SENDER = "SDG87"


def q(tag: str) -> str:
    prefix, _sep, local = tag.partition(":")
    return f"{{{NS[prefix]}}}{local}"


def _sub(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
    element = ET.SubElement(parent, q(tag) if ":" in tag else tag, attrs)
    if text is not None:
        element.text = text
    return element


def _names(parent: ET.Element, names: Names, tag: str = "com:Name") -> None:
    for lang, text in names.items():
        _sub(parent, tag, text, **{XML_LANG: lang})


def _header(root: ET.Element, *, prepared: datetime.datetime) -> ET.Element:
    header = _sub(root, "mes:Header")
    _sub(header, "mes:ID", "IREF" + uuid.uuid4().hex[:16].upper())
    _sub(header, "mes:Test", "false")
    _sub(header, "mes:Prepared", prepared.strftime("%Y-%m-%dT%H:%M:%S"))
    _sub(header, "mes:Sender", id=SENDER)
    return header


def _serialise(root: ET.Element) -> bytes:
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)


def urn(kind: str, ref: Ref) -> str:
    return f"urn:sdmx:org.sdmx.infomodel.{kind}={ref.agency}:{ref.id}({ref.version})"


# --- structures ------------------------------------------------------------------------


def _maintainable(
    parent: ET.Element, tag: str, ref: Ref, names: Names, kind: str, **extra: str
) -> ET.Element:
    attrs = {
        "id": ref.id,
        "agencyID": ref.agency,
        "version": ref.version,
        "urn": urn(kind, ref),
        "isExternalReference": "false",
        "isFinal": "true",
        **extra,
    }
    element = _sub(parent, tag, **attrs)
    _names(element, names)
    return element


def _codelist(parent: ET.Element, codelist: Codelist) -> None:
    extra = {"isPartial": "true"} if codelist.partial else {}
    element = _maintainable(
        parent, "str:Codelist", codelist.ref, codelist.names, "codelist.Codelist", **extra
    )
    for code, names in codelist.codes:
        item = _sub(element, "str:Code", id=code)
        _names(item, names)


def _concepts(parent: ET.Element, scheme: ConceptScheme) -> None:
    element = _maintainable(
        parent, "str:ConceptScheme", scheme.ref, scheme.names, "conceptscheme.ConceptScheme"
    )
    for cid, names in scheme.concepts:
        item = _sub(element, "str:Concept", id=cid)
        _names(item, names)


def _concept_ref(parent: ET.Element, component: Component) -> None:
    scheme, cid = component.concept
    holder = _sub(parent, "str:ConceptIdentity")
    _sub(
        holder,
        "Ref",
        id=cid,
        maintainableParentID=scheme.id,
        maintainableParentVersion=scheme.version,
        agencyID=scheme.agency,
        package="conceptscheme",
        **{"class": "Concept"},
    )


def _representation(parent: ET.Element, component: Component, *, time: bool = False) -> None:
    if component.codelist is not None:
        rep = _sub(parent, "str:LocalRepresentation")
        enum = _sub(rep, "str:Enumeration")
        ref = component.codelist
        _sub(
            enum,
            "Ref",
            id=ref.id,
            agencyID=ref.agency,
            version=ref.version,
            package="codelist",
            **{"class": "Codelist"},
        )
    elif time:
        rep = _sub(parent, "str:LocalRepresentation")
        _sub(rep, "str:TextFormat", textType="ObservationalTimePeriod")
    elif component.text_type:
        rep = _sub(parent, "str:LocalRepresentation")
        _sub(rep, "str:TextFormat", textType=component.text_type)


def _dsd(parent: ET.Element, dsd: DataStructure) -> None:
    element = _maintainable(
        parent, "str:DataStructure", dsd.ref, dsd.names, "datastructure.DataStructure"
    )
    components = _sub(element, "str:DataStructureComponents")
    dims = _sub(components, "str:DimensionList", id="DimensionDescriptor")
    for position, dim in enumerate(dsd.dimensions, start=1):
        node = _sub(dims, "str:Dimension", id=dim.id, position=str(position))
        _concept_ref(node, dim)
        _representation(node, dim)
    time = _sub(
        dims,
        "str:TimeDimension",
        id=dsd.time_dimension.id,
        position=str(len(dsd.dimensions) + 1),
    )
    _concept_ref(time, dsd.time_dimension)
    _representation(time, dsd.time_dimension, time=True)
    attributes = _sub(components, "str:AttributeList", id="AttributeDescriptor")
    for attr in dsd.attributes:
        node = _sub(attributes, "str:Attribute", id=attr.id, assignmentStatus=attr.status)
        _concept_ref(node, attr)
        _representation(node, attr)
        relation = _sub(node, "str:AttributeRelationship")
        if attr.attached_to:
            for dim_id in attr.attached_to:
                _sub(_sub(relation, "str:Dimension"), "Ref", id=dim_id)
        else:
            _sub(_sub(relation, "str:PrimaryMeasure"), "Ref", id="OBS_VALUE")
    measures = _sub(components, "str:MeasureList", id="MeasureDescriptor")
    measure = _sub(measures, "str:PrimaryMeasure", id=dsd.measure.id)
    _concept_ref(measure, dsd.measure)
    _representation(measure, dsd.measure)


def _dataflow(parent: ET.Element, flow: Dataflow) -> None:
    element = _maintainable(parent, "str:Dataflow", flow.ref, flow.names, "datastructure.Dataflow")
    holder = _sub(element, "str:Structure")
    ref = flow.structure
    _sub(
        holder,
        "Ref",
        id=ref.id,
        agencyID=ref.agency,
        version=ref.version,
        package="datastructure",
        **{"class": "DataStructure"},
    )


def structure_message(
    *,
    dataflows: Sequence[Dataflow] = (),
    codelists: Sequence[Codelist] = (),
    concept_schemes: Sequence[ConceptScheme] = (),
    datastructures: Sequence[DataStructure] = (),
    prepared: datetime.datetime,
) -> bytes:
    """An SDMX-ML 2.1 structure message, sections in the order the schema requires."""
    root = ET.Element(q("mes:Structure"))
    _header(root, prepared=prepared)
    structures = _sub(root, "mes:Structures")
    if dataflows:
        holder = _sub(structures, "str:Dataflows")
        for flow in dataflows:
            _dataflow(holder, flow)
    if codelists:
        holder = _sub(structures, "str:Codelists")
        for codelist in codelists:
            _codelist(holder, codelist)
    if concept_schemes:
        holder = _sub(structures, "str:Concepts")
        for scheme in concept_schemes:
            _concepts(holder, scheme)
    if datastructures:
        holder = _sub(structures, "str:DataStructures")
        for dsd in datastructures:
            _dsd(holder, dsd)
    return _serialise(root)


# --- data ------------------------------------------------------------------------------


def _structure_id(data: DataSet) -> str:
    return f"{data.flow.ref.agency}_{data.flow.ref.id}_{data.flow.ref.version}".replace(".", "_")


def _data_header(
    root: ET.Element, data: DataSet, *, at: str, prepared: datetime.datetime, ss: bool
) -> None:
    header = _header(root, prepared=prepared)
    attrs = {"structureID": _structure_id(data), "dimensionAtObservation": at}
    if ss:
        attrs["namespace"] = _ss_namespace(data, at)
    structure = _sub(header, "mes:Structure", **attrs)
    usage = _sub(structure, "com:StructureUsage")
    ref = data.flow.ref
    _sub(usage, "Ref", id=ref.id, agencyID=ref.agency, version=ref.version)


def _ss_namespace(data: DataSet, at: str) -> str:
    level = "AllDimensions" if at == "AllDimensions" else f"ObsLevelDim:{at}"
    return urn("datastructure.Dataflow", data.flow.ref) + ":" + level


def _series_groups(observations: list[Obs]) -> Iterable[tuple[tuple[str, ...], list[Obs]]]:
    # series come grouped, periods ascending (selectors)
    for key, group in groupby(observations, key=lambda o: o.key):
        yield key, list(group)


def _validity(vintage: Vintage | None, prefix: str = "") -> dict[str, str]:
    """A history data set's setID (the release), validFromDate and validToDate (inclusive;
    absent while its values are current). `prefix` qualifies them (structure-specific)."""
    if vintage is None:
        return {}
    attrs = {"setID": vintage.release, "validFromDate": vintage.valid_from_time}
    if vintage.valid_to_time is not None:
        attrs["validToDate"] = vintage.valid_to_time
    return {(q(f"{prefix}:{k}") if prefix else k): v for k, v in attrs.items()}


def generic_data(data: DataSet, *, at: str, prepared: datetime.datetime) -> bytes:
    """SDMX-ML 2.1 generic data; `at` is TIME_PERIOD (time series) or AllDimensions (flat).
    A history answer has one data set per vintage."""
    root = ET.Element(q("mes:GenericData"))
    _data_header(root, data, at=at, prepared=prepared, ss=False)
    for vintage, observations in data.vintage_groups():
        dataset = _sub(root, "mes:DataSet", structureRef=_structure_id(data), **_validity(vintage))
        _generic_dataset(dataset, data, observations, at=at)
    return _serialise(root)


def _generic_dataset(
    dataset: ET.Element, data: DataSet, observations: list[Obs], *, at: str
) -> None:
    dims = data.dimension_ids
    if at == "AllDimensions":
        for obs in observations:
            node = _sub(dataset, "gen:Obs")
            obs_key = _sub(node, "gen:ObsKey")
            for dim_id, value in zip(dims, obs.key, strict=True):
                _sub(obs_key, "gen:Value", id=dim_id, value=value)
            _sub(obs_key, "gen:Value", id="TIME_PERIOD", value=obs.period)
            _sub(node, "gen:ObsValue", value=format_value(obs.value))
            attributes = [*obs.series_attributes, *obs.attributes]
            if attributes:
                holder = _sub(node, "gen:Attributes")
                for attr_id, value in attributes:
                    _sub(holder, "gen:Value", id=attr_id, value=value)
    else:
        for key, group in _series_groups(observations):
            series = _sub(dataset, "gen:Series")
            series_key = _sub(series, "gen:SeriesKey")
            for dim_id, value in zip(dims, key, strict=True):
                _sub(series_key, "gen:Value", id=dim_id, value=value)
            if group[0].series_attributes:
                holder = _sub(series, "gen:Attributes")
                for attr_id, value in group[0].series_attributes:
                    _sub(holder, "gen:Value", id=attr_id, value=value)
            for obs in group:
                node = _sub(series, "gen:Obs")
                _sub(node, "gen:ObsDimension", value=obs.period)
                _sub(node, "gen:ObsValue", value=format_value(obs.value))
                if obs.attributes:
                    holder = _sub(node, "gen:Attributes")
                    for attr_id, value in obs.attributes:
                        _sub(holder, "gen:Value", id=attr_id, value=value)


def structure_specific_data(data: DataSet, *, at: str, prepared: datetime.datetime) -> bytes:
    """SDMX-ML 2.1 structure-specific data (time series, or flat with AllDimensions). A
    history answer has one data set per vintage."""
    namespace = _ss_namespace(data, at)
    # Declared by hand: ET.register_namespace is process-wide and not per message.
    root = ET.Element(q("mes:StructureSpecificData"), {"xmlns:ns1": namespace})
    _data_header(root, data, at=at, prepared=prepared, ss=True)
    for vintage, observations in data.vintage_groups():
        dataset = _sub(
            root,
            "mes:DataSet",
            **{
                q("ss:structureRef"): _structure_id(data),
                **_validity(vintage, prefix="ss"),
                q("ss:dataScope"): "DataStructure",
                q("xsi:type"): "ns1:DataSetType",
            },
        )
        _ss_dataset(dataset, data, observations, at=at)
    return _serialise(root)


def _ss_dataset(dataset: ET.Element, data: DataSet, observations: list[Obs], *, at: str) -> None:
    dims = data.dimension_ids
    if at == "AllDimensions":
        for obs in observations:
            attrs = dict(zip(dims, obs.key, strict=True))
            attrs["TIME_PERIOD"] = obs.period
            attrs["OBS_VALUE"] = format_value(obs.value)
            attrs.update(obs.series_attributes)
            attrs.update(obs.attributes)
            ET.SubElement(dataset, "Obs", attrs)
    else:
        for key, group in _series_groups(observations):
            attrs = dict(zip(dims, key, strict=True))
            attrs.update(group[0].series_attributes)
            series = ET.SubElement(dataset, "Series", attrs)
            for obs in group:
                values = {"TIME_PERIOD": obs.period, "OBS_VALUE": format_value(obs.value)}
                values.update(obs.attributes)
                ET.SubElement(series, "Obs", values)


def error_message(*, code: int, text: str, prepared: datetime.datetime) -> bytes:
    """An SDMX-ML 2.1 error message (SDMX REST answers errors in it)."""
    del prepared  # an SDMX-ML 2.1 error message has no header
    root = ET.Element(q("mes:Error"))
    error = _sub(root, "mes:ErrorMessage", code=str(code))
    _sub(error, "com:Text", text, **{XML_LANG: "en"})
    return _serialise(root)
