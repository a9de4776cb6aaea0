"""core.translations.selectors and the {% translated %} tags: what a page shows, in which
language, with which mark."""

from __future__ import annotations

from typing import Any

import pytest
from django.template import Context, Template
from django.utils import translation

from sdg87.core.tests import translation_fixtures as fixtures
from sdg87.core.tests.translation_fixtures import CITATION, NAME_8_7_1, NAME_FR
from sdg87.core.translations.selectors import (
    term_translated,
    translated,
    translation_counts,
    translations_prefetch,
)
from sdg87.core.translations.services import translation_set
from sdg87.core.translations.targets import Target
from sdg87.indicators.models import Indicator

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("empty_translations")]
empty_translations = fixtures.empty_translations

indicator = fixtures.indicator
organisation = fixtures.organisation
other_indicator = fixtures.other_indicator


def _publisher_fr(indicator: Indicator) -> None:
    translation_set(
        actor=None,
        target=Target.of(indicator, "name"),
        language="fr",
        text=NAME_FR,
        origin="publisher",
        citation=CITATION,
    )


def _render(source: str, language: str, **context: Any) -> str:
    with translation.override(language):
        return Template("{% load translated %}" + source).render(Context(context))


# --- selectors ------------------------------------------------------------------------------


def test_english_page_shows_the_english(indicator: Indicator) -> None:
    _publisher_fr(indicator)
    shown = translated(indicator, "name", language="en")
    assert (shown.text, shown.language, shown.fallback, shown.origin) == (
        NAME_8_7_1,
        "en",
        False,
        "original",
    )


def test_french_page_shows_the_publishers_version(indicator: Indicator) -> None:
    _publisher_fr(indicator)
    shown = translated(Indicator.objects.get(pk=indicator.pk), "name", language="fr")
    assert (shown.text, shown.language, shown.origin, shown.citation, shown.fallback) == (
        NAME_FR,
        "fr",
        "publisher",
        CITATION,
        False,
    )


def test_missing_translation_falls_back_to_marked_english(indicator: Indicator) -> None:
    _publisher_fr(indicator)
    shown = translated(indicator, "name", language="es")
    assert (shown.text, shown.language, shown.page_language, shown.fallback, shown.stale) == (
        NAME_8_7_1,
        "en",
        "es",
        True,
        False,
    )
    assert shown.differs


def test_translation_of_older_english_is_not_shown(indicator: Indicator) -> None:
    """An editor corrected the English after it was translated: the translation is out of
    date, so the page shows the new English, marked, rather than a translation of the old."""
    _publisher_fr(indicator)
    Indicator.objects.filter(pk=indicator.pk).update(name="Corrected English name")
    shown = translated(Indicator.objects.get(pk=indicator.pk), "name", language="fr")
    assert (shown.text, shown.fallback, shown.stale) == ("Corrected English name", True, True)
    # whitespace-only differences (line wrapping of the stored English) do not count
    Indicator.objects.filter(pk=indicator.pk).update(name=NAME_8_7_1.replace(" ", "  ", 1))
    assert translated(Indicator.objects.get(pk=indicator.pk), "name", language="fr").text == (
        NAME_FR
    )


def test_json_translations_are_editorial_and_the_table_wins(indicator: Indicator) -> None:
    """The `translations` JSON shipped with the indicator metadata is read after the table,
    as an editorial translation."""
    Indicator.objects.filter(pk=indicator.pk).update(
        translations={"fr": {"name": "Nom JSON"}, "es": {"name": "Nombre JSON"}}
    )
    fresh = Indicator.objects.get(pk=indicator.pk)
    assert translated(fresh, "name", language="es").text == "Nombre JSON"
    assert translated(fresh, "name", language="es").origin == "editorial"
    _publisher_fr(indicator)
    fresh = Indicator.objects.get(pk=indicator.pk)
    assert translated(fresh, "name", language="fr").origin == "publisher"


def test_text_in_another_source_language(mini_catalog: Any) -> None:
    """A dataset written in French is original on a French page and a marked French fallback
    on an English or Spanish one."""
    dataset = mini_catalog.public
    dataset.language = "fr"
    shown_fr = translated(dataset, "title", language="fr")
    assert (shown_fr.fallback, shown_fr.language) == (False, "fr")
    shown_en = translated(dataset, "title", language="en")
    assert (shown_en.fallback, shown_en.language, shown_en.page_language) == (True, "fr", "en")


