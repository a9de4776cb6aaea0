"""The public Pathfinder pages: the comparison table of every Pathfinder Country (also as CSV)
and one country's accountability view. Views parse the query, call one selector of
sdg87.alliance.selectors and shape its result for the template; the words for categories,
dates and empty cells are chosen here so that the templates and the CSV say the same."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode, urlsplit

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from sdg87.alliance import selectors
from sdg87.alliance.models import Completion, DatePrecision, Milestone, ReplySubject
from sdg87.alliance.selectors import (
    ActionView,
    Category,
    ChildLabourFigure,
    IndicatorTrend,
    PathfinderRow,
)
from sdg87.core.cache import cache_public_page
from sdg87.core.charts import line_chart
from sdg87.core.csvsafe import csv_row
from sdg87.indicators import labels
from sdg87.indicators.labels import age_phrase, progress_sentence

PAGE_CACHE_SECONDS = 300


def category_label(category: Category | None) -> str:
    """Open SDG's words for a progress category."""
    words = {
        Category.TARGET_ACHIEVED: _("Target achieved"),
        Category.ON_TRACK: _("On track"),
        Category.ACCELERATION_NEEDED: _("Progress made but acceleration needed"),
        Category.LIMITED_PROGRESS: _("Limited progress"),
        Category.DETERIORATION: _("Deterioration"),
    }
    return words.get(category, "") if category is not None else ""


def not_reported() -> str:
    return _("not reported")


# Sources kept in a code repository, named by their publisher rather than by the host.
KNOWN_PUBLISHERS = {
    "github.com/USDepartmentofLabor/": "US Department of Labor (ILAB)",
}


def source_host(url: str) -> str:
    """Who a source is from: its site ("ilo.org"), or the publisher of a file kept in a code
    repository (the US Department of Labor's Findings data on GitHub), for "reported by"."""
    parts = urlsplit(url or "")
    host = (parts.hostname or "").removeprefix("www.")
    for prefix, publisher in KNOWN_PUBLISHERS.items():
        if f"{host}{parts.path}".startswith(prefix):
            return publisher
    return host


def when_label(*, day: Any, precision: str, approximate: bool) -> str:
    """A date as precisely as it is known; approximate ones say so."""
    if day is None:
        return _("date not known")
    if precision == DatePrecision.YEAR:
        text = str(day.year)
    elif precision == DatePrecision.MONTH:
        text = formats.date_format(day, "YEAR_MONTH_FORMAT")
    else:
        text = formats.date_format(day, "DATE_FORMAT")
    if approximate:
        return _("%(date)s (approximate)") % {"date": text}
    return text


def milestone_when(milestone: Milestone) -> str:
    return when_label(
        day=milestone.date,
        precision=milestone.date_precision,
        approximate=milestone.is_approximate,
    )


@dataclass(frozen=True)
class Trend:
    """The 8.7.1 figure in words for a cell or a paragraph."""

    value: str
    year: int
    age: str
    category: str
    times_faster: str
    sentence: str


def trend_of(figure: ChildLabourFigure | None, *, country_name: str) -> Trend | None:
    if figure is None:
        return None
    series, latest = figure.series, figure.latest
    progress = figure.progress
    times = ""
    if progress is not None and progress.times_faster is not None and progress.times_faster > 1:
        times = _("the pace needed after %(year)s: %(times)s times faster") % {
            "year": progress.last.year,
            "times": labels.number(progress.times_faster, 0 if progress.times_faster >= 10 else 1),
        }
    sentence = ""
    if progress is not None:
        what = _("In %(country)s, the share of children aged %(age)s in child labour") % {
            "country": country_name,
            "age": age_phrase(figure.age),
        }
        sentence = progress_sentence(what=what, progress=progress, series=series, unit=figure.unit)
    return Trend(
        value=labels.format_value(latest.value, series, figure.unit),
        year=latest.year,
        age=age_phrase(figure.age),
        category=category_label(figure.category),
        times_faster=times,
        sentence=sentence,
    )


def _percent(share: float | None) -> str:
    return "" if share is None else labels.number(share * 100, 0) + " %"


# --- the comparison table ----------------------------------------------------------------------


def sort_params(request: HttpRequest) -> tuple[str, bool]:
    sort = request.GET.get("sort", "country")
    if sort not in selectors.SORT_COLUMNS:
        sort = "country"
    return sort, request.GET.get("dir") == "desc"


