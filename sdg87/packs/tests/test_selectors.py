"""Pack content on the real bundled data: cocoa from Côte d'Ivoire, values checked by hand
against data/dol_ilab/*.csv, data/unsd_sdg and data/walk_free."""

from __future__ import annotations

from typing import Any

import pytest

from sdg87.geo.models import Geography
from sdg87.packs import selectors

pytestmark = pytest.mark.django_db


@pytest.fixture
def cocoa(bundled_data: None) -> dict[str, Any]:
    content = selectors.pack_content_build(good="Cocoa", country=Geography.objects.get(iso3="CIV"))
    assert content is not None
    return content


def test_good_slug_resolves_to_dol_spelling(bundled_data: None) -> None:
    """'cocoa' names DOL's 'Cocoa'; an unknown slug names nothing."""
    assert selectors.pack_good_resolve(slug="cocoa") == "Cocoa"
    assert selectors.pack_good_resolve(slug="no-such-good") is None


def test_country_lookup_is_bounded(bundled_data: None) -> None:
    """ISO3 in any case; anything but three letters is no country."""
    civ = selectors.pack_country_get(iso3="civ")
    assert civ is not None and civ.iso3 == "CIV"
    assert selectors.pack_country_get(iso3="CIVX") is None
    assert selectors.pack_country_get(iso3="C1V") is None


def test_never_listed_pair_has_no_content(bundled_data: None) -> None:
    """Cocoa was never listed for Norway: no pack."""
    nor = Geography.objects.get(iso3="NOR")
    assert selectors.pack_content_build(good="Cocoa", country=nor) is None


def test_cocoa_civ_listings_in_all_five_editions(cocoa: dict[str, Any]) -> None:
    """goods_2016 ... goods_2021: child labour, forced labour and forced child labour in each;
    first listed in 2016 and never removed."""
    assert cocoa["editions"] == [2016, 2017, 2018, 2019, 2021]
    assert [r["edition"] for r in cocoa["listings"]] == [2016, 2017, 2018, 2019, 2021]
    assert all(
        r["child_labour"] and r["forced_labour"] and r["forced_child_labour"]
        for r in cocoa["listings"]
    )
    assert cocoa["listings"][-1]["derived_labour_exploitation"] is False
    assert cocoa["history"] == [{"edition": 2016, "event": "added"}]
    assert cocoa["good"] == {"name": "Cocoa", "slug": "cocoa", "sector": "agriculture"}
    assert cocoa["sources"][cocoa["listings"][0]["release"]]["url"] == (
        "https://www.dol.gov/agencies/ilab/reports/child-labor/list-of-goods"
    )


def test_cocoa_civ_child_labour_by_sex_and_age(cocoa: dict[str, Any]) -> None:
    """SL_TLF_CHLDEA 2016, ages 5-17: 17.5 (both sexes), 15.8 (F), 19.3 (M), from the UNSD
    December 2023 extract; 2011 (ages 5-14) from earlier extracts; CHLDEC 2016 both sexes 22.1."""
    points = {
        (o["series"], o["year"], o["sex"], o["age"]): (o["value"], o["release"])
        for o in cocoa["child_labour"]
    }
    assert points[("SL_TLF_CHLDEA", 2016, "_T", "Y5T17")] == (17.5, "unsd-sdg-2023-12")
    assert points[("SL_TLF_CHLDEA", 2016, "F", "Y5T17")][0] == 15.8
    assert points[("SL_TLF_CHLDEA", 2016, "M", "Y5T17")][0] == 19.3
    assert points[("SL_TLF_CHLDEC", 2016, "_T", "Y5T17")][0] == 22.1
    assert points[("SL_TLF_CHLDEA", 2011, "_T", "Y5T14")][1] == (
        "unsd-sdg-earlier-extracts-2018-2022"
    )
    assert cocoa["child_labour"][0]["year"] == 2016  # newest year first


def test_cocoa_civ_gsi_tiers_and_advancement(cocoa: dict[str, Any]) -> None:
    """GSI 2023: 7.3 per 1,000 (reference year 2021); TIP tiers 2001-2015 without 2011, Tier 2
    Watch List in 2004 and 2008-2010; DOL advancement 2022 significant, 2019 moderate."""
    gsi = {o["series"]: o for o in cocoa["gsi"]}
    assert gsi["GSI_PREV_1000"]["value"] == 7.3 and gsi["GSI_PREV_1000"]["year"] == 2021
    assert gsi["GSI_NUMBER"]["value"] == 193000
    tiers = {t["year"]: t["tier"] for t in cocoa["tiers"]}
    assert len(tiers) == 14 and 2011 not in tiers
    assert [y for y, t in tiers.items() if t == "2WL"] == [2004, 2008, 2009, 2010]
    levels = {a["report_year"]: a["level"] for a in cocoa["advancement"]}
    assert levels[2022] == "significant" and levels[2019] == "moderate"


def test_cocoa_civ_findings_2022(cocoa: dict[str, Any]) -> None:
    """Findings 2022: C138 and C182 ratified; minimum age for work 16 and for hazardous work
    18; 344 labour inspectors, 9,471 inspections, 832 criminal investigations, 392
    convictions; C29, P29 and C105 flagged as not in our data."""
    rat = cocoa["ratifications"]
    assert rat["report_year"] == 2022
    assert {i["code"]: i["ratified"] for i in rat["items"]}["C182"] is True
    assert rat["not_in_sources"] == ["C029", "P029", "C105"]
    legal = {(i["code"], i["territory"]): i for i in cocoa["legal_standards"]["items"]}
    assert legal[("Minimum_Work", "")]["age"] == "16"
    assert legal[("Minimum_Hazardous_Work", "")]["age"] == "18"
    enforcement = {f["code"]: f["value_number"] for f in cocoa["enforcement"]}
    assert {f["report_year"] for f in cocoa["enforcement"]} == {2022}
    assert enforcement["Labor_Inspectors"] == 344
    assert enforcement["Labor_Inspections"] == 9471
    assert enforcement["Criminal_Investigations"] == 832
    assert enforcement["Criminal_Convictions"] == 392
    actions = cocoa["suggested_actions"]
    assert actions["report_year"] == 2022
    assert any(
        a["action"] == "Establish a mechanism to assess penalties for child labor violations."
        for a in actions["items"]
    )


def test_every_cited_release_is_described(cocoa: dict[str, Any]) -> None:
    """Each release code a figure carries is in `sources` with a publisher URL."""
    cited = {r["release"] for r in cocoa["listings"] + cocoa["child_labour"] + cocoa["tiers"]}
    assert cited <= set(cocoa["sources"])
    assert all(s["url"].startswith("https://") for s in cocoa["sources"].values())
