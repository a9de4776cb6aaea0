"""The SDMX structural metadata served under /sdmx/: dataflows, the two data structure
definitions, their concept schemes and codelists, with names in English, French and Spanish.

Plain dataclasses built from the database and the bundled IAEG-SDGs reference
(`mapping.sdg_reference`), written as SDMX-ML 2.1 by `sdmxml.structure_message`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.utils import translation
from django.utils.translation import gettext_lazy as _

from sdg87.geo.models import Geography
from sdg87.indicators.labels import unit_label
from sdg87.indicators.models import Age, Indicator, Nature, Series, Sex
from sdg87.sdmx import mapping, selectors
from sdg87.sdmx.mapping import Ref

LANGUAGES = ("en", "fr", "es")
Names = dict[str, str]


@dataclass
class Codelist:
    ref: Ref
    names: Names
    codes: list[tuple[str, Names]]
    partial: bool = False


@dataclass
class ConceptScheme:
    ref: Ref
    names: Names
    concepts: list[tuple[str, Names]]


@dataclass
class Component:
    id: str
    concept: tuple[Ref, str]  # scheme and concept id
    codelist: Ref | None = None
    status: str = "Conditional"  # attributes only
    attached_to: Sequence[str] = ()  # attributes: dimension ids; empty = the observation
    text_type: str | None = None


@dataclass
class DataStructure:
    ref: Ref
    names: Names
    dimensions: list[Component]
    time_dimension: Component
    attributes: list[Component]
    measure: Component

    @property
    def dimension_ids(self) -> list[str]:
        return [d.id for d in self.dimensions]

    def codelist_refs(self) -> list[Ref]:
        refs = [c.codelist for c in [*self.dimensions, *self.attributes] if c.codelist]
        return list(dict.fromkeys(refs))

    def concept_schemes(self) -> list[Ref]:
        components = [*self.dimensions, self.time_dimension, *self.attributes, self.measure]
        return list(dict.fromkeys(c.concept[0] for c in components))


@dataclass
class Dataflow:
    ref: Ref
    names: Names
    structure: Ref
    series_codes: list[str] = field(default_factory=list)


def names_of(text: Any, languages: Iterable[str] = LANGUAGES) -> Names:
    """A lazily translated text in each language."""
    out: Names = {}
    for lang in languages:
        with translation.override(lang):
            out[lang] = str(text)
    return out


def names_with(
    english: str, per_language: Callable[[str], str | None], langs: Sequence[str]
) -> Names:
    """The official English name, and the platform's French and Spanish names where it has
    them."""
    out: Names = {}
    for lang in langs:
        value = english if lang == "en" else per_language(lang)
        if value:
            out[lang] = value
    return out or {"en": english}


def _geo_name(geo: Geography) -> Callable[[str], str | None]:
    def name(lang: str) -> str | None:
        return str(getattr(geo, f"name_{lang}", "") or "") or None

    return name


def _translation(item: Indicator | Series) -> Callable[[str], str | None]:
    def name(lang: str) -> str | None:
        value = (item.translations.get(lang) or {}).get("name")
        return str(value) if value else None

    return name


# --- the IAEG-SDGs DSD -----------------------------------------------------------------


def _ref(data: dict[str, str]) -> Ref:
    return Ref(data["agency"], data["id"], data["version"])


def sdg_concept_ref() -> Ref:
    return _ref(mapping.sdg_reference()["concept_scheme"])


def sdg_dsd(langs: Sequence[str] = LANGUAGES) -> DataStructure:
    data = mapping.sdg_reference()
    scheme = sdg_concept_ref()
    dims = [
        Component(d["id"], (scheme, d["id"]), _ref(d["codelist"]))
        for d in data["dimensions"]
        if d["id"] != "TIME_PERIOD"
    ]
    attributes = []
    for a in data["attributes"]:
        attached = mapping.sdg_dimension_ids() if a["attachment"] == "DimensionRelationship" else []
        text_type = None
        if a["id"] in {"UPPER_BOUND", "LOWER_BOUND"}:
            text_type = "Double"
        elif a["id"] in {"BASE_PER", "TIME_COVERAGE", "DATA_LAST_UPDATE"}:
            text_type = "DateTime"
        attributes.append(
            Component(
                a["id"],
                (scheme, a["id"]),
                _ref(a["codelist"]) if "codelist" in a else None,
                status=(a["status"] or "conditional").capitalize(),
                attached_to=attached,
                text_type=text_type,
            )
        )
    return DataStructure(
        ref=Ref(*mapping.SDG_DSD),
        names={"en": data["dsd"]["name"]},
        dimensions=dims,
        time_dimension=Component("TIME_PERIOD", (scheme, "TIME_PERIOD")),
        attributes=attributes,
        measure=Component("OBS_VALUE", (scheme, "OBS_VALUE"), text_type="Double"),
    )


def sdg_concepts() -> ConceptScheme:
    data = mapping.sdg_reference()
    return ConceptScheme(
        ref=sdg_concept_ref(),
        names={"en": data["concept_scheme"]["name"]},
        concepts=[(cid, {"en": name}) for cid, name in data["concepts"].items()],
    )


# --- the platform's own DSD ------------------------------------------------------------

_OWN_CONCEPTS: dict[str, Any] = {
    "FREQ": _("Frequency"),
    "SERIES": _("Series"),
    "REF_AREA": _("Reference area"),
    "SEX": _("Sex"),
    "AGE": _("Age"),
    "BREAKDOWN": _("Breakdown"),
    "TIME_PERIOD": _("Time period"),
    "OBS_VALUE": _("Observation value"),
    "UNIT_MEASURE": _("Unit of measure"),
    "UNIT_MULT": _("Unit multiplier"),
    "OBS_STATUS": _("Observation status"),
    "NATURE": _("Nature of the data"),
    "SOURCE": _("Source"),
    "RELEASE": _("Release"),
    "COMMENT_OBS": _("Observation note"),
}


def own_codelist_refs() -> dict[str, Ref]:
    sdg = {k: _ref(v) for k, v in mapping.sdg_reference()["codelists"].items()}
    return {
        "FREQ": sdg["CL_FREQ"],
        "SERIES": Ref(mapping.AGENCY, "CL_SERIES", "1.0"),
        "REF_AREA": Ref(mapping.AGENCY, "CL_AREA", "1.0"),
        "SEX": sdg["CL_SEX"],
        "AGE": Ref(mapping.AGENCY, "CL_AGE", "1.0"),
        "BREAKDOWN": Ref(mapping.AGENCY, "CL_BREAKDOWN", "1.0"),
        "UNIT_MEASURE": Ref(mapping.AGENCY, "CL_UNIT_MEASURE", "1.0"),
        "UNIT_MULT": sdg["CL_UNIT_MULT"],
        "OBS_STATUS": sdg["CL_OBS_STATUS"],
        "NATURE": sdg["CL_NATURE"],
    }


def own_dsd(langs: Sequence[str] = LANGUAGES) -> DataStructure:
    scheme = Ref(*mapping.OWN_CONCEPTS)
    refs = own_codelist_refs()
    dims = [Component(d, (scheme, d), refs[d]) for d in mapping.OWN_DIMENSIONS]
    series_level = {"UNIT_MEASURE", "UNIT_MULT", "SOURCE"}
    attributes = [
        Component(
            a,
            (scheme, a),
            refs.get(a),
            status="Mandatory"
            if a in {"UNIT_MEASURE", "UNIT_MULT", "OBS_STATUS"}
            else "Conditional",
            attached_to=list(mapping.OWN_DIMENSIONS) if a in series_level else [],
        )
        for a in mapping.OWN_ATTRIBUTES
    ]
    return DataStructure(
        ref=Ref(*mapping.OWN_DSD),
        names=names_of(_("SDG 8.7 Knowledge Platform statistics"), langs),
        dimensions=dims,
        time_dimension=Component("TIME_PERIOD", (scheme, "TIME_PERIOD")),
        attributes=attributes,
        measure=Component("OBS_VALUE", (scheme, "OBS_VALUE"), text_type="Double"),
    )


def own_concepts(langs: Sequence[str] = LANGUAGES) -> ConceptScheme:
    return ConceptScheme(
        ref=Ref(*mapping.OWN_CONCEPTS),
        names=names_of(_("SDG 8.7 Knowledge Platform concepts"), langs),
        concepts=[(cid, names_of(label, langs)) for cid, label in _OWN_CONCEPTS.items()],
    )


def dsd_get(ref: tuple[str, str, str], langs: Sequence[str] = LANGUAGES) -> DataStructure:
    return sdg_dsd(langs) if ref == mapping.SDG_DSD else own_dsd(langs)


# --- codelists -------------------------------------------------------------------------


def _series_names(series: Series, english: str | None, langs: Sequence[str]) -> Names:
    return names_with(english or series.name, _translation(series), langs)


def _choice_names(choices: Any, code: str, english: str, langs: Sequence[str]) -> Names:
    label = dict(choices.choices).get(code)
    if label is None:
        return {"en": english}
    return names_with(english, lambda lang: names_of(label, [lang])[lang], langs)


def sdg_codelists(langs: Sequence[str], series: Iterable[Series]) -> list[Codelist]:
    """The IAEG-SDGs codelists the SDG DSD uses (official English names; the platform's
    French and Spanish names for areas, sexes, ages and series where it has them)."""
    by_code = {s.code: s for s in series}
    areas = {mapping.area_code(m49=g.m49, code=g.code): g for g in selectors.geographies() if g.m49}
    out = []
    for cl_id, data in mapping.sdg_reference()["codelists"].items():
        codes: list[tuple[str, Names]] = []
        for code, english in data["codes"].items():
            if cl_id == "CL_AREA" and code in areas:
                geo = areas[code]
                names = names_with(english, _geo_name(geo), langs)
            elif cl_id == "CL_SEX":
                names = _choice_names(Sex, code, english, langs)
            elif cl_id == "CL_AGE":
                names = _choice_names(Age, mapping.platform_age(code), english, langs)
            elif cl_id == "CL_NATURE":
                names = _choice_names(Nature, code, english, langs)
            elif cl_id == "CL_SERIES" and code in by_code:
                names = _series_names(by_code[code], english, langs)
            else:
                names = {"en": english}
            codes.append((code, names))
        out.append(Codelist(_ref(data), {"en": data["name"]}, codes, partial=data["partial"]))
    return out


def own_codelists(langs: Sequence[str], series: Sequence[Series]) -> list[Codelist]:
    """The platform's codelists of the own DSD (and the reused cross-domain ones)."""
    refs = own_codelist_refs()
    by_id = {c.ref: c for c in sdg_codelists(langs, [])}
    series_cl = Codelist(
        refs["SERIES"],
        names_of(_("Series"), langs),
        [(s.code, _series_names(s, None, langs)) for s in series],
    )
    area_cl = Codelist(
        refs["REF_AREA"],
        names_of(_("Reference areas"), langs),
        [
            (
                mapping.area_code(m49=g.m49, code=g.code),
                names_with(g.name_en, _geo_name(g), langs),
            )
            for g in selectors.geographies()
        ],
    )
    age_cl = Codelist(
        refs["AGE"],
        names_of(_("Age groups"), langs),
        [(code, names_of(label, langs)) for code, label in Age.choices],
    )
    keys = selectors.dimensions_keys(series=series)
    breakdown_cl = Codelist(
        refs["BREAKDOWN"],
        names_of(_("Breakdowns"), langs),
        [(mapping.TOTAL, names_of(_("No breakdown"), langs))]
        + [(mapping.breakdown_code(k), {"en": mapping.breakdown_label(k)}) for k in keys if k],
    )
    units = sorted({s.unit.upper() for s in series})
    unit_cl = Codelist(
        refs["UNIT_MEASURE"],
        names_of(_("Units of measure"), langs),
        [(mapping.sdmx_id(u), _unit_names(u, langs)) for u in units],
    )
    reused = [by_id[refs[k]] for k in ("FREQ", "SEX", "UNIT_MULT", "OBS_STATUS", "NATURE")]
    return [series_cl, area_cl, age_cl, breakdown_cl, unit_cl, *reused]