def sort_links(*, sort: str, descending: bool) -> dict[str, dict[str, str]]:
    """For each column: the link sorting by it (a second click reverses) and its aria-sort."""
    out = {}
    for column in selectors.SORT_COLUMNS:
        current = column == sort
        direction = "asc" if (current and descending) or not current else "desc"
        if not current and column not in ("country", "stage"):
            direction = "desc"  # counts and values: largest first on the first click
        out[column] = {
            "url": "?" + urlencode({"sort": column, "dir": direction}),
            "aria": ("descending" if descending else "ascending") if current else "none",
        }
    return out


def csv_columns() -> list[str]:
    return [
        "iso3",
        "country",
        "stage",
        "listed_2025",
        "milestones",
        "latest_milestone",
        "latest_milestone_date",
        "latest_milestone_approximate",
        "roadmap_actions",
        "actions_with_status",
        "actions_substantial_or_complete",
        "share_substantial_or_complete",
        "sdg871_series",
        "sdg871_age",
        "sdg871_year",
        "sdg871_value",
        "sdg871_unit",
        "sdg871_release",
        "sdg871_category",
        "sdg871_times_faster",
        "page",
    ]


def csv_cells(row: PathfinderRow, *, lang: str) -> list[Any]:
    cl = row.child_labour
    m = row.latest_milestone
    progress = cl.progress if cl is not None else None
    release = cl.latest_release if cl is not None else None
    share = row.share_done
    return csv_row(
        [
            row.country.iso3,
            row.country.name,
            row.pathfinder.get_status_display(),
            "yes" if row.pathfinder.listed_2025 else "no",
            row.milestones,
            m.title if m is not None else None,
            m.date.isoformat() if m is not None and m.date is not None else None,
            ("yes" if m.is_approximate else "no") if m is not None else None,
            row.actions,
            row.actions_reported,
            row.actions_done,
            round(share, 4) if share is not None else None,
            cl.series.code if cl is not None else None,
            cl.age if cl is not None else None,
            cl.latest.year if cl is not None else None,
            cl.latest.value if cl is not None else None,
            cl.unit if cl is not None else None,
            release.code if release is not None else None,
            cl.category.value if cl is not None and cl.category is not None else None,
            round(progress.times_faster, 2)
            if progress is not None and progress.times_faster is not None
            else None,
            f"/{lang}/pathfinders/{row.country.iso3}/",
        ]
    )


def pathfinder_csv_response(rows: list[PathfinderRow], *, lang: str) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="pathfinders.csv"'
    writer = csv.writer(response)
    writer.writerow(csv_columns())
    for row in rows:
        writer.writerow(csv_cells(row, lang=lang))
    return response


@cache_public_page(PAGE_CACHE_SECONDS)
def pathfinder_index(request: HttpRequest) -> HttpResponse:
    sort, descending = sort_params(request)
    rows = selectors.pathfinder_list(sort=sort, descending=descending)
    lang = request.LANGUAGE_CODE
    if request.GET.get("format") == "csv":
        return pathfinder_csv_response(rows, lang=lang)
    items = [
        {
            "row": row,
            "latest_when": milestone_when(row.latest_milestone) if row.latest_milestone else "",
            "share": _percent(row.share_done),
            "trend": trend_of(row.child_labour, country_name=row.country.name),
            "release": row.child_labour.latest_release if row.child_labour else None,
        }
        for row in rows
    ]
    csv_query = urlencode({"sort": sort, "dir": "desc" if descending else "asc", "format": "csv"})
    return render(
        request,
        "alliance/pathfinder_index.html",
        {
            "items": items,
            "sort": sort,
            "descending": descending,
            "sort_links": sort_links(sort=sort, descending=descending),
            "csv_url": "?" + csv_query,
            "not_reported": not_reported(),
        },
    )


@cache_public_page(PAGE_CACHE_SECONDS)
def pathfinder_index_csv(request: HttpRequest) -> HttpResponse:
    sort, descending = sort_params(request)
    rows = selectors.pathfinder_list(sort=sort, descending=descending)
    return pathfinder_csv_response(rows, lang=request.LANGUAGE_CODE)


# --- one country -------------------------------------------------------------------------------


def trend_rows(figure: ChildLabourFigure | None) -> list[tuple[int, str, Any]]:
    """(year, value in words, release) of each point of the trend."""
    if figure is None:
        return []
    return [
        (point.year, labels.format_value(point.value, figure.series, figure.unit), release)
        for point, release in zip(figure.points, figure.releases, strict=True)
    ]


