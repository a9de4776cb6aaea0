"""Seed the directory: one published dataset per bundled statistics release (run after the
organisations step of sdg87.orgs.loaders and every statistics step), so the directory is useful
on first run."""

from __future__ import annotations

import importlib
import re
from collections import defaultdict
from pathlib import Path

from sdg87.catalog.models import Dataset, Frequency, Licence, ThemeCode
from sdg87.catalog.services.bundled import dataset_upsert_for_release
from sdg87.catalog.services.editions import datasets_editions_link
from sdg87.core.loading import LoadStep
from sdg87.indicators.models import Release, release_rank
from sdg87.orgs.loaders import STEPS as ORGANISATION_STEPS
from sdg87.orgs.models import Organisation

THIS_MODULE = "sdg87.catalog.loaders"
ORGANISATIONS_MODULE = "sdg87.orgs.loaders"

# Publisher names as written in Source.publisher, matched in order of appearance in the text:
# the first organisation named is the dataset's publisher.
PUBLISHER_PATTERNS: tuple[tuple[str, str], ...] = (
    ("United Nations Statistics Division", "unsd"),
    ("UNSD", "unsd"),
    ("International Labour Organization", "ilo"),
    ("ILO", "ilo"),
    ("UNICEF", "unicef"),
    ("Walk Free", "walk-free"),
    ("Our World in Data", "our-world-in-data"),
    ("Department of Labor", "usdol-ilab"),
    ("Department of State", "us-department-of-state"),
    ("Population Division", "un-desa-population-division"),
    ("United Nations Population", "un-desa-population-division"),
    ("World Bank", "world-bank"),
)

FREQUENCY_BY_SOURCE = {
    "un-sdg-global-database": Frequency.ANNUAL,
    "ilo-unicef-child-labour-estimates": Frequency.QUADRENNIAL,
    "global-estimates-modern-slavery": Frequency.QUINQUENNIAL,
    "walk-free-gsi": Frequency.IRREGULAR,
    "our-world-in-data": Frequency.IRREGULAR,
    "us-dol-ilab": Frequency.ANNUAL,
    "tip-heiss-kelley": Frequency.NEVER,
    "un-wpp": Frequency.BIENNIAL,
}

THEME_WORDS: tuple[tuple[str, str], ...] = (
    ("child lab", ThemeCode.CHILD_LABOUR),
    ("forced lab", ThemeCode.FORCED_LABOUR),
    ("slavery", ThemeCode.MODERN_SLAVERY),
    ("traffick", ThemeCode.HUMAN_TRAFFICKING),
    ("tip report", ThemeCode.HUMAN_TRAFFICKING),
    ("marriage", ThemeCode.FORCED_MARRIAGE),
    ("goods", ThemeCode.SUPPLY_CHAINS),
    ("population", ThemeCode.POPULATION),
)
THEMES_BY_INDICATOR = {
    "8.7.1": ThemeCode.CHILD_LABOUR,
    "16.2.2": ThemeCode.HUMAN_TRAFFICKING,
    "5.3.1": ThemeCode.FORCED_MARRIAGE,
}


# Releases of one source are editions of one report when their codes differ only by the
# edition's year (ilo-cl-ge-2010 / -2013 / -2017, us-dol-ilab-findings-2016 ... -2022,
# unsd-sdg-2023-12): the older ones are superseded by the newest. Codes with another stem are
# other reports of the same source (gems-2022 and ilo-profits-poverty-2024, the DOL findings
# and the goods list), and stay apart.
EDITION_SUFFIX = re.compile(r"-\d{4}(?:-\d{2}|-\d{4})?$")
# Reports renamed between editions: the ILO's global estimates of child labour became the joint
# ILO-UNICEF estimates with the 2021 edition (same source, same series, same method). The 8.7.1
# values of earlier UN SDG extracts that the database no longer holds (ADR 0009) are an older
# edition of the UN SDG database, superseded by its newest extract.
EDITION_ALIASES = {"ilo-cl-ge": "ilo-unicef-cl-ge", "unsd-sdg-earlier-extracts": "unsd-sdg"}


