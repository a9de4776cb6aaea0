"""The resources pages through the test client on the bundled data: the public page in
en/fr/es with one table per currency and its CSV, the honest empty state on Uganda's
Pathfinder page and country profile, the "Resources committed" block once a commitment is
published, and the entry, edit, submit and review pages (login, 403, CSRF-protected POSTs)."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client

from sdg87.alliance.models import FundingCommitment, ReviewStatus
from sdg87.alliance.services import funding
from sdg87.alliance.tests.funding_fixtures import *  # noqa: F403
from sdg87.alliance.tests.funding_fixtures import enter, published
from sdg87.geo.models import Geography

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("bundled_data")]

ECB = "ECB euro reference rate, 2 January 2024"


@pytest.fixture(autouse=True)
def _fresh_pages() -> Iterator[None]:
    """Pages are cached per URL: each test sees the database as it left it."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def uga(bundled_data: None) -> Geography:
    return Geography.objects.get(iso3="UGA")


@pytest.fixture
def npl(bundled_data: None) -> Geography:
    return Geography.objects.get(iso3="NPL")


def _text(response: Any) -> str:
    html = response.content.decode()
    main = html[html.index("<main") :]
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", main)).replace("&#x27;", "'")


def _section(response: Any, anchor: str) -> str:
    html = response.content.decode()
    start = html.index(f'id="{anchor}"')
    end = html.index("</section>", start)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html[start:end])).replace("&#x27;", "'")


def _login(client: Client, user: Any) -> Client:
    client.force_login(user)
    return client


@pytest.mark.parametrize(
    ("lang", "empty"),
    [
        ("en", "No funding commitment has been reported on the platform for Uganda"),
        ("fr", "Ouganda"),
        ("es", "Uganda"),
    ],
)
def test_empty_state_on_ugandas_pathfinder_page(
    client: Client, uga: Geography, lang: str, empty: str
) -> None:
    """With nothing published, the block says so plainly and links to the entry form."""
    response = client.get(f"/{lang}/pathfinders/UGA/")
    assert response.status_code == 200
    block = _section(response, "resources")
    assert empty in block
    assert f'href="/{lang}/resources/new/"' in response.content.decode()
    assert 'href="#resources"' in response.content.decode()


def test_empty_state_on_the_country_profile(client: Client, uga: Geography) -> None:
    response = client.get("/en/countries/UGA/")
    assert response.status_code == 200
    assert "No funding commitment has been reported on the platform for Uganda; partners " in (
        _section(response, "resources")
    )


def test_the_block_after_publishing_one(
    client: Client, fund_people: dict[str, Any], donor: Any, uga: Geography
) -> None:
    """A published commitment appears beside the 8.7.1 figure, in its own currency, with its
    source; a draft does not."""
    published(
        fund_people, donor, uga, amount=Decimal("2500000"), usd_rate="1.0845",
        usd_rate_source=ECB,
    )  # fmt: skip
    enter(fund_people, donor, uga, amount=Decimal("9999"), programme="Secret draft")
    for url in ("/en/pathfinders/UGA/", "/en/countries/UGA/"):
        response = client.get(url)
        block = _section(response, "resources")
        assert "1 funding commitment to Uganda is published" in block
        assert "2,500,000 EUR" in block
        # 2,500,000 x 1.0845 = 2,711,250
        assert "In US dollars: 2,711,250, over 1 commitment" in block
        assert "Secret draft" not in response.content.decode()
        assert "https://example.org/funding/decision-2024.pdf" in response.content.decode()
    html = client.get("/en/pathfinders/UGA/").content.decode()
    # the block follows the trend of the 8.7.1 figure
    assert html.index('id="trend"') < html.index('id="resources"') < html.index('id="roadmap"')


@pytest.mark.parametrize(
    ("lang", "heading"),
    [
        ("en", "Resources committed against child labour"),
        ("fr", "Ressources"),
        ("es", "Recursos"),
    ],
)
def test_public_page_in_three_languages(
    client: Client,
    fund_people: dict[str, Any],
    donor: Any,
    uga: Geography,
    npl: Geography,
    lang: str,
    heading: str,
) -> None:
    """One table per currency by country and by theme; the USD total says what it leaves out."""
    published(fund_people, donor, uga, amount=Decimal("1000000"), usd_rate="1.0845",
              usd_rate_source=ECB)  # fmt: skip
    published(fund_people, donor, uga, amount=Decimal("250000"), currency="USD")
    published(fund_people, donor, npl, amount=Decimal("40000000"), currency="NPR",
              theme="trafficking")  # fmt: skip
    response = client.get(f"/{lang}/resources/")
    assert response.status_code == 200
    html = response.content.decode()
    assert f'lang="{lang}"' in html
    for code in ("EUR", "NPR", "USD"):
        assert f'id="country-{code}"' in html and f'id="theme-{code}"' in html
    if lang == "en":
        text = _text(response)
        assert heading in text
        assert "3 published commitments" in text
        # 1,084,500 + 250,000 = 1,334,500; NPR left out
        assert "In US dollars: 1,334,500, over 2 commitments" in text
        assert "1 commitment is left out of the US-dollar total" in text
        assert ECB in html


