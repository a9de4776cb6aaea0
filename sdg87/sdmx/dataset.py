"""A data query's answer before it is written in any format: pure dataclasses.

`DataSet` holds the observations of one dataflow as SDMX keys: the dimension values in the
DSD's order, the period, the value and the attribute values (split into series-level and
observation-level as the DSD attaches them). Writers (`sdmxml`, `sdmxcsv`, `sdmxjson`) only
read it, in the given order: observations come grouped by series key, periods ascending (the
order of `selectors.observations`, which offset/limit page through).

With `includeHistory`, every observation carries its `Vintage`: the release that published it
and its validity (`vintages.selectors.validity_by_id`). Writers then give one data set per
vintage (`DataSet.vintage_groups`) with `validFrom`/`validTo`, as the SDMX REST specification
asks of a history answer.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from sdg87.sdmx.structures import Codelist, Dataflow, DataStructure


@dataclass(frozen=True, order=True)
class Vintage:
    """The release that published a value and the time the value was current."""

    valid_from: datetime.date  # the release's publication day
    release: str  # the release code
    valid_to: datetime.date | None  # the next release's publication day; None: still current

    @property
    def valid_from_time(self) -> str:
        """SDMX validFrom (inclusive): the start of the publication day, UTC."""
        return f"{self.valid_from.isoformat()}T00:00:00"

    @property
    def valid_to_time(self) -> str | None:
        """SDMX validTo (inclusive): the last second before the next release's day, never
        before validFrom (two releases of one day); None while the value is current."""
        if self.valid_to is None:
            return None
        if self.valid_to <= self.valid_from:
            return self.valid_from_time
        return f"{(self.valid_to - datetime.timedelta(days=1)).isoformat()}T23:59:59"


@dataclass(frozen=True)
class Obs:
    key: tuple[str, ...]  # dimension values in the DSD's order (TIME_PERIOD excluded)
    period: str
    value: float
    series_attributes: tuple[tuple[str, str], ...]
    attributes: tuple[tuple[str, str], ...]
    vintage: Vintage | None = None  # set in a history answer only


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

    @property
    def has_history(self) -> bool:
        return any(o.vintage is not None for o in self.observations)

    def vintage_groups(self) -> list[tuple[Vintage | None, list[Obs]]]:
        """The observations split by vintage, oldest first, each group in the given order
        (series grouped, periods ascending); one group (None) without history."""
        if not self.has_history:
            return [(None, self.observations)]
        groups: dict[Vintage | None, list[Obs]] = {}
        for obs in self.observations:
            groups.setdefault(obs.vintage, []).append(obs)
        return sorted(groups.items(), key=lambda item: _vintage_order(item[0]))

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


def _vintage_order(vintage: Vintage | None) -> tuple[datetime.date, str, datetime.date]:
    if vintage is None:
        return (datetime.date.min, "", datetime.date.min)
    return (vintage.valid_from, vintage.release, vintage.valid_to or datetime.date.max)


def first_name(names: dict[str, str], languages: tuple[str, ...]) -> str:
    for lang in languages:
        if names.get(lang):
            return names[lang]
    return names.get("en") or next(iter(names.values()), "")


def format_value(value: float) -> str:
    """A value as SDMX writes a double: no exponent for ordinary numbers, no trailing .0."""
    text = repr(float(value))
    return text[:-2] if text.endswith(".0") else text
