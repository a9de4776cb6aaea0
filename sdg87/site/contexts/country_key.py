"""The first screen of a country profile: the few figures that matter and one chart.

A policymaker on a phone should see, before scrolling, the headline figures (each with its
year, how old it is and its source) and the country's trend for the headline series. The
figures are picked here from rows already read for the page; the chart spec is built with
`sdg87.core.charts.line_chart`. No ORM beyond one indicator lookup.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from sdg87.core.charts import line_chart, spec_title
from sdg87.geo.models import Geography
from sdg87.indicators import labels
from sdg87.indicators.labels import age_phrase
from sdg87.indicators.models import Release
from sdg87.indicators.selectors import indicator_get
from sdg87.site.contexts.base import api_url
from sdg87.site.selectors import CountrySeriesRow
from sdg87.site.summaries import headline_child_labour, measure_name

HEADLINE_INDICATOR = "8.7.1"
# Series that describe the population, or split another series into shares: context, never
# a headline.
CONTEXT_SERIES = frozenset(
    {"SP_POP_5T17", "GSI_POPULATION", "SL_TLF_0714_WK_ZS", "SL_TLF_0714_SW_ZS"}
)
# Words that mark a child labour or children-in-employment measure (English series names).
_CHILD_WORDS = ("child labour", "child labor", "children in employment", "children aged")
MAX_FIGURES = 4
CHART_WIDTH = 290


def short_names() -> dict[str, str]:
    """Chart titles short enough for a phone, for the usual headline series."""
    return {
        "SL_TLF_CHLDEA": _("child labour, economic activity only (%)"),
        "SL_TLF_CHLDEC": _("child labour with household chores (%)"),
        "SL_TLF_0714_ZS": _("children in employment, ages 7-14 (%)"),
        "CLD_XSNA_SEX_AGE_STU_NB": _("children in employment, ages 5-17 (thousands)"),
        "VC_HTF_DETV": _("detected victims of trafficking"),
        "VC_HTF_DETVR": _("detected victims of trafficking per 100,000"),
    }


@dataclass(frozen=True)
class KeyFigure:
    """One headline figure: `value` in large type, `label` saying what it counts, its year
    (the page shows how old it is) and the release it comes from."""

    key: str
    value: str
    label: str
    detail: str
    year: int
    release: Release | None
    href: str
    words: bool = False  # a rating in words rather than a number: shown after its label


def key_figures(
    *,
    rows_by_code: Mapping[str, CountrySeriesRow],
    assessments: Mapping[str, Any],
    limit: int = MAX_FIGURES,
) -> list[KeyFigure]:
    """Child labour (SDG 8.7.1), modern slavery, detected victims of trafficking and the US
    Department of Labor's assessment, in that order, as far as the country has them."""
    figures: list[KeyFigure] = []
    child = headline_child_labour(rows_by_code)
    if child is not None:
        obs = child.latest
        figures.append(
            KeyFigure(
                key=child.series.code,
                value=labels.format_value(obs.value, child.series, obs.unit),
                label=_("of children aged %(age)s in child labour (%(measure)s)")
                % {"age": age_phrase(obs.age), "measure": measure_name(child.series.code)},
                detail="",
                year=obs.year,
                release=obs.release,
                href=f"#s-{child.series.code}",
            )
        )
    prevalence = rows_by_code.get("GSI_PREV_1000")
    if prevalence is not None:
        number = rows_by_code.get("GSI_NUMBER")
        figures.append(
            KeyFigure(
                key="GSI_PREV_1000",
                value=labels.format_value(
                    prevalence.latest.value, prevalence.series, prevalence.latest.unit
                ),
                label=_("in modern slavery (Global Slavery Index)"),
                detail=(
                    _("%(number)s people") % {"number": labels.number(number.latest.value, 0)}
                    if number is not None
                    else ""
                ),
                year=prevalence.latest.year,
                release=prevalence.latest.release,
                href="#s-GSI_PREV_1000",
            )
        )
    victims = rows_by_code.get("VC_HTF_DETV")
    if victims is not None:
        figures.append(
            KeyFigure(
                key="VC_HTF_DETV",
                value=labels.number(victims.latest.value, 0),
                label=_("victims of trafficking detected"),
                detail="",
                year=victims.latest.year,
                release=victims.latest.release,
                href="#s-VC_HTF_DETV",
            )
        )
    dol = assessments.get("dol_latest")
    if dol is not None:
        figures.append(
            KeyFigure(
                key="dol",
                value=str(dol.get_advancement_level_display()),
                label=_(
                    "US Department of Labor rating of the government's efforts against child labour"
                ),
                detail="",
                year=dol.report_year,
                release=dol.release,
                href="#assessments",
                words=True,
            )
        )
    return figures[:limit]


