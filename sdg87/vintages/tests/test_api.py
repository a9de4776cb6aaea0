"""/api/v1/observations with as_of, include_history and updated_after, and
/api/v1/series/{code}/compare, over the bundled global estimates (World, total, 5-17, child
labour in millions, hand-checked in data/global_estimates/: 2016 = 151.6 in ILO (2017),
2020 = 160 in ILO-UNICEF (2021), 2024 = 138 in ILO-UNICEF (2025))."""

from __future__ import annotations

import csv
import datetime
import io

import pytest
from django.test import Client

from sdg87.indicators.models import Observation, Release
from sdg87.indicators.services import observations_mark_latest

pytestmark = pytest.mark.django_db

WORLD_CL = "/api/v1/observations?series=ILO_CL_NUM&geo=001&sex=_T&age=Y5T17"


def _by_year(client: Client, query: str) -> dict[int, tuple[float, str]]:
    response = client.get(WORLD_CL + query)
    assert response.status_code == 200, response.content
    rows = [r for r in response.json()["results"] if not r["dimensions"]]
    return {r["year"]: (r["value"], r["release"]["code"]) for r in rows}


def test_as_of_2020_answers_with_the_2017_round(client, bundled_data):
    """Done-when of issue 14: as_of=2020-01-01 gives the 2017 round's figures; without it the
    newest values, 2024 = 138 from the 2025 round."""
    then = _by_year(client, "&as_of=2020-01-01")
    assert then[2016] == (151.6, "ilo-cl-ge-2017")
    assert max(then) == 2016
    now = _by_year(client, "")
    assert now[2024] == (138, "ilo-unicef-cl-ge-2025")
    assert now[2020] == (160, "ilo-unicef-cl-ge-2021")


def test_as_of_csv(client, bundled_data):
    """format=csv streams the same rows as of the date."""
    response = client.get(WORLD_CL + "&as_of=2020-01-01&format=csv")
    assert response.status_code == 200
    text = b"".join(response.streaming_content).decode()
    years = {row["year"] for row in csv.DictReader(io.StringIO(text))}
    assert "2016" in years and "2020" not in years and "2024" not in years


def test_include_history_dates_each_vintage(client, bundled_data):
    """include_history returns each vintage with valid_from (its release's date) and
    valid_to (null while current); without it both are null."""
    response = client.get(WORLD_CL + "&include_history=true&year_from=2016&year_to=2016")
    (row,) = [r for r in response.json()["results"] if not r["dimensions"]]
    assert row["value"] == 151.6
    assert row["valid_from"] == "2017-09-19"
    assert row["valid_to"] is None
    default = client.get(WORLD_CL + "&year_from=2016&year_to=2016").json()["results"]
    assert {(r["valid_from"], r["valid_to"]) for r in default} == {(None, None)}


def test_updated_after(client, bundled_data):
    """updated_after keeps values whose release came later: after 2021-06-10, only 2024."""
    assert set(_by_year(client, "&updated_after=2021-06-10")) == {2024}
    assert set(_by_year(client, "&updated_after=2021-06-09T23:00:00Z")) >= {2020, 2024}


@pytest.mark.parametrize(
    ("query", "code"),
    [
        ("&as_of=2020-13-01", "validation_error"),
        ("&updated_after=yesterday", "invalid_date"),
        ("&as_of=2020-01-01&release=ilo-cl-ge-2017", "conflicting_parameters"),
        ("&as_of=2020-01-01&include_history=true", "conflicting_parameters"),
        ("&as_of=2020-01-01&latest=true", "conflicting_parameters"),
        ("&include_history=true&latest=true", "conflicting_parameters"),
    ],
)
def test_bad_vintage_parameters(client, bundled_data, query, code):
    """Bad dates and conflicting parameters are clear errors."""
    response = client.get(WORLD_CL + query)
    assert response.status_code in (400, 422)
    if code != "validation_error":
        assert response.json()["error"]["code"] == code


