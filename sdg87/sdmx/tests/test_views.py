"""The SDMX REST service against the bundled data: structures, data in every format, errors,
caching headers, and the public-only rule."""

from __future__ import annotations

import csv
import datetime
import io
import json

import jsonschema
import pytest
import sdmx
from defusedxml import ElementTree as SafeET

from sdg87.geo.models import Geography
from sdg87.indicators.models import Observation, Release, Series
from sdg87.indicators.services import observations_mark_latest

pytestmark = pytest.mark.django_db

NEPAL_KEY = "A.G..524..........."  # 15 positions: FREQ.REPORTING_TYPE.SERIES.REF_AREA...
MES = "{http://www.sdmx.org/resources/sdmxml/schemas/v2_1/message}"
STR = "{http://www.sdmx.org/resources/sdmxml/schemas/v2_1/structure}"
COM = "{http://www.sdmx.org/resources/sdmxml/schemas/v2_1/common}"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


def _nepal_values() -> dict[tuple[str, str, str], float]:
    rows = Observation.objects.filter(
        series__code__in=["SL_TLF_CHLDEA", "SL_TLF_CHLDEC"], geography__iso3="NPL", is_latest=True
    ).values_list("series__code", "sex", "year", "value")
    return {(s, sex, str(y)): v for s, sex, y, v in rows}


def test_dataflows_and_structures_validate(client, bundled_data, sdmx_ml_schema):
    """The dataflow list names 8.7.1, 16.2.2 and 5.3.1 on the IAEG-SDGs SDG DSD 1.14 and the
    other series on the platform's DSD; every structure message is valid SDMX-ML 2.1."""
    response = client.get("/sdmx/dataflow/SDG87/all/latest")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.sdmx.structure+xml")
    sdmx_ml_schema.validate(response.content.decode())
    root = SafeET.fromstring(response.content)
    flows = {
        f.get("id"): f.find(f"{STR}Structure/Ref").get("id") for f in root.iter(f"{STR}Dataflow")
    }
    assert flows["SDG_8_7_1"] == flows["SDG_16_2_2"] == flows["SDG_5_3_1"] == "SDG"
    assert flows["GE-CL"] == "DSD_SDG87"
    for url in [
        "/sdmx/structure/dataflow/SDG87/SDG_8_7_1/1.0?references=all",
        "/sdmx/datastructure/SDG87/DSD_SDG87/1.0?references=children",
        "/sdmx/codelist/IAEG-SDGs/CL_AREA/1.14",
        "/sdmx/conceptscheme/all/all/latest",
    ]:
        response = client.get(url)
        assert response.status_code == 200, url
        sdmx_ml_schema.validate(response.content.decode())
    full = SafeET.fromstring(
        client.get("/sdmx/dataflow/SDG87/SDG_8_7_1/1.0?references=all").content
    )
    dsd = full.find(f".//{STR}DataStructure")
    assert (dsd.get("agencyID"), dsd.get("id"), dsd.get("version")) == ("IAEG-SDGs", "SDG", "1.14")
    dims = [d.get("id") for d in dsd.iter(f"{STR}Dimension")]
    assert dims[:6] == ["FREQ", "REPORTING_TYPE", "SERIES", "REF_AREA", "SEX", "AGE"]
    codelists = {c.get("id") for c in full.iter(f"{STR}Codelist")}
    assert {"CL_AREA", "CL_SEX", "CL_AGE", "CL_SERIES", "CL_FREQ", "CL_UNIT_MEASURE"} <= codelists


