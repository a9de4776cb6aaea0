"""SDMX in, ILOSTAT's own codes (sdg87.sdmx.ingest.ilostat): an upload keyed on ILOSTAT's
dataflow DF_CLD_XSNA_SEX_AGE_STU_NB maps onto the platform's ILOSTAT series as loaded (ages
5-17, school attendance total, by sex, thousands); every code without a citation in
ingest/reference/ilostat_codes.json is a problem named by the observation's key and line.

Fixtures (fixtures/ingest/README.md): Zambia's 2019 and 2020 children in employment aged 5-17,
both sexes, girls, boys, attendance total, as the bundled ILOSTAT file has them."""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from sdg87.core.ingest import Problems
from sdg87.indicators.ingest.timeseries import (
    parse_ilostat_children_in_employment,
)
from sdg87.sdmx import ingest
from sdg87.sdmx.ingest import ilostat

HERE = Path(__file__).resolve().parent
FIXTURES = HERE / "fixtures" / "ingest"
REPO = HERE.parents[2]
BUNDLED = REPO / "data" / "timeseries" / "ilostat_children_in_employment_5_17_thousands.csv"
ILOSTAT_FIXTURES = {
    "zambia_ilostat_cie_sdmx_csv_1.csv": "SDMX-CSV",
    "zambia_ilostat_cie_sdmx_csv_2.csv": "SDMX-CSV",
    "zambia_ilostat_cie_structurespecific.xml": "SDMX-ML",
    "zambia_ilostat_cie_sdmx_json_2.json": "SDMX-JSON",
}


def _bundled_zambia() -> set[tuple[str, str, int, str, str, float, str]]:
    """Zambia 2019-2020 as the platform loads the bundled ILOSTAT file (the load's own parser)."""
    table = parse_ilostat_children_in_employment(BUNDLED.read_text(encoding="utf-8"))
    return {
        (r.series, r.geo, r.year, r.sex, r.age, r.value, r.unit)
        for r in table.rows
        if r.geo == "ZMB" and r.year in (2019, 2020)
    }


def _read(path: Path, fmt: str) -> tuple[ingest.Parsed, Problems]:
    problems = Problems(limit=100)
    return ingest.read(path, fmt, default_series="", problems=problems), problems


@pytest.mark.parametrize(("name", "fmt"), sorted(ILOSTAT_FIXTURES.items()))
def test_ilostat_codes_map_onto_the_loaded_series(name: str, fmt: str) -> None:
    """Each fixture gives exactly the six observations the bundled ILOSTAT file loads for
    Zambia 2019-2020 (series, ISO3 area, year, sex, age 5-17, value, thousands), with no
    dimension left over (attendance total, MEASURE not stored)."""
    parsed, problems = _read(FIXTURES / name, fmt)
    assert not problems, problems.kept
    got = {(r.series, r.geo, r.year, r.sex, r.age, r.value, r.unit) for r in parsed.rows}
    assert got == _bundled_zambia()
    assert len(got) == 6
    assert all(r.dimensions == {} for r in parsed.rows)
    assert parsed.keys[0] == "CLD_XSNA_SEX_AGE_STU_NB/ZMB/2019/SEX_T/AGE_CLDVERSION_Y05-17"


def test_the_json_fixture_is_valid_sdmx_json_2(sdmx_json_2_schema: Any) -> None:
    """The SDMX-JSON fixture validates against the official 2.0 data schema."""
    message = json.loads((FIXTURES / "zambia_ilostat_cie_sdmx_json_2.json").read_text())
    jsonschema.validate(message, sdmx_json_2_schema)


def _csv_with(old: str, new: str, tmp_path: Path) -> Path:
    text = (FIXTURES / "zambia_ilostat_cie_sdmx_csv_1.csv").read_text()
    assert old in text
    path = tmp_path / "ilo.csv"
    path.write_text(text.replace(old, new, 1))
    return path


