"""Geography services: idempotent, validated upserts and membership replacement."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from sdg87.core.ingest import ParseError
from sdg87.geo.models import Geography, GeographyMembership
from sdg87.geo.services import geography_memberships_set, geography_upsert

pytestmark = pytest.mark.django_db


def test_upsert_creates_then_updates_in_place() -> None:
    """Upserting the same code twice updates the one row and keeps its id."""
    first = geography_upsert(code="ZZA", kind="country", iso3="ZZA", name_en="Testland")
    second = geography_upsert(
        code="ZZA", kind="country", iso3="ZZA", name_en="Testland", name_fr="Testlande"
    )
    assert first.pk == second.pk
    assert Geography.objects.get(code="ZZA").name_fr == "Testlande"


def test_upsert_validates() -> None:
    """An unknown kind fails full_clean and nothing is written."""
    with pytest.raises(ValidationError):
        geography_upsert(code="ZZB", kind="planet", name_en="Nowhere")
    assert not Geography.objects.filter(code="ZZB").exists()


def test_upsert_rejects_a_taken_m49() -> None:
    """Two geographies cannot share an M49 code."""
    geography_upsert(code="ZZA", kind="country", m49="990", name_en="A")
    with pytest.raises(ValidationError):
        geography_upsert(code="ZZC", kind="country", m49="990", name_en="C")


def test_memberships_set_replaces() -> None:
    """Setting members adds the new, removes the missing and updates the source."""
    group = geography_upsert(code="ZZ_GROUP", kind="other", name_en="Group")
    for code in ("ZZA", "ZZB", "ZZC"):
        geography_upsert(code=code, kind="country", name_en=code)
    assert geography_memberships_set(group=group, member_codes=["ZZA", "ZZB"], source="s1") == 2
    geography_memberships_set(group=group, member_codes=["ZZB", "ZZC"], source="s2")
    rows = GeographyMembership.objects.filter(group=group)
    assert sorted(rows.values_list("member__code", "source")) == [("ZZB", "s2"), ("ZZC", "s2")]


def test_memberships_set_unknown_code() -> None:
    """An unknown member code raises ParseError and changes nothing."""
    group = geography_upsert(code="ZZ_GROUP", kind="other", name_en="Group")
    geography_upsert(code="ZZA", kind="country", name_en="A")
    with pytest.raises(ParseError, match="ZZQ"):
        geography_memberships_set(group=group, member_codes=["ZZA", "ZZQ"], source="s")
    assert not GeographyMembership.objects.filter(group=group).exists()
