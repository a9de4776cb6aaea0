"""Services replace the records of the given releases only, validating every row."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from sdg87.assessments import services
from sdg87.assessments.models import FindingValue, TierPlacement
from sdg87.geo.models import Geography
from sdg87.indicators.models import Release, Source

pytestmark = pytest.mark.django_db


@pytest.fixture
def release() -> Release:
    source = Source.objects.create(code="test-source", title="T", publisher="P", licence="x")
    return Release.objects.create(
        source=source, code="test-release", title="T", year=2020, citation="c", provenance="p"
    )


@pytest.fixture
def country() -> Geography:
    return Geography.objects.create(code="ZZA", iso3="ZZA", kind="country", name_en="Zedland")


def test_replace_touches_only_its_releases(release: Release, country: Geography) -> None:
    """Replacing a release's placements keeps other releases' and replaces its own."""
    other = Release.objects.create(
        source=release.source, code="test-other", title="O", year=2020, citation="c", provenance="p"
    )
    TierPlacement.objects.create(
        country=country, release=other, year=2001, tier="1", source_name="Zedland"
    )
    for _ in range(2):
        written = services.tier_placements_replace(
            releases=[release],
            placements=[
                TierPlacement(
                    country=country, release=release, year=2002, tier="3", source_name="Zedland"
                )
            ],
        )
        assert written == 1
    assert TierPlacement.objects.filter(release=release).count() == 1
    assert TierPlacement.objects.filter(release=other).count() == 1


def test_replace_rejects_invalid_choices(release: Release, country: Geography) -> None:
    """An invalid tier is refused by full_clean and nothing is written."""
    with pytest.raises(ValidationError):
        services.tier_placements_replace(
            releases=[release],
            placements=[
                TierPlacement(
                    country=country, release=release, year=2002, tier="4", source_name="Zedland"
                )
            ],
        )
    assert not TierPlacement.objects.filter(release=release).exists()


def test_fast_path_still_checks_text(release: Release, country: Geography) -> None:
    """The bulk value load checks section choices and text lengths without full_clean."""
    good = FindingValue(
        country=country,
        release=release,
        report_year=2016,
        source_file="f",
        section="Conventions",
        field_path="C_182_Ratified",
        value_text="Yes",
    )
    assert services.finding_values_replace(releases=[release], values=[good]) == 1
    bad_section = FindingValue(
        country=country,
        release=release,
        report_year=2016,
        source_file="f",
        section="Budget",
        field_path="X",
        value_text="1",
    )
    with pytest.raises(ValidationError):
        services.finding_values_replace(releases=[release], values=[bad_section])
    too_long = FindingValue(
        country=country,
        release=release,
        report_year=2016,
        source_file="f",
        section="Conventions",
        field_path="X",
        value_text="x" * 201,
    )
    with pytest.raises(ValidationError):
        services.finding_values_replace(releases=[release], values=[too_long])


def test_replace_refuses_rows_of_other_releases(release: Release, country: Geography) -> None:
    """A row of a release that is not being replaced is a programming error."""
    other = Release.objects.create(
        source=release.source, code="test-other", title="O", year=2020, citation="c", provenance="p"
    )
    with pytest.raises(ValueError, match="not being replaced"):
        services.tier_placements_replace(
            releases=[release],
            placements=[
                TierPlacement(
                    country=country, release=other, year=2002, tier="1", source_name="Zedland"
                )
            ],
        )
