"""Pages added or changed in the session after f8db561, in a real browser without JavaScript:
200, one h1, no sideways scroll at 360 px, no serious or critical axe-core violation at 360 and
1280 px, in English, French and Spanish.

- the indicator page's links to a series' releases (vintages/_series_links.html), for a series
  held in two UN releases (SL_TLF_CHLDEA), and its no-JS date form, which lands on the
  as-published page;
- the 507 "Nothing was saved" page: the HTML is what sdg87.core.error_views.storage_full answers
  for an OSError(ENOSPC), rendered in the app server's database and settings (manage.py shell),
  then served to the browser at an address of the app server (Playwright's route), so that the
  site's CSS and scripts load from the app server as on a real 507; the production URLconf has
  no route that fails on purpose;
- the harvest editor's pages (source list, a source with its run report and history, the edit
  page, a paused source with its resume button): an editor and two sources made through the
  harvest services; the sources point at a closed loopback port (loopback allowed only inside
  that shell), so each run is a failed run with its error, never a real remote call;
- the screening result while it is still screening (the progress state): the list is uploaded
  through the form, then its row is set back to "running" with one of two rows done, which is
  what the page shows between the task's progress writes; it has no timed meta refresh (axe's
  meta-refresh rule, critical), a refresh link instead. The finished state is covered in
  test_screening_disclosure_pages.py.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

pytestmark = pytest.mark.e2e

LANGS = ("en", "fr", "es")
SERIES = "SL_TLF_CHLDEA"  # in two UN SDG Global Database releases in the bundled data
PHONE = {"width": 360, "height": 740}
AXE_JS = Path(__file__).resolve().parents[2] / "static" / "vendor" / "axe-core" / "axe.min.js"
BLOCKING_IMPACTS = {"serious", "critical"}


# --- the indicator page's release links and the as-published page ------------------------------


@pytest.mark.parametrize("lang", LANGS)
def test_indicator_page_release_links_and_date_form(
    app_server: str,
    browser: Any,
    fits_a_phone_and_passes_axe: Callable[..., None],
    lang: str,
) -> None:
    """Both blocks show; the date form submits by GET without JavaScript and lands on the
    as-published page for that date, which meets the same bar."""
    url = f"{app_server}/{lang}/indicators/{SERIES}/"
    fits_a_phone_and_passes_axe(browser, url)
    context = browser.new_context(java_script_enabled=False, viewport=PHONE)
    try:
        page = context.new_page()
        page.goto(url)
        compare = f"/{lang}/series/{SERIES}/compare/"
        published = f"/{lang}/series/{SERIES}/as-published/"
        assert page.locator(f'p.vintage-links a[href="{compare}"]').count() == 1
        assert page.locator(f'div.vintage-links a[href="{compare}"]').count() == 1
        form = page.locator(f'form[action="{published}"][method="get"]')
        assert form.count() == 1
        form.locator('input[name="date"]').fill("2025-06-30")
        form.locator('button[type="submit"]').click()
        page.wait_for_load_state()
        assert page.url == f"{app_server}{published}?date=2025-06-30", page.url
        landed = page.url
    finally:
        context.close()
    fits_a_phone_and_passes_axe(browser, landed)


# --- the 507 page ------------------------------------------------------------------------------

RENDER_507 = """
import errno
from django.contrib.auth.models import AnonymousUser
from django.contrib.sessions.backends.signed_cookies import SessionStore
from django.test import RequestFactory
from django.utils import translation
from sdg87.core.error_views import storage_full

with translation.override({lang!r}):
    request = RequestFactory().post("/{lang}/contribute/upload/", HTTP_HOST="127.0.0.1")
    request.LANGUAGE_CODE = {lang!r}
    request.user = AnonymousUser()
    request.session = SessionStore()
    response = storage_full(request, OSError(errno.ENOSPC, "No space left on device"))
