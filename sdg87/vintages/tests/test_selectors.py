"""Vintage selectors over the bundled global estimates (values hand-checked in
data/global_estimates/ilo_unicef_child_labour_global_estimates.csv: World, total, 5-17,
child labour, millions: 2012 = 168 and 2016 = 151.6 in the 2017 round, 2020 = 160 in the 2021
round, 2024 = 138 in the 2025 round)."""

from __future__ import annotations

import datetime

import pytest
from django.db.models import QuerySet

from sdg87.indicators.models import Observation, Release
from sdg87.indicators.services import observations_mark_latest
from sdg87.vintages.selectors import (
    observation_history,
    observation_validity,
    observations_as_of,
    release_published_on,
    releases_public,
    updated_after,
)

pytestmark = pytest.mark.django_db

D = datetime.date


def _world_cl() -> QuerySet[Observation]:
    return Observation.objects.filter(
        series__code="ILO_CL_NUM", geography__code="001", sex="_T", age="Y5T17"
    ).filter(dimensions_key="")


def _by_year(qs: QuerySet[Observation]) -> dict[int, tuple[float, str]]:
    return {o.year: (o.value, o.release.code) for o in qs.select_related("release")}


def test_as_of_2020_is_the_2017_round(bundled_data):
    """On 2020-01-01 the newest round was ILO (2017): 2016 = 151.6 million, no 2020 or 2024."""
    values = _by_year(observations_as_of(as_of=D(2020, 1, 1), queryset=_world_cl()))
    assert values[2016] == (151.6, "ilo-cl-ge-2017")
    assert values[2012][0] == 168
    assert 2020 not in values and 2024 not in values


def test_as_of_today_is_the_default_view(bundled_data):
    """As of today the values are the newest of each point (is_latest): 2024 = 138 from the
    2025 round, 2020 = 160 from the 2021 round."""
    today = observations_as_of(as_of=D(2026, 12, 1), queryset=_world_cl())
    values = _by_year(today)
    assert values[2024] == (138, "ilo-unicef-cl-ge-2025")
    assert values[2020] == (160, "ilo-unicef-cl-ge-2021")
    assert set(today.values_list("id", flat=True)) == set(
        _world_cl().filter(is_latest=True).values_list("id", flat=True)
    )


def test_as_of_the_day_a_round_was_released(bundled_data):
    """A release counts from its release day: the 2021 round (2021-06-10) is not there the
    day before and is the day itself."""
    assert 2020 not in _by_year(observations_as_of(as_of=D(2021, 6, 9), queryset=_world_cl()))
    assert _by_year(observations_as_of(as_of=D(2021, 6, 10), queryset=_world_cl()))[2020] == (
        160,
        "ilo-unicef-cl-ge-2021",
    )


def test_updated_after(bundled_data):
    """After 2021-06-10 only the 2025 round was published (2024 = 138)."""
    qs = updated_after(since=D(2021, 6, 10), queryset=_world_cl())
    assert {o.release.code for o in qs.select_related("release")} == {"ilo-unicef-cl-ge-2025"}
    assert _by_year(qs)[2024] == (138, "ilo-unicef-cl-ge-2025")
    noon = datetime.datetime(2020, 1, 1, 12, 0, tzinfo=datetime.UTC)
    since_2020 = updated_after(since=noon, queryset=_world_cl())
    assert {2020, 2024} <= set(_by_year(since_2020))


def test_release_published_on(bundled_data):
    """Dated releases count from released_on; an undated one from the end of its year."""
    assert release_published_on(Release.objects.get(code="ilo-cl-ge-2017")) == D(2017, 9, 19)
    assert release_published_on(Release.objects.get(code="ilo-cl-ge-2013")) == D(2013, 12, 31)
    codes = [r.code for r in releases_public(as_of=D(2020, 1, 1))]
    assert codes.index("ilo-cl-ge-2013") < codes.index("ilo-cl-ge-2017")
    assert "ilo-unicef-cl-ge-2021" not in codes


def _hidden_revision(value: float) -> Release:
    """A non-public (embargoed) release dated 2018 that revises World 2016 and adds 2017."""
    template = Release.objects.get(code="ilo-cl-ge-2017")
    hidden = Release.objects.create(
        source=template.source,
        code="embargoed-revision-2018",
        title="Embargoed",
        year=2018,
        released_on=D(2018, 1, 1),
        citation="x",
        provenance="test",
        is_public=False,
    )
    original = _world_cl().get(year=2016, release=template)
    for year in (2016, 2017):
        Observation.all_objects.create(
            series=original.series,
            geography=original.geography,
            release=hidden,
            year=year,
            sex="_T",
            age="Y5T17",
            value=value,
            unit=original.unit,
        )
    observations_mark_latest(series_ids=[original.series_id])
    return hidden


def test_embargoed_release_never_shows(bundled_data):
    """A hidden release is in none of as_of, history, validity or updated_after."""
    hidden = _hidden_revision(999.0)
    for qs in (
        observations_as_of(as_of=D(2020, 1, 1), queryset=_world_cl()),
        observations_as_of(as_of=D(2020, 1, 1)),
        observation_history(queryset=Observation.all_objects.filter(year=2016)),
        updated_after(since=D(2017, 12, 31), queryset=Observation.all_objects.all()),
    ):
        assert not qs.filter(release=hidden).exists()
    assert _by_year(observations_as_of(as_of=D(2020, 1, 1), queryset=_world_cl()))[2016] == (
        151.6,
        "ilo-cl-ge-2017",
    )
    vintages = list(observation_history(queryset=_world_cl().filter(year=2016)))
    validity = observation_validity(vintages)
    (only,) = vintages
    assert validity[only.id].valid_to is None
    assert hidden.code not in [r.code for r in releases_public()]


def test_validity_of_a_revised_point(bundled_data):
    """Two public vintages of one point: the older is valid until the newer's release day."""
    newer = _hidden_revision(150.0)
    newer.is_public = True
    newer.save()
    observations_mark_latest(series_ids=[_world_cl().values_list("series_id", flat=True)[0]])
    vintages = list(observation_history(queryset=_world_cl().filter(year=2016)))
    validity = observation_validity(vintages)
    by_release = {o.release.code: validity[o.id] for o in vintages}
    assert by_release["ilo-cl-ge-2017"].valid_from == D(2017, 9, 19)
    assert by_release["ilo-cl-ge-2017"].valid_to == D(2018, 1, 1)
    assert by_release["embargoed-revision-2018"].valid_to is None
    as_of = _by_year(observations_as_of(as_of=D(2018, 6, 1), queryset=_world_cl()))
    assert as_of[2016] == (150.0, "embargoed-revision-2018")
    assert _by_year(observations_as_of(as_of=D(2017, 12, 1), queryset=_world_cl()))[2016][0] == (
        151.6
    )
