"""Public pages in a real browser (Debian's Chromium driven by Playwright), in English and
French, with JavaScript on and off.

For each page: the response is 200, the page is in the requested language, the main content is
there (an h1, and a table where the page shows data), axe-core reports no serious or critical
accessibility violation, and the browser logs no error: no console error, no uncaught exception,
no Content-Security-Policy violation (Chromium reports those as console errors). A full-page
screenshot is saved as var/screenshots/<lang>-<page>-<js|nojs>.png whatever the outcome.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

pytestmark = pytest.mark.e2e

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / "var" / "screenshots"
AXE_JS = ROOT / "static" / "vendor" / "axe-core" / "axe.min.js"
BLOCKING_IMPACTS = {"serious", "critical"}


@dataclass(frozen=True)
class PageSpec:
    name: str
    path: str  # with {lang}
    needs_table: bool = True
    needs_chart: bool = False


PAGES = [
    PageSpec("home", "/{lang}/", needs_table=False),
    PageSpec("global-estimates", "/{lang}/global-estimates/"),
    # The indicator explorer carries the world map of the latest value per country.
    PageSpec("indicator-SL_TLF_CHLDEA", "/{lang}/indicators/SL_TLF_CHLDEA/", needs_chart=True),
    PageSpec("country-BGD", "/{lang}/countries/BGD/"),  # lots of data
    PageSpec("country-UGA", "/{lang}/countries/UGA/"),  # a Pathfinder country
    PageSpec("country-TUV", "/{lang}/countries/TUV/", needs_table=False),  # few data
    PageSpec("datasets", "/{lang}/datasets/", needs_table=False),
    # The indicator page's other views (issue 9 item 5): the map keeps its table behind it.
    PageSpec(
        "indicator-SL_TLF_CHLDEA-map",
        "/{lang}/indicators/SL_TLF_CHLDEA/?view=map",
        needs_chart=True,
    ),
    PageSpec("indicator-SL_TLF_CHLDEA-table", "/{lang}/indicators/SL_TLF_CHLDEA/?view=table"),
    # An organisation with many datasets, superseded editions among them.
    PageSpec("organisation-ilo", "/{lang}/organisations/ilo/", needs_table=False),
    # The library: facets and pages of results; a publication known from a copy only.
    PageSpec("library", "/{lang}/library/?theme=child_labour", needs_table=False),
    PageSpec(
        "publication-ilo-ge-cl-2017-fr", "/{lang}/library/ilo-ge-cl-2017-fr/", needs_table=False
    ),
    # The "what works" evidence map (a table), one of its cells and its methodology.
    PageSpec("evidence", "/{lang}/evidence/"),
    PageSpec(
        "evidence-cell",
        "/{lang}/evidence/cell/?intervention=cash_transfers&outcome=child_labour_incidence",
        needs_table=False,
    ),
    PageSpec("evidence-methodology", "/{lang}/evidence/methodology/"),
    # News and events (Wagtail pages; French pages are wagtail-localize translations).
    PageSpec("news", "/{lang}/news/", needs_table=False),
    PageSpec("news-item", "/{lang}/news/world-day-2002/", needs_table=False),
    PageSpec("events", "/{lang}/events/", needs_table=False),
    PageSpec("event", "/{lang}/events/hague-2010/", needs_table=False),
]
LANGS = ["en", "fr"]
MODES = ["js", "nojs"]

CASES = [
    pytest.param(page, lang, mode, id=f"{lang}-{page.name}-{mode}")
    for page in PAGES
    for lang in LANGS
    for mode in MODES
]


def _format_violations(violations: list[dict[str, Any]]) -> str:
    lines = []
    for violation in violations:
        lines.append(
            f"  [{violation['impact']}] {violation['id']}: {violation['help']} "
            f"({violation['helpUrl']})"
        )
        for node in violation["nodes"][:5]:
            target = " ".join(str(t) for t in node["target"])
            lines.append(f"      at {target}: {node['html'][:160]}")
        if len(violation["nodes"]) > 5:
            lines.append(f"      ... and {len(violation['nodes']) - 5} more")
    return "\n".join(lines)


def _axe_violations(page: Any) -> list[dict[str, Any]]:
    """Inject the vendored axe-core through the DevTools protocol (not a <script> tag, which
    the strict CSP would rightly refuse) and return the serious and critical violations."""
    page.evaluate(AXE_JS.read_text(encoding="utf-8"))
    result = page.evaluate(
        """async () => {
            const r = await axe.run(document, {resultTypes: ["violations"]});
            return r.violations.map(v => ({
                id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl,
                nodes: v.nodes.map(n => ({target: n.target, html: n.html})),
            }));
        }"""
    )
    return [v for v in result if v["impact"] in BLOCKING_IMPACTS]


def _axe_violations_without_js(browser: Any, url: str, errors: list[str]) -> list[dict[str, Any]]:
    """axe-core on the no-JavaScript rendering. A `java_script_enabled=False` context also
    stops the timers axe needs, so this page lives in a JavaScript-enabled context whose script
    execution is switched off through the DevTools protocol (the switch Playwright itself uses
    for java_script_enabled=False) while the page loads, and switched back on only for axe: the
    page's own scripts never run and <noscript> content is parsed as markup."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        page = context.new_page()
        _listen(page, errors)
        cdp = context.new_cdp_session(page)
        cdp.send("Emulation.setScriptExecutionDisabled", {"value": True})
        page.goto(url, wait_until="load", timeout=60_000)
        cdp.send("Emulation.setScriptExecutionDisabled", {"value": False})
        return _axe_violations(page)
    finally:
        context.close()