print("STATUS", response.status_code)
print("<<<HTML")
print(response.content.decode())
"""


@pytest.mark.parametrize("lang", LANGS)
def test_storage_full_page(
    app_server: str,
    browser: Any,
    run_in_app_database: Callable[[str], str],
    lang: str,
) -> None:
    output = run_in_app_database(RENDER_507.format(lang=lang))
    head, html = output.split("<<<HTML\n", 1)
    assert "STATUS 507" in head
    assert f'lang="{lang}"' in html
    url = f"{app_server}/{lang}/e2e-storage-full/"
    for width in (PHONE["width"], 1280):
        context = browser.new_context(viewport={"width": width, "height": 740})
        try:
            context.route(
                url,
                lambda route: route.fulfill(
                    status=507, body=html, content_type="text/html; charset=utf-8"
                ),
            )
            page = context.new_page()
            cdp = context.new_cdp_session(page)
            cdp.send("Emulation.setScriptExecutionDisabled", {"value": True})
            response = page.goto(url, wait_until="load")
            assert response is not None and response.status == 507
            assert page.locator("h1").count() == 1
            # the site's stylesheet came from the app server
            assert page.evaluate(
                """() => [...document.styleSheets].some(
                    s => s.href && s.href.startsWith(location.origin) && s.cssRules.length > 0)"""
            )
            scroll = page.evaluate("document.documentElement.scrollWidth")
            assert scroll <= width, f"507 page is {scroll} px wide at {width} px"
            cdp.send("Emulation.setScriptExecutionDisabled", {"value": False})
            page.evaluate(AXE_JS.read_text(encoding="utf-8"))
            violations = page.evaluate(
                """async () => {
                    const r = await axe.run(document, {resultTypes: ["violations"]});
                    return r.violations.map(v => ({id: v.id, impact: v.impact,
                        nodes: v.nodes.slice(0, 3).map(n => n.html.slice(0, 160))}));
                }"""
            )
            blocking = [v for v in violations if v["impact"] in BLOCKING_IMPACTS]
            assert blocking == [], blocking
        finally:
            context.close()


# --- harvest editor pages ----------------------------------------------------------------------

HARVEST_PASSWORD = "e2e-harvest-pw-71d2"

# Runs in the app server's database (manage.py shell); idempotent. Prints the ids it made.
HARVEST_SCRIPT = f"""
from django.conf import settings
from django.contrib.auth.models import User
from sdg87.harvest import services
from sdg87.harvest.models import HarvestSource
from sdg87.orgs.models import OrganisationType
from sdg87.orgs.services import membership_set, organisation_upsert

settings.SDG87_HARVEST_ALLOW_PRIVATE = True  # only in this shell: a closed loopback port
settings.SDG87_HARVEST_TIMEOUT = 1
user = User.objects.filter(username="e2e_harvest").first() or User.objects.create_user(
    "e2e_harvest", "e2e_harvest@example.org"
)
user.set_password({HARVEST_PASSWORD!r})
user.save()
org = organisation_upsert(
    slug="e2e-synthetic-harvesters", name="E2E synthetic harvesters", type=OrganisationType.NGO
)
membership_set(user=user, organisation=org, role="editor")

def source(name):
    found = HarvestSource.objects.filter(organisation=org, name=name).first()
    if found is None:
        found = services.harvest_source_create(
            actor=user, organisation=org, name=name, kind="ckan",
            url="http://127.0.0.1:9/api/3/action/", schedule="manual",
        )
        services.harvest_source_update(
            actor=user, source=found,
            data={{"organisation": org, "name": name, "url": found.url, "schedule": "weekly",
                   "remote_filter": "", "default_licence": found.default_licence}},
        )
    return HarvestSource.objects.get(pk=found.pk)

active = source("E2E synthetic CKAN portal")
if not active.active:
    active = services.harvest_source_resume(actor=user, source=active)
paused = source("E2E synthetic paused portal")
if paused.active:
    paused = services.harvest_source_pause(actor=user, source=paused)
