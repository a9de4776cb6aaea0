"""A data query against one dataflow, answered as a `dataset.DataSet`.

Observations come from `selectors.observations` (public releases only, newest value per data
point, or every vintage with `history`); their platform codes are mapped onto the flow's DSD by
`mapping`. History answers date each vintage with `vintages.selectors.validity_by_id`.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass

from sdg87.geo.models import Geography
from sdg87.indicators.models import Observation
from sdg87.sdmx import mapping, selectors, structures
from sdg87.sdmx.dataset import DataSet, Obs, Vintage
from sdg87.sdmx.query import Filters
from sdg87.vintages import selectors as vintages


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


def to_obs(obs: Observation, *, sdg: bool, vintage: Vintage | None = None) -> Obs | None:
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
        vintage=vintage,
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


def _first_last(rows: list[Obs], *, first_n: int | None, last_n: int | None) -> list[Obs]:
    """The observations of the first and/or last periods of each series (every vintage of
    those periods in a history answer)."""
    by_series: dict[tuple[str, ...], list[Obs]] = {}
    for item in rows:
        by_series.setdefault(item.key, []).append(item)
    out: list[Obs] = []
    for items in by_series.values():
        periods = sorted({o.period for o in items})
        keep = set(periods[:first_n] if first_n else []) | set(periods[-last_n:] if last_n else [])
        out += sorted((o for o in items if o.period in keep), key=lambda o: o.period)
    return out


def _converted(
    rows: list[Observation], *, sdg: bool, history: bool, as_of: datetime.date | None
) -> list[Obs]:
    """Observations as SDMX keys; in a history answer each with its vintage."""
    validity = (
        vintages.validity_by_id([(o.id, vintages.point_of(o)) for o in rows], as_of=as_of)
        if history
        else {}
    )
    out = []
    for row in rows:
        vintage = None
        if history:
            valid = validity.get(row.id)
            if valid is None:  # its release was hidden between the two reads: leave it out
                continue
            vintage = Vintage(valid.valid_from, row.release.code, valid.valid_to)
        converted = to_obs(row, sdg=sdg, vintage=vintage)
        if converted is not None:
            out.append(converted)
    return out


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
    history: bool = False,
) -> Page:
    """The flow's observations matching `filters`, with `lastNObservations` /
    `firstNObservations` per series, then `offset`/`limit` over observations. With `history`,
    every vintage of each (as known on `as_of` if given), each with its validity."""
    sdg = flow.uses_sdg_dsd
    codes = filters.codes
    series = [s for s in flow.series if "SERIES" not in codes or s.code in codes["SERIES"]]
    # Dimensions with one value for every observation: a key asking for another matches none.
    fixed = {"FREQ": "A"}
    if sdg:
        fixed["REPORTING_TYPE"] = "G"
        free = {"FREQ", "REPORTING_TYPE", "SERIES", "REF_AREA", "SEX", "AGE"}
        fixed.update({d: mapping.TOTAL for d in mapping.sdg_dimension_ids() if d not in free})
    impossible = any(dim in codes and value not in codes[dim] for dim, value in fixed.items())
    breakdowns = None
    if not sdg and "BREAKDOWN" in codes:
        by_code = {mapping.breakdown_code(k): k for k in selectors.dimensions_keys(series=series)}
        breakdowns = [by_code[c] for c in codes["BREAKDOWN"] if c in by_code]
    matched: list[Obs] = []
    total = 0
    if series and not impossible:
        platform_age = [mapping.platform_age(a) for a in codes["AGE"]] if "AGE" in codes else None
        # Every filter runs in the database, so offset/limit page there too.
        qs = selectors.observations(
            series=series,
            geography_ids=_geography_ids(codes["REF_AREA"], sdg=sdg)
            if "REF_AREA" in codes
            else None,
            sex=codes.get("SEX"),
            age=platform_age,
            dimensions_keys=breakdowns,
            year_from=filters.year_from,
            year_to=filters.year_to,
            as_of=as_of,
            updated_after=updated_after,
            m49_only=sdg,
            history=history,
        )
        if last_n or first_n:
            rows = _converted(
                list(qs.iterator(chunk_size=2000)), sdg=sdg, history=history, as_of=as_of
            )
            matched = _first_last(rows, first_n=first_n, last_n=last_n)
            total = len(matched)
            matched = matched[offset : offset + limit]
        else:
            total = qs.count()
            matched = _converted(
                list(qs[offset : offset + limit]), sdg=sdg, history=history, as_of=as_of
            )
    page = matched  # in the database order: a series key after another, periods ascending
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
