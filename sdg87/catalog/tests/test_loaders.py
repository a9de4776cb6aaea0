import pytest

from sdg87.catalog.loaders import licence_for, publisher_slug_for, themes_for
from sdg87.catalog.models import Dataset, Status
from sdg87.indicators.models import Release


def test_publisher_is_the_first_organisation_named() -> None:
    assert publisher_slug_for("ILO; Walk Free; International Organization for Migration") == "ilo"
    assert publisher_slug_for("Walk Free (Minderoo Foundation)") == "walk-free"
    assert (
        publisher_slug_for("US Department of State (tier placements); compiled by Judith G. Kelley")
        == "us-department-of-state"
    )
    assert publisher_slug_for("Unknown body") is None


def test_licence_text_to_spdx() -> None:
    """Clear SPDX ids are kept; US public domain is recognised; anything else needs attribution."""
    assert licence_for("CC-BY-4.0") == "CC-BY-4.0"
    assert licence_for("Tier placements: public domain (US government).") == "public-domain-us-gov"
    assert licence_for("attribution required; terms unverified") == "other-attribution"


def test_themes_from_titles_and_indicators() -> None:
    assert themes_for("Global Estimates of Modern Slavery: forced labour", set()) == [
        "forced_labour",
        "modern_slavery",
    ]
    assert themes_for("UN SDG Global Database", {"8.7.1", "16.2.2"}) == [
        "child_labour",
        "human_trafficking",
    ]


@pytest.mark.django_db
def test_every_bundled_release_is_a_published_dataset(bundled_data: None) -> None:
    """One live, public dataset per release, published by its real publisher, with a CSV
    distribution linking to the observations API when the release has observations."""
    releases = Release.objects.exclude(code__startswith="upload-")
    datasets = Dataset.objects.filter(is_bundled=True)
    assert datasets.count() == releases.count() > 10
    unsd = datasets.get(release__code="unsd-sdg-2023-12")
    assert unsd.publisher.slug == "unsd" and unsd.licence == "CC-BY-4.0"
    assert unsd.live and unsd.status == Status.PUBLISHED and unsd.versions.count() == 1
    assert unsd.spatial.filter(iso3="KEN").exists()
    assert unsd.related_series.exists() and unsd.temporal_start is not None
    dist = unsd.distributions.get()
    assert dist.url.endswith("/api/v1/observations?release=unsd-sdg-2023-12&format=csv")
    gsi = datasets.get(release__code="gsi-2023")
    assert gsi.publisher.slug == "walk-free" and gsi.licence == "other-attribution"