def _embargoed_revision() -> Release:
    template = Release.objects.get(code="ilo-cl-ge-2017")
    hidden = Release.objects.create(
        source=template.source,
        code="embargoed-2018",
        title="Embargoed",
        year=2018,
        released_on=datetime.date(2018, 1, 1),
        citation="x",
        provenance="test",
        is_public=False,
    )
    original = Observation.objects.get(
        series__code="ILO_CL_NUM",
        geography__code="001",
        year=2016,
        sex="_T",
        age="Y5T17",
        dimensions_key="",
        release=template,
    )
    Observation.all_objects.create(
        series=original.series,
        geography=original.geography,
        release=hidden,
        year=2016,
        sex="_T",
        age="Y5T17",
        value=999.0,
        unit=original.unit,
    )
    observations_mark_latest(series_ids=[original.series_id])
    return hidden


def test_embargoed_release_never_shows(client, bundled_data):
    """A hidden release is in no answer: as_of, history, updated_after, compare."""
    _embargoed_revision()
    for query in ("&as_of=2020-01-01", "&include_history=true", "&updated_after=2017-12-31"):
        response = client.get(WORLD_CL + query)
        assert "embargoed-2018" not in response.content.decode()
        assert 999.0 not in [r["value"] for r in response.json()["results"]]
    response = client.get("/api/v1/series/ILO_CL_NUM/compare?from=ilo-cl-ge-2017&to=embargoed-2018")
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "unknown_release"


def test_compare_two_rounds(client, bundled_data):
    """ILO (2017) against ILO-UNICEF (2021): the 2020 World figure (160) is added, the 2016
    World figure (151.6) is not republished (dropped); no point is in both, so none revised."""
    response = client.get(
        "/api/v1/series/ILO_CL_NUM/compare?from=ilo-cl-ge-2017&to=ilo-unicef-cl-ge-2021"
    )
    assert response.status_code == 200
    body = response.json()
    assert body["from"]["code"] == "ilo-cl-ge-2017"
    assert body["from"]["published_on"] == "2017-09-19"
    assert body["to"]["published_on"] == "2021-06-10"
    world = {
        (c["change"], c["year"]): c
        for c in body["changes"]
        if c["geography_code"] == "001"
        and c["sex"] == "_T"
        and c["age"] == "Y5T17"
        and not c["dimensions"]
    }
    assert world[("added", 2020)]["to_value"] == 160
    assert world[("dropped", 2016)]["from_value"] == 151.6
    assert body["counts"]["revised"] == 0
    assert body["counts"]["added"] == len([c for c in body["changes"] if c["change"] == "added"])


def test_compare_csv(client, bundled_data):
    """format=csv downloads the changes, one row each, named after both releases."""
    url = "/api/v1/series/ILO_CL_NUM/compare?from=ilo-cl-ge-2017&to=ilo-unicef-cl-ge-2021"
    response = client.get(url + "&format=csv")
    assert response.status_code == 200
    assert (
        "ILO_CL_NUM_ilo-cl-ge-2017_vs_ilo-unicef-cl-ge-2021.csv"
        in (response["Content-Disposition"])
    )
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert len(rows) == len(client.get(url).json()["changes"])
    assert {"change", "from_value", "to_value", "absolute_change"} <= set(rows[0])


@pytest.mark.parametrize(
    ("query", "status", "code"),
    [
        ("/NOPE/compare?from=a&to=b", 404, "not_found"),
        ("/ILO_CL_NUM/compare?from=nope&to=ilo-cl-ge-2017", 400, "unknown_release"),
        ("/ILO_CL_NUM/compare?from=ilo-cl-ge-2017&to=ilo-cl-ge-2017", 400, "same_release"),
        ("/ILO_CL_NUM/compare?from=ilo-cl-ge-2017&to=gsi-2023", 400, "unknown_release"),
    ],
)
def test_compare_errors(client, bundled_data, query, status, code):
    """Unknown series, unknown release, a release not holding the series, the same twice."""
    response = client.get("/api/v1/series" + query)
    assert response.status_code == status
    assert response.json()["error"]["code"] == code
