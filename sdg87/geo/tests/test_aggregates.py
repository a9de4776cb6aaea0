"""The aggregates built from the real bundled reference tables (pure, no database)."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings

from sdg87.geo import parsers, reference
from sdg87.geo.aggregates import AggregateSpec, build_aggregates

DATA = Path(settings.SDG87_DATA_DIR)


def read(name: str) -> list[str]:
    return (DATA / name).read_text(encoding="utf-8").splitlines(keepends=True)


@pytest.fixture(scope="module")
def specs() -> dict[str, AggregateSpec]:
    countries = [
        *parsers.parse_country_codes(read("reference/country_codes_iso_m49.csv")),
        parsers.kosovo(),
    ]
    result = build_aggregates(
        countries=countries,
        wpp_locations=parsers.parse_wpp_location_groups(
            read("population/wpp2019_location_groups.csv")
        ),
        gapminder=parsers.parse_gapminder_groups(read("reference/gapminder_country_groups.csv")),
        gsi_regions=parsers.parse_gsi_regions(read("walk_free/gsi_2023_country_estimates.csv")),
    )
    return {spec.code: spec for spec in result}


class TestBuildAggregates:
    def test_world_has_all_countries(self, specs: dict[str, AggregateSpec]) -> None:
        """World (001) has every country and area, Kosovo included."""
        assert len(specs["001"].members) == 250
        assert "XKX" in specs["001"].members

    def test_every_country_with_a_subregion_is_in_one_sdg_region(
        self, specs: dict[str, AggregateSpec]
    ) -> None:
        """The eight SDG regions partition the M49 areas (Antarctica has no region)."""
        sdg = [s for s in specs.values() if s.kind == "sdg_region"]
        assert sorted(s.code for s in sdg) == sorted(reference.SDG_REGIONS)
        members = [m for s in sdg for m in s.members]
        assert len(members) == len(set(members)) == 248
        assert "ATA" not in members and "XKX" not in members

    def test_sdg_regions_agree_with_the_m49_rule(self, specs: dict[str, AggregateSpec]) -> None:
        """Whatever the source of the assignment, each SDG region is the union of its M49
        sub-regions (UNSD definition)."""
        for subregion, sdg_region in reference.M49_SUBREGION_TO_SDG_REGION.items():
            if subregion in specs and specs[subregion].kind != "sdg_region":
                assert set(specs[subregion].members) <= set(specs[sdg_region].members)

    def test_shared_codes_are_sdg_regions(self, specs: dict[str, AggregateSpec]) -> None:
        """202, 419 and 053 are both M49 sub-regions and SDG regions: one sdg_region each."""
        for code in ("202", "419", "053"):
            assert specs[code].kind == "sdg_region"
        assert specs["419"].name_es == "América Latina y el Caribe"

    def test_un_groupings_and_names(self, specs: dict[str, AggregateSpec]) -> None:
        """UN regions, sub-regions and intermediate regions carry French and Spanish names."""
        kinds = {s.kind for s in specs.values()}
        assert {"un_region", "un_subregion", "un_intermediate"} <= kinds
        assert specs["002"].name_fr == "Afrique"
        assert specs["014"].kind == "un_intermediate"
        assert "KEN" in specs["014"].members
        assert specs["830"].members == ("GGY", "JEY")
        assert all(s.name_fr and s.name_es for s in specs.values())

    def test_special_groupings(self, specs: dict[str, AggregateSpec]) -> None:
        """LDC (199), LLDC (432) and SIDS (722) exist with their member countries."""
        assert "BGD" in specs["199"].members
        assert "NPL" in specs["432"].members
        assert "JAM" in specs["722"].members
        assert specs["199"].name_fr == "Pays les moins avancés (PMA)"

    def test_ilo_regions_and_income_groups(self, specs: dict[str, AggregateSpec]) -> None:
        """ILO regions come from GSI regions; income groups from Gapminder."""
        assert sum(len(specs[c].members) for c in reference.ILO_REGIONS) == 180
        assert "XKX" in specs["ILO_EUROPE_CENTRAL_ASIA"].members
        assert "SAU" in specs["ILO_ARAB_STATES"].members
        assert "XKX" in specs["WB_UMC"].members
        assert {specs[c].kind for c in reference.INCOME_GROUPS} == {"income_group"}
