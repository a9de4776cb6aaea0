"""SDMX in, the pure readers (sdg87.sdmx.ingest): each official format gives the same
ObservationRows as the UN SDG figures it holds; codes map back to the platform's; hostile and
malformed files are refused with a message that says which observation (key, line) and what.

Fixtures (fixtures/ingest/README.md): Nepal's six 8.7.1 values for 2014 as the bundled UN SDG
extract has them (data/unsd_sdg/sdg_8_7_1_child_labour_by_country.csv), in every format; the
hostile ones are written by the tests themselves."""

from __future__ import annotations

import csv
import json
import time
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from sdg87.core.ingest import Problems
from sdg87.sdmx import ingest
from sdg87.sdmx.ingest import SdmxError, common

HERE = Path(__file__).resolve().parent
FIXTURES = HERE / "fixtures" / "ingest"
REPO = HERE.parents[2]
FORMATS = {
    "nepal_871_generic.xml": "SDMX-ML",
    "nepal_871_generic_flat.xml": "SDMX-ML",
    "nepal_871_structurespecific.xml": "SDMX-ML",
    "nepal_871_sdmx_csv_1.csv": "SDMX-CSV",
    "nepal_871_sdmx_csv_2.csv": "SDMX-CSV",
    "nepal_871_sdmx_json_1.json": "SDMX-JSON",
    "nepal_871_sdmx_json_2.json": "SDMX-JSON",
}
SEX = {"BOTHSEX": "_T", "FEMALE": "F", "MALE": "M"}
MESSAGE_NS = "http://www.sdmx.org/resources/sdmxml/schemas/v2_1/message"


def _read(path: Path, fmt: str, **kw: object) -> tuple[ingest.Parsed, Problems]:
    problems = Problems(limit=100)
    parsed = ingest.read(path, fmt, default_series="DEFAULT", problems=problems, **kw)  # type: ignore[arg-type]
    return parsed, problems


def _nepal_published() -> set[tuple[str, str, int, str, str, float, str, str]]:
    """Nepal's 8.7.1 rows of the bundled UN SDG extract, as ObservationRow fields."""
    path = REPO / "data" / "unsd_sdg" / "sdg_8_7_1_child_labour_by_country.csv"
    with path.open(encoding="utf-8") as handle:
        return {
            (
                r["series_code"],
                "524",
                int(r["year"]),
                SEX[r["sex"]],
                "Y5T17",
                float(r["value"]),
                r["units"],
                r["nature"],
            )
            for r in csv.DictReader(handle)
            if r["iso3"] == "NPL"
        }


@pytest.mark.parametrize("name", sorted(FORMATS))
def test_each_format_reads_as_the_published_figures(name: str) -> None:
    """Every fixture, in its official format, is sniffed as that format from its content and
    gives exactly Nepal's six published 8.7.1 values (19.03, 19.25, 19.158, 21.71, 23.07,
    20.29 per cent for 2014), with the UNSD nature CA, and no problem."""
    path = FIXTURES / name
    head = path.read_bytes()[:65536]
    assert ingest.sniff(head, head.decode("utf-8").lstrip()) == FORMATS[name]
    parsed, problems = _read(path, FORMATS[name])
    assert not problems, problems.kept
    got = {(r.series, r.geo, r.year, r.sex, r.age, r.value, r.unit, r.nature) for r in parsed.rows}
    assert got == _nepal_published()
    assert len(got) == 6
    assert parsed.keys[0] == "SL_TLF_CHLDEA/524/2014/_T/Y5T17"
    if FORMATS[name] != "SDMX-JSON":
        assert all(r.line for r in parsed.rows)  # each observation knows its line


def test_xml_fixtures_are_valid_sdmx_ml(sdmx_ml_schema: Any) -> None:
    """The generic SDMX-ML fixtures validate against the official SDMX-ML 2.1 schemas (a
    structure-specific message needs the schema generated from its DSD, which SDMX does not
    publish)."""
    for name in ["nepal_871_generic.xml", "nepal_871_generic_flat.xml"]:
        sdmx_ml_schema.validate(str(FIXTURES / name))


