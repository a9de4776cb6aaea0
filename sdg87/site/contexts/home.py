"""The home page: what the platform is, three headline figures with their year and source,
where to go next, a map of the headline series (SDG 8.7.1 child labour by country) with its
table, where the world stands against the targets, and what is new (datasets, publications,
statistics releases, each dated)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.utils.translation import gettext as _

from sdg87.indicators.models import Observation, Release
from sdg87.library.models import Publication
from sdg87.site import whats_new
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
from sdg87.site.home_map import HeadlineMap, headline_map

# Years the home page compares the latest estimate with (when the data hold them).
CL_COMPARE_YEARS = (2020, 2000)
# The three figures of the first screen, in this order; the others follow in a short list.
KEY_FIGURES = ("child-labour", "forced-labour", "modern-slavery")
WHATS_NEW_ITEMS = 4


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
    key_figures: list[Headline]
    other_figures: list[Headline]
    progress: list[ProgressItem]
    map: HeadlineMap | None
    new_datasets: list[whats_new.NewDataset]
    new_publications: list[Publication]
    new_releases: list[Release]


def home_context() -> HomeContext:
    headlines = home_headlines()
    by_key = {h.key: h for h in headlines}
    key_figures = [by_key[key] for key in KEY_FIGURES if key in by_key]
    datasets = whats_new.latest_datasets(limit=WHATS_NEW_ITEMS)
    shown_releases = {d.dataset.release_id for d in datasets if d.dataset.release_id}
    return HomeContext(
        headlines=headlines,
        key_figures=key_figures,
        other_figures=[h for h in headlines if h not in key_figures],
        progress=world_progress(),
        map=headline_map(),
        new_datasets=datasets,
        new_publications=whats_new.latest_publications(limit=WHATS_NEW_ITEMS),
        new_releases=whats_new.latest_releases(limit=WHATS_NEW_ITEMS, exclude_ids=shown_releases),
    )
