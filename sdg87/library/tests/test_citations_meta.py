"""Highwire citation_* tags, schema.org JSON-LD (records, events, news) and the template
tags that put them and the cite block in pages."""

import json
import re
from datetime import UTC, datetime

from django.template import Context, Template
from django.utils import translation

from sdg87.library.citations.jsonld import (
    event_jsonld,
    news_article_jsonld,
    record_jsonld,
    script_json,
)
from sdg87.library.citations.meta import highwire_tags
from sdg87.library.citations.record import CitationRecord, Issued, Organisation
from sdg87.library.resource_types import DATASET
from sdg87.library.tests.citation_fixtures import ARTICLE, HOSTILE, ILO_REPORT


def test_highwire_tags_of_a_report():
    record = ILO_REPORT.__class__(**{**ILO_REPORT.__dict__, "pdf_url": "https://x.test/f.pdf"})
    assert highwire_tags(record) == [
        ("citation_title", "Global estimates of child labour: Results and trends, 2012-2016"),
        ("citation_author", "International Labour Organization"),
        ("citation_publication_date", "2017/09/19"),
        ("citation_technical_report_institution", "International Labour Office"),
        ("citation_publisher", "International Labour Office"),
        ("citation_isbn", "978-92-2-130152-3"),
        ("citation_isbn", "978-92-2-130153-0"),
        ("citation_pdf_url", "https://x.test/f.pdf"),
        ("citation_language", "en"),
    ]


def test_highwire_tags_of_an_article_have_one_author_each_and_the_journal():
    tags = highwire_tags(ARTICLE)
    assert [v for k, v in tags if k == "citation_author"] == [
        "Kazianga, Harounan",
        "de Walque, Damien",
        "Alderman, Harold",
    ]
    assert ("citation_journal_title", "Journal of African Economies") in tags
    assert ("citation_firstpage", "723") in tags and ("citation_lastpage", "760") in tags
    assert ("citation_doi", "10.1093/jae/ejs010") in tags
    assert not any(k == "citation_technical_report_institution" for k, _ in tags)


def test_jsonld_types_come_from_the_resource_type_table():
    assert record_jsonld(ILO_REPORT)["@type"] == "Report"
    article = record_jsonld(ARTICLE)
    assert article["@type"] == "ScholarlyArticle"
    assert article["isPartOf"] == {"@type": "Periodical", "name": "Journal of African Economies"}
    assert article["author"][1] == {
        "@type": "Person",
        "name": "Damien de Walque",
        "familyName": "de Walque",
        "givenName": "Damien",
    }
    dataset = record_jsonld(
        CitationRecord(
            type=DATASET, title="D", creators=(Organisation("O"),), issued=Issued(2024), version="2"
        )
    )
    assert dataset["@type"] == "Dataset" and dataset["creator"] == [
        {"@type": "Organization", "name": "O"}
    ]
    assert dataset["version"] == "2" and "author" not in dataset


def test_script_json_cannot_close_the_script_element():
    text = script_json(record_jsonld(HOSTILE))
    assert "</script" not in text and "<" not in text and ">" not in text
    assert json.loads(text)["name"] == HOSTILE.title


def test_event_and_news_article_builders():
    start = datetime(2026, 6, 12, 9, 0, tzinfo=UTC)
    event = event_jsonld(
        name="World Day Against Child Labour",
        start=start,
        url="https://x.test/e",
        place_name="Geneva",
        online_url="https://x.test/live",
        organiser="ILO",
    )
    assert event["@type"] == "Event"
    assert event["startDate"] == "2026-06-12T09:00:00+00:00"
    assert event["eventAttendanceMode"] == "https://schema.org/MixedEventAttendanceMode"
    assert event["location"][1] == {"@type": "VirtualLocation", "url": "https://x.test/live"}
    assert event["organizer"] == {"@type": "Organization", "name": "ILO"}
    news = news_article_jsonld(
        headline="x" * 200,
        url="https://x.test/n",
        date_published="2026-01-02",
        publisher="Alliance 8.7",
    )
    assert news["@type"] == "NewsArticle" and len(news["headline"]) == 110
    assert news["publisher"] == {"@type": "Organization", "name": "Alliance 8.7"}


def test_citation_meta_tag_escapes_values():
    html = Template("{% load citations %}{% citation_meta record %}").render(
        Context({"record": HOSTILE})
    )
    assert (
        '<meta name="citation_title" content="&lt;script&gt;alert(1)&lt;/script&gt; '
        '&amp; 100% of R_&amp;_D {x} ~ $5 #1 ^ \\end">'
    ) in html
    assert html.count('name="citation_author"') == 2
    assert "<script>" not in html


def test_jsonld_tag_carries_the_nonce_and_accepts_plain_dicts():
    template = Template("{% load citations %}{% jsonld data %}")
    html = template.render(Context({"data": HOSTILE, "csp_nonce": "abc"}))
    assert html.startswith('<script type="application/ld+json" nonce="abc">')
    assert html.count("</script>") == 1
    match = re.search(r">(.*)</script>", html, re.S)
    assert match is not None
    assert json.loads(match.group(1))["@type"] == "Report"
    html = template.render(Context({"data": {"@type": "Event", "name": "a</script>"}}))
    assert html == (
        '<script type="application/ld+json">'
        '{"@type": "Event", "name": "a\\u003C/script\\u003E"}</script>'
    )


def test_cite_block_renders_the_three_styles_in_the_current_language():
    template = Template("{% load citations %}{% cite_block record %}")
    with translation.override("fr"):
        html = template.render(Context({"record": ARTICLE}))
    assert html.count("<dt>") == 3
    assert "Kazianga, Harounan, Damien de Walque, et Harold Alderman. 2012." in html
    assert "Disponible sur: https://doi.org/10.1093/jae/ejs010." in html
    assert "<script" not in html
    with translation.override("es"):
        html = template.render(Context({"record": HOSTILE}))
    assert "&lt;script&gt;" in html and "<script>" not in html
