"""The evidence map pages in en/fr/es: an accessible table, cells that open their studies with
quoted findings, links to statistics, the methodology, and the blocks for other pages."""

from __future__ import annotations

import re

import pytest
from django.template.loader import render_to_string

from sdg87.library.evidence_selectors import evidence_for_country, evidence_for_series
from sdg87.library.tests.evidence_fixtures import T_QUOTE, ev_places, make_study  # noqa: F401

pytestmark = pytest.mark.django_db

CELL = "/{lang}/evidence/cell/?intervention=cash_transfers&outcome=child_labour_incidence"
# empty in the bundled data; the test studies of evidence_fixtures go there
EMPTY_CELL = (
    "/en/evidence/cell/?intervention=legal_and_policy_reform&outcome=trafficking_victims_identified"
)


@pytest.mark.parametrize("lang", ["en", "fr", "es"])
def test_the_map_is_a_table_with_headers_in_each_language(client, bundled_data, lang) -> None:
    response = client.get(f"/{lang}/evidence/")
    assert response.status_code == 200
    html = response.content.decode()
    assert f'<html lang="{lang}">' in html
    # a scroll box of its own, reachable by keyboard, named by the caption
    assert re.search(
        r'<div class="table-wrap evidence-wrap" tabindex="0" role="region" '
        r'aria-labelledby="evidence-caption">',
        html,
    )
    assert html.count('<th scope="row">') == 11 + 1  # interventions and the totals row
    assert html.count('<th scope="col"') == 1 + 8 + 1  # corner, outcomes, totals
    # the cash transfers x child labour cell links to its studies, in the page's language
    link = f"/{lang}/evidence/cell/?intervention=cash_transfers&amp;outcome=child_labour_incidence"
    assert f'href="{link}"' in html
    # outcome columns link to the statistics that measure them
    assert f'href="/{lang}/indicators/SL_TLF_CHLDEA/"' in html
    assert f'href="/{lang}/indicators/VC_HTF_DETV/"' in html


def test_a_cell_shows_counts_designs_directions_and_gaps_in_words(client, bundled_data) -> None:
    html = client.get("/en/evidence/").content.decode()
    cell = html.split('intervention=cash_transfers&amp;outcome=child_labour_incidence">')[1]
    cell = cell.split("</td>")[0]
    assert cell.startswith("26 studies")
    assert '12&nbsp;<abbr title="Randomised controlled trial">RCT</abbr>' in cell
    assert '9&nbsp;<abbr title="Quasi-experimental">QE</abbr>' in cell
    assert '<span class="visually-hidden">Reduced:</span>&nbsp;12' in cell
    assert "No systematic review" not in cell
    # awareness x forced labour: studies, no review -> the synthesis gap in words
    aware = html.split("outcome=forced_labour_incidence")[1].split("</td>")[0]
    assert "4 studies" in aware and "No systematic review" in aware
    assert html.count(">No study</span>") >= 56  # the 56 empty cells (and the legend)
    assert "104 studies on the map" in html
    assert "56 cells with no study" in html
    assert "26 cells with studies but no systematic review" in html


def test_the_filter_form_and_filtered_map(client, bundled_data) -> None:
    html = client.get("/en/evidence/?country=IND").content.decode()
    assert "14 studies on the map" in html
    assert '<option value="IND" selected>' in html
    # cell links keep the filters
    assert (
        "intervention=awareness_and_community_mobilisation&amp;outcome=forced_labour_incidence&amp;country=IND"
        in html
    )
    assert "Population (children, adults, migrant workers, survivors) is not coded yet" in html
    html = client.get(
        "/en/evidence/?region=ILO_AFRICA&form=child_labour&year_from=2010&year_to=2020"
    ).content.decode()
    assert 'value="ILO_AFRICA" selected' in html
    assert 'value="child_labour" checked' in html


def test_a_bad_filter_is_a_400_with_a_message(client, bundled_data) -> None:
    response = client.get("/en/evidence/?country=ZZZ")
    assert response.status_code == 400
    assert "Unknown country: ZZZ." in response.content.decode()
    assert "evidence-map" not in response.content.decode()


@pytest.mark.parametrize("lang", ["en", "fr", "es"])
def test_the_cell_page_lists_its_studies_with_quoted_findings(client, bundled_data, lang) -> None:
    response = client.get(CELL.format(lang=lang))
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count('<li class="evidence-study">') == 26
    assert html.count("<blockquote") == 26
    assert (
        "<p>“We find no evidence that cash transfer interventions increase child labor in "
        "practice”</p></blockquote>" in html
    )
    assert 'cite="https://doi.org/10.1093/wbro/lku003"' in html
    assert f'href="/{lang}/library/dehoop-rosati-2014-wbro/"' in html
    assert f'href="/{lang}/indicators/SL_TLF_CHLDEC/"' in html