def test_empty_field_and_none(indicator: Indicator) -> None:
    assert translated(indicator, "methodology", language="fr").fallback is False
    assert translated(None, "name", language="fr").text == ""


def test_prefetch_loads_many_objects_in_one_query(
    indicator: Indicator, other_indicator: Indicator, django_assert_num_queries: Any
) -> None:
    _publisher_fr(indicator)
    rows = list(Indicator.objects.filter(pk__in=[indicator.pk, other_indicator.pk]).order_by("pk"))
    with django_assert_num_queries(1):
        translations_prefetch(rows, language="fr")
    with django_assert_num_queries(0):
        shown = [translated(row, "name", language="fr") for row in rows]
    assert [s.fallback for s in shown] == [False, True]


def test_terms(db: None) -> None:
    translation_set(
        actor=None,
        target=Target.of_term("dol-good", "Cocoa"),
        language="fr",
        text="Cacao",
        origin="editorial",
    )
    translation_set(
        actor=None,
        target=Target.of_term("sdg-target", "8.7"),
        language="es",
        text="Adoptar medidas",
        origin="publisher",
        citation=CITATION,
        source_text="Take immediate and effective measures",
    )
    assert term_translated("dol-good", "Cocoa", language="fr").text == "Cacao"
    assert term_translated("dol-good", "Cocoa", language="fr").is_editorial
    assert term_translated("dol-good", "Cocoa", language="en").text == "Cocoa"
    unknown = term_translated("dol-good", "Cotton", language="fr")
    assert (unknown.text, unknown.fallback, unknown.language) == ("Cotton", True, "en")
    # a vocabulary keyed by code shows its English on English pages
    assert term_translated("sdg-target", "8.7", language="en").text == (
        "Take immediate and effective measures"
    )
    assert term_translated("sdg-target", "8.7", language="es").origin == "publisher"
    assert term_translated("sdg-target", "8.7", language="fr").fallback is True
    assert translation_counts() == {("editorial", "fr"): 1, ("publisher", "es"): 1}


# --- template tags --------------------------------------------------------------------------


def test_tag_publisher_version_has_lang_and_no_note(indicator: Indicator) -> None:
    _publisher_fr(indicator)
    html = _render('{% translated obj "name" %}', "fr", obj=indicator)
    escaped = NAME_FR.replace("'", "&#x27;")
    assert html == f'<span lang="fr">{escaped}</span>'


def test_tag_fallback_is_marked_in_the_page_language(indicator: Indicator) -> None:
    html = _render('{% translated obj "name" %}', "fr", obj=indicator)
    assert html.startswith(f'<span lang="en">{NAME_8_7_1}</span> ')
    assert '<small class="muted translation-note" lang="fr">(' in html
    assert html.endswith(")</small>")
    english = _render('{% translated obj "name" %}', "en", obj=indicator)
    assert english == f'<span lang="en">{NAME_8_7_1}</span>'


def test_tag_fallback_note_names_the_languages(indicator: Indicator) -> None:
    from sdg87.core.templatetags.translated import note

    with translation.override("en"):
        shown = translated(indicator, "name", language="es")
        assert "(English — no Spanish translation yet)" in note(shown)


def test_tag_editorial_note_and_mark_false(indicator: Indicator) -> None:
    translation_set(
        actor=None,
        target=Target.of(indicator, "definition"),
        language="es",
        text="Niños <de> 5 a 17 años.\n\nSegundo párrafo.",
        origin="editorial",
    )
    with translation.override("en"):  # the note's English msgid
        from sdg87.core.templatetags.translated import note

        assert "Editorial translation" in note(translated(indicator, "definition", language="es"))
    inline = _render('{% translated obj "definition" %}', "es", obj=indicator)
    assert inline.startswith('<span lang="es">Niños &lt;de&gt; 5 a 17 años.')
    assert 'class="muted translation-note" lang="es"' in inline
    bare = _render('{% translated obj "definition" mark=False %}', "es", obj=indicator)
    assert "translation-note" not in bare and bare.startswith('<span lang="es">')
    block = _render('{% translated obj "definition" block=True mark=False %}', "es", obj=indicator)
    assert block == (
        '<div lang="es"><p>Niños &lt;de&gt; 5 a 17 años.</p>\n\n<p>Segundo párrafo.</p></div>'
    )
    cut = _render('{% translated obj "definition" words=2 mark=False %}', "es", obj=indicator)
    assert cut == '<span lang="es">Niños &lt;de&gt; …</span>'