def test_names_follow_accept_language(client, bundled_data):
    """Codelists carry the names of the language asked for; without a header, all three."""

    def nepal_names(**headers):
        root = SafeET.fromstring(
            client.get("/sdmx/codelist/IAEG-SDGs/CL_AREA/1.14", **headers).content
        )
        code = next(c for c in root.iter(f"{STR}Code") if c.get("id") == "524")
        return {n.get(XML_LANG): n.text for n in code.findall(f"{COM}Name")}

    nepal = Geography.objects.get(iso3="NPL")
    assert nepal_names(HTTP_ACCEPT_LANGUAGE="fr") == {"fr": nepal.name_fr}
    assert nepal_names(HTTP_ACCEPT_LANGUAGE="es-ES,es;q=0.9") == {"es": nepal.name_es}
    assert set(nepal_names()) == {"en", "fr", "es"}
    root = SafeET.fromstring(
        client.get("/sdmx/codelist/IAEG-SDGs/CL_SEX/1.1", HTTP_ACCEPT_LANGUAGE="es").content
    )
    female = next(c for c in root.iter(f"{STR}Code") if c.get("id") == "F")
    assert (
        female.find(f"{COM}Name").text == "Mujeres"
        or female.find(f"{COM}Name").get(XML_LANG) == "es"
    )


def test_nepal_8_7_1_in_every_format(
    client, bundled_data, sdmx_ml_schema, sdmx_json_1_schema, sdmx_json_2_schema
):
    """8.7.1 for Nepal comes out with the stored values in SDMX-ML (generic, valid against the
    XSD; structure-specific), SDMX-CSV 1.0/2.0 and SDMX-JSON 1.0/2.0 (valid against the
    official JSON schemas), in both URL spaces."""
    expected = _nepal_values()
    assert expected
    generic = client.get(f"/sdmx/data/SDG87,SDG_8_7_1,1.0/{NEPAL_KEY}")
    assert generic.status_code == 200
    assert generic["Content-Type"].startswith("application/vnd.sdmx.genericdata+xml")
    sdmx_ml_schema.validate(generic.content.decode())
    v2 = client.get(f"/sdmx/data/dataflow/SDG87/SDG_8_7_1/1.0/{NEPAL_KEY}?format=sdmx-csv")
    rows = list(csv.DictReader(io.StringIO(v2.content.decode())))
    got = {(r["SERIES"], r["SEX"], r["TIME_PERIOD"]): float(r["OBS_VALUE"]) for r in rows}
    assert got == expected
    assert {r["REF_AREA"] for r in rows} == {"524"}
    assert {r["UNIT_MEASURE"] for r in rows} == {"PT"}
    assert all(r["DATAFLOW"] == "SDG87:SDG_8_7_1(1.0)" for r in rows)
    assert all("unsd-sdg" in r["SOURCE_DETAIL"] for r in rows)

    csv2 = client.get(
        f"/sdmx/data/SDG_8_7_1/{NEPAL_KEY}?labels=both&timeFormat=normalized",
        HTTP_ACCEPT="application/vnd.sdmx.data+csv;version=2.0.0",
    )
    assert csv2["Content-Type"].startswith("application/vnd.sdmx.data+csv; version=2.0.0")
    rows2 = list(csv.reader(io.StringIO(csv2.content.decode())))
    assert rows2[0][:4] == ["STRUCTURE", "STRUCTURE_ID", "ACTION", "FREQ: Frequency of observation"]
    assert rows2[1][:3] == ["dataflow", "SDG87:SDG_8_7_1(1.0)", "I"]
    assert "524: " in ",".join(rows2[1]) and "-01-01T00:00:00" in ",".join(rows2[1])

    ss = client.get(f"/sdmx/data/SDG_8_7_1/{NEPAL_KEY}?format=structurespecificdata")
    root = SafeET.fromstring(ss.content)
    values = {
        (s.get("SERIES"), s.get("SEX"), o.get("TIME_PERIOD")): float(o.get("OBS_VALUE"))
        for s in root.iter("Series")
        for o in s.iter("Obs")
    }
    assert values == expected

    json1 = client.get(
        f"/sdmx/data/SDG_8_7_1/{NEPAL_KEY}",
        HTTP_ACCEPT="application/vnd.sdmx.data+json;version=1.0.0",
    )
    assert json1["Content-Type"].startswith("application/vnd.sdmx.data+json; version=1.0.0")
    jsonschema.Draft4Validator(sdmx_json_1_schema).validate(json.loads(json1.content))
    for at in ["TIME_PERIOD", "AllDimensions"]:
        json2 = client.get(
            f"/sdmx/data/dataflow/SDG87/SDG_8_7_1/latest/{NEPAL_KEY}?format=sdmx-json-2.0&dimensionAtObservation={at}"
        )
        message = json.loads(json2.content)
        jsonschema.Draft7Validator(sdmx_json_2_schema).validate(message)
        series_dims = message["data"]["structures"][0]["dimensions"]
        assert message["data"]["dataSets"][0]["links"][0]["rel"] == "dataflow"
        if at == "TIME_PERIOD":
            n = sum(
                len(s["observations"]) for s in message["data"]["dataSets"][0]["series"].values()
            )
            assert [d["id"] for d in series_dims["observation"]] == ["TIME_PERIOD"]
        else:
            n = len(message["data"]["dataSets"][0]["observations"])
        assert n == len(expected)


