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
from sdg87.indicators.models import Observation
from sdg87.site import labels
from sdg87.site.gaps import GapReport
from sdg87.site.selectors import CountrySeriesRow

CHILD_LABOUR_SERIES = ("SL_TLF_CHLDEA", "SL_TLF_CHLDEC")


def _value(row_obs: Any, series: Any) -> str:
    return labels.format_value(row_obs.value, series, row_obs.unit)


def _measure(code: str) -> str:
    if code == "SL_TLF_CHLDEA":
        return _("economic activity")
    return _("economic activity and household chores")


def _age_phrase(age: str) -> str:
    """'5-17' style age band for inside a sentence."""
    if age.startswith("Y") and "T" in age[1:]:
        low, high = age[1:].split("T", 1)
        return _("%(low)s-%(high)s") % {"low": low, "high": high}
    return labels.age_label(age)


def child_labour_sentences(
    *,
    country: Geography,
    region: Geography | None,
    rows: Mapping[str, CountrySeriesRow],
    references: Mapping[str, tuple[Observation | None, Observation | None]],
) -> list[str]:
    """The latest 8.7.1 value, the other 8.7.1 measure, and the regional and world figures.

    `references` holds, per 8.7.1 series code, the (region, world) observations to compare
    with when the country has no value of that series itself."""
    sentences: list[str] = []
    main = next((rows[c] for c in CHILD_LABOUR_SERIES if c in rows), None)
    if main is None:
        sentences.append(
            _(
                "No national estimate of child labour (SDG indicator 8.7.1) is available for "
                "%(country)s."
            )
            % {"country": country.name}
        )
        return sentences
    obs = main.latest
    sentences.append(
        _(
            "In %(year)s, %(value)s of children aged %(age)s in %(country)s were in child "
            "labour (%(measure)s), according to %(nature)s."
        )
        % {
            "year": obs.year,
            "value": _value(obs, main.series),
            "age": _age_phrase(obs.age),
            "country": country.name,
            "measure": _measure(main.series.code),
            "nature": labels.nature_phrase(obs.nature),
        }
    )
    other_code = next((c for c in CHILD_LABOUR_SERIES if c != main.series.code), "")
    other = rows.get(other_code)
    if other is not None and other.latest.year == obs.year:
        sentences.append(
            _("Counting %(measure)s, the share was %(value)s.")
            % {
                "measure": _measure(other.series.code),
                "value": _value(other.latest, other.series),
            }
        )
    # Compare with the region and the world, naming the measure: regional figures exist
    # for one 8.7.1 series only (the ILO-UNICEF estimates of 2020).
    for code in (main.series.code, other_code):
        region_obs, world_obs = references.get(code, (None, None))
        row = rows.get(code)
        if row is not None:
            region_obs, world_obs = row.region or region_obs, row.world or world_obs
        if region_obs is None and world_obs is None:
            continue
        series = region_obs.series if region_obs is not None else world_obs.series  # type: ignore[union-attr]
        if region is not None and region_obs is not None:
            sentences.append(
                _(
                    "The %(region)s average for child labour (%(measure)s) was %(value)s in "
                    "%(year)s."
                )
                % {
                    "region": region.name,
                    "measure": _measure(code),
                    "value": _value(region_obs, series),
                    "year": region_obs.year,
                }
            )
        if world_obs is not None:
            sentences.append(
                _("The world average (%(measure)s) was %(value)s in %(year)s.")
                % {
                    "measure": _measure(code),
                    "value": _value(world_obs, series),
                    "year": world_obs.year,
                }
            )
        break
    return sentences


def country_summary(
    *,
    country: Geography,
    region: Geography | None,
    rows_by_code: Mapping[str, CountrySeriesRow],
    gaps: GapReport,
    assessments: Mapping[str, Any],
    references: Mapping[str, tuple[Observation | None, Observation | None]] | None = None,
) -> list[str]:
    """The summary paragraph as a list of sentences, in the active language."""
    sentences = child_labour_sentences(
        country=country, region=region, rows=rows_by_code, references=references or {}
    )
    marriage = rows_by_code.get("SP_DYN_MRBF18")
    if marriage is not None:
        sentences.append(
            _(
                "In %(year)s, %(value)s of women aged 20-24 in %(country)s had been married or "
                "in a union before age 18."
            )
            % {
                "year": marriage.latest.year,
                "value": _value(marriage.latest, marriage.series),
                "country": country.name,
            }
        )
    prevalence = rows_by_code.get("GSI_PREV_1000")
    number = rows_by_code.get("GSI_NUMBER")
    if prevalence is not None and number is not None:
        sentences.append(
            _(
                "The Global Slavery Index estimates that %(number)s people in %(country)s were "
                "living in modern slavery in %(year)s, %(prevalence)s per 1,000 people."
            )
            % {
                "number": labels.number(number.latest.value, 0),
                "country": country.name,
                "year": prevalence.latest.year,
                "prevalence": labels.number(prevalence.latest.value, 1),
            }
        )
    victims = rows_by_code.get("VC_HTF_DETV")
    if victims is not None:
        count = int(victims.latest.value)
        sentences.append(
            ngettext(
                "In %(year)s, %(count)s victim of trafficking was detected in %(country)s.",
                "In %(year)s, %(count)s victims of trafficking were detected in %(country)s.",
                count,
            )
            % {
                "year": victims.latest.year,
                "count": labels.number(count, 0),
                "country": country.name,
            }
        )
    dol = assessments.get("dol_latest")
    if dol is not None:
        sentences.append(
            _(
                "For %(year)s, the US Department of Labor rated the efforts of %(country)s "
                "against the worst forms of child labour as: %(level)s."
            )
            % {
                "year": dol.report_year,
                "country": country.name,
                "level": str(dol.get_advancement_level_display()).lower(),
            }
        )
    missing = len(gaps.gaps)
    if missing:
        sentences.append(
            ngettext(
                "Data are missing or more than five years old for %(count)s of %(total)s key "
                "indicator.",
                "Data are missing or more than five years old for %(count)s of %(total)s key "
                "indicators.",
                gaps.total,
            )
            % {"count": missing, "total": gaps.total}
        )
    return sentences