run = active.runs.order_by("-pk").first()
print("ACTIVE", active.pk)
print("PAUSED", paused.pk)
print("RUN", run.pk)
"""


@pytest.fixture(scope="module")
def harvest(app_server: str, run_in_app_database: Callable[[str], str]) -> dict[str, str]:
    output = run_in_app_database(HARVEST_SCRIPT)
    return dict(line.split(" ", 1) for line in output.splitlines() if " " in line)


HARVEST_PAGES = {
    "list": "harvest/sources/",
    "source": "harvest/sources/{ACTIVE}/",
    "edit": "harvest/sources/{ACTIVE}/edit/",
    "paused": "harvest/sources/{PAUSED}/",
    "run": "harvest/runs/{RUN}/",
}


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("name", list(HARVEST_PAGES))
def test_harvest_editor_page(
    app_server: str,
    browser: Any,
    harvest: dict[str, str],
    fits_a_phone_and_passes_axe: Callable[..., None],
    signed_in_state: Callable[..., Any],
    lang: str,
    name: str,
) -> None:
    state = signed_in_state(browser, app_server, "e2e_harvest", HARVEST_PASSWORD)
    url = f"{app_server}/{lang}/" + HARVEST_PAGES[name].format(**harvest)
    fits_a_phone_and_passes_axe(browser, url, storage_state=state)


@pytest.mark.parametrize("lang", LANGS)
def test_harvest_pause_and_resume_without_javascript(
    app_server: str,
    browser: Any,
    harvest: dict[str, str],
    signed_in_state: Callable[..., Any],
    lang: str,
) -> None:
    """The paused source's resume button and the active source's pause button are plain POST
    forms: resume then pause again, back on the source page each time."""
    state = signed_in_state(browser, app_server, "e2e_harvest", HARVEST_PASSWORD)
    url = f"{app_server}/{lang}/harvest/sources/{harvest['PAUSED']}/"
    context = browser.new_context(java_script_enabled=False, storage_state=state)
    try:
        page = context.new_page()
        page.goto(url)
        for action in ("resume", "pause"):
            form = page.locator(f'main form[action$="/{action}/"]')
            assert form.count() == 1, action
            form.locator('button[type="submit"]').click()
            page.wait_for_load_state()
            assert page.url == url, page.url
    finally:
        context.close()


# --- the screening result while screening ------------------------------------------------------

LIST = b"good,country,supplier\nCocoa,Cote d'Ivoire,ZZ synthetic supplier\nGold,Peru,\n"
SET_RUNNING = """
from sdg87.supplychains.models import Screening
Screening.objects.filter(token={token!r}).update(status="running", processed_rows=1, row_count=2)
"""


@pytest.mark.parametrize("lang", LANGS)
def test_screening_progress_page(
    app_server: str,
    browser: Any,
    run_in_app_database: Callable[[str], str],
    fits_a_phone_and_passes_axe: Callable[..., None],
    lang: str,
    tmp_path: Path,
) -> None:
    path = tmp_path / "sourcing-list.csv"
    path.write_bytes(LIST)
    context = browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(f"{app_server}/{lang}/supply-chains/screening/")
        page.set_input_files('main form input[type="file"]', str(path))
        page.locator('main form button[type="submit"]').first.click()
        page.wait_for_load_state()
        token = page.url.rstrip("/").rsplit("/", 1)[-1]
        assert token and token != "screening", page.url
        run_in_app_database(SET_RUNNING.format(token=token))
        page.goto(page.url)
        assert page.locator('progress[value="50"]').count() == 1
        assert page.locator('meta[http-equiv="refresh"]').count() == 0  # WCAG 2.2.1
        assert page.locator(f'main a[href="/{lang}/supply-chains/screening/{token}/"]').count() == 1
        url, state = page.url, context.storage_state()
    finally:
        context.close()
    fits_a_phone_and_passes_axe(browser, url, storage_state=state)