def _years(row: CountrySeriesRow) -> int:
    return len({o.year for o in row.trend})


def _is_child_measure(row: CountrySeriesRow) -> bool:
    name = (row.series.name or "").casefold()
    return any(word in name for word in _CHILD_WORDS)


def headline_trend_row(
    rows: Sequence[CountrySeriesRow], *, headline_indicator_id: int | None
) -> CountrySeriesRow | None:
    """The series for the first-screen chart: among the country's series with at least two
    years (population series left out), SDG 8.7.1 first, then other child labour or
    children-in-employment measures, then any; within each, the one with the most years
    (ties: the series order). None when no series has two years."""
    candidates = [
        row
        for row in rows
        if row.series.code not in CONTEXT_SERIES
        and row.series.indicator_id is not None
        and _years(row) >= 2
    ]
    if not candidates:
        return None

    def rank(row: CountrySeriesRow) -> tuple[bool, bool, int, int]:
        return (
            headline_indicator_id is not None and row.series.indicator_id == headline_indicator_id,
            _is_child_measure(row),
            _years(row),
            -row.series.sort_order,
        )

    return max(candidates, key=rank)


def headline_indicator_id() -> int | None:
    indicator = indicator_get(code=HEADLINE_INDICATOR)
    return indicator.pk if indicator is not None else None


def headline_chart(
    *, country: Geography, rows: Sequence[CountrySeriesRow]
) -> dict[str, Any] | None:
    """The first-screen line chart of one series for the country, with its data table and
    downloads; one measure only, named in the title. None without a series of two years."""
    indicator_id = headline_indicator_id()
    row = headline_trend_row(rows, headline_indicator_id=indicator_id)
    if row is None:
        return None
    series = row.series
    name = labels.series_name(series)
    breakdown = [
        part
        for part in (
            labels.sex_label(row.slice.sex) if row.slice.sex != "_T" else "",
            labels.age_label(row.slice.age) if row.slice.age != "_T" else "",
        )
        if part
    ]
    title = _("%(country)s: %(series)s") % {
        "country": country.name,
        "series": short_names().get(series.code, name),
    }
    first, last = row.trend[0], row.trend[-1]
    description = _(
        "%(series)s in %(country)s, %(count)s years from %(first_year)s (%(first)s) to "
        "%(last_year)s (%(last)s). One measure only; other measures are in the table below."
    ) % {
        "series": name,
        "country": country.name,
        "count": _years(row),
        "first_year": first.year,
        "first": labels.format_value(first.value, series, first.unit),
        "last_year": last.year,
        "last": labels.format_value(last.value, series, last.unit),
    }
    # A target marker only where zero is the target: 8.7.1 (end child labour by 2025).
    with_target = indicator_id is not None and series.indicator_id == indicator_id
    target_year = series.target_year if with_target else None
    unit = labels.unit_label(series)
    decimals = series.decimals if series.decimals is not None else 1
    spec = line_chart(
        [
            {"geo": country.name, "year": o.year, "value": o.value, "nature": o.nature}
            for o in row.trend
        ],
        title=title,
        description=description,
        x_title=_("Year"),
        y_title=unit,
        target_year=target_year,
        target_label=(_("Target: zero by %(year)s") % {"year": target_year} if target_year else ""),
        labels={
            "geo": _("Country or area"),
            "year": _("Year"),
            "value": unit,
            "nature": _("Nature"),
        },
        value_format=f",.{decimals}f",
        width=CHART_WIDTH,
        height=100,
    )
    # Keep the drawn title within the plot's width so that the chart is not scaled down on a
    # phone; the caption below names the full measure and breakdown.
    spec["title"] = {"text": spec_title(spec), "limit": CHART_WIDTH + 40, "fontSize": 13}
    table = [
        {
            "year": o.year,
            "value": labels.format_value(o.value, series, o.unit),
            "nature": labels.nature_label(o.nature) if o.nature else labels.NO_VALUE,
            "source": f"{o.release.source.title} ({o.release.year})",
        }
        for o in row.trend
    ]
    params = [
        ("series", series.code),
        ("country", country.iso3 or ""),
        ("sex", row.slice.sex),
        ("age", row.slice.age),
    ]
    return {
        "spec": spec,
        "row": row,
        "table": table,
        "columns": [
            ("year", _("Year")),
            ("value", unit),
            ("nature", _("Nature")),
            ("source", _("Source")),
        ],
        "csv_url": api_url([*params, ("format", "csv")]),
        "json_url": api_url(params),
        "caption": _("Measure: %(series)s%(breakdown)s. Source: %(source)s.")
        % {
            "series": name,
            "breakdown": "".join(f", {part}" for part in breakdown),
            "source": f"{last.release.source.title} ({last.release.year})",
        },
    }
