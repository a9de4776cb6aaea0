"""The bundled Alliance 8.7 load (data/alliance87/) against what PROVENANCE-alliance.md says
it holds, and what of it the public may see."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest
from django.conf import settings
from django.db.models import Model, QuerySet

from sdg87.alliance import visibility
from sdg87.alliance.models import (
    ActionGroupEvent,
    GCGMeeting,
    Milestone,
    NationalTarget,
    PathfinderCountry,
    RoadmapAction,
)

pytestmark = pytest.mark.django_db

ORDER = ("verified", "verified_secondary", "verified_approx", "verified_conflicting", "unverified")


def provenance_text() -> str:
    path = Path(settings.SDG87_DATA_DIR) / "alliance87" / "PROVENANCE-alliance.md"
    return re.sub(r"\s+", " ", path.read_text(encoding="utf-8"))


def stated_counts() -> dict[str, tuple[int, ...]]:
    """The 'Counts:' paragraph: milestones 39 verified / 37 verified_secondary / ...;
    roadmap actions 44 / 5 / 5 / 0 / 1; national targets 14 / 4 / 0 / 0 / 2."""
    text = provenance_text()
    para = text[text.index("Counts:") :].split("## ")[0]
    out = {}
    for name in ("milestones", "roadmap actions", "national targets"):
        match = re.search(name + r" ((?:\d+\D*?/ ?){4}\d+)", para)
        assert match is not None, name
        out[name] = tuple(int(n) for n in re.findall(r"\d+", match.group(1)))
    return out


def by_status(qs: QuerySet[Model]) -> tuple[int, ...]:
    counts = Counter(qs.values_list("verification", flat=True))
    return tuple(counts.get(status, 0) for status in ORDER)


def test_provenance_states_the_expected_counts() -> None:
    """Pinned here so that a change of the document is noticed."""
    assert stated_counts() == {
        "milestones": (39, 37, 9, 1, 3),
        "roadmap actions": (44, 5, 5, 0, 1),
        "national targets": (14, 4, 0, 0, 2),
    }


def test_loaded_counts_per_verification_status_match_provenance(bundled_data: None) -> None:
    stated = stated_counts()
    assert by_status(Milestone.objects.all()) == stated["milestones"]
    assert (
        by_status(RoadmapAction.objects.filter(key__regex=r"^[a-z]{3}-\d+$"))
        == (stated["roadmap actions"])
    )
    assert by_status(NationalTarget.objects.all()) == stated["national targets"]
    # GCG events 8 verified / 4 verified_approx / 1 conflicting / 2 unverified
    assert by_status(GCGMeeting.objects.all()) == (8, 0, 4, 1, 2)
    # Action Group events 5 verified
    assert by_status(ActionGroupEvent.objects.all()) == (5, 0, 0, 0, 0)
    assert "GCG events 8 verified / 4 verified_approx / 1 conflicting / 2 unverified" in (
        provenance_text()
    )


def test_rows_per_country_match_provenance(bundled_data: None) -> None:
    """The 'Rows per country' table: Uganda 8/8/3, Nepal 7/12/6, Peru 6/8/2, Sri Lanka
    13/11/4 (milestones / roadmap actions / national targets, every verification status)."""
    expected = {"UGA": (8, 8, 3), "NPL": (7, 12, 6), "PER": (6, 8, 2), "LKA": (13, 11, 4)}
    for iso3, counts in expected.items():
        assert (
            Milestone.objects.filter(country__iso3=iso3).count(),
            RoadmapAction.objects.filter(plan__country__iso3=iso3).count(),
            NationalTarget.objects.filter(country__iso3=iso3).count(),
        ) == counts, iso3
    assert "| Uganda | 8 | 8 | 3 |" in provenance_text()


def test_every_loaded_fact_keeps_its_source_and_quote(bundled_data: None) -> None:
    """Each bundled row has its source link; every shown one has its quote."""
    for model in (Milestone, NationalTarget, GCGMeeting):
        assert not model.objects.filter(source_url="").exists(), model.__name__
    assert not Milestone.objects.filter(
        verification__in=["verified", "verified_secondary", "verified_approx"], quote=""
    ).exists()
    assert not RoadmapAction.objects.filter(source_url="").exists()


def test_unverified_and_conflicting_rows_are_never_public(bundled_data: None) -> None:
    """No public reader returns a `verified_conflicting` or `unverified` row, and each
    returns every shown one."""
    hidden = {"verified_conflicting", "unverified"}
    readers = (
        (visibility.public_milestones(), Milestone, 85),
        (visibility.public_actions(), RoadmapAction, 54),
        (visibility.public_targets(), NationalTarget, 18),
        (visibility.public_meetings(), GCGMeeting, 12),
        (visibility.public_pathfinders(), PathfinderCountry, None),
    )
    for qs, model, shown in readers:
        statuses = set(qs.values_list("verification", flat=True))
        assert not statuses & hidden, model.__name__
        if shown is not None:
            assert qs.count() == shown, model.__name__
        assert qs.count() == model.objects.exclude(verification__in=hidden).count()