def test_filters_periods_and_last_observations(client, bundled_data):
    expected = _nepal_values()
    female = client.get(f"/sdmx/data/SDG_8_7_1/{NEPAL_KEY}?format=csv&c[SEX]=F")
    rows = list(csv.DictReader(io.StringIO(female.content.decode())))
    assert {r["SEX"] for r in rows} == {"F"}
    assert len(rows) == sum(1 for k in expected if k[1] == "F")
    years = sorted({int(k[2]) for k in expected})
    after = client.get(f"/sdmx/data/SDG_8_7_1/{NEPAL_KEY}?format=csv&startPeriod={years[-1] + 1}")
    assert after.status_code == 404
    last = client.get(
        "/sdmx/data/SDG_8_7_1/A.G.SL_TLF_CHLDEA.524+356...........?format=csv&lastNObservations=1"
    )
    rows = list(csv.DictReader(io.StringIO(last.content.decode())))
    keys = [(r["REF_AREA"], r["SEX"], r["AGE"]) for r in rows]
    assert len(keys) == len(set(keys)), "one observation per series"


def test_offset_and_limit(client, bundled_data):
    whole = client.get("/sdmx/data/SDG_16_2_2/all?format=csv")
    rows = list(csv.DictReader(io.StringIO(whole.content.decode())))
    page = client.get("/sdmx/data/SDG_16_2_2/all?format=csv&offset=10&limit=5")
    assert list(csv.DictReader(io.StringIO(page.content.decode()))) == rows[10:15]
    assert page["X-Total-Count"] == str(len(rows))
    assert client.get("/sdmx/data/SDG_16_2_2/all?limit=1000001").status_code == 400


@pytest.mark.parametrize(
    ("url", "headers", "status"),
    [
        ("/sdmx/data/SDG_8_7_1/A.G", {}, 400),
        ("/sdmx/data/SDG_8_7_1/all?lastNObservations=x", {}, 400),
        ("/sdmx/data/SDG_8_7_1/all?dimensionAtObservation=NOPE", {}, 400),
        ("/sdmx/data/SDG87,NOPE,1.0/all", {}, 404),
        ("/sdmx/data/SDG87,SDG_8_7_1,9.9/all", {}, 404),
        ("/sdmx/dataflow/SDG87/NOPE/1.0", {}, 404),
        ("/sdmx/data/SDG_8_7_1/A.G..999...........", {}, 404),
        ("/sdmx/data/SDG_8_7_1/all?format=xlsx", {}, 406),
        ("/sdmx/data/SDG_8_7_1/all", {"HTTP_ACCEPT": "application/pdf"}, 406),
        ("/sdmx/data/SDG_8_7_1/all?dimensionAtObservation=SEX", {}, 501),
        ("/sdmx/data/datastructure/IAEG-SDGs/SDG/1.14/all", {}, 501),
        ("/sdmx/data/SDG_8_7_1/all?includeHistory=maybe", {}, 400),
        ("/sdmx/data/SDG_8_7_1/all?updatedBefore=2020-01-01", {}, 501),
    ],
)
def test_errors_follow_the_specification(
    client, bundled_data, sdmx_ml_schema, url, headers, status
):
    response = client.get(url, **headers)
    assert response.status_code == status
    if status != 406:
        sdmx_ml_schema.validate(response.content.decode())
        code = SafeET.fromstring(response.content).find(f"{MES}ErrorMessage").get("code")
        assert code == str(status)


