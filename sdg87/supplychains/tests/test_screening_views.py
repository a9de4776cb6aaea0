"""The screening pages and the API, on the real bundled DOL List of Goods. Uploaded lists are
SYNTHETIC (made up here)."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from pypdf import PdfReader

from sdg87.orgs.models import Membership, Organisation
from sdg87.supplychains.models import Screening, ScreeningStatus

pytestmark = pytest.mark.django_db

LIST = (
    "good,country,supplier,volume\n"
    "Cocoa,Côte d'Ivoire,Synthetic Co,10\n"
    "cocoa beans,CIV,,5\n"
    "Cottton,Paraguay,,\n"
    "laptops,Germany,,\n"
    '"=HYPERLINK(""http://evil"")",India,"@SUM(1)",\n'
).encode()


def post_list(client: Client, data: bytes = LIST, name: str = "list.csv") -> Any:
    return client.post(
        "/en/supply-chains/screening/", {"file": SimpleUploadedFile(name, data)}, follow=False
    )


@pytest.fixture
def screened(
    client: Client, bundled_data: None, django_capture_on_commit_callbacks: Any
) -> Screening:
    with django_capture_on_commit_callbacks(execute=True):
        response = post_list(client)
    assert response.status_code == 302
    return Screening.objects.get()


def test_anonymous_flow(client: Client, screened: Screening) -> None:
    """Anonymous upload -> report page with the summary, rows, pack links; private caching."""
    assert screened.status == ScreeningStatus.DONE
    response = client.get(f"/en/supply-chains/screening/{screened.token}/")
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"
    page = response.content.decode()
    assert "Listed (latest edition)" in page
    assert "similar name (needs confirmation)" in page
    assert "The good is not on any edition of the DOL List of Goods." in page
    assert 'href="/en/supply-chains/packs/cocoa/CIV/"' in page
    assert 'http-equiv="refresh"' not in page
    assert "https://www.dol.gov/agencies/ilab/reports/child-labor/list-of-goods" in page


def test_progress_page_refreshes_without_javascript(client: Client, bundled_data: None) -> None:
    """Before the task ran: a progress element and a refresh link; no timed meta refresh
    (WCAG 2.2.1, axe-core's meta-refresh rule: the reader decides when to reload)."""
    post_list(client)  # the task is enqueued on commit, which never comes in this test
    screening = Screening.objects.get()
    page = client.get(f"/en/supply-chains/screening/{screening.token}/").content.decode()
    assert 'http-equiv="refresh"' not in page
    assert "<progress" in page
    assert "Refresh now" in page


def test_another_session_cannot_see_it(screened: Screening) -> None:
    other = Client()
    assert other.get(f"/en/supply-chains/screening/{screened.token}/").status_code == 404
    assert other.get(f"/en/supply-chains/screening/{screened.token}/csv/").status_code == 404


def test_refused_file_shows_row_and_column(client: Client, bundled_data: None) -> None:
    response = post_list(client, b"good,supplier\nCocoa,Acme\n")
    assert response.status_code == 200
    assert "Row 1: no country column." in response.content.decode()
    assert not Screening.objects.exists()


def test_csv_download_is_injection_safe(client: Client, screened: Screening) -> None:
    """Every row, formula-like text made inert, pack links absolute."""
    response = client.get(f"/en/supply-chains/screening/{screened.token}/csv/")
    text = b"".join(response.streaming_content).decode("utf-8-sig")  # type: ignore[attr-defined]
    rows = list(csv.reader(io.StringIO(text)))
    assert len(rows) == 6
    assert rows[5][1] == '\'=HYPERLINK("http://evil")'
    assert rows[5][3] == "'@SUM(1)"
    assert rows[1][18] == "http://testserver/en/supply-chains/packs/cocoa/CIV/"
    assert rows[3][8] == "yes"  # fuzzy: needs confirmation


def test_pdf_download(client: Client, screened: Screening) -> None:
    response = client.get(f"/en/supply-chains/screening/{screened.token}/pdf/")
    assert response["Content-Type"] == "application/pdf"
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(response.content)).pages)
    assert "Sourcing-list screening" in text
    assert "Cocoa" in text
    assert "Matches to confirm" in text