def action_trend_block(
    trend: IndicatorTrend, *, action_key: str, country_name: str
) -> dict[str, Any]:
    """What the page shows for one linked series of an action: a chart of the country's
    published figures with the national baseline and target marked, the same numbers as a
    table, each figure's source, and the Open SDG category against the national target."""
    link, figure = trend.link, trend.figure
    series = link.series
    assert series is not None
    unit = figure.unit if figure is not None else series.unit
    observed = _("%(country)s (published figures)") % {"country": country_name}
    baseline_word = _("Baseline (national roadmap)")
    target_word = _("National target")
    chart_rows: list[dict[str, Any]] = []
    table: list[dict[str, Any]] = []
    sources: list[Any] = []
    if figure is not None:
        for point, release in zip(figure.points, figure.releases, strict=True):
            chart_rows.append({"geo": observed, "year": point.year, "value": point.value})
            source = f"{release.source.title} ({release.year})" if release is not None else ""
            table.append(
                {
                    "year": point.year,
                    "value": labels.format_value(point.value, series, unit),
                    "what": _("published figure"),
                    "source": source,
                }
            )
            if release is not None and release not in sources:
                sources.append(release)
    marks = [
        (link.baseline_year, link.baseline_value, baseline_word),
        (link.target_year, link.target_value, target_word),
    ]
    for year, value, word in marks:
        if year is None or value is None:
            continue
        chart_rows.append({"geo": word, "year": year, "value": value})
        table.append(
            {
                "year": year,
                "value": labels.format_value(value, series, unit),
                "what": word,
                "source": link.source_url or _("the national roadmap"),
            }
        )
    table.sort(key=lambda row: (row["year"], row["what"]))
    spec = None
    if figure is not None:
        spec = line_chart(
            chart_rows,
            title=_("%(series)s: %(country)s against the national baseline and target")
            % {"series": link.label, "country": country_name},
            description=_(
                "The published figures of the series for the country, with the baseline and "
                "the target the national roadmap sets for this action marked as points."
            ),
            x_title=_("Year"),
            y_title=str(series.unit_label or series.unit),
            labels={"geo": _("What")},
            width=520,
            height=240,
        )
    return {
        "trend": trend,
        "series": series,
        "spec": spec,
        "table": table,
        "columns": [
            ("year", _("Year")),
            ("value", _("Value")),
            ("what", _("What")),
            ("source", _("Source")),
        ],
        "sources": sources,
        "category": category_label(trend.category),
        "id": f"trend-{action_key}-{series.code}".lower(),
    }


def action_trend_blocks(view: ActionView, *, country_name: str) -> list[dict[str, Any]]:
    return [
        action_trend_block(t, action_key=view.action.key, country_name=country_name)
        for t in view.trends
    ]


def reply_subject_label(subject: str) -> str:
    return str(dict(ReplySubject.choices).get(subject, subject))


@cache_public_page(PAGE_CACHE_SECONDS)
def pathfinder_detail(request: HttpRequest, iso3: str) -> HttpResponse:
    detail = selectors.pathfinder_detail(iso3=iso3)
    if detail is None:
        raise Http404(_("No such Pathfinder Country."))
    if iso3 != detail.country.iso3:
        return redirect(f"/{request.LANGUAGE_CODE}/pathfinders/{detail.country.iso3}/")
    country_name = detail.country.name
    milestones = [
        {
            "m": m,
            "when": milestone_when(m),
            "secondary": m.verification == "verified_secondary",
            "host": source_host(m.source_url),
        }
        for m in detail.milestones
    ]
    trend = trend_of(detail.child_labour, country_name=country_name)
    target_lines = [
        {
            "line": line,
            "category": category_label(line.category),
            "sentence": (
                _("Against the national target of %(value)s by %(year)s: %(category)s.")
                % {
                    "value": labels.format_value(
                        line.value, detail.child_labour.series, detail.child_labour.unit
                    ),
                    "year": line.year,
                    "category": category_label(line.category) or not_reported(),
                }
                if detail.child_labour is not None
                else ""
            ),
        }
        for line in detail.national_target_lines
    ]
    assessments = [
        {"view": view, "label": reply_subject_label(view.subject)} for view in detail.assessments
    ]
    counts_header = [*Completion.choices, ("", pgettext("completion", "no status reported"))]
    action_trends = {
        view.action.pk: action_trend_blocks(view, country_name=country_name)
        for view in detail.actions
        if view.trends
    }
    return render(
        request,
        "alliance/pathfinder_detail.html",
        {
            "detail": detail,
            "country": detail.country,
            "pathfinder": detail.pathfinder,
            "milestones": milestones,
            "trend": trend,
            "figure": detail.child_labour,
            "release": detail.child_labour.latest_release if detail.child_labour else None,
            "trend_rows": trend_rows(detail.child_labour),
            "target_lines": target_lines,
            "assessments": assessments,
            "counts_header": counts_header,
            "not_reported": not_reported(),
            "action_trends": action_trends,
        },
    )