def test_etag_conditional_get_and_gzip(client, bundled_data):
    url = f"/sdmx/data/SDG_8_7_1/{NEPAL_KEY}?format=csv"
    first = client.get(url)
    assert first["ETag"] and first["Last-Modified"]
    again = client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304
    assert client.get(url, HTTP_IF_NONE_MATCH='"other"').status_code == 200
    assert client.get(url, HTTP_ACCEPT_ENCODING="gzip")["Content-Encoding"] == "gzip"


def test_only_public_releases_are_served(client, bundled_data):
    """An observation of a release that is not public (embargoed, withdrawn) never appears;
    the same observation appears once its release is public."""
    series = Series.objects.get(code="SL_TLF_CHLDEA")
    first = series.observations.first()
    assert first is not None
    source = first.release.source
    hidden = Release.objects.create(
        source=source,
        code="sdmx-test-embargoed",
        title="Embargoed",
        year=2099,
        citation="test",
        provenance="test",
        is_public=False,
    )
    nepal = Geography.objects.get(iso3="NPL")
    Observation.all_objects.create(
        series=series,
        geography=nepal,
        release=hidden,
        year=2098,
        value=77.5,
        unit="PERCENT",
        is_latest=True,
    )
    urls = [
        f"/sdmx/data/SDG_8_7_1/{NEPAL_KEY}?format=csv",
        f"/sdmx/data/SDG_8_7_1/{NEPAL_KEY}?format=sdmx-json-2.0",
        f"/sdmx/data/SDG_8_7_1/{NEPAL_KEY}?format=structurespecificdata",
        "/sdmx/data/SDG_8_7_1/all?format=csv",
    ]
    for url in urls:
        body = client.get(url).content.decode()
        assert "2098" not in body and "77.5" not in body, url
    hidden.is_public = True
    hidden.save(update_fields=["is_public"])
    assert "77.5" in client.get(urls[0]).content.decode()


def test_as_of_answers_with_the_data_as_published_then(client, bundled_data):
    """asOf=2020-01-01 gives the world child labour series as it stood then (the 2017 round's
    2016 figure, nothing from the 2021 and 2025 rounds); without it the 2025 round's 2024
    figure is there. updatedAfter keeps what was published after the date."""
    url = "/sdmx/data/GE-CL/A.ILO_CL_NUM.1._T.Y5T17._T?format=csv"

    def rows(query: str = "") -> dict[str, tuple[float, str]]:
        body = client.get(url + query).content.decode()
        return {
            r["TIME_PERIOD"]: (float(r["OBS_VALUE"]), r["RELEASE"])
            for r in csv.DictReader(io.StringIO(body))
        }

    then = rows("&asOf=2020-01-01")
    assert then["2016"] == (151.6, "ilo-cl-ge-2017")
    assert "2020" not in then and "2024" not in then
    now = rows()
    assert now["2024"] == (138.0, "ilo-unicef-cl-ge-2025")
    assert now["2020"][1] == "ilo-unicef-cl-ge-2021"
    assert set(rows("&updatedAfter=2024-01-01")) == {"2024"}
    assert client.get(url + "&asOf=yesterday").status_code == 400


# --- includeHistory -----------------------------------------------------------------------

WORLD_CL = "A.ILO_CL_NUM.1._T.Y5T17._T"  # GE-CL: world child labour, total, 5-17 (millions)
GEN = "{http://www.sdmx.org/resources/sdmxml/schemas/v2_1/data/generic}"
SS = "{http://www.sdmx.org/resources/sdmxml/schemas/v2_1/data/structurespecific}"