@pytest.mark.parametrize(
    ("old", "new", "column", "message"),
    [
        (
            "SEX_F,AGE_CLDVERSION_Y05-17",
            "SEX_F,AGE_CLDVERSION_Y05-11",
            "AGE",
            "CLD_XSNA_SEX_AGE_STU_NB/ZMB/2019/SEX_F/AGE_CLDVERSION_Y05-11: ILOSTAT AGE code "
            "'AGE_CLDVERSION_Y05-11' is not mapped to series CLD_XSNA_SEX_AGE_STU_NB "
            "(mapped: AGE_CLDVERSION_Y05-17)",
        ),
        (
            "Y05-17,STU_EDU_TOTAL,2019,344",
            "Y05-17,STU_EDU_NO,2019,344",
            "STU",
            "CLD_XSNA_SEX_AGE_STU_NB/ZMB/2019/SEX_F/AGE_CLDVERSION_Y05-17: ILOSTAT STU code "
            "'STU_EDU_NO' is not mapped to series CLD_XSNA_SEX_AGE_STU_NB (mapped: STU_EDU_TOTAL)",
        ),
        (
            "ZMB,A,SEX_F",
            "ZMB,A,F",
            "SEX",
            "CLD_XSNA_SEX_AGE_STU_NB/ZMB/2019/F/AGE_CLDVERSION_Y05-17: ILOSTAT SEX code 'F' "
            "is not mapped",
        ),
        (
            "ILO:DF_CLD_XSNA_SEX_AGE_STU_NB(1.0),ZMB,A,SEX_F",
            "ILO:DF_CLD_XCHL_SEX_AGE_STU_NB(1.0),ZMB,A,SEX_F",
            "DATAFLOW",
            "CLD_XCHL_SEX_AGE_STU_NB/ZMB/2019/SEX_F/AGE_CLDVERSION_Y05-17: ILOSTAT dataflow "
            "'DF_CLD_XCHL_SEX_AGE_STU_NB' is not mapped to a platform series",
        ),
        (
            "2019,344.842,3",
            "2019,344842,0",
            "UNIT_MULT",
            "CLD_XSNA_SEX_AGE_STU_NB/ZMB/2019/SEX_F/AGE_CLDVERSION_Y05-17: UNIT_MULT '0': "
            "series CLD_XSNA_SEX_AGE_STU_NB is counted in thousands",
        ),
    ],
)
def test_other_ilostat_codes_are_named_by_key_and_line(
    old: str, new: str, column: str, message: str, tmp_path: Path
) -> None:
    """A code the reference does not map (another age band or attendance status, the
    platform's own sex code under an ILOSTAT dataflow, another ILOSTAT dataflow, another
    multiplier) is a problem of that observation alone: named by its key as written, its line
    (3, the girls of 2019) and the column; the five other observations still map."""
    parsed, problems = _read(_csv_with(old, new, tmp_path), "SDMX-CSV")
    hits = [e for e in problems.kept if e["message"].startswith(message)]
    assert hits, problems.kept
    assert (hits[0]["row"], hits[0]["column"]) == (3, column)
    assert len(parsed.rows) == 5


def test_a_dimension_ilostat_does_not_have_is_named(tmp_path: Path) -> None:
    """An extra dimension column under the ILOSTAT dataflow is named in every observation."""
    text = (FIXTURES / "zambia_ilostat_cie_sdmx_csv_1.csv").read_text().splitlines()
    rows = [text[0].replace("STU,", "STU,GEO,")] + [
        line.replace("STU_EDU_TOTAL,", "STU_EDU_TOTAL,GEO_COV_URB,") for line in text[1:]
    ]
    path = tmp_path / "extra.csv"
    path.write_text("\n".join(rows) + "\n")
    parsed, problems = _read(path, "SDMX-CSV")
    assert parsed.rows == []
    assert problems.total == 6
    assert "dimension GEO is not one of ILOSTAT dataflow DF_CLD_XSNA_SEX_AGE_STU_NB" in str(
        problems.kept[0]["message"]
    )


def test_other_agencies_codes_are_not_translated() -> None:
    """The platform's own and the UN's dataflows keep their codes (no ILOSTAT mapping)."""
    assert ilostat.find("SDG87:SDG_8_7_1(1.0)") == (None, None)
    assert ilostat.find("UN:DF_SDG_GLH(1.0)") == (None, None)
    flow, refusal = ilostat.find("ILO:DF_CLD_XSNA_SEX_AGE_STU_NB(1.0)")
    assert flow is not None and refusal is None
    assert ilostat.parse_flow("ILO:DF_X(1.0)") == ("ILO", "DF_X")


def test_every_mapped_code_cites_a_source() -> None:
    """The reference maps no code without a source, and every source it names is described;
    the platform codes it maps to are the ones the bundled ILOSTAT series is loaded with."""
    data = json.loads(ilostat.REFERENCE.read_text(encoding="utf-8"))
    sources = set(data["sources"])
    with BUNDLED.open(encoding="utf-8") as handle:
        assert {r["indicator_code"] for r in csv.DictReader(handle)} == {"CLD_XSNA_SEX_AGE_STU_NB"}
    loaded = _bundled_zambia()
    for flow in data["dataflows"].values():
        for codes in flow["codes"].values():
            for entry in codes.values():
                cited = {s.strip() for s in entry["source"].split(",")}
                assert cited and cited <= sources, entry
        assert {row[3] for row in loaded} == {e["platform"] for e in flow["codes"]["SEX"].values()}
        assert {row[4] for row in loaded} == {e["platform"] for e in flow["codes"]["AGE"].values()}
        assert {row[6] for row in loaded} == {flow["unit"]}


def test_the_world_is_x01(tmp_path: Path) -> None:
    """ILOSTAT's World (X01) is the platform's World (M49 001), where the loaded series keeps
    the ILO's modelled world values; ISO3 areas pass as they are."""
    parsed, problems = _read(_csv_with(",ZMB,A,SEX_T", ",X01,A,SEX_T", tmp_path), "SDMX-CSV")
    assert not problems, problems.kept
    assert [r.geo for r in parsed.rows][:2] == ["001", "ZMB"]
