"""Context builders for the public pages: headline figures, global estimates, sorting and
query-string helpers. Reads only (through selectors); views stay thin."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from sdg87.assessments import selectors as assessment_selectors
from sdg87.geo.models import Geography, GeographyKind
from sdg87.indicators import selectors as stats
from sdg87.indicators.analysis import Progress, Status
from sdg87.indicators.analysis_selectors import progress_list
from sdg87.indicators.models import Observation, Release, Series
from sdg87.site import labels
from sdg87.site import selectors as sel

# Series codes of the published global estimates (sdg87/indicators/ingest/global_estimates.py).
CL_NUM, CL_PCT, CL_SHARE = "ILO_CL_NUM", "ILO_CL_PCT", "ILO_CL_SHARE"
HAZ_NUM, HAZ_PCT = "ILO_HAZ_NUM", "ILO_HAZ_PCT"
MS_NUM, MS_PREV = "GEMS_NUM", "GEMS_PREV"
CHILD_AGE = "Y5T17"
MS_FORMS = ("MODERN_SLAVERY", "FORCED_LABOUR", "FORCED_MARRIAGE")
# Years the home page compares the latest estimate with (when the data hold them).
CL_COMPARE_YEARS = (2020, 2000)

# Key series of the data-gaps panel, in display order.
KEY_SERIES: tuple[tuple[str, str], ...] = (
    ("SL_TLF_CHLDEA", "8.7.1"),
    ("SL_TLF_CHLDEC", "8.7.1"),
    ("SP_DYN_MRBF18", "5.3.1"),
    ("VC_HTF_DETV", "16.2.2"),
    ("GSI_PREV_1000", "GSI"),
    ("SP_POP_5T17", "WPP"),
)


def key_series_labels() -> list[tuple[str, str]]:
    return [
        ("SL_TLF_CHLDEA", _("Child labour (economic activity), SDG 8.7.1")),
        ("SL_TLF_CHLDEC", _("Child labour including household chores, SDG 8.7.1")),
        ("SP_DYN_MRBF18", _("Child marriage before age 18, SDG 5.3.1")),
        ("VC_HTF_DETV", _("Detected victims of trafficking, SDG 16.2.2")),
        ("GSI_PREV_1000", _("Modern slavery prevalence, Global Slavery Index")),
        ("SP_POP_5T17", _("Population aged 5-17")),
    ]


def child_labour_references(
    *, region: Geography | None, world_geo: Geography | None
) -> dict[str, tuple[Observation | None, Observation | None]]:
    """Per 8.7.1 series: the region's and the world's latest 5-17 figures (both sexes)."""
    geos = [g for g in (region, world_geo) if g is not None]
    out = {}
    for code in ("SL_TLF_CHLDEA", "SL_TLF_CHLDEC"):
        latest = sel.aggregate_latest(series_code=code, geographies=geos)
        out[code] = (
            latest.get(region.pk) if region is not None else None,
            latest.get(world_geo.pk) if world_geo is not None else None,
        )
    return out


def key_series_latest_years(rows: Sequence[sel.CountrySeriesRow]) -> dict[str, int | None]:
    by_code = {row.series.code: row.latest.year for row in rows}
    return {code: by_code.get(code) for code, _ in KEY_SERIES}


def _world_history(
    series_code: str, *, age: str, dimensions_key: str = ""
) -> dict[int, Observation]:
    """{year: the world's figure} of a global estimate, both sexes."""
    return stats.observation_history(
        series_code=series_code,
        geography_code=sel.WORLD_CODE,
        sex="_T",
        age=age,
        dimensions_key=dimensions_key,
    )


# --- home ------------------------------------------------------------------------------------


@dataclass
class Headline:
    key: str
    title: str
    latest: Observation
    previous: list[Observation] = field(default_factory=list)
    share: Observation | None = None

    @property
    def data_url(self) -> str:
        """The API query for this figure's series (newest figure of each year, as shown)."""
        obs = self.latest
        params = [
            ("series", obs.series.code),
            ("geo", obs.geography.code),
            ("sex", obs.sex),
            ("age", obs.age),
        ]
        if obs.dimensions_key:
            params.extend(("dimension", part) for part in obs.dimensions_key.split("|"))
        return "/api/v1/observations?" + urlencode(params)


def _headline(
    key: str, title: str, history: dict[int, Observation], compare: Iterable[int] | None
) -> Headline | None:
    if not history:
        return None
    years = sorted(history)
    latest = history[years[-1]]
    if compare is None:
        previous = [history[y] for y in reversed(years[:-1])][:1]
    else:
        previous = [history[y] for y in compare if y in history and y != latest.year]
    return Headline(key=key, title=title, latest=latest, previous=previous)


def home_headlines() -> list[Headline]:
    """Latest global figures with their comparison years, read from the observations."""
    out: list[Headline] = []
    cl = _headline(
        "child-labour",
        _("Children in child labour"),
        _world_history(CL_NUM, age=CHILD_AGE),
        CL_COMPARE_YEARS,
    )
    if cl is not None:
        shares = _world_history(CL_PCT, age=CHILD_AGE)
        cl.share = shares.get(cl.latest.year)
        out.append(cl)
    haz = _headline(
        "hazardous-work",
        _("Children in hazardous work"),
        _world_history(HAZ_NUM, age=CHILD_AGE),
        CL_COMPARE_YEARS,
    )
    if haz is not None:
        haz.share = _world_history(HAZ_PCT, age=CHILD_AGE).get(haz.latest.year)
        out.append(haz)
    titles = ms_form_labels()
    for form in MS_FORMS:
        item = _headline(
            form.lower().replace("_", "-"),
            titles[form],
            _world_history(MS_NUM, age="_T", dimensions_key=f"form={form}"),
            None,
        )
        if item is not None:
            out.append(item)
    return out


def ms_form_labels() -> dict[str, str]:
    return {
        "MODERN_SLAVERY": _("People in modern slavery"),
        "FORCED_LABOUR": _("People in forced labour"),
        "FORCED_MARRIAGE": _("People in forced marriage"),
        "FL_PRIVATE_ECONOMY": _("Forced labour exploitation in the private economy"),
        "FL_COMMERCIAL_SEXUAL": _("Forced commercial sexual exploitation"),
        "FL_STATE_IMPOSED": _("State-imposed forced labour"),
        "FL_PRIVATELY_IMPOSED": _("Privately imposed forced labour"),
    }


def dimension_label(key: str) -> str:
    """Label of a dimensions key such as `sector=AGRICULTURE` or `form=FORCED_LABOUR`."""
    labels = {
        "sector=AGRICULTURE": _("Agriculture"),
        "sector=INDUSTRY": _("Industry"),
        "sector=SERVICES": _("Services"),
        "area=RURAL": _("Rural areas"),
        "area=URBAN": _("Urban areas"),
    }
    if key in labels:
        return labels[key]
    if key.startswith("form="):
        form = key.split("|")[0].removeprefix("form=")
        return ms_form_labels().get(form, form)
    return key


# --- global estimates ------------------------------------------------------------------------


@dataclass
class TrendRow:
    year: int
    cl_num: Observation | None
    cl_pct: Observation | None
    haz_num: Observation | None
    haz_pct: Observation | None


def global_estimates_context() -> dict[str, Any]:
    cl_num = _world_history(CL_NUM, age=CHILD_AGE)
    cl_pct = _world_history(CL_PCT, age=CHILD_AGE)
    haz_num = _world_history(HAZ_NUM, age=CHILD_AGE)
    haz_pct = _world_history(HAZ_PCT, age=CHILD_AGE)
    years = sorted(set(cl_num) | set(cl_pct) | set(haz_num) | set(haz_pct))
    trend = [
        TrendRow(y, cl_num.get(y), cl_pct.get(y), haz_num.get(y), haz_pct.get(y)) for y in years
    ]
    estimates = stats.observations_of_series(
        series_codes=[CL_NUM, CL_PCT, CL_SHARE, HAZ_NUM, HAZ_PCT, MS_NUM, MS_PREV]
    )
    world = [o for o in estimates if o.geography.code == sel.WORLD_CODE]
    by_sex = [o for o in world if o.series.code in {CL_NUM, CL_PCT} and o.sex in {"F", "M"}]
    by_age = [
        o
        for o in world
        if o.series.code in {CL_NUM, HAZ_NUM}
        and o.sex == "_T"
        and o.age != CHILD_AGE
        and not o.dimensions_key
    ]
    by_sector = [
        o
        for o in world
        if o.series.code in {CL_NUM, CL_SHARE} and o.dimensions_key.startswith("sector=")
    ]
    by_region = [
        o
        for o in estimates
        if o.series.code in {CL_NUM, CL_PCT, HAZ_PCT}
        and o.geography.code != sel.WORLD_CODE
        and o.sex == "_T"
        and not o.dimensions_key
    ]
    ms_world = [
        o
        for o in world
        if o.series.code in {MS_NUM, MS_PREV}
        and o.sex == "_T"
        and o.age == "_T"
        and o.dimensions_key.startswith("form=")
        and "|" not in o.dimensions_key
    ]
    ms_years = sorted({o.year for o in ms_world})
    ms_rows = []
    for key in sorted({o.dimensions_key for o in ms_world}, key=_form_order):
        cells = {(o.series.code, o.year): o for o in ms_world if o.dimensions_key == key}
        ms_rows.append(
            {
                "label": dimension_label(key),
                # Home headlines link here (#forced-labour); #modern-slavery is the section.
                "anchor": _form_anchor(key),
                "cells": [(cells.get((MS_NUM, y)), cells.get((MS_PREV, y))) for y in ms_years],
            }
        )
    by_sector.sort(key=lambda o: (o.year, o.series.code, -o.value))
    by_region.sort(key=lambda o: (o.year, o.series.code, o.geography.name))
    by_sex.sort(key=lambda o: (o.year, o.series.code, o.sex))
    by_age.sort(key=lambda o: (o.year, o.series.code, o.age))
    return {
        "trend": trend,
        "by_sex": by_sex,
        "by_age": by_age,
        "by_sector": [(o, dimension_label(o.dimensions_key)) for o in by_sector],
        "by_region": by_region,
        "ms_years": ms_years,
        "ms_rows": ms_rows,
        "releases": releases_of(estimates),
        "estimates": estimates,
    }


def _form_anchor(key: str) -> str:
    anchor = key.removeprefix("form=").lower().replace("_", "-")
    return "" if anchor == "modern-slavery" else anchor


def _form_order(key: str) -> tuple[int, str]:
    form = key.removeprefix("form=")
    return (MS_FORMS.index(form) if form in MS_FORMS else 9, form)


# --- lists, sorting, query strings -----------------------------------------------------------


def fold(text: str) -> str:
    """Text for accent- and case-insensitive matching: "Côte" and "cote" fold alike."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def country_matches(country: Geography, q: str) -> bool:
    """`q` within the English, French or Spanish name (ignoring accents and case), or the
    country's ISO3 code."""
    needle = fold(q.strip())
    if not needle:
        return True
    if (country.iso3 or "").casefold() == needle:
        return True
    names = (country.name_en, country.name_fr, country.name_es)
    return any(needle in fold(name or "") for name in names)


def sort_key(text: str) -> str:
    """Accent- and case-insensitive sort key (Côte d'Ivoire sorts with C)."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def sort_latest(observations: list[Observation], sort: str) -> list[Observation]:
    field_name = sort.lstrip("-")
    reverse = sort.startswith("-")

    def key(obs: Observation) -> Any:
        if field_name == "value":
            return (obs.value, sort_key(obs.geography.name))
        if field_name == "year":
            return (obs.year, sort_key(obs.geography.name))
        return sort_key(obs.geography.name)

    return sorted(observations, key=key, reverse=reverse)


def sort_links(request: HttpRequest, current: str) -> dict[str, dict[str, str]]:
    """For each sortable column: the URL sorting by it (toggling direction) and aria-sort."""
    out = {}
    for column in ("name", "value", "year"):
        if current == column:
            target, aria = f"-{column}", "ascending"
        elif current == f"-{column}":
            target, aria = column, "descending"
        else:
            target, aria = (column if column == "name" else f"-{column}"), "none"
        params = [
            (key, item) for key, items in request.GET.lists() if key != "sort" for item in items
        ]
        params.append(("sort", target))
        out[column] = {"url": "?" + urlencode(params), "aria": aria}
    return out


def geo_code(geo: Geography) -> str:
    return geo.iso3 or geo.code


def geo_param(geo: Geography) -> tuple[str, str]:
    return ("geo", geo_code(geo))


AGGREGATE_ORDER: list[str] = [
    GeographyKind.WORLD,
    GeographyKind.SDG_REGION,
    GeographyKind.ILO_REGION,
]


def geo_choices(*, series: Series) -> list[tuple[str, list[Geography]]]:
    """Places for the chart picker: only those with data for the series, the world and
    regions first, then countries."""
    places = sel.series_places(series=series)
    aggregates = [g for g in places if g.kind != GeographyKind.COUNTRY]
    aggregates.sort(
        key=lambda g: (
            AGGREGATE_ORDER.index(g.kind) if g.kind in AGGREGATE_ORDER else 9,
            sort_key(g.name),
        )
    )
    countries = [g for g in places if g.kind == GeographyKind.COUNTRY]
    countries.sort(key=lambda g: sort_key(g.name))
    groups = [(_("World and regions"), aggregates), (_("Countries"), countries)]
    return [(label, geos) for label, geos in groups if geos]


def releases_of(*groups: Iterable[Observation]) -> list[Release]:
    """The distinct releases behind the observations shown, newest first."""
    seen: dict[int, Release] = {}
    for group in groups:
        for obs in group:
            seen.setdefault(obs.release_id, obs.release)
    return sorted(seen.values(), key=lambda r: (-r.year, r.title))


# --- assessments and progress (read through the owning apps' selectors) ---------------------


def country_assessments(*, country: Geography) -> dict[str, Any]:
    """US DOL findings, listed goods, ratifications and TIP tiers for a country."""
    history = list(assessment_selectors.assessment_history(country=country))
    assessed = [a for a in history if a.advancement_level != "not_covered"]
    actions = list(assessment_selectors.suggested_actions(country=country))
    return {
        "dol": assessed,
        "dol_latest": assessed[0] if assessed else None,
        "goods": assessment_selectors.goods_by_edition(country=country),
        "ratifications": assessment_selectors.ratifications(country=country),
        "tiers": list(assessment_selectors.tier_history(country=country)),
        "actions": actions,
        "actions_year": actions[0].report_year if actions else None,
    }


@dataclass
class ProgressItem:
    geography: Geography
    series: Series
    progress: Progress
    sentence: str
    what: str


def progress_sentence(
    *, what: str, progress: Progress, series: Series, unit: str, current_year: int | None = None
) -> str:
    """One plain-words sentence on the pace toward the target, for any status. Once the
    target year is behind us (by the data or by the calendar) no required pace is given."""
    p = progress
    today = current_year if current_year is not None else timezone.localdate().year
    passed = p.status == Status.TARGET_YEAR_PASSED or today > p.target_year
    values = {
        "what": what,
        "first": labels.format_value(p.first.value, series, unit),
        "first_year": p.first.year,
        "last": labels.format_value(p.last.value, series, unit),
        "last_year": p.last.year,
        "target_year": p.target_year,
        "change": labels.format_change(p.observed_annual_change, series, unit),
        "required": labels.format_change(p.required_annual_change or 0.0, series, unit),
        "times": labels.number(p.times_faster, 0 if (p.times_faster or 0) >= 10 else 1),
        "year_reached": p.year_reached,
    }
    if p.status == Status.TARGET_REACHED:
        return _("%(what)s: zero was reached by %(last_year)s.") % values
    if p.status == Status.REVERSING:
        return (
            _(
                "%(what)s rose from %(first)s in %(first_year)s to %(last)s in %(last_year)s: "
                "at this pace the target of zero by %(target_year)s will not be reached."
            )
            % values
        )
    if not p.at_current_pace:
        return (
            _(
                "%(what)s did not fall between %(first_year)s and %(last_year)s (%(last)s): "
                "at this pace the target of zero by %(target_year)s will not be reached."
            )
            % values
        )
    if p.status == Status.TARGET_YEAR_PASSED:
        return (
            _(
                "%(what)s fell from %(first)s in %(first_year)s to %(last)s in %(last_year)s, "
                "after the target year %(target_year)s; at this pace zero would be reached in "
                "%(year_reached)s."
            )
            % values
        )
    if passed and p.status != Status.ON_TRACK:
        return (
            _(
                "%(what)s fell from %(first)s in %(first_year)s to %(last)s in %(last_year)s. "
                "The %(target_year)s target date has passed; at the %(first_year)s-%(last_year)s "
                "pace, zero would be reached only in %(year_reached)s."
            )
            % values
        )
    if p.status == Status.ON_TRACK:
        return (
            _(
                "%(what)s fell from %(first)s in %(first_year)s to %(last)s in %(last_year)s, "
                "by %(change)s a year on average: at this pace zero would be reached in "
                "%(year_reached)s, within the target of %(target_year)s."
            )
            % values
        )
    return (
        _(
            "%(what)s fell from %(first)s in %(first_year)s to %(last)s in %(last_year)s, by "
            "%(change)s a year on average. Reaching zero by %(target_year)s would need a fall "
            "of %(required)s a year, %(times)s times faster. At the current pace, zero would "
            "be reached only in %(year_reached)s."
        )
        % values
    )


def progress_item(
    *,
    series_code: str,
    geography: Geography,
    what: str,
    age: str | None = None,
    dimensions_key: str = "",
) -> ProgressItem | None:
    series = stats.series_get(code=series_code)
    if series is None:
        return None
    results = progress_list(
        series=series, geography_ids=[geography.pk], age=age, dimensions_key=dimensions_key
    )
    if not results:
        return None
    result = results[0]
    return ProgressItem(
        geography=geography,
        series=series,
        progress=result.progress,
        what=what,
        sentence=progress_sentence(
            what=what, progress=result.progress, series=series, unit=result.comparable.unit
        ),
    )


def world_progress() -> list[ProgressItem]:
    """Where the world stands: child labour (2025 target) and forced labour (2030)."""
    world = sel.world()
    if world is None:
        return []
    items = [
        progress_item(
            series_code=CL_NUM,
            geography=world,
            what=_("The number of children in child labour"),
            age=CHILD_AGE,
        ),
        progress_item(
            series_code=HAZ_NUM,
            geography=world,
            what=_("The number of children in hazardous work"),
            age=CHILD_AGE,
        ),
        progress_item(
            series_code=MS_NUM,
            geography=world,
            what=_("The number of people in forced labour"),
            dimensions_key="form=FORCED_LABOUR",
        ),
        progress_item(
            series_code=MS_NUM,
            geography=world,
            what=_("The number of people in forced marriage"),
            dimensions_key="form=FORCED_MARRIAGE",
        ),
    ]
    return [item for item in items if item is not None]


def country_progress(
    *, country: Geography, rows: Sequence[sel.CountrySeriesRow]
) -> list[ProgressItem]:
    """Pace toward zero for the country's series that have a target (8.7.1, 5.3.1)."""
    whats = {
        "SL_TLF_CHLDEA": _("The share of children in child labour (economic activity)"),
        "SL_TLF_CHLDEC": _("The share of children in child labour (including household chores)"),
        "SP_DYN_MRBF18": _("The share of women married before age 18"),
        "SP_DYN_MRBF15": _("The share of women married before age 15"),
    }
    items = []
    for row in rows:
        if row.series.code not in whats or len(row.trend) < 2:
            continue
        item = progress_item(
            series_code=row.series.code,
            geography=country,
            what=whats[row.series.code],
            age=row.slice.age,
        )
        if item is not None:
            items.append(item)
    return items


def methods_context() -> dict[str, Any]:
    """Results for the world (global estimates) and the regions (child labour shares)."""
    items = world_progress()
    regional = stats.series_by_codes(codes=[CL_PCT, "SL_TLF_CHLDEC"])
    aggregates = list(Geography.objects.exclude(kind=GeographyKind.COUNTRY).exclude(code="001"))
    for series in regional:
        results = progress_list(series=series, geography_ids=[g.pk for g in aggregates])
        for result in sorted(results, key=lambda r: sort_key(r.geography.name)):
            items.append(
                ProgressItem(
                    geography=result.geography,
                    series=series,
                    progress=result.progress,
                    what=labels.series_name(series),
                    sentence="",
                )
            )
    return {"progress_items": items}


def publication_theme_labels() -> dict[str, str]:
    return {
        "child_labour": _("Child labour"),
        "forced_labour": _("Forced labour"),
        "modern_slavery": _("Modern slavery"),
        "human_trafficking": _("Human trafficking"),
        "forced_marriage": _("Forced and child marriage"),
        "supply_chains": _("Supply chains"),
        "migration": _("Migration"),
        "rule_of_law": _("Rule of law and governance"),
        "conflict_humanitarian": _("Conflict and humanitarian settings"),
        "education": _("Education"),
        "social_protection": _("Social protection"),
        "measurement": _("Measurement and statistics"),
    }


def publication_kind_labels() -> dict[str, str]:
    return {
        "report": _("Report"),
        "global_estimate": _("Global estimate"),
        "guidance_toolkit": _("Guidance or toolkit"),
        "policy_brief": _("Policy brief"),
        "declaration": _("Declaration"),
        "research_article": _("Research article"),
        "evaluation": _("Evaluation"),
    }
