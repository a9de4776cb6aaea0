"""The site search in a real browser (issue 11): the results page in English and French passes
axe-core with JavaScript on and off and fits a 360 px phone; without JavaScript the form, the
facet checkboxes with their apply button and the pages of results work; with JavaScript the
header box suggests as you type, with the keyboard; the header box on any other page submits
to the results page. The server's index is built by conftest (manage.py search_reindex).
Screenshots go to var/screenshots/search-*.png."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import expect
from test_pages import _axe_violations, _axe_violations_without_js, _format_violations, _listen

pytestmark = pytest.mark.e2e

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / "var" / "screenshots"
QUERIES = {"en": "child labour", "fr": "travail des enfants"}
# The first number in "158 results for …" / "158 résultats pour …" (any digit grouping).
TOTAL = re.compile(r"\d[\d\s\u00a0\u202f,.]*")


def _total(page: Any) -> int:
    text = page.locator("#results-heading").inner_text()
    match = TOTAL.search(text)
    assert match, f"no count in the results heading: {text!r}"
    return int(re.sub(r"\D", "", match.group()))


def _query(url: str) -> dict[str, list[str]]:
    return parse_qs(urlsplit(url).query)


def _shot(page: Any, name: str, *, full_page: bool = True) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"search-{name}.png"), full_page=full_page)


@pytest.mark.parametrize("js", [True, False], ids=["js", "nojs"])
@pytest.mark.parametrize("lang", ["en", "fr"])
def test_results_page_is_accessible(app_server: str, browser: Any, lang: str, js: bool) -> None:
    """A query in the page's language: results with highlighted words, the page in that
    language, no serious or critical axe-core violation, no console or CSP error."""
    url = f"{app_server}/{lang}/search/?q={QUERIES[lang].replace(' ', '+')}"
    errors: list[str] = []
    context = browser.new_context(java_script_enabled=js, viewport={"width": 1280, "height": 900})
    try:
        page = context.new_page()
        _listen(page, errors)
        response = page.goto(url, wait_until="load", timeout=60_000)
        assert response is not None and response.status == 200, url
        _shot(page, f"{lang}-{'js' if js else 'nojs'}")
        assert (page.get_attribute("html", "lang") or "").startswith(lang)
        assert _total(page) >= 20, page.locator("#results-heading").inner_text()
        assert page.locator(".search-hits mark, .top-result mark").count() > 0, "no highlight"
        assert page.locator(".search-facets input[type=checkbox]").count() > 5
        violations = (
            _axe_violations(page) if js else _axe_violations_without_js(browser, url, errors)
        )
    finally:
        context.close()
    assert not violations, _format_violations(violations)
    assert not errors, "\n".join(errors)


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_results_and_suggestions_fit_a_phone(app_server: str, browser: Any, lang: str) -> None:
    """At 360 x 740 nothing scrolls sideways, the header's search box is on the first screen,
    wide enough to type in and on one row with the language switch, and the open suggestions
    stay inside the screen."""
    query = QUERIES[lang]
    errors: list[str] = []
    context = browser.new_context(viewport={"width": 360, "height": 740})
    try:
        page = context.new_page()
        _listen(page, errors)
        page.goto(f"{app_server}/{lang}/search/?q={query.replace(' ', '+')}", wait_until="load")
        _shot(page, f"{lang}-360")
        assert page.evaluate("document.documentElement.scrollWidth") <= 360

        box = page.locator("#site-search-q")
        expect(box).to_be_visible()
        input_box = box.bounding_box()
        assert input_box is not None
        assert input_box["x"] >= 0 and input_box["x"] + input_box["width"] <= 360, input_box
        assert input_box["y"] + input_box["height"] <= 200, input_box
        assert input_box["width"] >= 96, f"search box only {input_box['width']} px wide"
        button = page.locator(".site-search button[type=submit]").bounding_box()
        assert button is not None and button["x"] + button["width"] <= 360, button
        middle = input_box["y"] + input_box["height"] / 2
        for link in page.locator(".lang-switch a").all():
            lbox = link.bounding_box()
            assert lbox is not None and lbox["x"] + lbox["width"] <= 360, lbox
            assert lbox["y"] <= middle <= lbox["y"] + lbox["height"], (lbox, input_box)
            assert lbox["height"] >= 24 and lbox["width"] >= 24, lbox  # WCAG 2.5.8

        box.fill(query.split()[0][:5])
        listbox = page.get_by_role("listbox")
        expect(listbox).to_be_visible()
        lbox = listbox.bounding_box()
        assert lbox is not None and lbox["x"] >= 0 and lbox["x"] + lbox["width"] <= 360, lbox
        _shot(page, f"{lang}-360-suggestions", full_page=False)
        assert page.evaluate("document.documentElement.scrollWidth") <= 360
    finally:
        context.close()
    assert not errors, "\n".join(errors)


def test_results_page_works_without_javascript(app_server: str, browser: Any) -> None:
    """Without JavaScript: the page's own form searches; ticking two values of one facet and
    "Apply filters" gives their union (the sum of their counts); the pages keep the filters."""
    context = browser.new_context(
        java_script_enabled=False, viewport={"width": 1280, "height": 900}
    )
    try:
        page = context.new_page()
        page.goto(f"{app_server}/en/search/", wait_until="load")
        everything = _total(page)  # no words: everything, newest first
        page.locator("#q").fill("child labour")
        page.locator("form.search-form button[type=submit]").click()
        page.wait_for_url(re.compile(r"[?&]q=child\+labour"))
        assert "child labour" in page.locator("#results-heading").inner_text()
        total = _total(page)
        assert 40 < total < everything, (total, everything)

        facets = page.locator("form.search-facets")
        counts = {}
        for kind in ("publication", "news"):
            choice = facets.locator(f"input[name=kind][value={kind}]")
            choice.check()
            item = choice.locator("xpath=ancestor::li[1]")
            counts[kind] = int(re.sub(r"\D", "", item.locator(".count").first.inner_text()))
        facets.get_by_role("button", name="Apply filters").click()
        page.wait_for_url(re.compile(r"kind=news"))
        params = _query(page.url)
        assert params["q"] == ["child labour"] and sorted(params["kind"]) == ["news", "publication"]
        assert _total(page) == counts["publication"] + counts["news"] < total, counts
        kinds = page.locator(".search-hits .search-hit").evaluate_all(
            "hits => hits.map(h => h.className)"
        )
        assert kinds and all(
            "search-hit--publication" in k or "search-hit--news" in k for k in kinds
        ), kinds
        assert facets.locator("input[name=kind][value=news]").is_checked()
        _shot(page, "en-nojs-facets")

        pager = page.get_by_role("navigation", name="Pages of results")
        pager.locator("a[rel=next]").click()
        page.wait_for_url(re.compile(r"page=2"))
        params = _query(page.url)
        assert sorted(params["kind"]) == ["news", "publication"] and params["page"] == ["2"]
        expect(pager.locator("[aria-current=page]")).to_contain_text("2")
        first = page.locator("ol.search-hits").last.get_attribute("start")
        assert first is not None and int(first) > 1, first
        pager.locator("a[rel=prev]").click()
        page.wait_for_url(lambda url: "page=2" not in url)
        assert sorted(_query(page.url)["kind"]) == ["news", "publication"]
    finally:
        context.close()


def test_header_suggestions_with_the_keyboard(app_server: str, browser: Any) -> None:
    """On a country page the header box lists suggestions (an ARIA combobox): Down and Up move
    the active option, Escape closes the list, Enter opens the active suggestion. The open
    list passes axe-core."""
    errors: list[str] = []
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        page = context.new_page()
        _listen(page, errors)
        page.goto(f"{app_server}/en/countries/UGA/", wait_until="load")
        box = page.locator("#site-search-q")
        expect(box).to_have_attribute("role", "combobox")
        expect(box).to_have_attribute("aria-expanded", "false")
        with page.expect_response(lambda r: "/en/search/suggest/" in r.url) as answer:
            box.fill("child")
        suggestions = answer.value.json()
        assert len(suggestions) >= 2, suggestions
        listbox = page.get_by_role("listbox")
        options = listbox.get_by_role("option")
        expect(options).to_have_count(len(suggestions))
        expect(box).to_have_attribute("aria-expanded", "true")
        assert suggestions[0]["title"] in options.first.inner_text()
        expect(page.locator(".site-search [role=status]")).to_contain_text(str(len(suggestions)))

        def active() -> str | None:
            return box.get_attribute("aria-activedescendant")

        box.press("ArrowDown")
        expect(options.nth(0)).to_have_attribute("aria-selected", "true")
        assert active() == options.nth(0).get_attribute("id")
        box.press("ArrowDown")
        expect(options.nth(1)).to_have_attribute("aria-selected", "true")
        expect(options.nth(0)).to_have_attribute("aria-selected", "false")
        assert active() == options.nth(1).get_attribute("id")
        box.press("ArrowUp")
        expect(options.nth(0)).to_have_attribute("aria-selected", "true")
        assert active() == options.nth(0).get_attribute("id")
        _shot(page, "en-suggestions", full_page=False)
        violations = _axe_violations(page)

        box.press("Escape")
        expect(listbox).to_be_hidden()
        expect(box).to_have_attribute("aria-expanded", "false")
        assert active() is None
        assert box.input_value() == "child"  # the first Escape only closes the list

        box.press("ArrowDown")
        expect(options.nth(0)).to_have_attribute("aria-selected", "true")
        box.press("Enter")
        page.wait_for_url(app_server + suggestions[0]["url"])
        assert urlsplit(page.url).path == suggestions[0]["url"]
    finally:
        context.close()
    assert not violations, _format_violations(violations)
    assert not errors, "\n".join(errors)


@pytest.mark.parametrize(("lang", "js"), [("fr", True), ("en", False)], ids=["fr-js", "en-nojs"])
def test_header_box_submits_to_the_results_page(
    app_server: str, browser: Any, lang: str, js: bool
) -> None:
    """On a country page, Enter in the header box (with JavaScript: while its suggestions are
    open and none is chosen) opens the results page of that query in the same language."""
    query = QUERIES[lang]
    context = browser.new_context(java_script_enabled=js, viewport={"width": 1280, "height": 900})
    try:
        page = context.new_page()
        page.goto(f"{app_server}/{lang}/countries/UGA/", wait_until="load")
        box = page.locator("#site-search-q")
        box.fill(query)
        if js:
            expect(page.get_by_role("listbox")).to_be_visible()
        box.press("Enter")
        page.wait_for_url(re.compile(rf"/{lang}/search/\?"))
        assert _query(page.url) == {"q": [query]}
        assert page.locator("#q").input_value() == query
        assert query in page.locator("#results-heading").inner_text()
        assert _total(page) > 0
    finally:
        context.close()
