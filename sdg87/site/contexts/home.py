"""The home page: the latest global figures with their comparison years, and where the world
stands against the targets."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.utils.translation import gettext as _

from sdg87.indicators.models import Observation
from sdg87.site.contexts.base import PageContext
from sdg87.site.contexts.estimates import (
    CHILD_AGE,
    CL_NUM,
    CL_PCT,
    HAZ_NUM,
    HAZ_PCT,
    MS_FORMS,
    MS_NUM,
    ms_form_labels,
    world_history,
)
from sdg87.site.contexts.progress import ProgressItem, world_progress

# Years the home page compares the latest estimate with (when the data hold them).
CL_COMPARE_YEARS = (2020, 2000)


@dataclass(frozen=True)
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
    key: str,
    title: str,
    history: dict[int, Observation],
    compare: Iterable[int] | None,
    shares: dict[int, Observation] | None = None,
) -> Headline | None:
    if not history:
        return None
    years = sorted(history)
    latest = history[years[-1]]
    if compare is None:
        previous = [history[y] for y in reversed(years[:-1])][:1]
    else:
        previous = [history[y] for y in compare if y in history and y != latest.year]
    share = shares.get(latest.year) if shares is not None else None
    return Headline(key=key, title=title, latest=latest, previous=previous, share=share)


def home_headlines() -> list[Headline]:
    """Latest global figures with their comparison years, read from the observations."""
    candidates = [
        _headline(
            "child-labour",
            _("Children in child labour"),
            world_history(CL_NUM, age=CHILD_AGE),
            CL_COMPARE_YEARS,
            shares=world_history(CL_PCT, age=CHILD_AGE),
        ),
        _headline(
            "hazardous-work",
            _("Children in hazardous work"),
            world_history(HAZ_NUM, age=CHILD_AGE),
            CL_COMPARE_YEARS,
            shares=world_history(HAZ_PCT, age=CHILD_AGE),
        ),
    ]
    titles = ms_form_labels()
    candidates.extend(
        _headline(
            form.lower().replace("_", "-"),
            titles[form],
            world_history(MS_NUM, age="_T", dimensions_key=f"form={form}"),
            None,
        )
        for form in MS_FORMS
    )
    return [item for item in candidates if item is not None]


@dataclass(frozen=True)
class HomeContext(PageContext):
    headlines: list[Headline]
    progress: list[ProgressItem]


def home_context() -> HomeContext:
    return HomeContext(headlines=home_headlines(), progress=world_progress())
