"""Plain-language country summaries, generated from the data in the page's language.

Each sentence is a gettext template with named placeholders filled from observations; no
country has hand-written text. A sentence is left out when its data are missing.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from sdg87.geo.models import Geography
from sdg87.indicators import labels
from sdg87.indicators.labels import age_phrase
from sdg87.indicators.models import Observation
from sdg87.site.gaps import GapReport
from sdg87.site.selectors import CountrySeriesRow

CHILD_LABOUR_SERIES = ("SL_TLF_CHLDEA", "SL_TLF_CHLDEC")


def _value(row_obs: Any, series: Any) -> str:
    return labels.format_value(row_obs.value, series, row_obs.unit)


def measure_name(code: str) -> str:
    """The 8.7.1 measure in words, for inside a sentence or a label."""
    if code == "SL_TLF_CHLDEA":
        return _("economic activity only")
    return _("including household chores")


def headline_child_labour(rows: Mapping[str, CountrySeriesRow]) -> CountrySeriesRow | None:
    """The 8.7.1 measure to lead with: the newest year; on a tie, economic activity (the
    measure most countries publish)."""
    present = [rows[c] for c in CHILD_LABOUR_SERIES if c in rows]
    if not present:
        return None
    return max(present, key=lambda r: (r.latest.year, -CHILD_LABOUR_SERIES.index(r.series.code)))


def _comparison_sentences(
    *,
    country: Geography,
    region: Geography | None,
    rows: Mapping[str, CountrySeriesRow],
    references: Mapping[str, tuple[Observation | None, Observation | None]],
    stated: str,
) -> list[str]:
    """The region and the world on the same measure as a country figure, never another one
    (SL_TLF_CHLDEA is compared with SL_TLF_CHLDEA only). `stated` is the measure already given
    in the summary; when only the other measure has regional figures, the country's value on
    that measure is given first so that like is compared with like."""
    for code in (stated, *[c for c in CHILD_LABOUR_SERIES if c != stated]):
        row = rows.get(code)
        if row is None:
            continue
        region_obs, world_obs = references.get(code, (None, None))
        region_obs, world_obs = row.region or region_obs, row.world or world_obs
        region_obs = region_obs if region is not None else None
        if region_obs is None and world_obs is None:
            continue
        sentences: list[str] = []
        if code != stated:
            sentences.append(
                _("Counting %(measure)s, the share in %(year)s was %(value)s.")
                % {
                    "measure": _comparison_measure(code),
                    "year": row.latest.year,
                    "value": _value(row.latest, row.series),
                }
            )
        if region_obs is not None and region is not None:
            sentences.append(
                _("On the same measure, the %(region)s average was %(value)s in %(year)s.")
                % {
                    "region": region.name,
                    "value": _value(region_obs, region_obs.series),
                    "year": region_obs.year,
                }
            )
        if world_obs is not None:
            sentences.append(
                _("The world average on the same measure was %(value)s in %(year)s.")
                % {"value": _value(world_obs, world_obs.series), "year": world_obs.year}
            )
        return sentences
    return []


def _comparison_measure(code: str) -> str:
    if code == "SL_TLF_CHLDEA":
        return _("economic activity only")
    return _("household chores too")


def child_labour_sentences(
    *,
    country: Geography,
    region: Geography | None,
    rows: Mapping[str, CountrySeriesRow],
    references: Mapping[str, tuple[Observation | None, Observation | None]],
) -> list[str]:
    """The latest 8.7.1 value, the other 8.7.1 measure of the same year, and the regional and
    world figures on the same measure, one short sentence each.

    `references` holds, per 8.7.1 series code, the (region, world) observations to compare
    with when the country's row carries none."""
    main = headline_child_labour(rows)
    if main is None:
        return [
            _("No national estimate of child labour (SDG 8.7.1) is available for %(country)s.")
            % {"country": country.name}
        ]
    obs = main.latest
    sentences = [
        _(
            "In %(country)s, %(value)s of children aged %(age)s were in child labour in "
            "%(year)s (%(measure)s)."
        )
        % {
            "year": obs.year,
            "value": _value(obs, main.series),
            "age": age_phrase(obs.age),
            "country": country.name,
            "measure": measure_name(main.series.code),
        }
    ]
    stated = main.series.code
    other_code = next(c for c in CHILD_LABOUR_SERIES if c != main.series.code)
    other = rows.get(other_code)
    if other is not None and other.latest.year == obs.year:
        sentences.append(
            _("Counting %(measure)s, the share was %(value)s.")
            % {
                "measure": _comparison_measure(other_code),
                "value": _value(other.latest, other.series),
            }
        )
        # Both measures are stated: compare the one the region and world publish.
        stated = other_code if _has_reference(other_code, rows, references) else stated
    sentences += _comparison_sentences(
        country=country, region=region, rows=rows, references=references, stated=stated
    )
    return sentences


def _has_reference(
    code: str,
    rows: Mapping[str, CountrySeriesRow],
    references: Mapping[str, tuple[Observation | None, Observation | None]],
) -> bool:
    row = rows.get(code)
    region_obs, world_obs = references.get(code, (None, None))
    if row is not None:
        region_obs, world_obs = row.region or region_obs, row.world or world_obs
    return region_obs is not None or world_obs is not None


def country_summary(
    *,
    country: Geography,
    region: Geography | None,
    rows_by_code: Mapping[str, CountrySeriesRow],
    gaps: GapReport,
    assessments: Mapping[str, Any],
    references: Mapping[str, tuple[Observation | None, Observation | None]] | None = None,
) -> list[str]:
    """The summary as a list of short sentences (one figure each, plain words), in the active
    language; the page shows them as a list."""
    sentences = child_labour_sentences(
        country=country, region=region, rows=rows_by_code, references=references or {}
    )
    marriage = rows_by_code.get("SP_DYN_MRBF18")
    if marriage is not None:
        sentences.append(
            _("In %(year)s, %(value)s of young women (20-24) had married before age 18.")
            % {
                "year": marriage.latest.year,
                "value": _value(marriage.latest, marriage.series),
            }
        )
    prevalence = rows_by_code.get("GSI_PREV_1000")
    number = rows_by_code.get("GSI_NUMBER")
    if prevalence is not None and number is not None:
        sentences.append(
            _(
                "An estimated %(number)s people lived in modern slavery in %(year)s: "
                "%(prevalence)s in every 1,000 people."
            )
            % {
                "number": labels.number(number.latest.value, 0),
                "year": prevalence.latest.year,
                "prevalence": labels.number(prevalence.latest.value, 1),
            }
        )
    victims = rows_by_code.get("VC_HTF_DETV")
    if victims is not None:
        count = int(victims.latest.value)
        sentences.append(
            ngettext(
                "In %(year)s, %(count)s victim of trafficking was identified.",
                "In %(year)s, %(count)s victims of trafficking were identified.",
                count,
            )
            % {"year": victims.latest.year, "count": labels.number(count, 0)}
        )
    dol = assessments.get("dol_latest")
    if dol is not None:
        sentences.append(
            _(
                "The US Department of Labor rated the government's efforts against the worst "
                "forms of child labour for %(year)s as “%(level)s”."
            )
            % {
                "year": dol.report_year,
                "level": str(dol.get_advancement_level_display()).lower(),
            }
        )
    missing = len(gaps.gaps)
    if missing:
        sentences.append(
            ngettext(
                "%(count)s of %(total)s key indicators has no data from the last five years.",
                "%(count)s of %(total)s key indicators have no data from the last five years.",
                missing,
            )
            % {"count": missing, "total": gaps.total}
        )
    return sentences
