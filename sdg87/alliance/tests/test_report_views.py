"""The annual report pages on the real bundled data: Uganda's focal point starts and fills in
the report in EN/FR/ES, submits it, the secretariat publishes it from its queue; the public
page and the PDF exist only once it is published (404 before), and both carry the action
texts and the 8.7.1 figure as filed (13.2 % of children aged 5-17, 2017). The PDF's text is
read back with pypdf."""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client
from pypdf import PdfReader

from sdg87.alliance import visibility
from sdg87.alliance.models import AnnualReport, ReviewStatus
from sdg87.alliance.report_forms import entry_field_name
from sdg87.alliance.services import reports
from sdg87.alliance.services.reports import ENTRY_FIELDS
from sdg87.alliance.tests.contrib_fixtures import *  # noqa: F403
from sdg87.geo.models import Geography

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("bundled_data")]

YEAR = 2024
ACCENTED = "Réduction du travail des enfants à Kampala; niños y niñas, año, façon, œuvre."


@pytest.fixture(autouse=True)
def _fresh_pages() -> Iterator[None]:
    cache.clear()
    yield
    cache.clear()


@pytest.fixture  # type: ignore[no-redef]
def uga(bundled_data: None) -> Geography:
    return Geography.objects.get(iso3="UGA")


@pytest.fixture  # type: ignore[no-redef]
def ken(bundled_data: None) -> Geography:
    return Geography.objects.get(iso3="KEN")


def _as(people: dict[str, Any], role: str) -> Client:
    client = Client()
    if role != "anonymous":
        client.force_login(people[role])
    return client


def _squash(text: str) -> str:
    """Text without white space: lines wrapped in the PDF compare equal to the page's."""
    return re.sub(r"\s+", "", text)