def test_json_fixtures_are_valid_sdmx_json(
    sdmx_json_1_schema: Any, sdmx_json_2_schema: Any
) -> None:
    """The SDMX-JSON fixtures validate against the official 1.0 and 2.0 data schemas."""
    jsonschema.validate(
        json.loads((FIXTURES / "nepal_871_sdmx_json_1.json").read_text()), sdmx_json_1_schema
    )
    jsonschema.validate(
        json.loads((FIXTURES / "nepal_871_sdmx_json_2.json").read_text()), sdmx_json_2_schema
    )


def test_sdmx1_reads_the_generic_fixture_alike() -> None:
    """A real SDMX client (sdmx1) reads the generic SDMX-ML fixture to the same six values:
    the fixture is SDMX as others write it, and our reader agrees with theirs."""
    import sdmx

    message: Any = sdmx.read_sdmx(FIXTURES / "nepal_871_generic.xml")
    values = sorted(float(o.value) for o in message.data[0].obs)
    parsed, _problems = _read(FIXTURES / "nepal_871_generic.xml", "SDMX-ML")
    assert (
        values
        == sorted(r.value for r in parsed.rows)
        == [19.03, 19.158, 19.25, 20.29, 21.71, 23.07]
    )


# --- code mapping (inverse of sdmx.mapping) ---------------------------------------------------