def _revision(*, value: float, public: bool) -> Release:
    """A release dated 2022-03-01 revising the world 2016 child labour figure. SYNTHETIC (test
    only): the bundled rounds never republish a year, so no real point has two vintages."""
    template = Release.objects.get(code="ilo-cl-ge-2017")
    release = Release.objects.create(
        source=template.source,
        code="test-revision-2022" if public else "test-embargoed-2022",
        title="Synthetic revision (test)",
        year=2022,
        released_on=datetime.date(2022, 3, 1),
        citation="test",
        provenance="test: synthetic",
        is_public=public,
    )
    original = Observation.objects.get(
        release=template,
        series__code="ILO_CL_NUM",
        geography__code="001",
        sex="_T",
        age="Y5T17",
        dimensions_key="",
        year=2016,
    )
    Observation.all_objects.create(
        series=original.series,
        geography=original.geography,
        release=release,
        year=2016,
        sex="_T",
        age="Y5T17",
        value=value,
        unit=original.unit,
    )
    observations_mark_latest(series_ids=[original.series_id])
    return release


def _xml_vintages(body: bytes, *, ss: bool) -> list[tuple[str, str, str | None, dict[str, float]]]:
    """(setID, validFromDate, validToDate, {period: value}) of each data set of a message."""
    prefix = SS if ss else ""
    out = []
    for dataset in SafeET.fromstring(body).iter(f"{MES}DataSet"):
        if ss:
            values = {o.get("TIME_PERIOD"): float(o.get("OBS_VALUE")) for o in dataset.iter("Obs")}
        else:
            values = {
                o.find(f"{GEN}ObsDimension").get("value"): float(
                    o.find(f"{GEN}ObsValue").get("value")
                )
                for o in dataset.iter(f"{GEN}Obs")
            }
        out.append(
            (
                dataset.get(f"{prefix}setID"),
                dataset.get(f"{prefix}validFromDate"),
                dataset.get(f"{prefix}validToDate"),
                values,
            )
        )
    return out