def edition_key(*, source_code: str, release_code: str) -> tuple[str, str]:
    """Which report a release is an edition of (pure): the source and the code's stem."""
    stem = EDITION_SUFFIX.sub("", release_code)
    return source_code, EDITION_ALIASES.get(stem, stem)


def publisher_slug_for(publisher_text: str) -> str | None:
    """The first organisation named in a Source.publisher text (pure)."""
    hits = [
        (publisher_text.find(pattern), slug)
        for pattern, slug in PUBLISHER_PATTERNS
        if pattern in publisher_text
    ]
    return min(hits)[1] if hits else None


def licence_for(text: str) -> str:
    """An SPDX id from a free-text licence; anything not clearly open is 'other-attribution'."""
    clean = text.strip()
    for value in Licence.values:
        if clean.upper().startswith(value.upper()):
            return value
    if "public domain" in clean.lower():
        return Licence.PUBLIC_DOMAIN_US_GOV
    return Licence.OTHER_ATTRIBUTION


def themes_for(text: str, indicator_codes: set[str]) -> list[str]:
    lowered = text.lower()
    themes = {code for word, code in THEME_WORDS if word in lowered}
    themes |= {THEMES_BY_INDICATOR[c] for c in indicator_codes if c in THEMES_BY_INDICATOR}
    return sorted(str(t) for t in themes)


def load_bundled_datasets(data_dir: Path) -> int:
    count = 0
    editions: dict[tuple[str, str], list[tuple[tuple[object, ...], Dataset]]] = defaultdict(list)
    for release in Release.objects.select_related("source").order_by("code"):
        slug = publisher_slug_for(release.source.publisher)
        publisher = Organisation.objects.filter(slug=slug).first() if slug else None
        if publisher is None:
            continue
        indicator_codes = set(
            release.observations.exclude(series__indicator=None)
            .values_list("series__indicator__code", flat=True)
            .distinct()
        )
        has_observations = release.observations.exists()
        download = (
            # A site path, not an absolute URL: it follows the host and port being served.
            f"/api/v1/observations?release={release.code}&format=csv"
            if has_observations
            else (release.url or release.source.url)
        )
        if not download:
            continue
        dataset = dataset_upsert_for_release(
            release=release,
            publisher=publisher,
            licence=licence_for(release.licence),
            frequency=FREQUENCY_BY_SOURCE.get(release.source.code, Frequency.IRREGULAR),
            themes=themes_for(
                f"{release.title} {release.source.title} {release.source.description}",
                indicator_codes,
            ),
            download_url=download,
            download_is_api=has_observations,
        )
        key = edition_key(source_code=release.source.code, release_code=release.code)
        editions[key].append((release_rank(release.year, release.released_on, release.pk), dataset))
        count += 1
    for found in editions.values():
        datasets_editions_link(editions=[d for _, d in sorted(found, key=lambda e: e[0])])
    return count


def _statistics_steps() -> list[LoadStep]:
    from sdg87.core.loading import LOADER_MODULES

    steps: list[LoadStep] = []
    for name in LOADER_MODULES:
        if name not in (THIS_MODULE, ORGANISATIONS_MODULE):
            steps.extend(importlib.import_module(name).STEPS)
    return steps


_OTHER_STEPS = _statistics_steps()

STEPS = [
    LoadStep(
        key="catalog.bundled_datasets",
        label="Datasets for the bundled statistics releases",
        # every statistics input, so new or changed releases re-run this step
        files=tuple(sorted({f for s in _OTHER_STEPS for f in s.files})),
        run=load_bundled_datasets,
        depends_on=(*(s.key for s in ORGANISATION_STEPS), *(s.key for s in _OTHER_STEPS)),
        version="4",  # 3: older editions are superseded by the newest; 4: UN earlier extracts
    ),
]