def _pdf_text(content: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def _published(people: dict[str, Any], uga: Geography, summary: str = ACCENTED) -> AnnualReport:
    report = reports.report_start(actor=people["focal_point"], country=uga, year=YEAR)
    entry = report.entries.order_by("pk").first()
    assert entry is not None
    reports.report_update(
        actor=people["focal_point"],
        report=report,
        summary=summary,
        entries={
            entry.pk: {
                "completion": "substantial",
                "evidence": "Inspectorate report 2024: 140 of 200 officers trained.",
                "evidence_url": "https://example.org/inspectorate-2024",
                "barriers": "Staff turnover in districts",
                "next_steps": "Train the remaining 60 officers",
            }
        },
    )
    reports.report_submit(actor=people["focal_point"], report=report)
    return reports.report_publish(actor=people["secretariat"], report=report)


@pytest.mark.parametrize("lang", ["en", "fr", "es"])
def test_the_form_in_each_language(people: Any, uga: Geography, lang: str) -> None:
    """The focal point starts the year's report from the list page, and gets the form
    structured like the roadmap: one fieldset per public action with completion, evidence,
    link, barriers and next steps, grouped by priority area."""
    fp = _as(people, "focal_point")
    listing = fp.get(f"/{lang}/pathfinders/UGA/manage/reports/")
    assert listing.status_code == 200
    assert f'<html lang="{lang}"' in listing.content.decode()
    response = fp.post(f"/{lang}/pathfinders/UGA/manage/reports/", {"year": str(YEAR)})
    assert response.status_code == 302
    assert response["Location"] == f"/{lang}/pathfinders/UGA/manage/reports/{YEAR}/"
    page = fp.get(response["Location"])
    assert page.status_code == 200
    html = page.content.decode()
    assert f'<html lang="{lang}"' in html and "csrfmiddlewaretoken" in html
    report = AnnualReport.objects.get(country=uga, year=YEAR)
    entries = list(report.entries.select_related("action"))
    assert len(entries) == 8
    for entry in entries:
        for name in ENTRY_FIELDS:
            assert f'name="{entry_field_name(entry.pk, name)}"' in html
    assert html.count('<fieldset class="panel"') == 8
    areas = {e.action.priority_area for e in entries}
    for area in areas:
        assert f"<h3>{area} " in html.replace("&#x27;", "'")
    assert "13.2" in html or "13,2" in html  # the 8.7.1 figure as filed


def test_saving_the_form_then_review_through_the_pages(people: Any, uga: Geography) -> None:
    fp, sec = _as(people, "focal_point"), _as(people, "secretariat")
    fp.post("/en/pathfinders/UGA/manage/reports/", {"year": str(YEAR)})
    report = AnnualReport.objects.get(country=uga, year=YEAR)
    entries = list(report.entries.order_by("pk"))
    data = {"summary": "A year of inspections."}
    for entry in entries:
        data[entry_field_name(entry.pk, "completion")] = entry.completion
        for name in ("evidence", "evidence_url", "barriers", "next_steps"):
            data[entry_field_name(entry.pk, name)] = getattr(entry, name)
    first = entries[0]
    data[entry_field_name(first.pk, "completion")] = "limited"
    data[entry_field_name(first.pk, "barriers")] = "Funding arrives late"
    url = f"/en/pathfinders/UGA/manage/reports/{YEAR}/"

    bad = dict(data, **{entry_field_name(first.pk, "evidence_url"): "ftp://x"})
    response = fp.post(url, bad)
    assert response.status_code == 400
    assert "Enter a web address" in response.content.decode()
    first.refresh_from_db()
    assert first.barriers == ""

    assert fp.post(url, data).status_code == 302
    first.refresh_from_db()
    report.refresh_from_db()
    assert (first.completion, first.barriers) == ("limited", "Funding arrives late")
    assert report.summary == "A year of inspections."

    assert fp.post(f"{url}submit/", {"message": "ready"}).status_code == 302
    report.refresh_from_db()
    assert report.status == ReviewStatus.SUBMITTED
    queue = sec.get("/en/pathfinders/review/").content.decode()
    assert "Uganda: annual report 2024" in queue
    assert sec.post(url, data).status_code == 403  # the secretariat never writes it
    response = sec.post(f"{url}publish/", {"back": "review"})
    assert response["Location"].endswith("/pathfinders/review/")
    report.refresh_from_db()
    assert report.live and report.status == ReviewStatus.PUBLISHED
    assert visibility.public_reports().filter(pk=report.pk).exists()


@pytest.mark.parametrize("role", ["other_focal_point", "reviewer"])
def test_other_people_cannot_reach_the_forms(people: Any, uga: Geography, role: str) -> None:
    reports.report_start(actor=people["focal_point"], country=uga, year=YEAR)
    client = _as(people, role)
    assert client.get("/en/pathfinders/UGA/manage/reports/").status_code == 403
    assert client.get(f"/en/pathfinders/UGA/manage/reports/{YEAR}/").status_code == 403
    assert client.post(f"/en/pathfinders/UGA/manage/reports/{YEAR}/submit/").status_code == 403
    anonymous = _as(people, "anonymous").get("/en/pathfinders/UGA/manage/reports/")
    assert anonymous.status_code == 302 and "login" in anonymous["Location"]


def test_public_page_and_pdf_are_404_until_published(
    people: Any, uga: Geography, django_capture_on_commit_callbacks: Any
) -> None:
    """Draft, submitted and withdrawn reports have no public page or PDF; a cached page is
    not served after the withdrawal (the data version moves on commit)."""
    client = Client()
    page, pdf = f"/en/pathfinders/UGA/reports/{YEAR}/", f"/en/pathfinders/UGA/reports/{YEAR}.pdf"
    assert client.get(page).status_code == 404
    with django_capture_on_commit_callbacks(execute=True):
        report = reports.report_start(actor=people["focal_point"], country=uga, year=YEAR)
        reports.report_update(actor=people["focal_point"], report=report, summary="Draft text")
    assert client.get(page).status_code == 404 and client.get(pdf).status_code == 404
    with django_capture_on_commit_callbacks(execute=True):
        reports.report_submit(actor=people["focal_point"], report=report)
    assert client.get(page).status_code == 404 and client.get(pdf).status_code == 404
    with django_capture_on_commit_callbacks(execute=True):
        reports.report_publish(actor=people["secretariat"], report=report)
    assert client.get(page).status_code == 200 and client.get(pdf).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        reports.report_withdraw(actor=people["secretariat"], report=report)
    assert client.get(page).status_code == 404 and client.get(pdf).status_code == 404


@pytest.mark.parametrize("lang", ["en", "fr", "es"])
def test_public_page_shows_the_report_as_filed(people: Any, uga: Geography, lang: str) -> None:
    """The page: summary, the 8.7.1 figure with its source link and release, every action
    with its completion, evidence, barriers and next steps; linked from the Pathfinder page."""
    report = _published(people, uga)
    stat = report.statistics[0]
    client = Client()
    response = client.get(f"/{lang}/pathfinders/UGA/reports/{YEAR}/")
    assert response.status_code == 200
    html = response.content.decode().replace("&#x27;", "'")
    assert f'<html lang="{lang}"' in html
    assert ACCENTED in html
    assert re.search(r"13[.,]2", html)
    assert f'href="{stat["source_url"]}"' in html and stat["release_title"] in html
    for entry in report.entries.select_related("action"):
        assert entry.action.text.replace("'", "'") in html
    assert "Train the remaining 60 officers" in html
    assert 'href="https://example.org/inspectorate-2024"' in html
    assert f"/{lang}/pathfinders/UGA/reports/{YEAR}.pdf" in html
    pathfinder = client.get(f"/{lang}/pathfinders/UGA/").content.decode()
    assert f"/{lang}/pathfinders/UGA/reports/{YEAR}/" in pathfinder


@pytest.mark.parametrize("lang", ["en", "fr", "es"])
def test_pdf_contains_the_same_text(people: Any, uga: Geography, lang: str) -> None:
    """The PDF carries the action texts, the 8.7.1 figure, the accented summary (the
    embedded font covers French and Spanish) and stays small."""
    report = _published(people, uga)
    response = Client().get(f"/{lang}/pathfinders/UGA/reports/{YEAR}.pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert f"annual-report-uga-{YEAR}-{lang}.pdf" in response["Content-Disposition"]
    content = response.content
    assert content.startswith(b"%PDF-")
    assert len(content) < 200_000
    text = _squash(_pdf_text(content))
    assert _squash(ACCENTED) in text
    assert re.search(r"13[.,]2", text)
    assert "2017" in text
    for entry in report.entries.select_related("action"):
        assert _squash(entry.action.text) in text
    assert _squash("Train the remaining 60 officers") in text
    assert _squash(report.statistics[0]["source_url"]) in text
    reader = PdfReader(io.BytesIO(content))
    fonts = {
        str(font["/BaseFont"])
        for page in reader.pages
        for font in page["/Resources"]["/Font"].values()  # type: ignore[index]
    }
    assert all("DejaVuSans" in name for name in fonts) and fonts
