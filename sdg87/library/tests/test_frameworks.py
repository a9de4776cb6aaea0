"""The framework reader: verified rows of egm_framework.csv only, the axis of each mapping."""

from sdg87.library.frameworks import (
    INTERVENTION,
    OUTCOME,
    framework_list,
    frameworks_parse,
    mappings_for,
)

HEADER = (
    "framework_id,framework_name,source_title,source_authors,source_year,dimension,item_order,"
    "category_label,maps_to_platform_category,evidence_quote,source_url,verification_status,notes\n"
)
TEXT = HEADER + (
    "t-fw,T Framework,T source,T Authors,2019,outcome,2,Health,other,,https://t.example/fw,verified,\n"
    "t-fw,T Framework,T source,T Authors,2019,outcome,1,Child work,child_labour_incidence,,"
    "https://t.example/fw,verified,\n"
    "t-fw,T Framework,T source,T Authors,2019,intervention,1,Pillar,"
    "cash_transfers;social_protection_other,,https://t.example/fw,verified,\n"
    "t-fw,T Framework,T source,T Authors,2019,intervention,2,Partnership,other,,https://t.example/fw,"
    "verified,\n"
    "t-fw,T Framework,T source,T Authors,2019,level,1,Community,,,https://t.example/fw,verified,\n"
    "t-un,T Unverified,U,U,,intervention,1,Housing,victim_identification_and_support,,"
    "https://t.example/u,unverified,title not seen\n"
)


def test_only_verified_rows_are_read() -> None:
    frameworks = frameworks_parse(TEXT)
    assert [f.id for f in frameworks] == ["t-fw"]
    f = frameworks[0]
    assert (f.name, f.source_year, f.source_url) == ("T Framework", 2019, "https://t.example/fw")
    assert len(f.items) == 5
    assert f.dimensions == ["intervention", "level", "outcome"]


def test_other_takes_the_axis_of_its_block() -> None:
    """'other' in a block of outcome codes is an outcome; in a block of intervention codes an
    intervention; a row mapped to nothing has no axis."""
    items = {item.label: item for item in frameworks_parse(TEXT)[0].items}
    assert (items["Health"].axis, items["Health"].maps_to) == (OUTCOME, ("other",))
    assert items["Partnership"].axis == INTERVENTION
    assert items["Pillar"].maps_to == ("cash_transfers", "social_protection_other")
    assert (items["Community"].axis, items["Community"].maps_to) == ("", ())


def test_mappings_for_a_category() -> None:
    frameworks = frameworks_parse(TEXT)
    [m] = mappings_for(frameworks, axis=INTERVENTION, code="social_protection_other")
    assert m.labels == ("Pillar",)
    assert [m.labels for m in mappings_for(frameworks, axis=OUTCOME, code="other")] == [("Health",)]
    assert [m.labels for m in mappings_for(frameworks, axis=INTERVENTION, code="other")] == [
        ("Partnership",)
    ]
    assert (
        mappings_for(frameworks, axis=INTERVENTION, code="victim_identification_and_support") == []
    )


def test_the_bundled_frameworks() -> None:
    """egm_framework.csv: 102 rows of 19 frameworks, 90 verified rows of 17 (the survivor
    outcome groups of Schroeder et al. and the survivor interventions of MacLean et al. are
    unverified). CLEAR's child-health outcome maps to 'other' on the outcome axis; UCW's
    social-protection pillar to two interventions."""
    frameworks = framework_list()
    assert len(frameworks) == 17
    assert sum(len(f.items) for f in frameworks) == 90
    ids = {f.id for f in frameworks}
    assert "schroeder-survivor-outcomes" not in ids
    assert "maclean-survivor-interventions" not in ids
    clear = next(f for f in frameworks if f.id == "clear-child-labor")
    health = next(i for i in clear.items if i.label == "Child health (secondary)")
    assert (health.axis, health.maps_to) == (OUTCOME, ("other",))
    [ucw] = [
        m
        for m in mappings_for(frameworks, axis=INTERVENTION, code="social_protection_other")
        if m.framework.id == "ucw-inventory"
    ]
    assert ucw.labels == ("Social protection",)
    assert ucw.framework.source_url == "http://www.ucw-project.org/inventory-impact-evaluation.aspx"