def test_tag_as_variable(indicator: Indicator) -> None:
    html = _render(
        '{% translated obj "name" as t %}<h1{{ t.lang_attr }}>{{ t.text }}</h1>{{ t.note }}',
        "fr",
        obj=indicator,
    )
    assert html.startswith(f'<h1 lang="en">{NAME_8_7_1}</h1> <small')
    _publisher_fr(indicator)
    fresh = Indicator.objects.get(pk=indicator.pk)
    html = _render(
        '{% translated obj "name" as t %}<h1{{ t.lang_attr }}>{{ t }}</h1>', "fr", obj=fresh
    )
    assert html.startswith('<h1><span lang="fr">Proportion et nombre')


def test_tag_html_field_is_sanitised(organisation: Any) -> None:
    translation_set(
        actor=None,
        target=Target.of(organisation, "description"),
        language="fr",
        text="<p>À propos</p>",
        origin="editorial",
    )
    html = _render('{% translated obj "description" mark=False %}', "fr", obj=organisation)
    assert html == '<div lang="fr"><p>À propos</p></div>'
    organisation.description = "<p>About <script>alert(1)</script></p>"
    english = _render('{% translated obj "description" %}', "en", obj=organisation)
    assert english == '<div lang="en"><p>About </p></div>'


def test_text_filter_and_none(indicator: Indicator) -> None:
    _publisher_fr(indicator)
    assert _render('{{ obj|translated_text:"name" }}', "fr", obj=indicator) == (
        "Proportion et nombre d&#x27;enfants âgés de 5 à 17 ans qui travaillent, par sexe et âge"
    )
    assert _render('{% translated obj "name" %}', "fr", obj=None) == '<span lang="fr"></span>'


def test_term_tag_reads_the_vocabulary_once(db: None, django_assert_num_queries: Any) -> None:
    for good, french in (("Cocoa", "Cacao"), ("Cotton", "Coton")):
        translation_set(
            actor=None,
            target=Target.of_term("dol-good", good),
            language="fr",
            text=french,
            origin="editorial",
        )
    template = (
        '{% for g in goods %}{% translated_term "dol-good" g mark=False %};{% endfor %}'
        "{% editorial_note %}"
    )
    with django_assert_num_queries(1):
        html = _render(template, "fr", goods=["Cocoa", "Cotton", "Bricks"])
    assert html.startswith(
        '<span lang="fr">Cacao</span>;<span lang="fr">Coton</span>;<span lang="en">Bricks</span>;'
    )
    assert html.endswith("</small>") and 'lang="fr"' in html
    assert _render("{% editorial_note %}", "en") == ""


def test_list_note_gives_each_note_once(indicator: Indicator, other_indicator: Indicator) -> None:
    """Two untranslated items and one editorial: one fallback note and one editorial note."""
    third = Indicator.objects.create(code="X5.3.1", name="Child marriage")
    translation_set(
        actor=None,
        target=Target.of(third, "name"),
        language="fr",
        text="Mariage des enfants",
        origin="editorial",
    )
    items = [indicator, other_indicator, Indicator.objects.get(pk=third.pk)]
    html = _render('{% list_note items "name" %}', "fr", items=items)
    assert html.count("<small") == 2
    assert _render('{% list_note items "name" %}', "en", items=items) == ""
    assert _render('{% list_note items "name" %}', "fr", items=[]) == ""


def test_prefetch_tag_reads_a_list_in_one_query(
    indicator: Indicator, other_indicator: Indicator, django_assert_num_queries: Any
) -> None:
    items = list(Indicator.objects.filter(pk__in=[indicator.pk, other_indicator.pk]).order_by("pk"))
    source = (
        "{% prefetch_translations items %}"
        '{% for i in items %}{% translated i "name" mark=False %}{% endfor %}'
        '{% list_note items "name" %}'
    )
    with django_assert_num_queries(1):
        html = _render(source, "fr", items=items)
    assert html.count('<span lang="en">') == 2 and html.count("<small") == 1
