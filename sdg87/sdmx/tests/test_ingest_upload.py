"""SDMX in, end to end (issue 14 item 4): the platform's own SDMX output reads back as the
observations it was written from; a contributor's SDMX upload goes through the tidy-CSV path
(sniffed, validated, reviewed, imported whole into a new release, the old release untouched);
every hostile or malformed file is refused with a clear error and leaves nothing behind."""

# ruff: noqa: F811 (the catalog's fixtures, imported below, are the tests' arguments)

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from sdg87.catalog.models import Distribution
from sdg87.catalog.services import datasets, distributions, review
from sdg87.catalog.tests.conftest import (  # noqa: F401 (fixtures)
    _media_root,
    org,
    other_org,
    upload,
    users,
)
from sdg87.core.ingest import Problems
from sdg87.indicators.models import Observation, Release
from sdg87.sdmx import ingest, mapping
from sdg87.sdmx.tests.test_ingest import LAUGHS, XXE

pytestmark = [pytest.mark.usefixtures("bundled_data"), pytest.mark.django_db]

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "ingest"
EXPORTS = [
    ("format=genericdata", "SDMX-ML"),
    ("format=genericdata&dimensionAtObservation=AllDimensions", "SDMX-ML"),
    ("format=structurespecificdata", "SDMX-ML"),
    ("format=csv&labels=both&timeFormat=normalized", "SDMX-CSV"),
    ("format=sdmx-csv-2.0", "SDMX-CSV"),
    ("format=jsondata", "SDMX-JSON"),
    ("format=sdmx-json-2.0&dimensionAtObservation=AllDimensions", "SDMX-JSON"),
]


# 8.7.1 for twelve countries of South Asia and East Africa (a key keeps the test quick)
SDG_AREAS = ("524", "50", "356", "586", "144", "4", "64", "462", "404", "800", "834", "231")
KEYS = {"SDG_8_7_1": "A.G.." + "+".join(SDG_AREAS) + "...........", "GE-CL": "all"}


def _stored(flow: str) -> set[tuple[Any, ...]]:
    """The flow's observations as served (newest public value; M49 places only in SDG flows)."""
    sdg = flow.startswith("SDG_")
    qs = Observation.objects.filter(is_latest=True).select_related("series", "geography")
    qs = qs.filter(series__indicator__code="8.7.1" if sdg else "GE-CL")
    if sdg:
        qs = qs.filter(geography__m49__in=[a.zfill(3) for a in SDG_AREAS])
    out = set()
    for o in qs:
        area = mapping.area_code(m49=o.geography.m49, code=o.geography.code)
        unit = "PERCENT" if sdg and mapping.sdg_unit(o.unit) == "PT" else o.unit
        out.add(
            (
                o.series.code,
                area,
                o.year,
                o.sex,
                o.age,
                o.value,
                unit,
                o.nature,
                o.note,
                tuple(sorted(o.dimensions.items())),
            )
        )
    return out


@pytest.mark.parametrize("flow", ["SDG_8_7_1", "GE-CL"])
def test_our_own_sdmx_output_reads_back_as_the_same_observations(flow: str, tmp_path: Path) -> None:
    """Export -> import: 8.7.1 (IAEG-SDGs DSD: M49 areas, PT) and the child labour global
    estimates (the platform's DSD: regions without M49, BREAKDOWN sector/area, millions with
    UNIT_MULT 6), fetched from the SDMX service in all seven format variants, read back to
    exactly the stored observations: series, area, year, sex, age, value, unit, nature, note
    and dimensions."""
    client = Client()
    expected = _stored(flow)
    assert len(expected) > 40
    for query, fmt in EXPORTS:
        response = client.get(f"/sdmx/data/{flow}/{KEYS[flow]}?{query}")
        assert response.status_code == 200, (query, response.content[:300])
        path = tmp_path / "export"
        path.write_bytes(response.content)
        head = response.content[:65536]
        assert ingest.sniff(head, head.decode().lstrip("\ufeff \r\n")) == fmt
        problems = Problems(limit=5)
        parsed = ingest.read(path, fmt, default_series="X", problems=problems)
        assert not problems, (query, problems.kept)
        got = {
            (
                r.series,
                r.geo,
                r.year,
                r.sex,
                r.age,
                r.value,
                r.unit,
                r.nature,
                r.note,
                tuple(sorted(r.dimensions.items())),
            )
            for r in parsed.rows
        }
        assert got == expected, (query, sorted(got ^ expected)[:4])