def _unit_names(unit: str, langs: Sequence[str]) -> Names:
    probe = Series(unit=unit)
    out: Names = {}
    for lang in langs:
        with translation.override(lang):
            label = unit_label(probe)
        out[lang] = label if label else unit
    return out


def all_codelists(langs: Sequence[str]) -> list[Codelist]:
    flows = selectors.flow_list()
    sdg_series = [s for f in flows if f.uses_sdg_dsd for s in f.series]
    own_series = [s for f in flows if not f.uses_sdg_dsd for s in f.series]
    sdg = sdg_codelists(langs, sdg_series)
    own = own_codelists(langs, own_series)
    merged = {c.ref: c for c in [*sdg, *own]}
    return list(merged.values())


def dataflows(langs: Sequence[str]) -> list[Dataflow]:
    out = []
    for flow in selectors.flow_list():
        if flow.indicator is not None:
            names = names_with(flow.indicator.name, _translation(flow.indicator), langs)
            names = {lang: f"{flow.indicator.code} {text}" for lang, text in names.items()}
        else:
            names = _series_names(flow.series[0], None, langs)
        out.append(
            Dataflow(
                Ref(mapping.AGENCY, flow.id, mapping.FLOW_VERSION),
                names,
                Ref(*flow.dsd),
                [s.code for s in flow.series],
            )
        )
    return out