def test_include_history_one_data_set_per_vintage(
    client, bundled_data, sdmx_ml_schema, sdmx_json_1_schema, sdmx_json_2_schema
):
    """includeHistory=true answers every public vintage of each observation, one data set per
    vintage with its validity (validFromDate = the release's day; validToDate, inclusive, the
    day before the next vintage's release; none while current), in both URL spaces and every
    format; the messages stay valid (XSD, JSON schemas). An embargoed release never shows."""
    _revision(value=150.0, public=True)
    _revision(value=999.0, public=False)
    older = ("ilo-cl-ge-2017", "2017-09-19T00:00:00", "2022-02-28T23:59:59", {"2016": 151.6})
    newer = ("test-revision-2022", "2022-03-01T00:00:00", None, {"2016": 150.0})
    period = "startPeriod=2016&endPeriod=2016&includeHistory=true"
    for url in [
        f"/sdmx/data/GE-CL/{WORLD_CL}?{period}",
        f"/sdmx/data/SDG87,GE-CL,1.0/{WORLD_CL}?{period}",
        f"/sdmx/data/dataflow/SDG87/GE-CL/1.0/{WORLD_CL}?{period}",
        f"/sdmx/data/dataflow/SDG87/GE-CL/latest/{WORLD_CL}?{period}&dimensionAtObservation=AllDimensions",
    ]:
        generic = client.get(url)
        assert generic.status_code == 200, url
        sdmx_ml_schema.validate(generic.content.decode())
        if "AllDimensions" not in url:
            assert _xml_vintages(generic.content, ss=False) == [older, newer], url
        ss = client.get(url + "&format=structurespecificdata")
        assert [v[:3] for v in _xml_vintages(ss.content, ss=True)] == [older[:3], newer[:3]]
        assert [v[3] for v in _xml_vintages(ss.content, ss=True)] == [older[3], newer[3]]
        assert 'OBS_VALUE="999' not in ss.content.decode()  # the embargoed revision

    base = f"/sdmx/data/GE-CL/{WORLD_CL}?{period}"
    # sdmx1 reads the history answer as two data sets (it keeps no data set validity).
    message = sdmx.read_sdmx(io.BytesIO(client.get(base).content))
    assert isinstance(message, sdmx.message.DataMessage)
    assert [[float(o.value) for o in ds.obs] for ds in message.data] == [[151.6], [150.0]]
    rows = list(csv.DictReader(io.StringIO(client.get(base + "&format=csv").content.decode())))
    assert [
        (r["TIME_PERIOD"], float(r["OBS_VALUE"]), r["RELEASE"], r["VALID_FROM"], r["VALID_TO"])
        for r in rows
    ] == [
        ("2016", 151.6, "ilo-cl-ge-2017", "2017-09-19T00:00:00", "2022-02-28T23:59:59"),
        ("2016", 150.0, "test-revision-2022", "2022-03-01T00:00:00", ""),
    ]
    csv2 = client.get(base + "&format=sdmx-csv-2.0").content.decode().splitlines()
    assert csv2[0].split(",")[:3] == ["STRUCTURE", "STRUCTURE_ID", "ACTION"]
    assert csv2[0].split(",")[-2:] == ["VALID_FROM", "VALID_TO"]
    assert len(csv2) == 3

    json1 = json.loads(client.get(base + "&format=sdmx-json-1.0").content)
    jsonschema.Draft4Validator(sdmx_json_1_schema).validate(json1)
    assert [(d["validFrom"], d.get("validTo")) for d in json1["dataSets"]] == [
        ("2017-09-19T00:00:00Z", "2022-02-28T23:59:59Z"),
        ("2022-03-01T00:00:00Z", None),
    ]
    json2 = json.loads(client.get(base + "&format=sdmx-json-2.0").content)
    jsonschema.Draft7Validator(sdmx_json_2_schema).validate(json2)
    datasets = json2["data"]["dataSets"]
    assert json2["data"]["structures"][0]["dataSets"] == [0, 1]
    assert [(d["validFrom"], d.get("validTo")) for d in datasets] == [
        ("2017-09-19T00:00:00Z", "2022-02-28T23:59:59Z"),
        ("2022-03-01T00:00:00Z", None),
    ]
    values = [
        obs[0] for d in datasets for s in d["series"].values() for obs in s["observations"].values()
    ]
    assert values == ["151.6", "150.0"]

    # As known on a day: the revision is not published yet, so the 2017 vintage is current.
    then = client.get(base + "&asOf=2020-01-01")
    assert _xml_vintages(then.content, ss=False) == [("ilo-cl-ge-2017", older[1], None, older[3])]
    # Without includeHistory: the newest vintage only, in one data set without validity.
    plain = client.get(f"/sdmx/data/GE-CL/{WORLD_CL}?startPeriod=2016&endPeriod=2016")
    assert _xml_vintages(plain.content, ss=False) == [(None, None, None, {"2016": 150.0})]


def test_include_history_on_the_bundled_rounds(client, bundled_data, sdmx_ml_schema):
    """On the bundled global estimates alone (no point republished), the history of the world
    series is one data set per round: 2016 = 151.6 from the 2017 round (2017-09-19), 2020 =
    160 from the 2021 round (2021-06-10), 2024 = 138 from the 2025 round (2025-06-11), each
    still current; lastNObservations=1 keeps the last period's vintages."""
    response = client.get(f"/sdmx/data/GE-CL/{WORLD_CL}?includeHistory=true")
    sdmx_ml_schema.validate(response.content.decode())
    sets = {
        s: (start, end, values)
        for s, start, end, values in _xml_vintages(response.content, ss=False)
    }
    assert sets["ilo-cl-ge-2017"][:2] == ("2017-09-19T00:00:00", None)
    assert sets["ilo-cl-ge-2017"][2]["2016"] == 151.6
    assert sets["ilo-unicef-cl-ge-2021"] == ("2021-06-10T00:00:00", None, {"2020": 160.0})
    assert sets["ilo-unicef-cl-ge-2025"] == ("2025-06-11T00:00:00", None, {"2024": 138.0})
    last = client.get(f"/sdmx/data/GE-CL/{WORLD_CL}?includeHistory=true&lastNObservations=1")
    assert [v[0] for v in _xml_vintages(last.content, ss=False)] == ["ilo-unicef-cl-ge-2025"]
    false = client.get(f"/sdmx/data/GE-CL/{WORLD_CL}?includeHistory=false")
    assert len(_xml_vintages(false.content, ss=False)) == 1
