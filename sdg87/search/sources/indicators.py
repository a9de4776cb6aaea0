"""Indicators (8.7.1, 16.2.2 ...) and series (SL_TLF_CHLDEC ...) in the index: codes, names
and definitions in English, French and Spanish. A series links to its chart page; an
indicator to the chart of its first public series."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils import translation
from django.utils.html import strip_tags
from django.utils.translation import gettext_lazy as _

from sdg87.indicators.models import Indicator, Release, Series
from sdg87.search.registry import DocumentData, Source, Text

# Boosts (text score times boost): an indicator or a series before a page that merely names its
# topic; a global SDG indicator (the UN's own measure of its target, A/RES/71/313) before the
# platform's other indicators on the same topic (ILO-UNICEF estimates, Walk Free, Our World in
# Data), which its bundled sources chart beside it.
SDG_INDICATOR_BOOST = 2.0
INDICATOR_BOOST = 1.5
SERIES_BOOST = 1.2


def _chart_path(series_code: str) -> str:
    with translation.override("en"):
        return reverse("site:indicator-detail", kwargs={"code": series_code})


def _translated(row: Indicator | Series, fields: tuple[str, ...]) -> list[Text]:
    texts = []
    for lang in ("fr", "es"):
        for name in fields:
            value = (row.translations.get(lang) or {}).get(name)
            if value:
                texts.append(
                    Text(strip_tags(str(value)), lang, "title" if name == "name" else "body")
                )
    return texts


def _headings(row: Indicator | Series, code: str) -> dict[str, dict[str, str]]:
    out = {}
    for lang in ("fr", "es"):
        name = (row.translations.get(lang) or {}).get("name")
        if name:
            out[lang] = {"heading": f"{code} {name}"}
    return out


def indicators() -> list[Indicator]:
    rows = list(Indicator.objects.order_by("sort_order", "code"))
    first_series: dict[int, str] = {}
    for indicator_id, code in (
        Series.objects.public()
        .filter(indicator__isnull=False)
        .order_by("sort_order", "code")
        .values_list("indicator_id", "code")
    ):
        first_series.setdefault(indicator_id, code)
    for row in rows:
        row.search_series = first_series.get(row.pk)  # type: ignore[attr-defined]
    return rows


def indicator_get(object_id: str) -> Indicator | None:
    rows = [r for r in indicators() if r.code == object_id]
    return rows[0] if rows else None


def build_indicator(row: Indicator) -> DocumentData | None:
    series_code = getattr(row, "search_series", None)
    if series_code is None:  # no public data: nothing to link to
        return None
    code = row.code
    keys = [code, f"SDG {code}", f"indicator {code}", f"indicateur {code}", f"indicador {code}"]
    return DocumentData(
        kind="indicator",
        object_id=code,
        heading=f"{code} {row.name}" if row.is_sdg else row.name,
        path=_chart_path(series_code),
        summary=strip_tags(row.definition)[:600],
        translations=_headings(row, code) if row.is_sdg else {},
        meta=[m for m in (f"SDG target {row.target}" if row.target else "", row.custodians) if m],
        texts=[
            Text(f"{code} SDG {code} {row.name}", "en", "title"),
            Text(strip_tags(row.definition), "en"),
            Text(row.custodians, "en"),
            Text(row.unit, "en"),
            Text(strip_tags(row.methodology), "en"),
            *_translated(row, ("name", "definition")),
        ],
        keys=keys + ([row.name] if row.name else []),
        boost=SDG_INDICATOR_BOOST if row.is_sdg else INDICATOR_BOOST,
    )


def series_rows() -> Any:
    return Series.objects.public().select_related("indicator", "owner").order_by("sort_order")


def series_get(object_id: str) -> Series | None:
    return series_rows().filter(code=object_id).first()


def build_series(row: Series) -> DocumentData:
    indicator = row.indicator
    meta = [m for m in (indicator.code if indicator else "", row.unit_label) if m]
    if row.owner is not None:
        meta.append(row.owner.name)
    return DocumentData(
        kind="series",
        object_id=row.code,
        heading=f"{row.name} ({row.code})",
        path=_chart_path(row.code),
        summary=strip_tags(row.description)[:600],
        translations={
            lang: {"heading": f"{h['heading'].split(' ', 1)[1]} ({row.code})"}
            for lang, h in _headings(row, row.code).items()
        },
        meta=meta,
        texts=[Text(f"{row.code} {row.name}", "en", "title")]
        + [Text(strip_tags(row.description), "en"), Text(row.unit_label, "en")]
        + ([Text(f"{indicator.code} {indicator.name}", "en")] if indicator else [])
        + _translated(row, ("name", "description")),
        facets={"organisation": [row.owner.slug] if row.owner else []},
        keys=[row.code],
        boost=SERIES_BOOST,
    )


def _series_of_release(release: Release) -> list[str]:
    return list(
        Series.objects.filter(observations__release=release)
        .values_list("code", flat=True)
        .distinct()
    )


def _indicators_of_release(release: Release) -> list[str]:
    return list(
        Indicator.objects.filter(series__observations__release=release)
        .values_list("code", flat=True)
        .distinct()
    )


SOURCES = [
    Source(
        kind="indicator",
        label=_("Indicators"),
        rows=indicators,
        build=build_indicator,
        get=indicator_get,
        watches=(
            (Indicator, lambda i: [i.code]),
            (Series, lambda s: [s.indicator.code] if s.indicator_id else []),
            (Release, _indicators_of_release),
        ),
    ),
    Source(
        kind="series",
        label=_("Series"),
        rows=series_rows,
        build=build_series,
        get=series_get,
        # a contributed series shows once one of its releases is public
        watches=((Series, lambda s: [s.code]), (Release, _series_of_release)),
    ),
]
