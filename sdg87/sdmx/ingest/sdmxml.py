"""SDMX-ML 2.1 data (generic and structure-specific) -> ObservationRows (pure).

XML from outside is read safely: a document type declaration (DOCTYPE, where entities are
declared: external entities, "billion laughs") is refused before anything is parsed, and the
parser (lxml) is told not to resolve entities, not to load a DTD, never to use the network and
to keep its limits on tree depth and text size (no `huge_tree`). Parsing streams (iterparse),
clearing each series once read, so memory stays that of one series.

Time series and flat (`dimensionAtObservation="AllDimensions"`) messages are read; data set
and series attributes apply to their observations. Group attributes are not read. In
structure-specific data a component is a dimension unless it is a known attribute
(common.KNOWN_ATTRIBUTES), as in SDMX-CSV; in generic data the key says which are dimensions.
Each observation is named by its key and the line of its `Obs` element.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from django.utils.translation import gettext as _
from lxml import etree

from sdg87.core.ingest import Problems
from sdg87.sdmx.ingest.common import KNOWN_ATTRIBUTES, Mapper, Parsed, SdmxError

V21 = "http://www.sdmx.org/resources/sdmxml/schemas/v2_1/"
MESSAGE = V21 + "message"
ROOTS = {"GenericData": "generic", "StructureSpecificData": "structurespecific"}
SS_REF = "{" + V21 + "data/structurespecific}structureRef"
PROLOG_BYTES = 65536  # of the start of the file: the prolog must end within it
_NAME_START = re.compile(rb"<[A-Za-z_:]")


def _local(tag: Any) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _namespace(tag: str) -> str:
    return tag[1:].split("}", 1)[0] if tag.startswith("{") else ""


def prolog_check(head: bytes) -> None:
    """SdmxError unless the XML prolog (what precedes the root element) in `head`, the start
    of the file, is free of a document type declaration and ends within it."""
    match = _NAME_START.search(head)
    if match is None and len(head) >= PROLOG_BYTES:
        raise SdmxError(_("The XML prolog is too long: no element in the first 64 KB."))
    prolog = head[: match.start()] if match else head
    if b"<!DOCTYPE" in prolog.upper() or b"<!ENTITY" in prolog.upper():
        raise SdmxError(
            _(
                "The XML declares a document type (DOCTYPE): refused, since entities "
                "declared there can read files or exhaust the server. SDMX-ML needs none."
            )
        )


def root_kind(head: bytes) -> str | None:
    """'generic' or 'structurespecific' when `head` starts an SDMX-ML 2.1 data message,
    None for other XML (the prolog is not checked here)."""
    match = _NAME_START.search(head)
    if match is None:
        return None
    start = head[match.start() : match.start() + 300].split(b">", 1)[0]
    name = start[1:].split(None, 1)[0].decode("ascii", "replace")
    kind = ROOTS.get(name.rsplit(":", 1)[-1])
    if kind is None or MESSAGE.encode() not in head[: match.start() + 4096]:
        return None
    return kind


def _values(element: Any, child: str) -> dict[str, str]:
    """{id: value} of the generic `Value` elements of `element`'s `child` (SeriesKey,
    ObsKey, Attributes)."""
    out: dict[str, str] = {}
    for holder in element:
        if _local(holder.tag) == child:
            for value in holder:
                if _local(value.tag) == "Value" and value.get("id"):
                    out[value.get("id")] = value.get("value", "")
    return out


def _plain_attributes(element: Any) -> dict[str, str]:
    """The attributes of a structure-specific element without a namespace (its components)."""
    return {k: v for k, v in element.attrib.items() if not k.startswith("{")}


def read(
    path: Path, *, default_series: str, problems: Problems, max_observations: int | None = None
) -> Parsed:
    with path.open("rb") as handle:
        head = handle.read(PROLOG_BYTES)
    prolog_check(head)
    mapper = Mapper(
        default_series=default_series, problems=problems, max_observations=max_observations
    )
    kind: str | None = None
    at_obs: dict[str, str] = {}  # dimensionAtObservation by structureID (header)
    flows: dict[str, str] = {}  # the dataflow ("ILO:DF_X(1.0)") by structureID (header)
    dataset_attrs: dict[str, str] = {}
    dataset_at = "TIME_PERIOD"
    events = etree.iterparse(
        str(path),
        events=("start", "end"),
        resolve_entities=False,
        load_dtd=False,
        no_network=True,
        huge_tree=False,
        remove_comments=True,
        remove_pis=True,
    )
    try:
        for event, element in events:
            name = _local(element.tag)
            if kind is None:
                # the first element: the root
                if element.getroottree().docinfo.doctype:
                    raise SdmxError(_("The XML declares a document type (DOCTYPE): refused."))
                kind = ROOTS.get(name) if _namespace(element.tag) == MESSAGE else None
                if kind is None:
                    raise SdmxError(
                        _(
                            "The XML is not an SDMX-ML 2.1 data message (GenericData or "
                            "StructureSpecificData), but %(root)s."
                        )
                        % {"root": name[:60]}
                    )
                continue
            parent = element.getparent()
            parent_name = _local(parent.tag) if parent is not None else ""
            if event == "start":
                if name == "DataSet":
                    dataset_attrs = _plain_attributes(element) if kind != "generic" else {}
                    dataset_attrs.pop("structureRef", None)
                    ref = element.get("structureRef") or element.get(SS_REF)
                    dataset_at = at_obs.get(ref or "", next(iter(at_obs.values()), "TIME_PERIOD"))
                    mapper.flow = flows.get(ref or "", next(iter(flows.values()), ""))
                continue
            if name == "Structure" and parent_name == "Header":
                at_obs[element.get("structureID", "")] = element.get(
                    "dimensionAtObservation", "TIME_PERIOD"
                )
                flows[element.get("structureID", "")] = _dataflow(element)
            elif name == "Attributes" and parent_name == "DataSet":
                dataset_attrs.update(_values(parent, "Attributes"))
            elif name == "Group" and parent_name == "DataSet":
                _drop(element)
            elif name == "Series" and parent_name == "DataSet":
                _series(kind, element, dataset_attrs, dataset_at, mapper)
                _drop(element)
            elif name == "Obs" and parent_name == "DataSet":
                _flat_obs(kind, element, dataset_attrs, mapper)
                _drop(element)
    except etree.XMLSyntaxError as exc:
        line = exc.lineno if exc.lineno else "?"
        raise SdmxError(
            _("The XML is not well-formed (line %(line)s): %(error)s")
            % {"line": line, "error": str(exc.msg)[:200]}
        ) from exc
    if kind is None:
        raise SdmxError(_("The file holds no XML element."))
    if not mapper.parsed.observations:
        raise SdmxError(_("The SDMX-ML message has no observations."))
    return mapper.parsed


def _dataflow(structure: Any) -> str:
    """The dataflow a header's Structure uses, as "AGENCY:ID(VERSION)" (from its
    StructureUsage's Ref or URN), "" when it names a data structure instead."""
    for usage in structure:
        if _local(usage.tag) != "StructureUsage":
            continue
        for ref in usage:
            if _local(ref.tag) == "Ref" and ref.get("id"):
                agency = ref.get("agencyID", "")
                version = ref.get("version", "")
                flow = f"{agency}:{ref.get('id')}" if agency else str(ref.get("id"))
                return f"{flow}({version})" if version else flow
            if _local(ref.tag) == "URN" and ref.text and "=" in ref.text:
                return ref.text.strip().rsplit("=", 1)[1]
    return ""


