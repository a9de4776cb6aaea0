"""The geography load steps against the real bundled data (loaded once by `bundled_data`)."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import translation

from sdg87.geo.loaders import STEPS
from sdg87.geo.models import Geography, GeographyKind, GeographyMembership

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("bundled_data")]

DATA = Path(settings.SDG87_DATA_DIR)


def members(code: str) -> set[str]:
    return set(
        GeographyMembership.objects.filter(group__code=code).values_list("member__code", flat=True)
    )


def test_step_keys() -> None:
    """The geography steps run in order: countries, aggregates, aliases (population is a
    statistic, loaded by sdg87.indicators.population)."""
    assert [s.key for s in STEPS] == ["geo.countries", "geo.aggregates", "geo.aliases"]


def test_countries_loaded_with_kosovo() -> None:
    """249 ISO/M49 countries and areas plus Kosovo (XKX, no M49) are countries."""
    countries = Geography.objects.filter(kind=GeographyKind.COUNTRY)
    assert countries.count() == 250
    assert countries.filter(m49__isnull=True).get().code == "XKX"


def test_country_fields() -> None:
    """Codes, zero-padded M49, names in three languages, independence and coordinates."""
    civ = Geography.objects.get(code="CIV")
    assert (civ.iso3, civ.iso2, civ.m49) == ("CIV", "CI", "384")
    assert civ.name_fr == "C\u00f4te d\u2019Ivoire"
    assert civ.name_en == "Côte d'Ivoire"  # the UN name, not the table's "Ivory Coast"
    afg = Geography.objects.get(iso3="AFG")
    assert afg.m49 == "004"
    assert afg.name_es == "Afganistán"
    assert afg.official_name_en == "the Islamic Republic of Afghanistan"
    assert afg.is_independent is True
    assert afg.latitude is not None and afg.longitude is not None
    assert Geography.objects.get(code="ALA").is_independent is False
    with translation.override("fr"):
        assert str(Geography.objects.get(code="DEU")) == "Allemagne"


def test_world_has_all_countries() -> None:
    """World (code and M49 001) has every country and area as a member."""
    world = Geography.objects.get(code="001")
    assert world.kind == GeographyKind.WORLD and world.m49 == "001"
    assert world.name_es == "Mundo"
    assert len(members("001")) == 250


def test_every_sdg_region_country_assigned() -> None:
    """Each M49 country except Antarctica is in exactly one of the eight SDG regions."""
    rows = GeographyMembership.objects.filter(group__kind=GeographyKind.SDG_REGION)
    assigned = list(rows.values_list("member__code", flat=True))
    m49_countries = set(
        Geography.objects.filter(kind=GeographyKind.COUNTRY, m49__isnull=False).values_list(
            "code", flat=True
        )
    )
    assert len(assigned) == len(set(assigned))
    assert m49_countries - set(assigned) == {"ATA"}
    assert Geography.objects.filter(kind=GeographyKind.SDG_REGION).count() == 8
    assert "KEN" in members("202") and "IND" in members("062") and "AUS" in members("053")


def test_every_unsd_aggregate_code_resolves() -> None:
    """Every M49 code in the UNSD SDG extracts (countries and aggregates, including LDC 199,
    LLDC 432 and SIDS 722) is a geography."""
    codes: set[str] = set()
    for path in (DATA / "unsd_sdg").glob("*.csv"):
        with path.open(encoding="utf-8") as fh:
            codes |= {row["geo_area_code_m49"].zfill(3) for row in csv.DictReader(fh)}
    known = set(Geography.objects.exclude(m49=None).values_list("m49", flat=True))
    assert codes <= known


def test_ilo_regions_and_income_groups() -> None:
    """ILO regions hold the 180 GSI countries; income groups use the WB_* codes."""
    ilo = GeographyMembership.objects.filter(group__kind=GeographyKind.ILO_REGION)
    assert ilo.count() == 180
    assert "XKX" in members("ILO_EUROPE_CENTRAL_ASIA")
    assert Geography.objects.get(code="ILO_ARAB_STATES").name_fr == "États arabes"
    assert "KEN" in members("WB_LMC")
    assert set(
        Geography.objects.filter(kind=GeographyKind.INCOME_GROUP).values_list("code", flat=True)
    ) == {"WB_LIC", "WB_LMC", "WB_UMC", "WB_HIC"}


def test_memberships_cite_a_source() -> None:
    """Every membership says where the grouping is from."""
    assert not GeographyMembership.objects.filter(source="").exists()
    membership = GeographyMembership.objects.select_related("group", "member").get(
        group__code="001", member__code="KEN"
    )
    assert str(membership) == "KEN in 001"