def test_saved_screening_only_for_members(client: Client, screened: Screening) -> None:
    """Saved to an organisation: its members see it, another signed-in user does not, and
    the anonymous session that made it no longer does either."""
    User = get_user_model()
    member = User.objects.create_user("member", password="pw-12345-x")
    outsider = User.objects.create_user("outsider", password="pw-12345-x")
    org = Organisation.objects.create(name="Buyer Co", slug="buyer-co", type="business")
    Membership.objects.create(user=member, organisation=org, role="member")
    # the anonymous maker signs in: the session keeps the screening visible to them
    client.force_login(member)
    url = f"/en/supply-chains/screening/{screened.token}/"
    screened.created_by = member
    screened.save(update_fields=["created_by"])
    response = client.post(url + "save/", {"organisation": org.pk, "title": "Q3 list"})
    assert response.status_code == 302
    screened.refresh_from_db()
    assert screened.organisation == org and screened.expires_at is None
    assert client.get(url).status_code == 200
    other = Client()
    other.force_login(outsider)
    assert other.get(url).status_code == 404
    assert other.get(url + "pdf/").status_code == 404
    assert Client().get(url).status_code == 404
    assert other.post(url + "delete/").status_code == 404
    assert Screening.objects.filter(pk=screened.pk).exists()


def test_delete(client: Client, screened: Screening) -> None:
    url = f"/en/supply-chains/screening/{screened.token}/delete/"
    assert client.post(url).status_code == 302
    assert not Screening.objects.exists()


def test_api_post_and_poll(
    client: Client, bundled_data: None, django_capture_on_commit_callbacks: Any
) -> None:
    """202 with an unguessable id; polling gives the summary and paginated rows."""
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/api/v1/screenings", {"file": SimpleUploadedFile("l.csv", LIST)})
    assert response.status_code == 202
    body = response.json()
    assert len(body["id"]) >= 40
    assert body["poll_url"] == f"http://testserver/api/v1/screenings/{body['id']}"
    polled = client.get(f"/api/v1/screenings/{body['id']}?limit=2")
    assert polled.status_code == 200
    data = polled.json()
    assert data["status"] == "done" and data["row_count"] == 5
    assert [r["row"] for r in data["results"]] == [2, 3]
    assert data["results"][0]["status"] == "listed"
    assert data["results"][0]["child_labour"] is True
    assert data["summary"]["statuses"]["listed"] == 2
    rest = client.get(data["next"]).json()
    assert [r["row"] for r in rest["results"]] == [4, 5]
    assert rest["results"][0]["needs_confirmation"] is True


def test_api_queued_is_202_and_unknown_is_404(client: Client, bundled_data: None) -> None:
    response = client.post("/api/v1/screenings", {"file": SimpleUploadedFile("l.csv", LIST)})
    token = response.json()["id"]
    polled = client.get(f"/api/v1/screenings/{token}")
    assert polled.status_code == 202
    assert polled.json()["status"] == "queued"
    missing = client.get("/api/v1/screenings/not-a-token")
    assert missing.status_code == 404
    assert missing.json()["error"]["code"] == "not_found"


def test_api_refuses_wrong_type(client: Client, db: None) -> None:
    response = client.post(
        "/api/v1/screenings", {"file": SimpleUploadedFile("l.csv", b"<html>x</html>")}
    )
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "invalid_file"


def test_api_cannot_read_web_or_saved_screenings(client: Client, screened: Screening) -> None:
    """A screening made on the pages is not readable through the API, even by its token."""
    assert client.get(f"/api/v1/screenings/{screened.token}").status_code == 404


def test_new_screenings_are_limited_per_address(client: Client, db: None, settings: Any) -> None:
    """One network may start SDG87_SCREENING_IP_LIMIT screenings an hour, pages and API
    together; then a 429 with Retry-After, and nothing is stored."""
    from django.core.cache import cache

    cache.clear()
    settings.SDG87_SCREENING_IP_LIMIT = 2
    assert post_list(client).status_code == 302
    api = client.post("/api/v1/screenings", {"file": SimpleUploadedFile("l.csv", LIST)})
    assert api.status_code == 202
    page = post_list(client)
    assert page.status_code == 429 and page["Retry-After"]
    again = client.post("/api/v1/screenings", {"file": SimpleUploadedFile("l.csv", LIST)})
    assert again.status_code == 429
    assert again.json()["error"]["code"] == "too_many_requests"
    assert Screening.objects.count() == 2
    cache.clear()
