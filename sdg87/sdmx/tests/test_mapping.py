"""The platform-to-SDMX code mapping (pure)."""

from sdg87.sdmx import mapping


def test_ref_area_is_m49_without_leading_zeros():
    """CL_AREA writes M49 codes as numbers: World 1, Nepal 524; aggregates without M49 keep
    the platform's code (own DSD only)."""
    assert mapping.area_code(m49="001", code="001") == "1"
    assert mapping.area_code(m49="524", code="NPL") == "524"
    assert mapping.area_code(m49=None, code="ILO_AFRICA") == "ILO_AFRICA"


def test_codes_the_sdg_dsd_spells_differently():
    assert mapping.sdg_age("Y_LT18") == "Y0T17"
    assert mapping.platform_age("Y0T17") == "Y_LT18"
    assert mapping.sdg_age("Y5T17") == "Y5T17"
    assert mapping.sdg_unit("PERCENT") == "PT"
    assert mapping.sdg_unit("PER_MARW_20T24Y") == "PT"
    assert mapping.sdg_unit("PER_100000_POP") == "PER_100000_POP"


def test_unit_multiplier_and_status():
    assert mapping.unit_mult("MILLION_CHILDREN") == "6"
    assert mapping.unit_mult("ADDITIONAL_MILLION_CHILDREN") == "6"
    assert mapping.unit_mult("THOUSANDS") == "3"
    assert mapping.unit_mult("PERCENT") == "0"
    assert mapping.obs_status("E") == "E"
    assert mapping.obs_status("M") == "E"
    assert mapping.obs_status("C") == "A"
    assert mapping.obs_status("") == "A"


def test_breakdown_codes_are_sdmx_identifiers():
    assert mapping.breakdown_code("") == "_T"
    assert mapping.breakdown_code("sector=AGRICULTURE") == "SECTOR_AGRICULTURE"
    assert (
        mapping.breakdown_code("form=FORCED_LABOUR|subgroup=FL_STATE_IMPOSED")
        == "FORM_FORCED_LABOUR__SUBGROUP_FL_STATE_IMPOSED"
    )
    assert (
        mapping.breakdown_label("sector=AGRICULTURE|area=RURAL")
        == "sector: AGRICULTURE; area: RURAL"
    )


def test_one_dataflow_per_indicator():
    assert mapping.flow_id(indicator_code="8.7.1", series_code="SL_TLF_CHLDEA") == "SDG_8_7_1"
    assert mapping.flow_id(indicator_code="16.2.2", series_code="VC_HTF_DETV") == "SDG_16_2_2"
    assert mapping.flow_id(indicator_code="GE-CL", series_code="ILO_CL_NUM") == "GE-CL"
    assert mapping.flow_id(indicator_code=None, series_code="SP_POP_5T17") == "SP_POP_5T17"
    assert mapping.uses_sdg_dsd("5.3.1")
    assert not mapping.uses_sdg_dsd("GE-CL")


def test_pinned_sdg_dsd_reference():
    """The bundled reference is IAEG-SDGs:SDG(1.14) with its 15 dimensions in order."""
    ref = mapping.sdg_reference()
    assert (ref["dsd"]["agency"], ref["dsd"]["id"], ref["dsd"]["version"]) == mapping.SDG_DSD
    assert mapping.sdg_dimension_ids() == [
        "FREQ",
        "REPORTING_TYPE",
        "SERIES",
        "REF_AREA",
        "SEX",
        "AGE",
        "URBANISATION",
        "INCOME_WEALTH_QUANTILE",
        "EDUCATION_LEV",
        "OCCUPATION",
        "CUST_BREAKDOWN",
        "COMPOSITE_BREAKDOWN",
        "DISABILITY_STATUS",
        "ACTIVITY",
        "PRODUCT",
    ]
    assert "524" in ref["codelists"]["CL_AREA"]["codes"]
    assert "Y0T17" in ref["codelists"]["CL_AGE"]["codes"]
