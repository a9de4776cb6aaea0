"""The sourcing-list screening result, the disclosure review page (a reviewer's) and the
disclosure-control certificate (public) in a real browser, in English and Spanish, without
JavaScript: 200, one h1, no sideways scroll at 360 px, no serious or critical axe-core
violation at 360 and 1280 px.

The screening is uploaded through the page's own form (the server's task backend runs the
screening at once, so the result is there on the redirect). The reviewer, a sensitive dataset
with a computed aggregate-table review and a released one with its certificate are made in the
browser tests' database through the platform's services, once per session. The table is
SYNTHETIC (typed here), never loaded as real data."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

pytestmark = pytest.mark.e2e

PASSWORD = "e2e-disclosure-pw-3c9a"
LANGS = ("en", "es")

# Runs in the app server's database (manage.py shell); idempotent, the database is kept between
# sessions. Prints the slug of the dataset under review and the id of the certificate.
SCRIPT = f"""
from django.contrib.auth.models import User
from django.core.files.base import ContentFile
from sdg87.catalog.models import Dataset
from sdg87.catalog.services import datasets, distributions
from sdg87.disclosure import services
from sdg87.disclosure.models import Certificate, DisclosureReview, ReviewState
from sdg87.orgs.models import OrganisationType
from sdg87.orgs.services import membership_set, organisation_upsert

TABLE = (
    b"region,forced_labour,sexual_exploitation,other\\n"
    b"North,3,8,10\\nCentre,9,7,12\\nSouth,11,6,14\\n"
)
user = User.objects.filter(username="e2e_disclosure").first() or User.objects.create_user(
    "e2e_disclosure", "e2e_disclosure@example.org"
)
user.set_password({PASSWORD!r})
user.save()
org = organisation_upsert(
    slug="e2e-synthetic-helpline", name="E2E synthetic helpline", type=OrganisationType.NGO
)
membership_set(user=user, organisation=org, role="editor")

def computed(title):
    dataset = Dataset.objects.filter(title=title).first()
    if dataset is None:
        dataset = datasets.dataset_create(actor=user, publisher=org, title=title)
        distributions.distribution_upload(
            actor=user, dataset=dataset, file=ContentFile(TABLE, name="counts.csv"), sensitive=True
        )
        services.review_declare_table(
            actor=user,
            dataset=dataset,
            source=dataset.distributions.get(),
            label_column="region",
            count_columns=["forced_labour", "sexual_exploitation", "other"],
        )
    return dataset, DisclosureReview.objects.filter(dataset=dataset).first()

under_review, _ = computed("E2E synthetic case counts under review")
released, review = computed("E2E synthetic case counts released")
cert = Certificate.objects.filter(dataset=released).first()
if cert is None:
    assert review.state == ReviewState.COMPUTED, review.error
    cert = services.review_pass(actor=user, review=review)
print("REVIEW", under_review.slug)
print("CERT", cert.pk)
"""
LIST = b"good,country,supplier\nCocoa,Cote d'Ivoire,ZZ synthetic supplier\nGold,Peru,\n"


@pytest.fixture(scope="module")
def made(app_server: str, run_in_app_database: Callable[[str], str]) -> dict[str, str]:
    output = run_in_app_database(SCRIPT)
    found = dict(line.split(" ", 1) for line in output.splitlines() if " " in line)
    return {"review": found["REVIEW"], "cert": found["CERT"]}


@pytest.mark.parametrize("lang", LANGS)
def test_screening_result_page(
    app_server: str,
    browser: Any,
    fits_a_phone_and_passes_axe: Callable[..., None],
    lang: str,
    tmp_path: Path,
) -> None:
    """Uploaded through the form without JavaScript; the result belongs to that session."""
    path = tmp_path / "sourcing-list.csv"
    path.write_bytes(LIST)
    context = browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(f"{app_server}/{lang}/supply-chains/screening/")
        page.set_input_files('main form input[type="file"]', str(path))
        page.locator('main form button[type="submit"]').first.click()
        page.wait_for_load_state()
        assert f"/{lang}/supply-chains/screening/" in page.url
        assert page.url.rstrip("/") != f"{app_server}/{lang}/supply-chains/screening"
        assert "Cocoa" in page.content()
        url, state = page.url, context.storage_state()
    finally:
        context.close()
    fits_a_phone_and_passes_axe(browser, url, storage_state=state)


@pytest.mark.parametrize("lang", LANGS)
def test_disclosure_review_page(
    app_server: str,
    browser: Any,
    made: dict[str, str],
    fits_a_phone_and_passes_axe: Callable[..., None],
    signed_in_state: Callable[..., Any],
    lang: str,
) -> None:
    """The reviewer's page with the aggregate-table form and the suppressed table."""
    state = signed_in_state(browser, app_server, "e2e_disclosure", PASSWORD)
    url = f"{app_server}/{lang}/disclosure/datasets/{made['review']}/?mode=aggregate"
    context = browser.new_context(java_script_enabled=False, storage_state=state)
    try:
        page = context.new_page()
        page.goto(url)
        assert page.locator("td.suppressed-primary").count() == 1
        assert page.locator("td.suppressed-secondary").count() == 3
    finally:
        context.close()
    fits_a_phone_and_passes_axe(browser, url, storage_state=state)


@pytest.mark.parametrize("lang", LANGS)
def test_certificate_page(
    app_server: str,
    browser: Any,
    made: dict[str, str],
    fits_a_phone_and_passes_axe: Callable[..., None],
    lang: str,
) -> None:
    """Public, anonymous."""
    fits_a_phone_and_passes_axe(
        browser, f"{app_server}/{lang}/disclosure/certificates/{made['cert']}/"
    )
