"""Catalogue of the bundled indicators, series, sources and releases (the stable codes).

The texts are data, in one TOML file per entity beside this module (`indicators.toml`,
`series.toml`, `sources.toml`, `releases.toml`, with their provenance in comments); this module
gives them types. Other apps (pages, API, analysis) build on these codes; change them only with
a migration of the data. Texts for sources and releases come from data/PROVENANCE.md.
"""

from __future__ import annotations

import dataclasses
import tomllib
from dataclasses import dataclass, field
from importlib import resources
from typing import Any

from sdg87.indicators.analysis import CHILD_LABOUR_TARGET_YEAR, SDG_TARGET_YEAR

Translations = dict[str, dict[str, str]]


@dataclass(frozen=True)
class IndicatorSpec:
    code: str
    name: str
    is_sdg: bool
    goal: int | None = None
    target: str = ""
    definition: str = ""
    unit: str = ""
    custodians: str = ""
    methodology: str = ""
    sort_order: int = 100
    translations: Translations = field(default_factory=dict)


@dataclass(frozen=True)
class SeriesSpec:
    code: str
    indicator: str
    name: str
    unit: str
    unit_label: str
    description: str = ""
    dimensions: tuple[str, ...] = ()
    target_year: int | None = None
    decimals: int = 1
    sort_order: int = 100
    translations: Translations = field(default_factory=dict)


@dataclass(frozen=True)
class SourceSpec:
    code: str
    title: str
    publisher: str
    licence: str
    url: str = ""
    licence_url: str = ""
    description: str = ""


@dataclass(frozen=True)
class ReleaseSpec:
    code: str
    source: str
    title: str
    year: int
    citation: str
    provenance: str
    url: str = ""
    released_on: str = ""  # ISO date
    licence_note: str = ""


# A series' target_year names one of these constants: target years are written once, in code.
TARGET_YEARS = {
    "CHILD_LABOUR_TARGET_YEAR": CHILD_LABOUR_TARGET_YEAR,
    "SDG_TARGET_YEAR": SDG_TARGET_YEAR,
}


def _data_text(file: str) -> str:
    return resources.files(__name__).joinpath(file).read_text(encoding="utf-8")


def _load[T](spec: type[T], file: str, table: str) -> tuple[T, ...]:
    """The entries of `[[table]]` in `file` as `spec` objects. An unknown or missing field
    is a TypeError naming the entry, so a typo in a data file fails at import, not later."""
    data = tomllib.loads(_data_text(file))
    names = {f.name: f for f in dataclasses.fields(spec)}  # type: ignore[arg-type]
    out = []
    for entry in data[table]:
        unknown = set(entry) - set(names)
        if unknown:
            raise TypeError(f"{file}: {entry.get('code')}: unknown fields {sorted(unknown)}")
        values: dict[str, Any] = dict(entry)
        if "dimensions" in values:
            values["dimensions"] = tuple(values["dimensions"])
        if isinstance(values.get("target_year"), str):
            values["target_year"] = TARGET_YEARS[values["target_year"]]
        out.append(spec(**values))
    return tuple(out)


INDICATORS = _load(IndicatorSpec, "indicators.toml", "indicator")
SERIES = _load(SeriesSpec, "series.toml", "series")
SOURCES = _load(SourceSpec, "sources.toml", "source")
RELEASES = _load(ReleaseSpec, "releases.toml", "release")
