"""Data directory pages over vintages (thin: parse, call a selector, shape for the template).

* `series/<code>/compare/?from=&to=`: two releases of a series compared (CSV with format=csv);
* `series/<code>/as-published/?date=`: the series' values as published on a date;
* `series/<code>/vintages/?geo=&year=&sex=&age=`: one value across releases, chart and table.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from sdg87.core.charts import bar_chart
from sdg87.geo.models import Geography
from sdg87.indicators import labels
from sdg87.indicators.models import Observation, Series
from sdg87.vintages.compare import Change
from sdg87.vintages.export import comparison_csv
from sdg87.vintages.selectors import (
    CompareError,
    CompareKey,
    Comparison,
    comparison_get,
    observations_as_of,
    point_vintages,
    release_published_on,
    series_releases,
)

AS_OF_MAX_ROWS = 500  # the page shows at most this many rows; the API pages through the rest


def _series_or_404(code: str) -> Series:
    series = Series.objects.public().select_related("indicator").filter(code=code).first()
    if series is None:
        raise Http404(_("No such series."))
    return series


def _change_row(comparison: Comparison, change: Change[CompareKey]) -> dict[str, Any]:
    code, year, sex, age, dimensions = change.key
    series = comparison.series
    relative = change.relative
    return {
        "geography": comparison.geographies[code].name,
        "year": year,
        "sex": labels.sex_label(sex),
        "age": labels.age_label(age),
        "dimensions": dimensions.replace("|", ", "),
        "old": labels.format_value(change.old, series),
        "new": labels.format_value(change.new, series),
        "absolute": (
            labels.number(change.absolute, max(series.decimals, 1))
            if change.absolute is not None
            else ""
        ),
        "relative": (
            _("%(value)s%%") % {"value": labels.number(relative * 100, 1)}
            if relative is not None
            else ""
        ),
        "vintages_url": _vintages_url(series, code, year, sex, age),
    }


def _vintages_url(series: Series, geo: str, year: int, sex: str, age: str) -> str:
    base = reverse("vintages:point-vintages", kwargs={"code": series.code})
    query = urlencode({"geo": geo, "year": str(year), "sex": sex, "age": age})
    return f"{base}?{query}"


def series_compare(request: HttpRequest, code: str) -> HttpResponse:
    series = _series_or_404(code)
    releases = series_releases(series=series)
    if len(releases) < 2:
        return render(
            request,
            "vintages/compare.html",
            {
                "series": series,
                "series_name": labels.series_name(series),
                "releases": releases,
                "comparison": None,
                "error": "",
            },
        )
    from_code = request.GET.get("from") or releases[1].code
    to_code = request.GET.get("to") or releases[0].code
    try:
        comparison = comparison_get(series_code=series.code, from_code=from_code, to_code=to_code)
    except CompareError as exc:
        return render(
            request,
            "vintages/compare.html",
            {
                "series": series,
                "series_name": labels.series_name(series),
                "releases": releases,
                "comparison": None,
                "error": exc.message,
            },
            status=exc.status,
        )
    if request.GET.get("format") == "csv":
        return comparison_csv(comparison)
    diff = comparison.differences
    query = urlencode({"from": from_code, "to": to_code})
    return render(
        request,
        "vintages/compare.html",
        {
            "series": series,
            "series_name": labels.series_name(series),
            "releases": releases,
            "comparison": comparison,
            "from_published": release_published_on(comparison.from_release),
            "to_published": release_published_on(comparison.to_release),
            "revised": [_change_row(comparison, c) for c in diff.revised],
            "added": [_change_row(comparison, c) for c in diff.added],
            "dropped": [_change_row(comparison, c) for c in diff.dropped],
            "unchanged": len(diff.unchanged),
            "csv_url": f"?{query}&format=csv",
            "api_url": reverse("api-v1:series_compare", kwargs={"code": series.code}) + f"?{query}",
            "error": "",
        },
    )


def series_as_published(request: HttpRequest, code: str) -> HttpResponse:
    series = _series_or_404(code)
    text = (request.GET.get("date") or "").strip()
    context: dict[str, Any] = {
        "series": series,
        "series_name": labels.series_name(series),
        "date_text": text[:10],
        "error": "",
    }
    if text:
        try:  # the whole text, so "2020-01-01garbage" is refused rather than read
            if len(text) != 10:
                raise ValueError(text)
            day = datetime.date.fromisoformat(text)
        except ValueError:
            context["error"] = _("Enter a date as YYYY-MM-DD.")
            return render(request, "vintages/as_published.html", context, status=400)
        qs = observations_as_of(
            as_of=day, queryset=Observation.objects.filter(series=series)
        ).select_related("geography", "release")
        rows = list(
            qs.order_by("geography__name_en", "year", "sex", "age", "id")[: AS_OF_MAX_ROWS + 1]
        )
        context.update(
            {
                "day": day,
                "rows": [
                    {
                        "geography": o.geography.name,
                        "year": o.year,
                        "sex": labels.sex_label(o.sex),
                        "age": labels.age_label(o.age),
                        "dimensions": o.dimensions_key.replace("|", ", "),
                        "value": labels.format_value(o.value, series, o.unit),
                        "release": o.release,
                        "vintages_url": _vintages_url(
                            series, o.geography.code, o.year, o.sex, o.age
                        ),
                    }
                    for o in rows[:AS_OF_MAX_ROWS]
                ],
                "truncated": len(rows) > AS_OF_MAX_ROWS,
                "csv_url": reverse("api-v1:observation_list")
                + "?"
                + urlencode({"series": series.code, "as_of": day.isoformat(), "format": "csv"}),
            }
        )
    return render(request, "vintages/as_published.html", context)


def point_vintages_view(request: HttpRequest, code: str) -> HttpResponse:
    series = _series_or_404(code)
    geography = Geography.objects.filter(code=(request.GET.get("geo") or "").strip()[:24]).first()
    try:
        year = int(request.GET.get("year") or "")
    except ValueError:
        year = None
    sex = (request.GET.get("sex") or "_T").strip()[:3]
    age = (request.GET.get("age") or "_T").strip()[:8]
    if geography is None or year is None:
        raise Http404(_("Choose a geography and a year."))
    vintages = point_vintages(series=series, geography=geography, year=year, sex=sex, age=age)
    if not vintages:
        raise Http404(_("No published value for this data point."))
    rows = [
        {
            "release": v.release,
            "published_on": v.validity.valid_from,
            "valid_to": v.validity.valid_to,
            "value": labels.format_value(v.observation.value, series, v.observation.unit),
        }
        for v in vintages
    ]
    point = _("%(series)s, %(place)s, %(year)s, %(sex)s, %(age)s") % {
        "series": labels.series_name(series),
        "place": geography.name,
        "year": year,
        "sex": labels.sex_label(sex),
        "age": labels.age_label(age),
    }
    spec = bar_chart(
        [
            {
                "category": f"{v.validity.valid_from.isoformat()} {v.release.title}",
                "value": v.observation.value,
            }
            for v in vintages
        ],
        title=_("One value as published in each release"),
        description=point,
        x_title=labels.unit_label(series),
        y_title=_("Release"),
        labels={"category": _("Release"), "value": _("Value")},
        sort=False,
        width=300,
    )
    table = [
        {
            "published": v.validity.valid_from.isoformat(),
            "release": v.release.title,
            "value": v.observation.value,
        }
        for v in vintages
    ]
    columns = [
        ("published", _("Published on")),
        ("release", _("Release")),
        ("value", _("Value")),
    ]
    csv_url = (
        reverse("api-v1:observation_list")
        + "?"
        + urlencode(
            {
                "series": series.code,
                "geo": geography.code,
                "year_from": str(year),
                "year_to": str(year),
                "sex": sex,
                "age": age,
                "include_history": "true",
                "format": "csv",
            }
        )
    )
    return render(
        request,
        "vintages/point.html",
        {
            "series": series,
            "series_name": labels.series_name(series),
            "point": point,
            "rows": rows,
            "spec": spec,
            "table": table,
            "columns": columns,
            "csv_url": csv_url,
            "json_url": csv_url.replace("format=csv", "format=json"),
        },
    )
