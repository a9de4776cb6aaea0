"""The published global estimates (ILO-UNICEF child labour, ILO/Walk Free/IOM modern slavery):
their series codes, labels and the world's figures, shared by the home and estimates pages."""

from __future__ import annotations

from django.utils.translation import gettext as _

from sdg87.indicators.models import Observation
from sdg87.indicators.selectors import observation_history
from sdg87.site.selectors import WORLD_CODE

# Series codes of the published global estimates (sdg87/indicators/ingest/global_estimates.py).
CL_NUM, CL_PCT, CL_SHARE = "ILO_CL_NUM", "ILO_CL_PCT", "ILO_CL_SHARE"
HAZ_NUM, HAZ_PCT = "ILO_HAZ_NUM", "ILO_HAZ_PCT"
MS_NUM, MS_PREV = "GEMS_NUM", "GEMS_PREV"
CHILD_AGE = "Y5T17"
MS_FORMS = ("MODERN_SLAVERY", "FORCED_LABOUR", "FORCED_MARRIAGE")


def world_history(
    series_code: str, *, age: str, dimensions_key: str = ""
) -> dict[int, Observation]:
    """{year: the world's figure} of a global estimate, both sexes, in year order."""
    return observation_history(
        series_code=series_code,
        geography_code=WORLD_CODE,
        sex="_T",
        age=age,
        dimensions_key=dimensions_key,
    )


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