def test_filters_and_csv(
    client: Client, fund_people: dict[str, Any], donor: Any, uga: Geography, npl: Geography
) -> None:
    published(fund_people, donor, uga, amount=Decimal("1000000"), usd_rate="1.0845",
              usd_rate_source=ECB)  # fmt: skip
    published(fund_people, donor, npl, amount=Decimal("40000000"), currency="NPR",
              theme="trafficking")  # fmt: skip
    text = _text(client.get("/en/resources/?country=NPL"))
    assert "1 published commitment (filtered)" in text and "Nepal" in text
    empty = _text(client.get("/en/resources/?theme=forced_labour"))
    assert "No published funding commitment matches these filters." in empty
    response = client.get("/en/resources/funding.csv?theme=child_labour")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert len(rows) == 1
    row = rows[0]
    assert (row["recipient_iso3"], row["amount"], row["currency"]) == ("UGA", "1000000.00", "EUR")
    assert (row["usd_rate"], row["usd_rate_source"], row["amount_usd"]) == (
        "1.08450000",
        ECB,
        "1084500.00",
    )
    everything = list(
        csv.DictReader(io.StringIO(client.get("/en/resources/funding.csv").content.decode()))
    )
    npr = next(r for r in everything if r["currency"] == "NPR")
    assert npr["amount_usd"] == "" and npr["usd_rate"] == ""


def test_public_page_empty_state(client: Client, bundled_data: None) -> None:
    text = _text(client.get("/en/resources/"))
    assert "No funding commitment has been reported on the platform yet." in text


def test_entry_pages_need_login_and_an_edit_role(
    client: Client, fund_people: dict[str, Any], donor: Any
) -> None:
    response = client.get("/en/resources/new/")
    assert response.status_code == 302 and "login" in response["Location"]
    for role in ("donor_member", "other_editor"):
        c = _login(Client(), fund_people[role])
        expected = 403 if role == "donor_member" else 200
        assert c.get("/en/resources/new/").status_code == expected
    c = _login(Client(), fund_people["donor_member"])
    assert c.get("/en/resources/review/").status_code == 403
    # the other organisation's editor may enter funding only in its own organisation's name
    c = _login(Client(), fund_people["other_editor"])
    html = c.get("/en/resources/new/").content.decode()
    assert "ZZ Other Organisation" in html and "ZZ Test Donor Fund" not in html


def test_enter_edit_submit_publish_through_the_pages(
    fund_people: dict[str, Any], donor: Any, uga: Geography
) -> None:
    """The donor's editor enters a commitment (errors shown first), submits it; the secretariat
    publishes it from the review list; it is then on the public page."""
    editor = _login(Client(enforce_csrf_checks=False), fund_people["donor_editor"])
    form = {
        "donor": donor.pk,
        "recipient": uga.pk,
        "programme": "Child labour free zones",
        "amount": "2500000",
        "currency": "EUR",
        "start_year": "2024",
        "end_year": "2023",
        "theme": "child_labour",
        "commitment_status": "committed",
        "source_url": "https://example.org/decision.pdf",
        "usd_rate": "1.0845",
        "usd_rate_source": "",
    }
    response = editor.post("/en/resources/new/", form)
    assert response.status_code == 400
    text = _text(response)
    assert "Give both the exchange rate and its source, or neither." in text
    form["usd_rate_source"] = ECB
    response = editor.post("/en/resources/new/", form)
    assert response.status_code == 400
    assert "The last year comes before the first." in _text(response)
    form["end_year"] = "2027"
    response = editor.post("/en/resources/new/", form)
    assert response.status_code == 302 and response["Location"] == "/en/resources/manage/"
    commitment = FundingCommitment.objects.get()
    assert commitment.status == ReviewStatus.DRAFT and commitment.usd_rate == Decimal("1.0845")

    response = editor.get(f"/en/resources/{commitment.pk}/edit/")
    assert response.status_code == 200 and "Child labour free zones" in response.content.decode()
    form.pop("donor")
    form["programme"] = "Child labour free zones, phase II"
    assert editor.post(f"/en/resources/{commitment.pk}/edit/", form).status_code == 302
    assert editor.get(f"/en/resources/{commitment.pk}/submit/").status_code == 405
    assert editor.post(f"/en/resources/{commitment.pk}/submit/").status_code == 302
    assert editor.post(f"/en/resources/{commitment.pk}/publish/").status_code == 403

    secretariat = _login(Client(), fund_people["secretariat"])
    review = secretariat.get("/en/resources/review/")
    assert review.status_code == 200
    assert "Child labour free zones, phase II" in review.content.decode()
    response = secretariat.post(
        f"/en/resources/{commitment.pk}/request_changes/", {"back": "review", "message": ""}
    )
    commitment.refresh_from_db()
    assert commitment.status == ReviewStatus.SUBMITTED  # a return needs a message
    response = secretariat.post(
        f"/en/resources/{commitment.pk}/publish/", {"back": "review", "message": ""}
    )
    assert response.status_code == 302 and response["Location"] == "/en/resources/review/"
    commitment.refresh_from_db()
    assert commitment.live and commitment.status == ReviewStatus.PUBLISHED
    assert "Child labour free zones, phase II" in _text(Client().get("/en/resources/"))
    # a published commitment is no longer editable
    assert editor.get(f"/en/resources/{commitment.pk}/edit/").status_code == 403