def _listen(page: Any, errors: list[str]) -> None:
    """Collect console errors (CSP violations among them), uncaught exceptions, failed requests
    and error responses (with their URL, which Chromium's console message lacks). The browser's
    own /favicon.ico request is left to test_favicon, so that it does not fail whichever page
    happens to be first."""

    def on_console(msg: Any) -> None:
        if msg.type != "error":
            return
        if msg.text.startswith("Failed to load resource") and "favicon.ico" in (
            msg.location or {}
        ).get("url", ""):
            return
        errors.append(f"console.{msg.type}: {msg.text} {(msg.location or {}).get('url', '')}")

    def on_response(response: Any) -> None:
        if response.status >= 400 and not response.url.endswith("/favicon.ico"):
            errors.append(f"HTTP {response.status} for {response.url}")

    page.on("console", on_console)
    page.on("pageerror", lambda exc: errors.append(f"uncaught: {exc}"))
    page.on("response", on_response)
    page.on(
        "requestfailed",
        lambda req: errors.append(f"request failed: {req.url} ({req.failure})"),
    )


@pytest.mark.parametrize(("spec", "lang", "mode"), CASES)
def test_page(app_server: str, browser: Any, spec: PageSpec, lang: str, mode: str) -> None:
    """The page answers 200 in the requested language with its main content, passes axe-core
    without serious or critical violations, and logs no console, script or CSP error."""
    js = mode == "js"
    context = browser.new_context(
        java_script_enabled=js,
        locale="fr-FR" if lang == "fr" else "en-GB",
        viewport={"width": 1280, "height": 900},
    )
    page = context.new_page()
    console_errors: list[str] = []
    _listen(page, console_errors)
    problems: list[str] = []
    url = app_server + spec.path.format(lang=lang)
    try:
        response = page.goto(url, wait_until="load", timeout=60_000)
        if js:
            # Charts upgrade to interactive views when they scroll into view: scroll through
            # the page so that enhancement (and any CSP problem in it) is exercised.
            page.evaluate(
                """async () => {
                    for (let y = 0; y < document.body.scrollHeight; y += window.innerHeight) {
                        window.scrollTo(0, y);
                        await new Promise(r => setTimeout(r, 60));
                    }
                    window.scrollTo(0, 0);
                }"""
            )
            try:
                page.wait_for_load_state("networkidle", timeout=10_000)
            except Exception:  # a page that keeps polling is not itself a failure
                problems.append("network did not go idle within 10 s")
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / f"{lang}-{spec.name}-{mode}.png"), full_page=True)

        status = response.status if response else None
        if status != 200:
            problems.append(f"status {status} for {url}")
        html_lang = page.get_attribute("html", "lang") or ""
        if not html_lang.startswith(lang):
            problems.append(f'<html lang="{html_lang}">, expected {lang}')
        if page.locator("main").count() == 0:
            problems.append("no <main> element")
        h1 = page.locator("main h1, h1").first
        if page.locator("h1").count() == 0 or not h1.inner_text().strip():
            problems.append("no (non-empty) h1")
        if spec.needs_table and page.locator("main table").count() == 0:
            problems.append("no table in <main>")
        if spec.needs_chart and page.locator("main figure.chart").count() == 0:
            problems.append("no chart (figure.chart) in <main>")
        if status == 200:
            if js:
                violations = _axe_violations(page)
            else:
                violations = _axe_violations_without_js(browser, url, console_errors)
            if violations:
                problems.append(
                    f"axe-core: {len(violations)} serious/critical violation(s):\n"
                    + _format_violations(violations)
                )
    finally:
        context.close()

    csp = [e for e in console_errors if "Content Security Policy" in e]
    if csp:
        problems.append("CSP violations:\n  " + "\n  ".join(csp))
    other = [e for e in console_errors if e not in csp]
    if other:
        problems.append("browser errors:\n  " + "\n  ".join(other))
    assert not problems, f"{url} ({mode}):\n" + "\n".join(problems)


