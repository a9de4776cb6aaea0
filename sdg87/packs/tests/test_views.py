"""The pack page, its PDF, data package and JSON-LD, and the API, through the client."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import pytest
from django.test import Client
from frictionless import Package, validate
from pypdf import PdfReader

from sdg87.assessments.models import TierPlacement

pytestmark = pytest.mark.django_db
PAGE = "/{lang}/supply-chains/packs/cocoa/CIV/"


def test_page_in_three_languages(client: Client, bundled_data: None) -> None:
    """The page shows the good, the country, the version, every section and source links."""
    for lang, country in (("en", "Côte d&#x27;Ivoire"), ("fr", "Côte d"), ("es", "Côte d")):
        response = client.get(PAGE.format(lang=lang))
        assert response.status_code == 200
        html = response.content.decode()
        assert "Cocoa" in html and country in html
        assert "https://www.dol.gov/agencies/ilab/reports/child-labor/list-of-goods" in html
        assert "https://eur-lex.europa.eu/eli/reg/2024/3015/oj" in html
        assert "<script" not in html.split("<main", 1)[1].split("</main>", 1)[0]
    html = client.get(PAGE.format(lang="en")).content.decode()
    for heading in (
        "Listing history",
        "Child labour (SDG 8.7.1), by sex and age",
        "US Trafficking in Persons report tiers",
        "Ratifications",
        "Enforcement",
        "Actions DOL suggests to the government",
        "What works",
        "Self-assessment",
        "How to cite",
    ):
        assert heading in html
    assert "17.5" in html and "First listed" in html
    assert "This is the first version of the pack." in html


def test_404s(client: Client, bundled_data: None) -> None:
    """Unknown good, unknown country, a good never listed for the country, a version that
    does not exist or is not a number: 404, on the page and the downloads."""
    for path in (
        "/en/supply-chains/packs/no-such-good/CIV/",
        "/en/supply-chains/packs/cocoa/XXX/",
        "/en/supply-chains/packs/cocoa/NOR/",
        "/en/supply-chains/packs/cocoa/CIV/?version=9",
        "/en/supply-chains/packs/cocoa/CIV/?version=abc",
        "/en/supply-chains/packs/cocoa/CIV/?version=-1",
        "/en/supply-chains/packs/cocoa/NOR/pack.pdf",
        "/en/supply-chains/packs/cocoa/NOR/datapackage.zip",
        "/en/supply-chains/packs/cocoa/NOR/pack.jsonld",
    ):
        assert client.get(path).status_code == 404, path


def test_older_version_and_diff_on_the_page(client: Client, bundled_data: None) -> None:
    """After a data change the page shows version 2 with the change; ?version=1 still shows
    version 1 as it was."""
    client.get(PAGE.format(lang="en"))
    TierPlacement.objects.filter(country__iso3="CIV", year=2015).update(tier="3")
    html = client.get(PAGE.format(lang="en")).content.decode()
    assert "Version 2, as of" in html and "Compared with version 1." in html
    assert "<td>2015</td><td>changed</td><td>2</td><td>3</td>" in html
    old = client.get(PAGE.format(lang="en") + "?version=1").content.decode()
    assert "Version 1, as of" in old and "<td>Tier 2</td>" in old


def test_pdf_opens_and_names_good_and_country(client: Client, bundled_data: None) -> None:
    """A PDF that pypdf reads, with the good, the country, a source address and the grid."""
    response = client.get(PAGE.format(lang="fr") + "pack.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert "attachment" in response["Content-Disposition"]
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(response.content)).pages)
    assert "Cocoa" in text and "Côte d" in text and "Ivoire" in text
    assert "dol.gov" in text and "2024/3015" in text


def test_datapackage_passes_frictionless(
    client: Client, bundled_data: None, tmp_path: Path
) -> None:
    """The zip's datapackage.json and CSVs validate with frictionless, and the listings CSV has
    the five editions."""
    response = client.get(PAGE.format(lang="en") + "datapackage.zip")
    assert response.status_code == 200 and response["Content-Type"] == "application/zip"
    with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
        archive.extractall(tmp_path)
    report = validate(str(tmp_path / "datapackage.json"))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])
    package = Package(str(tmp_path / "datapackage.json"))
    listings = package.get_table_resource("listings").read_rows()
    assert [row["edition"] for row in listings] == [2016, 2017, 2018, 2019, 2021]
    assert all(row["forced_child_labour"] is True for row in listings)
    assert package.version == "1"


def test_jsonld_is_a_schema_org_dataset(client: Client, bundled_data: None) -> None:
    """JSON with @context, version, dateModified, a citation and the sources as isBasedOn."""
    response = client.get(PAGE.format(lang="en") + "pack.jsonld")
    assert response.status_code == 200
    data = json.loads(response.content)
    assert data["@context"] == "https://schema.org" and data["@type"] == "Dataset"
    assert data["version"] == "1" and data["dateModified"]
    assert "version 1 of" in data["citation"]
    assert any("dol.gov" in s["url"] for s in data["isBasedOn"])


def test_api_pack_and_versions(client: Client, bundled_data: None) -> None:
    """The API gives the newest version with its content and citation; ?version=N an older
    one; 404s in the API's error shape; a bad version number is a 422."""
    first = client.get("/api/v1/packs/cocoa/CIV").json()
    assert first["version"] == 1 and first["good"] == "Cocoa" and first["iso3"] == "CIV"
    assert first["content"]["listings"][0]["edition"] == 2016
    assert first["links"]["page"].endswith("/en/supply-chains/packs/cocoa/CIV/?version=1")
    assert "version 1 of" in first["citation"]
    TierPlacement.objects.filter(country__iso3="CIV", year=2015).update(tier="3")
    assert client.get("/api/v1/packs/cocoa/civ").json()["version"] == 2
    old = client.get("/api/v1/packs/cocoa/CIV?version=1").json()
    assert old["content_hash"] == first["content_hash"]
    for path, code in (
        ("/api/v1/packs/nothing/CIV", "unknown_good"),
        ("/api/v1/packs/cocoa/XXX", "unknown_country"),
        ("/api/v1/packs/cocoa/NOR", "not_listed"),
        ("/api/v1/packs/cocoa/CIV?version=7", "unknown_version"),
    ):
        response = client.get(path)
        assert response.status_code == 404 and response.json()["error"]["code"] == code, path
    assert client.get("/api/v1/packs/cocoa/CIV?version=0").status_code == 422