# --- a contributor's upload --------------------------------------------------------------------

# The 2018 UN SDG extract's values for Nepal 2014 (data/timeseries/
# unsd_sdg_8_7_1_all_extracts_2018_2023.csv: "earlier extracts had value 19/19.0", ...), the
# contributor's earlier file; the SDMX-CSV then brings the December 2023 extract's values.
EARLIER = (
    b"series,geo,year,value,unit,sex,age,nature\n"
    b"SL_TLF_CHLDEA,NPL,2014,19.0,PERCENT,_T,Y5T17,CA\n"
    b"SL_TLF_CHLDEA,NPL,2014,19.25039,PERCENT,F,Y5T17,CA\n"
    b"SL_TLF_CHLDEA,NPL,2014,19.15775,PERCENT,M,Y5T17,CA\n"
)


def _counts() -> tuple[int, int, int]:
    return (
        Observation.all_objects.count(),
        Release.objects.count(),
        Distribution.objects.count(),
    )


def _values(release: Release) -> list[float]:
    """A release's values, public or not (a superseded vintage is hidden, never changed)."""
    return sorted(Observation.all_objects.filter(release=release).values_list("value", flat=True))


def _publish(users: dict[str, Any], ds: Any, callbacks: Any) -> None:
    review.dataset_submit(actor=users["contributor"], dataset=ds)
    review.dataset_approve(actor=users["editor"], dataset=ds)
    with callbacks(execute=True):
        review.dataset_publish(actor=users["editor"], dataset=ds)


def test_sdmx_csv_upload_lands_as_a_new_release(
    users: dict[str, Any], org: Any, upload: Any, django_capture_on_commit_callbacks: Any
) -> None:
    """A contributor's dataset holds a tidy CSV (the 2018 extract's Nepal figures), published.
    They upload the December 2023 extract as SDMX-CSV (named .csv, sniffed as SDMX-CSV by its
    content) over it: validated with a preview of its six observations, reviewed, published;
    the import makes a new release whose values the API serves (19.03, not 19.0), while the
    earlier release keeps its three observations and values unchanged."""
    ds = datasets.dataset_create(actor=users["contributor"], publisher=org, title="Nepal 871")
    first = upload(
        actor=users["contributor"],
        dataset=ds,
        file=SimpleUploadedFile("nepal.csv", EARLIER),
        map_to_observations=True,
    )
    assert first.is_valid, first.validation_report
    _publish(users, ds, django_capture_on_commit_callbacks)
    first.refresh_from_db()
    old_release = first.observations_release
    assert old_release is not None
    old_values = _values(old_release)
    assert old_values == [19.0, 19.15775, 19.25039]

    sdmx_csv = (FIXTURES / "nepal_871_sdmx_csv_1.csv").read_bytes()
    second = upload(
        actor=users["contributor"],
        dataset=ds,
        file=SimpleUploadedFile("un-sdg-extract.csv", sdmx_csv),
        replace=first,
        map_to_observations=True,
    )
    assert second.format == "SDMX-CSV"
    assert second.is_valid, second.validation_report
    assert second.row_count == 6
    assert second.preview["header"][:3] == ["key", "series", "geo"]
    assert second.preview["rows"][0][:5] == [
        "SL_TLF_CHLDEA/524/2014/_T/Y5T17",
        "SL_TLF_CHLDEA",
        "524",
        "2014",
        "19.03",
    ]
    ds.refresh_from_db()
    _publish(users, ds, django_capture_on_commit_callbacks)
    second.refresh_from_db()
    new_release = second.observations_release
    assert new_release is not None and new_release.pk != old_release.pk
    assert new_release.is_public
    assert new_release.code == f"upload-{second.pk}"
    assert len(_values(new_release)) == 6
    # the earlier release: same observations, same values (a vintage, no longer shown)
    assert _values(old_release) == old_values
    response = Client().get(
        "/api/v1/observations",
        {"series": f"ORG{org.pk}__SL_TLF_CHLDEA", "country": "NPL", "sex": "_T"},
    )
    assert response.status_code == 200
    assert [r["value"] for r in response.json()["results"]] == [19.03]