def test_cell_page_errors(client, bundled_data) -> None:
    assert client.get("/en/evidence/cell/?intervention=cash_transfers").status_code == 404
    assert client.get("/en/evidence/cell/?intervention=x&outcome=other").status_code == 404
    bad = CELL.format(lang="en") + "&region=NOWHERE"
    assert client.get(bad).status_code == 404


def test_an_empty_cell_says_it_is_a_gap(client, bundled_data) -> None:
    html = client.get(EMPTY_CELL).content.decode()
    assert "an absolute gap" in html
    assert "<blockquote" not in html


def test_unverified_and_hidden_studies_are_not_on_the_pages(client, bundled_data) -> None:
    """A test study in the empty cell shows while public; an unverified one and an
    organisation-only one never do."""
    url = EMPTY_CELL
    make_study(slug="t-ev-unverified", verified=False, quote="t-ev unverified quote")
    make_study(slug="t-ev-members", visibility="organisation", quote="t-ev members quote")
    html = client.get(url).content.decode()
    assert "t-ev unverified quote" not in html and "t-ev members quote" not in html
    assert "104 studies on the map" in client.get("/en/evidence/").content.decode()
    make_study(slug="t-ev-shown")
    html = client.get(url).content.decode()
    assert T_QUOTE in html and 'href="/en/library/t-ev-shown/"' in html
    assert "105 studies on the map" in client.get("/en/evidence/").content.decode()


@pytest.mark.parametrize("lang", ["en", "fr", "es"])
def test_the_methodology_page(client, bundled_data, lang) -> None:
    response = client.get(f"/{lang}/evidence/methodology/")
    assert response.status_code == 200
    html = response.content.decode()
    # categories with the frameworks they map to, each framework with its source
    assert 'id="intervention-cash_transfers"' in html
    assert 'id="outcome-child_labour_incidence"' in html
    assert (
        '<a href="http://www.ucw-project.org/inventory-impact-evaluation.aspx" lang="en">' in html
    )
    assert html.count('<li id="fw-') == 17
    assert "schroeder" not in html.lower()  # an unverified framework
    assert 'id="population"' in html
    assert f'href="/{lang}/indicators/VC_HTF_DETV/"' in html


def test_the_methodology_explains_gaps_not_stated_and_counts(client, bundled_data) -> None:
    html = client.get("/en/evidence/methodology/").content.decode()
    assert "104 verified studies" in html
    assert "It does not mean “no effect”." in html
    assert "an absolute gap" in html and "a synthesis gap" in html
    assert "Population coding is not yet available" in html
    # 26 RCTs among the 104 verified rows; 16 systematic reviews; 57 - 1 ... by direction:
    assert re.search(r"Randomised controlled trial</th><td>RCT</td><td class=\"num\">26<", html)
    assert re.search(r"Systematic review</th><td>SR</td><td class=\"num\">16<", html)


def test_the_country_block(bundled_data) -> None:
    html = render_to_string(
        "library/evidence/_country_block.html", {"evidence": evidence_for_country(iso3="IND")}
    )
    assert "14 verified studies about India are on the evidence map." in html
    assert (
        '<th scope="row">Awareness raising and community mobilisation</th><td class="num">5</td>'
        in html
    )
    assert "Cash transfers" in html.split("Gaps for India")[1]
    assert 'href="/en/evidence/?country=IND"' in html
    assert (
        render_to_string("library/evidence/_country_block.html", {"evidence": None}).strip() == ""
    )


def test_the_country_block_without_studies(bundled_data, ev_places) -> None:  # noqa: F811
    html = render_to_string(
        "library/evidence/_country_block.html", {"evidence": evidence_for_country(iso3="ZZE")}
    )
    assert "No verified study about T-Evidenceland is on the evidence map yet." in html
    assert "?country=ZZE" not in html


def test_the_series_block(bundled_data) -> None:
    html = render_to_string(
        "library/evidence/_series_block.html",
        {"evidence": evidence_for_series(code="SL_TLF_CHLDEA")},
    )
    assert "57 verified studies on the evidence map look at the outcomes" in html
    link = "/en/evidence/cell/?intervention=cash_transfers&amp;outcome=child_labour_incidence"
    assert f'href="{link}">26 studies</a>' in html
    assert render_to_string("library/evidence/_series_block.html", {"evidence": None}).strip() == ""