def test_manage_page_shows_only_the_users_organisations(
    fund_people: dict[str, Any], donor: Any, other_org: Any, uga: Geography
) -> None:
    enter(fund_people, donor, uga, programme="Donor draft")
    other = _login(Client(), fund_people["other_editor"])
    assert "Donor draft" not in other.get("/en/resources/manage/").content.decode()
    mine = _login(Client(), fund_people["donor_editor"])
    assert "Donor draft" in mine.get("/en/resources/manage/").content.decode()
    secretariat = _login(Client(), fund_people["secretariat"])
    assert "Donor draft" in secretariat.get("/en/resources/manage/").content.decode()
    assert (
        _login(Client(), fund_people["donor_member"]).get("/en/resources/manage/").status_code
        == 403
    )


def test_unknown_commitment_and_verb(
    fund_people: dict[str, Any], donor: Any, uga: Geography
) -> None:
    commitment = enter(fund_people, donor, uga)
    editor = _login(Client(), fund_people["donor_editor"])
    assert editor.post(f"/en/resources/{commitment.pk}/explode/").status_code == 404
    assert editor.post("/en/resources/999999/submit/").status_code == 404
    funding.funding_commitment_withdraw(actor=fund_people["donor_editor"], commitment=commitment)
    assert editor.post(f"/en/resources/{commitment.pk}/submit/").status_code == 403


def test_cached_pages_follow_publication_and_withdrawal(
    client: Client,
    fund_people: dict[str, Any],
    donor: Any,
    uga: Geography,
    django_capture_on_commit_callbacks: Any,
) -> None:
    """The public pages are cached, but a page cached before a commitment is published (or
    withdrawn) is not served after it: the services bump the data version on commit."""
    urls = ("/en/resources/", "/en/resources/funding.csv", "/en/pathfinders/UGA/",
            "/en/countries/UGA/")  # fmt: skip
    for url in urls:
        assert "Fresh programme" not in client.get(url).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        commitment = published(fund_people, donor, uga, programme="Fresh programme")
    for url in urls:
        assert "Fresh programme" in client.get(url).content.decode(), url
    with django_capture_on_commit_callbacks(execute=True):
        funding.funding_commitment_withdraw(
            actor=fund_people["donor_editor"], commitment=commitment
        )
    for url in urls:
        assert "Fresh programme" not in client.get(url).content.decode(), url
    assert "No funding commitment has been reported on the platform for Uganda" in _section(
        client.get("/en/countries/UGA/"), "resources"
    )


def test_posts_need_the_csrf_token(fund_people: dict[str, Any], donor: Any, uga: Geography) -> None:
    """Every change is a POST checked for its CSRF token: without it nothing changes."""
    commitment = enter(fund_people, donor, uga)
    editor = Client(enforce_csrf_checks=True)
    editor.force_login(fund_people["donor_editor"])
    assert editor.post(f"/en/resources/{commitment.pk}/submit/").status_code == 403
    assert editor.post("/en/resources/new/", {"donor": donor.pk}).status_code == 403
    commitment.refresh_from_db()
    assert commitment.status == ReviewStatus.DRAFT
    assert FundingCommitment.objects.count() == 1
    # with the token from the form, the same POST goes through
    page = editor.get("/en/resources/manage/").content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    assert token is not None
    response = editor.post(
        f"/en/resources/{commitment.pk}/submit/", {"csrfmiddlewaretoken": token.group(1)}
    )
    assert response.status_code == 302
    commitment.refresh_from_db()
    assert commitment.status == ReviewStatus.SUBMITTED