def test_axe_is_vendored() -> None:
    """axe-core is vendored with its licence, so the browser tests need no network."""
    assert AXE_JS.exists()
    assert (AXE_JS.parent / "LICENSE").exists()
    version = json.loads((AXE_JS.parent / "package.json").read_text())["version"]
    assert version.startswith("4.")


def test_favicon(app_server: str) -> None:
    """Browsers ask every site for /favicon.ico; the site answers it (a 404 there is a console
    error on the first page a visitor opens)."""
    import urllib.error
    import urllib.request

    try:
        with urllib.request.urlopen(app_server + "/favicon.ico", timeout=30) as response:
            status = response.status
    except urllib.error.HTTPError as exc:
        status = exc.code
    assert status == 200, f"/favicon.ico answered {status}"


PHONE_PATHS = [
    *(spec.path for spec in PAGES),
    "/{lang}/indicators/",
    "/{lang}/countries/",
    "/{lang}/library/",
    "/{lang}/library/?country=IND&type=impact_evaluation",
    "/{lang}/library/ilo-ge-cl-2017-fr/",
    "/{lang}/library/saran-2020-megamap/",
    "/{lang}/library/dehoop-rosati-2014-wbro/history/",
    "/{lang}/evidence/?country=IND",
    "/{lang}/events/?when=past",
    "/{lang}/organisations/",
    "/{lang}/methods/progress/",
    "/{lang}/datasets/?country=PER",
    "/{lang}/indicators/SL_TLF_CHLDEA/embed/",
    "/{lang}/accounts/request/",
    "/{lang}/accounts/password-reset/",
]
# Public pages that answer with an error status on purpose.
PHONE_ERROR_PATHS = {"/{lang}/zz-no-such-page/": 404}


@pytest.mark.parametrize("lang", ["en", "fr", "es"])
def test_no_public_page_scrolls_sideways_on_a_phone(
    app_server: str, browser: Any, lang: str
) -> None:
    """At 360 px (without JavaScript, as the least capable phone) no public page is wider
    than the screen: long tables scroll inside their own box, long URLs, captions and option
    texts wrap (issue 9 item 4)."""
    context = browser.new_context(java_script_enabled=False, viewport={"width": 360, "height": 740})
    page = context.new_page()
    wide = {}
    try:
        for path, status in [*((p, 200) for p in PHONE_PATHS), *PHONE_ERROR_PATHS.items()]:
            url = app_server + path.format(lang=lang)
            response = page.goto(url)
            assert response is not None and response.status == status, url
            width = page.evaluate("document.documentElement.scrollWidth")
            if width > 360:
                wide[path] = width
    finally:
        context.close()
    assert wide == {}, f"wider than 360 px: {wide}"
