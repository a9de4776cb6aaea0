from pathlib import Path

import pytest
from django.conf import settings

from sdg87.orgs.loaders import ORGANISATIONS_CSV, PUBLISHERS, parse_organisations
from sdg87.orgs.models import Organisation


def _specs() -> dict[str, object]:
    return {
        s.slug: s for s in parse_organisations(Path(settings.SDG87_DATA_DIR) / ORGANISATIONS_CSV)
    }


def test_only_verified_rows_are_loaded() -> None:
    """Rows whose name/type details are unverified (e.g. ITUC, OHCHR) are skipped."""
    specs = _specs()
    assert "ilo" in specs and "global-march" in specs
    assert "ituc" not in specs and "ohchr" not in specs


def test_unverified_roles_are_not_stored_as_fact() -> None:
    """IOE's GCG role is unverified: the organisation loads, its role does not."""
    specs = _specs()
    ioe = specs["ioe"]
    assert ioe.alliance87_role == "" and ioe.alliance87_role_evidence == ""  # type: ignore[attr-defined]
    assert specs["global-march"].alliance87_role == "gcg_member"  # type: ignore[attr-defined]
    assert specs["polaris"].alliance87_role == ""  # type: ignore[attr-defined]  # "unknown"


@pytest.mark.django_db
def test_seeded_organisations_include_the_statistics_publishers(bundled_data: None) -> None:
    slugs = set(Organisation.objects.values_list("slug", flat=True))
    assert {p.slug for p in PUBLISHERS} <= slugs
    assert {"ilo", "walk-free", "usdol-ilab"} <= slugs
    ilo = Organisation.objects.get(slug="ilo")
    assert ilo.type == "un_agency" and ilo.country is not None and ilo.country.iso3 == "CHE"
    assert Organisation.objects.get(slug="us-department-of-state").type == "government"