def _drop(element: Any) -> None:
    """Free a processed element and the siblings before it (iterparse keeps the tree)."""
    element.clear()
    parent = element.getparent()
    if parent is not None:
        while element.getprevious() is not None:
            del parent[0]


def _series(kind: str, series: Any, dataset_attrs: dict[str, str], at: str, mapper: Mapper) -> None:
    if kind == "generic":
        key = _values(series, "SeriesKey")
        base = {**dataset_attrs, **key, **_values(series, "Attributes")}
        dims = list(key)
    else:
        own = _plain_attributes(series)
        base = {**dataset_attrs, **own}
        dims = [c for c in own if c not in KNOWN_ATTRIBUTES]
    for obs in series:
        if _local(obs.tag) != "Obs":
            continue
        if kind == "generic":
            components = dict(base)
            value = None
            for child in obs:
                child_name = _local(child.tag)
                if child_name == "ObsDimension":
                    components[child.get("id") or at] = child.get("value", "")
                elif child_name == "ObsValue":
                    value = child.get("value")
            components.update(_values(obs, "Attributes"))
        else:
            components = {**base, **_plain_attributes(obs)}
            value = components.pop("OBS_VALUE", None)
        mapper.add(components, value, dimension_ids=[*dims, at], line=obs.sourceline)


def _flat_obs(kind: str, obs: Any, dataset_attrs: dict[str, str], mapper: Mapper) -> None:
    if kind == "generic":
        key = _values(obs, "ObsKey")
        components = {**dataset_attrs, **key, **_values(obs, "Attributes")}
        value = next(
            (c.get("value") for c in obs if _local(c.tag) == "ObsValue"),
            None,
        )
        dims = list(key)
    else:
        own = _plain_attributes(obs)
        components = {**dataset_attrs, **own}
        value = components.pop("OBS_VALUE", None)
        dims = [c for c in own if c not in KNOWN_ATTRIBUTES]
    mapper.add(components, value, dimension_ids=dims, line=obs.sourceline)
