"""Versions: written when the content changes, not otherwise; the diff names what changed."""

from __future__ import annotations

import pytest

from sdg87.assessments.models import TierPlacement
from sdg87.geo.models import Geography
from sdg87.indicators.models import Observation
from sdg87.packs.diff import Change, content_diff
from sdg87.packs.models import PackVersion
from sdg87.packs.services import content_hash, pack_version_record
from sdg87.packs.tasks import packs_refresh

pytestmark = pytest.mark.django_db


def _record() -> PackVersion:
    version = pack_version_record(
        good="Cocoa", good_slug="cocoa", country=Geography.objects.get(iso3="CIV")
    )
    assert version is not None
    return version


def test_first_read_records_version_1_and_unchanged_data_keeps_it(bundled_data: None) -> None:
    """The first read writes version 1; reading again with the same data writes nothing."""
    first = _record()
    assert first.number == 1 and first.good_name == "Cocoa"
    assert first.content_hash == content_hash(first.content)
    again = _record()
    assert again.pk == first.pk
    assert PackVersion.objects.filter(good_slug="cocoa").count() == 1


def test_changed_data_records_a_new_version_with_its_diff(bundled_data: None) -> None:
    """A changed TIP tier and a changed 8.7.1 value each make a new version; the diff against
    the previous one names the data point with both values."""
    first = _record()
    TierPlacement.objects.filter(country__iso3="CIV", year=2015).update(tier="3")
    second = _record()
    assert second.number == 2 and second.content_hash != first.content_hash
    assert content_diff(before=first.content, after=second.content) == [
        Change("tiers", "2015", "changed", before="2", after="3")
    ]
    Observation.all_objects.filter(
        geography__iso3="CIV", series__code="SL_TLF_CHLDEA", year=2016, sex="F"
    ).update(value=16.0)
    third = _record()
    assert third.number == 3
    assert content_diff(before=second.content, after=third.content) == [
        Change("child_labour", "SL_TLF_CHLDEA 2016 F Y5T17", "changed", "15.8", "16.0")
    ]


def test_never_listed_pair_records_nothing(bundled_data: None) -> None:
    """Cocoa from Norway: no version, None."""
    nor = Geography.objects.get(iso3="NOR")
    assert pack_version_record(good="Cocoa", good_slug="cocoa", country=nor) is None
    assert not PackVersion.objects.filter(country=nor).exists()


def test_refresh_records_each_listed_pair_once(bundled_data: None) -> None:
    """Cocoa is listed for seven countries in some edition: seven packs; a second refresh with
    unchanged data adds no version."""
    assert packs_refresh(goods=["Cocoa"]) == 7
    assert PackVersion.objects.filter(good_slug="cocoa").count() == 7
    packs_refresh(goods=["Cocoa"])
    assert PackVersion.objects.filter(good_slug="cocoa").count() == 7
