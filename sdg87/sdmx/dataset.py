"""A data query's answer before it is written in any format: pure dataclasses.

`DataSet` holds the observations of one dataflow as SDMX keys: the dimension values in the
DSD's order, the period, the value and the attribute values (split into series-level and
observation-level as the DSD attaches them). Writers (`sdmxml`, `sdmxcsv`, `sdmxjson`) only
read it, in the given order: observations come grouped by series key, periods ascending (the
order of `selectors.observations`, which offset/limit page through).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sdg87.sdmx.structures import Codelist, Dataflow, DataStructure


@dataclass(frozen=True)
class Obs:
    key: tuple[str, ...]  # dimension values in the DSD's order (TIME_PERIOD excluded)
    period: str
    value: float
    series_attributes: tuple[tuple[str, str], ...]
    attributes: tuple[tuple[str, str], ...]


@dataclass
class DataSet:
    flow: Dataflow
    dsd: DataStructure
    observations: list[Obs]
    codelists: dict[str, Codelist] = field(default_factory=dict)  # by component id
    languages: tuple[str, ...] = ("en",)

    @property
    def dimension_ids(self) -> list[str]:
        return self.dsd.dimension_ids

    def series_attribute_ids(self) -> list[str]:
        seen = dict.fromkeys(a for o in self.observations for a, _v in o.series_attributes)
        return [a.id for a in self.dsd.attributes if a.id in seen]

    def observation_attribute_ids(self) -> list[str]:
        seen = dict.fromkeys(a for o in self.observations for a, _v in o.attributes)
        return [a.id for a in self.dsd.attributes if a.id in seen]

    def name_of(self, component: str, code: str) -> str:
        """The name of `code` of a coded component in the first language, else the code."""
        codelist = self.codelists.get(component)
        if codelist is None:
            return code
        for cid, names in codelist.codes:
            if cid == code:
                return first_name(names, self.languages)
        return code

    def component_name(self, component: str, concept_names: dict[str, dict[str, str]]) -> str:
        return first_name(concept_names.get(component, {}), self.languages) or component


def first_name(names: dict[str, str], languages: tuple[str, ...]) -> str:
    for lang in languages:
        if names.get(lang):
            return names[lang]
    return names.get("en") or next(iter(names.values()), "")


def format_value(value: float) -> str:
    """A value as SDMX writes a double: no exponent for ordinary numbers, no trailing .0."""
    text = repr(float(value))
    return text[:-2] if text.endswith(".0") else text