def test_every_format_is_accepted_by_the_upload(
    users: dict[str, Any], org: Any, upload: Any
) -> None:
    """SDMX-ML (generic, structure-specific), SDMX-CSV 2.0, SDMX-JSON 1.0 and 2.0 are each
    sniffed to their format and validate with their six observations."""
    ds = datasets.dataset_create(actor=users["contributor"], publisher=org, title="Formats")
    for name, fmt in [
        ("nepal_871_generic.xml", "SDMX-ML"),
        ("nepal_871_structurespecific.xml", "SDMX-ML"),
        ("nepal_871_sdmx_csv_2.csv", "SDMX-CSV"),
        ("nepal_871_sdmx_json_1.json", "SDMX-JSON"),
        ("nepal_871_sdmx_json_2.json", "SDMX-JSON"),
    ]:
        dist = upload(
            actor=users["contributor"],
            dataset=ds,
            file=SimpleUploadedFile(name, (FIXTURES / name).read_bytes()),
            map_to_observations=True,
        )
        assert (dist.format, dist.is_valid, dist.row_count) == (fmt, True, 6), name
        assert str(dist.file.name).endswith(Path(name).suffix)


# --- hostile and malformed uploads ----------------------------------------------------------


def _generic(replace: tuple[str, str] | None = None, cut: bool = False) -> bytes:
    text = (FIXTURES / "nepal_871_generic.xml").read_text()
    if replace:
        text = text.replace(*replace)
    if cut:
        text = text[: len(text) // 2]
    return text.encode()


REFUSED = [
    ("xxe.xml", XXE, "DOCTYPE"),
    ("laughs.xml", LAUGHS, "DOCTYPE"),
    ("cut.xml", _generic(cut=True), "not well-formed"),
    ("bad.json", b'{"dataSets": [{"series": {}}], "structure": []}', "structure"),
    ("bad.json", b'{"header": {}, "dataSets": 3, "structure": {}}', "dataSets should be"),
    ("named.json", (FIXTURES / "nepal_871_sdmx_csv_1.csv").read_bytes(), "says JSON"),
]


@pytest.mark.parametrize(("name", "content", "message"), REFUSED)
def test_hostile_uploads_are_refused_and_leave_nothing(
    users: dict[str, Any], org: Any, name: str, content: bytes, message: str
) -> None:
    """External entities, billion laughs, truncated XML, SDMX-JSON of the wrong shape and a
    name contradicting the content are refused at upload: nothing is stored (no file, no
    distribution, no release, no observation)."""
    ds = datasets.dataset_create(actor=users["contributor"], publisher=org, title="Hostile")
    before = _counts()
    with pytest.raises(distributions.UploadRejected, match=message):
        distributions.distribution_upload(
            actor=users["contributor"],
            dataset=ds,
            file=SimpleUploadedFile(name, content),
            map_to_observations=True,
        )
    assert _counts() == before


def test_a_200_mb_upload_is_refused_by_size_without_reading_it(
    users: dict[str, Any], org: Any, tmp_path: Path
) -> None:
    """A 200 MB file (sparse, written in no time) is refused from its declared size before a
    byte is read or stored."""
    ds = datasets.dataset_create(actor=users["contributor"], publisher=org, title="Huge")
    path = tmp_path / "huge.xml"
    with path.open("wb") as handle:
        handle.write(_generic()[:200])
        handle.truncate(200 * 1024 * 1024)
    before = _counts()
    with path.open("rb") as handle, pytest.raises(distributions.UploadRejected, match="200 MB"):
        distributions.distribution_upload(
            actor=users["contributor"], dataset=ds, file=File(handle, name="huge.xml")
        )
    assert _counts() == before


@pytest.mark.parametrize(
    ("change", "column", "message"),
    [
        (
            ('value="524"', 'value="999"'),
            "geography",
            "SL_TLF_CHLDEA/999/2014/_T/Y5T17: unknown geography '999'",
        ),
        (
            ('value="SL_TLF_CHLDEA"', 'value="BAD CODE!"'),
            "series",
            "BAD CODE!/524/2014/_T/Y5T17: series code 'BAD CODE!' may hold only",
        ),
        (
            ('value="19.03"', 'value="Inf"'),
            "OBS_VALUE",
            "SL_TLF_CHLDEA/524/2014/_T/Y5T17: value 'Inf' is not a finite number",
        ),
        (
            ('value="F"', 'value="_T"'),
            None,
            "SL_TLF_CHLDEA/524/2014/_T/Y5T17: duplicate observation (also at line",
        ),
        (
            ('value="Y5T17"', 'value="Y99"'),
            "age",
            "SL_TLF_CHLDEA/524/2014/_T/Y99: unknown age code 'Y99'",
        ),
    ],
)
def test_wrong_codes_are_named_by_key_and_nothing_is_imported(
    users: dict[str, Any],
    org: Any,
    upload: Any,
    django_capture_on_commit_callbacks: Any,
    change: tuple[str, str],
    column: str | None,
    message: str,
) -> None:
    """An unknown REF_AREA, a series code that cannot be one, a non-finite value, a duplicate
    key and an unknown age make the file invalid, each problem named by the observation's key
    (and its line); such a file cannot be submitted, so nothing is imported."""
    ds = datasets.dataset_create(actor=users["contributor"], publisher=org, title="Wrong codes")
    before = _counts()[:2]
    dist = upload(
        actor=users["contributor"],
        dataset=ds,
        file=SimpleUploadedFile("x.xml", _generic(change)),
        map_to_observations=True,
    )
    assert dist.is_valid is False
    errors = dist.validation_report["errors"]
    hits = [e for e in errors if e["message"].startswith(message)]
    assert hits, errors
    assert hits[0]["column"] == column and isinstance(hits[0]["row"], int)
    with pytest.raises(ValidationError, match="Fix the validation errors first"):
        review.dataset_submit(actor=users["contributor"], dataset=ds)
    assert _counts()[:2] == before


def test_upload_page_takes_sdmx_ml(users: dict[str, Any], org: Any) -> None:
    """The contributor's upload form accepts an SDMX-ML file and says SDMX is welcome."""
    ds = datasets.dataset_create(actor=users["contributor"], publisher=org, title="Form")
    client = Client()
    client.force_login(users["contributor"])
    url = reverse("catalog:distribution_upload", kwargs={"slug": ds.slug})
    page = client.get(url)
    assert page.status_code == 200, url
    assert "SDMX" in page.content.decode()
    with (FIXTURES / "nepal_871_generic.xml").open("rb") as handle:
        response = client.post(url, {"file": handle, "map_to_observations": "on"})
    assert response.status_code == 302
    dist = ds.distributions.get()
    assert dist.format == "SDMX-ML" and dist.media_type == "application/xml"


# --- ILOSTAT's own codes (ingest.ilostat) -----------------------------------------------------

# Zambia 2019 and 2020, children in employment aged 5-17, attendance total, thousands: the
# bundled ILOSTAT file's values (data/timeseries/ilostat_children_in_employment_5_17_thousands.csv,
# lines 6898-6978; fixtures/ingest/README.md)
ZAMBIA = {
    (2019, "_T"): 740.611,
    (2019, "F"): 344.842,
    (2019, "M"): 395.769,
    (2020, "_T"): 621.501,
    (2020, "F"): 286.15,
    (2020, "M"): 335.351,
}


def _by_key(release: Release) -> dict[tuple[int, str], float]:
    rows = Observation.all_objects.filter(release=release).values_list("year", "sex", "value")
    return {(year, sex): value for year, sex, value in rows}


@pytest.mark.parametrize(
    "name", ["zambia_ilostat_cie_sdmx_csv_1.csv", "zambia_ilostat_cie_structurespecific.xml"]
)
def test_ilostat_coded_upload_through_the_web_form_lands_as_a_new_release(
    users: dict[str, Any], org: Any, django_capture_on_commit_callbacks: Any, name: str
) -> None:
    """A contributor uploads ILOSTAT's SDMX (dataflow DF_CLD_XSNA_SEX_AGE_STU_NB, SEX_T/F/M,
    AGE_CLDVERSION_Y05-17, STU_EDU_TOTAL) through the upload form, submits it; an editor
    approves and publishes it through the dataset's action buttons. The import makes a new
    release holding exactly the six values of the bundled ILOSTAT file, on the organisation's
    series CLD_XSNA_SEX_AGE_STU_NB, ages 5-17, in thousands, with no attendance dimension;
    the API serves them."""
    ds = datasets.dataset_create(actor=users["contributor"], publisher=org, title="Zambia CIE")
    contributor, editor = Client(), Client()
    contributor.force_login(users["contributor"])
    editor.force_login(users["editor"])
    before = Release.objects.count()
    url = reverse("catalog:distribution_upload", kwargs={"slug": ds.slug})
    with (
        django_capture_on_commit_callbacks(execute=True),
        (FIXTURES / name).open("rb") as handle,
    ):
        response = contributor.post(url, {"file": handle, "map_to_observations": "on"})
    assert response.status_code == 302
    dist = ds.distributions.get()
    assert dist.format in ("SDMX-CSV", "SDMX-ML")
    assert dist.is_valid, dist.validation_report
    assert dist.row_count == 6

    def act(client: Client, action: str) -> None:
        with django_capture_on_commit_callbacks(execute=True):
            answer = client.post(
                reverse("catalog:dataset_action", kwargs={"slug": ds.slug, "action": action})
            )
        assert answer.status_code == 302, action

    act(contributor, "submit")
    act(editor, "approve")
    act(editor, "publish")
    dist.refresh_from_db()
    release = dist.observations_release
    assert release is not None and release.is_public
    assert Release.objects.count() == before + 1
    assert _by_key(release) == ZAMBIA
    stored = Observation.all_objects.filter(release=release).select_related("series")
    assert {(o.series.code, o.age, o.unit, o.geography.code) for o in stored} == {
        (f"ORG{org.pk}__CLD_XSNA_SEX_AGE_STU_NB", "Y5T17", "THOUSANDS", "ZMB")
    }
    assert all(o.dimensions == {} for o in stored)
    answer = Client().get(
        "/api/v1/observations",
        {"series": f"ORG{org.pk}__CLD_XSNA_SEX_AGE_STU_NB", "country": "ZMB", "sex": "F"},
    )
    assert answer.status_code == 200
    assert sorted(r["value"] for r in answer.json()["results"]) == [286.15, 344.842]


def test_an_ilostat_upload_with_an_unmapped_code_names_it_and_imports_nothing(
    users: dict[str, Any], org: Any, upload: Any
) -> None:
    """An ILOSTAT upload with the 5-11 age band (a real ILOSTAT code the platform does not
    load for this series) is invalid: the error names the observation's key, its line and
    the code; the file cannot be submitted and nothing is imported."""
    ds = datasets.dataset_create(actor=users["contributor"], publisher=org, title="ILO wrong")
    text = (FIXTURES / "zambia_ilostat_cie_sdmx_csv_1.csv").read_text()
    bad = text.replace("SEX_M,AGE_CLDVERSION_Y05-17", "SEX_M,AGE_CLDVERSION_Y05-11", 1)
    before = _counts()[:2]
    dist = upload(
        actor=users["contributor"],
        dataset=ds,
        file=SimpleUploadedFile("ilo.csv", bad.encode()),
        map_to_observations=True,
    )
    assert dist.is_valid is False
    errors = dist.validation_report["errors"]
    assert [(e["row"], e["column"]) for e in errors] == [(4, "AGE")], errors
    assert errors[0]["message"].startswith(
        "CLD_XSNA_SEX_AGE_STU_NB/ZMB/2019/SEX_M/AGE_CLDVERSION_Y05-11: ILOSTAT AGE code "
        "'AGE_CLDVERSION_Y05-11' is not mapped"
    )
    with pytest.raises(ValidationError, match="Fix the validation errors first"):
        review.dataset_submit(actor=users["contributor"], dataset=ds)
    assert _counts()[:2] == before