def _csv(tmp_path: Path, text: str, name: str = "x.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


HEAD1 = (
    "DATAFLOW,FREQ,SERIES,REF_AREA,SEX,AGE,BREAKDOWN,TIME_PERIOD,OBS_VALUE,UNIT_MEASURE,"
    "UNIT_MULT,OBS_STATUS,NATURE,COMMENT_OBS\n"
)


def test_codes_map_back_to_the_platforms(tmp_path: Path) -> None:
    """PT -> PERCENT; Y0T17 -> Y_LT18; ILOSTAT's SEX_F -> F; ISO3 areas upper-cased, M49 kept;
    BREAKDOWN SECTOR_AGRICULTURE -> sector=AGRICULTURE; OBS_STATUS E without NATURE -> E;
    UNIT_MULT 3 on a plain unit scales the value (12.5 thousand -> 12500) but not on a unit
    counting in that multiple itself (MILLION_CHILDREN with 6); normalized periods read as
    years; labelled cells ("524: Nepal") give their code; a missing SERIES is the default."""
    path = _csv(
        tmp_path,
        HEAD1
        + "F:A(1.0),A,S1,524: Nepal,_T,Y0T17,_T,2019,10.5,PT,0,A,,\n"
        + "F:A(1.0),A,S1,npl,SEX_F,Y5T17,SECTOR_AGRICULTURE,2019-01-01T00:00:00,12.5,NUMBER,3,"
        + "E,,a note\n"
        + "F:A(1.0),A,S2,1,M,Y5T17,_T,2020-A1,160,MILLION_CHILDREN,6,A,M,\n"
        + "F:A(1.0),A,,1,M,Y5T17,_T,2020,1,NUMBER,,A,,\n",
    )
    parsed, problems = _read(path, "SDMX-CSV")
    assert not problems, problems.kept
    a, b, c, d = parsed.rows
    assert (a.series, a.geo, a.unit, a.age, a.value, a.nature) == (
        "S1",
        "524",
        "PERCENT",
        "Y_LT18",
        10.5,
        "",
    )
    assert (b.geo, b.sex, b.dimensions, b.value, b.nature, b.note, b.year) == (
        "NPL",
        "F",
        {"sector": "AGRICULTURE"},
        12500.0,
        "E",
        "a note",
        2019,
    )
    assert (c.value, c.unit, c.nature, c.year) == (160.0, "MILLION_CHILDREN", "M", 2020)
    assert d.series == "DEFAULT"
    assert [r.line for r in parsed.rows] == [2, 3, 4, 5]


def test_unit_mult_scales_to_the_units_own_multiple(tmp_path: Path) -> None:
    """A value is scaled from the file's UNIT_MULT to the multiple the unit counts in: the
    2016 world figure sent as 151,600 thousand (UNIT_MULT 3) is 151.6 MILLION_CHILDREN, and
    740,611 children (UNIT_MULT 0) are 740.611 THOUSANDS; given in the unit's own multiple,
    a value is kept as written."""
    path = _csv(
        tmp_path,
        HEAD1
        + "F:A(1.0),A,S1,1,_T,Y5T17,_T,2016,151600,MILLION_CHILDREN,3,A,,\n"
        + "F:A(1.0),A,S2,ZMB,_T,Y5T17,_T,2019,740611,THOUSANDS,0,A,,\n"
        + "F:A(1.0),A,S3,ZMB,_T,Y5T17,_T,2019,740.611,THOUSANDS,3,A,,\n",
    )
    parsed, problems = _read(path, "SDMX-CSV")
    assert not problems, problems.kept
    assert [r.value for r in parsed.rows] == [151.6, 740.611, 740.611]


def test_breakdown_inverse_of_the_export() -> None:
    """breakdown_dimensions undoes mapping.breakdown_code for the platform's dimensions."""
    from sdg87.sdmx.mapping import breakdown_code

    for key in ["", "sector=AGRICULTURE", "form=FORCED_LABOUR|subgroup=CHILDREN"]:
        dims = dict(p.split("=") for p in key.split("|")) if key else {}
        assert common.breakdown_dimensions(breakdown_code(key)) == dims


# --- problems named by key and line -----------------------------------------------------------


def test_bad_values_and_duplicates_are_named_by_key_and_line(tmp_path: Path) -> None:
    """NaN, Inf, an empty value, a quarterly period, FREQ Q, no REF_AREA, no unit and a
    duplicate key each give one problem naming SERIES/REF_AREA/TIME_PERIOD/SEX/AGE, the line
    and the component; only the one good observation is kept."""
    path = _csv(
        tmp_path,
        HEAD1
        + "F:A(1.0),A,S1,524,_T,_T,_T,2019,1.5,PT,0,A,,\n"
        + "F:A(1.0),A,S1,524,F,_T,_T,2019,NaN,PT,0,A,,\n"
        + "F:A(1.0),A,S1,524,M,_T,_T,2019,Inf,PT,0,A,,\n"
        + "F:A(1.0),A,S1,524,M,_T,_T,2018,,PT,0,A,,\n"
        + "F:A(1.0),A,S1,524,M,_T,_T,2018-Q1,1,PT,0,A,,\n"
        + "F:A(1.0),Q,S1,524,M,_T,_T,2017,1,PT,0,A,,\n"
        + "F:A(1.0),A,S1,,M,_T,_T,2017,1,PT,0,A,,\n"
        + "F:A(1.0),A,S1,4,M,_T,_T,2017,1,,0,A,,\n"
        + "F:A(1.0),A,S1,524,_T,_T,_T,2019,1.6,PT,0,A,,\n",
    )
    parsed, problems = _read(path, "SDMX-CSV")
    assert [r.value for r in parsed.rows] == [1.5]
    found = [(p["row"], p["column"], p["message"]) for p in problems.kept]
    assert found == [
        (3, "OBS_VALUE", "S1/524/2019/F/_T: value 'NaN' is not a finite number"),
        (4, "OBS_VALUE", "S1/524/2019/M/_T: value 'Inf' is not a finite number"),
        (5, "OBS_VALUE", "S1/524/2018/M/_T: no OBS_VALUE"),
        (6, "TIME_PERIOD", "S1/524/2018-Q1/M/_T: period '2018-Q1' is not a year"),
        (7, "FREQ", "S1/524/2017/M/_T: frequency 'Q': only annual data (FREQ A) can be imported"),
        (8, "REF_AREA", "S1/?/2017/M/_T: no REF_AREA"),
        (9, "UNIT_MEASURE", "S1/4/2017/M/_T: no UNIT_MEASURE"),
        (10, None, "S1/524/2019/_T/_T: duplicate observation (also at line 2)"),
    ]


def test_xml_problems_carry_the_obs_line(tmp_path: Path) -> None:
    """In SDMX-ML a problem names the line of the offending Obs element."""
    text = (FIXTURES / "nepal_871_generic.xml").read_text().replace('value="19.25"', 'value="NaN"')
    path = tmp_path / "x.xml"
    path.write_text(text)
    parsed, problems = _read(path, "SDMX-ML")
    line = next(n for n, t in enumerate(text.splitlines(), start=1) if 'value="NaN"' in t)
    obs_line = line - 2  # <gen:Obs>, <gen:ObsDimension>, <gen:ObsValue value="NaN"/>
    assert problems.kept == [
        {
            "row": obs_line,
            "column": "OBS_VALUE",
            "type": "mapping-error",
            "message": "SL_TLF_CHLDEA/524/2014/F/Y5T17: value 'NaN' is not a finite number",
        }
    ]
    assert len(parsed.rows) == 5


# --- hostile and malformed files --------------------------------------------------------------

XXE = b"""<?xml version="1.0"?>
<!DOCTYPE foo [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<mes:GenericData xmlns:mes="http://www.sdmx.org/resources/sdmxml/schemas/v2_1/message">
<mes:DataSet>&xxe;</mes:DataSet></mes:GenericData>
"""
LAUGHS = (
    b'<?xml version="1.0"?>\n<!DOCTYPE lolz [\n <!ENTITY lol "lol">\n'
    + b"".join(
        f' <!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">\n'.encode()
        for i in range(1, 10)
    )
    + b']>\n<mes:GenericData xmlns:mes="'
    + MESSAGE_NS.encode()
    + b'">&lol9;</mes:GenericData>\n'
)


@pytest.mark.parametrize("content", [XXE, LAUGHS], ids=["xxe", "billion-laughs"])
def test_doctype_is_refused_before_parsing(tmp_path: Path, content: bytes) -> None:
    """An external entity and the billion laughs are refused by sniffing already (so the
    upload is never stored) and by the reader, with a message saying why; nothing of
    /etc/passwd or the expanded entities ever appears."""
    with pytest.raises(SdmxError, match="DOCTYPE"):
        ingest.sniff(content, content.decode())
    path = tmp_path / "hostile.xml"
    path.write_bytes(content)
    with pytest.raises(SdmxError, match="DOCTYPE") as caught:
        _read(path, "SDMX-ML")
    assert "root:" not in str(caught.value)


def test_entities_are_never_resolved_even_past_the_prolog_check(tmp_path: Path) -> None:
    """Without a DOCTYPE an entity reference is just an error (undefined entity), never a
    read of a file."""
    path = tmp_path / "x.xml"
    path.write_bytes(
        b'<?xml version="1.0"?>\n<mes:GenericData xmlns:mes="'
        + MESSAGE_NS.encode()
        + b'"><mes:DataSet>&xxe;</mes:DataSet></mes:GenericData>'
    )
    with pytest.raises(SdmxError, match="not well-formed"):
        _read(path, "SDMX-ML")


def test_a_200_mb_file_is_refused_by_its_size_before_parsing(tmp_path: Path) -> None:
    """A 200 MB file (sparse: no disk is used) is refused from its size alone, at once."""
    path = tmp_path / "huge.xml"
    with path.open("wb") as handle:
        handle.write((FIXTURES / "nepal_871_generic.xml").read_bytes()[:200])
        handle.truncate(200 * 1024 * 1024)
    started = time.perf_counter()
    with pytest.raises(SdmxError, match="the limit is 26214400 bytes"):
        _read(path, "SDMX-ML", max_bytes=25 * 1024 * 1024)
    assert time.perf_counter() - started < 0.1


def test_truncated_xml_names_its_line(tmp_path: Path) -> None:
    text = (FIXTURES / "nepal_871_generic.xml").read_text()
    path = tmp_path / "cut.xml"
    path.write_text(text[: len(text) // 2])
    with pytest.raises(SdmxError, match=r"not well-formed \(line \d+\)"):
        _read(path, "SDMX-ML")


def test_other_xml_is_not_sdmx_data(tmp_path: Path) -> None:
    """An SDMX structure message, or any other XML, is not data to import."""
    assert ingest.sniff(b"<html><body/></html>", "<html><body/></html>") is None
    path = tmp_path / "s.xml"
    path.write_text(f'<?xml version="1.0"?><mes:Structure xmlns:mes="{MESSAGE_NS}"/>')
    with pytest.raises(SdmxError, match=r"not an SDMX-ML 2\.1 data message"):
        _read(path, "SDMX-ML")


def _json_fixture() -> Any:
    return json.loads((FIXTURES / "nepal_871_sdmx_json_1.json").read_text())


def _broken(fix: str) -> Any:
    data = _json_fixture()
    if fix == "no-datasets":
        del data["dataSets"]
    elif fix == "datasets-not-a-list":
        data["dataSets"] = {"0": {}}
    elif fix == "no-structure":
        del data["structure"]
    elif fix == "key-too-short":
        series = data["dataSets"][0]["series"]
        series["0"] = series.pop(next(iter(series)))
    elif fix == "index-out-of-range":
        series = data["dataSets"][0]["series"]
        series[next(iter(series))]["observations"]["0"][0 + 1] = 99
    elif fix == "value-not-a-number":
        series = data["dataSets"][0]["series"]
        series[next(iter(series))]["observations"]["0"][0] = {"a": 1}
    return data


@pytest.mark.parametrize(
    ("fix", "message"),
    [
        ("no-datasets", "dataSets should be an array"),
        ("datasets-not-a-list", "dataSets should be an array"),
        ("no-structure", "structure should be"),
        ("key-too-short", "has 1 positions, the structure 15"),
        ("index-out-of-range", "refers to value 99 of OBS_STATUS, which has 1"),
        ("value-not-a-number", r'\["0"\]\[0\] should be a number'),
    ],
)
def test_json_with_a_wrong_structure_says_where(tmp_path: Path, fix: str, message: str) -> None:
    path = tmp_path / "x.json"
    path.write_text(json.dumps(_broken(fix)))
    with pytest.raises(SdmxError, match=message):
        _read(path, "SDMX-JSON")


def test_invalid_json_and_deep_json_are_refused(tmp_path: Path) -> None:
    path = tmp_path / "x.json"
    path.write_text('{"dataSets": [')
    with pytest.raises(SdmxError, match="Invalid JSON at line 1"):
        _read(path, "SDMX-JSON")
    path.write_text('{"dataSets": ' + "[" * 5000 + "]" * 5000 + "}")
    with pytest.raises(SdmxError, match="nested more than"):
        _read(path, "SDMX-JSON")


def test_csv_delete_action_and_bad_header_are_refused(tmp_path: Path) -> None:
    """SDMX-CSV 2.0 ACTION D (delete) cannot be imported into a new release; a header
    without OBS_VALUE is not SDMX-CSV data."""
    path = _csv(
        tmp_path,
        "STRUCTURE,STRUCTURE_ID,ACTION,SERIES,REF_AREA,TIME_PERIOD,OBS_VALUE,UNIT_MEASURE\n"
        "dataflow,F:A(1.0),D,S1,524,2019,1,PT\n",
    )
    with pytest.raises(SdmxError, match="Line 2: ACTION 'D' cannot be imported"):
        _read(path, "SDMX-CSV")
    path = _csv(tmp_path, "DATAFLOW,SERIES,REF_AREA,TIME_PERIOD\nF,S1,524,2019\n")
    with pytest.raises(SdmxError, match="no OBS_VALUE column"):
        _read(path, "SDMX-CSV")


def test_too_many_observations_are_refused(tmp_path: Path) -> None:
    path = FIXTURES / "nepal_871_sdmx_csv_1.csv"
    with pytest.raises(SdmxError, match="more than 5 observations"):
        _read(path, "SDMX-CSV", max_observations=5)


def test_tidy_csv_and_plain_json_are_not_sniffed_as_sdmx() -> None:
    for text in ["series,geo,year,value,unit\n", '[{"geo": "NPL"}]', '{"rows": []}']:
        assert ingest.sniff(text.encode(), text) is None


def test_the_catalog_sniffs_sdmx_only_where_it_is_accepted() -> None:
    """uploads.sniff_format: distribution uploads (sdmx=True) tell SDMX-CSV, SDMX-JSON and
    SDMX-ML from tidy files by content; elsewhere (screenings) SDMX-CSV stays plain CSV, XML
    is refused and a .xml name means nothing; a name contradicting the content is refused."""
    from sdg87.catalog.uploads import UploadError, sniff_format

    csv_head = (FIXTURES / "nepal_871_sdmx_csv_1.csv").read_bytes()
    xml_head = (FIXTURES / "nepal_871_generic.xml").read_bytes()
    json_head = (FIXTURES / "nepal_871_sdmx_json_2.json").read_bytes()
    assert sniff_format(csv_head, "extract.csv", sdmx=True) == "SDMX-CSV"
    assert sniff_format(xml_head, "extract.xml", sdmx=True) == "SDMX-ML"
    assert sniff_format(json_head, "extract.json", sdmx=True) == "SDMX-JSON"
    assert sniff_format(csv_head, "extract.csv") == "CSV"
    assert sniff_format(b"geo,year\nNPL,2014\n", "list.xml") == "CSV"
    with pytest.raises(UploadError, match="XML"):
        sniff_format(xml_head, "extract.xml")
    with pytest.raises(UploadError, match="says XML but the content is CSV"):
        sniff_format(b"geo,year\nNPL,2014\n", "list.xml", sdmx=True)
    with pytest.raises(UploadError, match="DOCTYPE"):
        sniff_format(XXE, "x.xml", sdmx=True)


def test_the_validation_report_of_sdmx_data(tmp_path: Path) -> None:
    """uploads.validate_table on SDMX data: its problems by key and line (all of them placed,
    so the statistics check does not count them twice), the observations as a table for the
    preview, the row count of those that map."""
    from sdg87.catalog.uploads import SDMX_TABLE_HEADER, validate_table

    good = validate_table(FIXTURES / "nepal_871_sdmx_json_2.json", "SDMX-JSON")
    assert (good.valid, good.row_count, good.header) == (True, 6, SDMX_TABLE_HEADER)
    assert good.preview[2][:5] == [
        "SL_TLF_CHLDEA/524/2014/M/Y5T17",
        "SL_TLF_CHLDEA",
        "524",
        "2014",
        "19.158",
    ]
    rows = "".join(f"F:A(1.0),A,S1,524,_T,_T,_T,{2000 + i},NaN,PT,0,A,,\n" for i in range(3))
    bad = validate_table(_csv(tmp_path, HEAD1 + rows), "SDMX-CSV")
    assert (bad.valid, bad.error_count, bad.row_count) == (False, 3, 0)
    assert bad.error_places == {(2, "OBS_VALUE"), (3, "OBS_VALUE"), (4, "OBS_VALUE")}
    assert bad.errors[0]["message"] == "S1/524/2000/_T/_T: value 'NaN' is not a finite number"
