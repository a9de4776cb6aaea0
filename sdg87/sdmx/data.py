"""A data query against one dataflow, answered as a `dataset.DataSet`.

Observations come from `selectors.observations` (public releases only, newest value per data
point); their platform codes are mapped onto the flow's DSD by `mapping`.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass

from sdg87.geo.models import Geography
from sdg87.indicators.models import Observation
from sdg87.sdmx import mapping, selectors, structures
from sdg87.sdmx.dataset import DataSet, Obs
from sdg87.sdmx.query import Filters


@dataclass
class Page:
    dataset: DataSet
    total: int


def _sdg_key(obs: Observation, area: str) -> tuple[str, ...]:
    values = {
        "FREQ": "A",
        "REPORTING_TYPE": "G",
        "SERIES": obs.series.code,
        "REF_AREA": area,
        "SEX": obs.sex,
        "AGE": mapping.sdg_age(obs.age),
    }
    return tuple(values.get(d, mapping.TOTAL) for d in mapping.sdg_dimension_ids())


def _own_key(obs: Observation, area: str) -> tuple[str, ...]:
    return (
        "A",
        obs.series.code,
        area,
        obs.sex,
        obs.age,
        mapping.breakdown_code(obs.dimensions_key),
    )


def _source_detail(obs: Observation) -> str:
    release = obs.release
    return f"{release.source.title}; {release.title} ({release.code})"


def to_obs(obs: Observation, *, sdg: bool) -> Obs | None:
    geo = obs.geography
    if sdg and not geo.m49:
        return None  # the IAEG-SDGs CL_AREA has M49 codes only
    area = mapping.area_code(m49=geo.m49, code=geo.code)
    attributes: list[tuple[str, str]] = [("OBS_STATUS", mapping.obs_status(obs.nature))]
    if sdg:
        key = _sdg_key(obs, area)
        series_attributes = [("UNIT_MEASURE", mapping.sdg_unit(obs.unit))]
        attributes += [("UNIT_MULT", mapping.unit_mult(obs.unit))]
        if obs.nature:
            attributes.append(("NATURE", obs.nature))
        if obs.note:
            attributes.append(("COMMENT_OBS", obs.note))
        attributes.append(("SOURCE_DETAIL", _source_detail(obs)))
    else:
        key = _own_key(obs, area)
        series_attributes = [
            ("UNIT_MEASURE", mapping.sdmx_id(obs.unit)),
            ("UNIT_MULT", mapping.unit_mult(obs.unit)),
            ("SOURCE", obs.release.source.title),
        ]
        if obs.nature:
            attributes.append(("NATURE", obs.nature))
        attributes.append(("RELEASE", obs.release.code))
        if obs.note:
            attributes.append(("COMMENT_OBS", obs.note))
    return Obs(
        key=key,
        period=str(obs.year),
        value=obs.value,
        series_attributes=tuple(series_attributes),
        attributes=tuple(attributes),
    )


def _geography_ids(codes: list[str], *, sdg: bool) -> list[int]:
    numeric = [str(int(c)).zfill(3) for c in codes if c.isdigit() and len(c) <= 3]
    ids = list(Geography.objects.filter(m49__in=numeric).values_list("id", flat=True))
    if not sdg:
        others = [c for c in codes if not c.isdigit()]
        ids += list(
            Geography.objects.filter(code__in=others, m49__isnull=True).values_list("id", flat=True)
        )
    return ids


def query(
    *,
    flow: selectors.Flow,
    filters: Filters,
    last_n: int | None,
    first_n: int | None,
    offset: int,
    limit: int,
    languages: Sequence[str],
    as_of: datetime.date | None = None,
    updated_after: datetime.datetime | None = None,
) -> Page:
    """The flow's observations matching `filters`, with `lastNObservations` /
    `firstNObservations` per series, then `offset`/`limit` over observations."""
    sdg = flow.uses_sdg_dsd
    dims = mapping.sdg_dimension_ids() if sdg else list(mapping.OWN_DIMENSIONS)
    codes = filters.codes
    series = [s for s in flow.series if "SERIES" not in codes or s.code in codes["SERIES"]]
    matched: list[Obs] = []
    fixed = {"FREQ": ["A"], "REPORTING_TYPE": ["G"]}
    impossible = any(
        dim in codes and not set(codes[dim]) & set(allowed) for dim, allowed in fixed.items()
    )
    if series and not impossible:
        platform_age = [mapping.platform_age(a) for a in codes["AGE"]] if "AGE" in codes else None
        qs = selectors.observations(
            series=series,
            geography_ids=_geography_ids(codes["REF_AREA"], sdg=sdg)
            if "REF_AREA" in codes
            else None,
            sex=codes.get("SEX"),
            age=platform_age,
            year_from=filters.year_from,
            year_to=filters.year_to,
            as_of=as_of,
            updated_after=updated_after,
        )
        positions = {d: i for i, d in enumerate(dims)}
        for observation in qs.iterator(chunk_size=2000):
            item = to_obs(observation, sdg=sdg)
            if item is None:
                continue
            if all(
                item.key[positions[d]] in values for d, values in codes.items() if d in positions
            ):
                matched.append(item)
    if last_n or first_n:
        by_series: dict[tuple[str, ...], list[Obs]] = {}
        for item in matched:
            by_series.setdefault(item.key, []).append(item)
        matched = []
        for items in by_series.values():
            items.sort(key=lambda o: o.period)
            if first_n:
                matched += items[:first_n]
            if last_n:
                matched += [o for o in items[-last_n:] if not first_n or o not in items[:first_n]]
    matched.sort(key=lambda o: (o.key, o.period))
    total = len(matched)
    page = matched[offset : offset + limit]
    dsd = structures.dsd_get(flow.dsd, languages)
    flows = {f.ref.id: f for f in structures.dataflows(languages)}
    data = DataSet(
        flow=flows[flow.id],
        dsd=dsd,
        observations=page,
        codelists={},
        languages=tuple(languages),
    )
    return Page(dataset=data, total=total)


def with_labels(data: DataSet, codelists: list[structures.Codelist]) -> None:
    """Attach the DSD's codelists (by component id) for writers that show names."""
    by_ref = {c.ref: c for c in codelists}
    for component in [*data.dsd.dimensions, *data.dsd.attributes]:
        if component.codelist and component.codelist in by_ref:
            data.codelists[component.id] = by_ref[component.codelist]
