"""core.translations.services: permission first, validation, sanitising, audit."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError

from sdg87.core.models import Translation, TranslationAuditEntry
from sdg87.core.tests import translation_fixtures as fixtures
from sdg87.core.tests.translation_fixtures import CITATION, NAME_8_7_1, NAME_FR, user_with
from sdg87.core.translations.services import translation_clear, translation_set
from sdg87.core.translations.targets import Target

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("empty_translations")]

indicator = fixtures.indicator
empty_translations = fixtures.empty_translations
organisation = fixtures.organisation
translator = fixtures.translator


def _set(actor: Any, target: Target, **kwargs: Any) -> Translation:
    values = {"language": "fr", "text": NAME_FR, "origin": "publisher", "citation": CITATION}
    values.update(kwargs)
    return translation_set(actor=actor, target=target, **values)


def test_system_sets_a_translation_of_the_current_english(indicator: Any) -> None:
    """The system (actor None) writes the row with the English it translates and one audit
    entry naming nobody."""
    row = _set(None, Target.of(indicator, "name"))
    assert (row.text, row.origin, row.citation) == (NAME_FR, "publisher", CITATION)
    assert row.source_text == NAME_8_7_1
    assert row.reviewed_by is None
    entry = TranslationAuditEntry.objects.get()
    assert (entry.action, entry.language, entry.new_text, entry.actor) == (
        "set",
        "fr",
        NAME_FR,
        None,
    )
    assert entry.target == f"indicators.indicator:{indicator.pk}"


def test_a_person_needs_the_change_permission(indicator: Any) -> None:
    """Without core.change_translation (or anonymous) nothing is written; with it, the person
    is recorded as reviewer and in the audit entry."""
    for actor in (AnonymousUser(), user_with("add_translation", username="adder")):
        with pytest.raises(PermissionDenied):
            _set(actor, Target.of(indicator, "name"))
    assert not Translation.objects.exists() and not TranslationAuditEntry.objects.exists()
    editor = user_with("change_translation", username="editor")
    row = _set(editor, Target.of(indicator, "name"))
    assert row.reviewed_by == editor
    assert TranslationAuditEntry.objects.get().actor == editor


@pytest.mark.parametrize(
    ("target_field", "kwargs", "error_field"),
    [
        ("name", {"language": "en"}, "language"),
        ("name", {"language": "de"}, "language"),
        ("name", {"origin": "machine"}, "origin"),
        ("name", {"citation": "  "}, "citation"),
        ("name", {"text": "   "}, "text"),
        ("name", {"text": "bad\x00text"}, "text"),
        ("name", {"text": "x" * 20_001}, "text"),
        ("code", {}, "field"),  # a key, not a translatable text
        ("methodology", {"origin": "editorial"}, "field"),  # no English to translate
    ],
)
def test_refusals(indicator: Any, target_field: str, kwargs: Any, error_field: str) -> None:
    with pytest.raises(ValidationError) as info:
        _set(None, Target.of(indicator, target_field), **kwargs)
    assert error_field in info.value.message_dict
    assert not Translation.objects.exists()


def test_unknown_row_and_vocabulary_are_refused(indicator: Any) -> None:
    missing = Target(field="name", model_label="indicators.indicator", object_id=indicator.pk + 99)
    with pytest.raises(ValidationError) as info:
        _set(None, missing)
    assert "object_id" in info.value.message_dict
    with pytest.raises(ValidationError):
        _set(None, Target.of_term("colours", "Red"), origin="editorial")
    with pytest.raises(ValidationError):
        _set(None, Target.of_term("dol-good", " "), origin="editorial")


def test_unchanged_text_is_not_audited_again_and_a_change_is(indicator: Any) -> None:
    target = Target.of(indicator, "name")
    first = _set(None, target)
    again = _set(None, target)
    assert again.pk == first.pk and TranslationAuditEntry.objects.count() == 1
    _set(None, target, text="Autre texte", origin="editorial", citation="")
    entry = TranslationAuditEntry.objects.order_by("-id").first()
    assert entry is not None
    assert (entry.old_text, entry.new_text, entry.origin) == (NAME_FR, "Autre texte", "editorial")
    assert Translation.objects.count() == 1


def test_html_fields_are_sanitised(organisation: Any) -> None:
    """An organisation description is HTML: the translation is sanitised like the English."""
    row = _set(
        None,
        Target.of(organisation, "description"),
        text='<p onclick="x()">À propos<script>alert(1)</script></p>',
        origin="editorial",
        citation="",
    )
    assert row.text == "<p>À propos</p>"


def test_plain_fields_keep_their_text_as_typed(indicator: Any) -> None:
    row = _set(None, Target.of(indicator, "name"), text="<b>x</b>", origin="editorial")
    assert row.text == "<b>x</b>"  # escaped when rendered, not rewritten


def test_vocabulary_terms(db: None) -> None:
    """A term of a vocabulary is its own English; a code-keyed term takes its English."""
    good = _set(None, Target.of_term("dol-good", "Cocoa"), text="Cacao", origin="editorial")
    assert (good.content_type, good.object_id, good.source_text) == (None, None, "Cocoa")
    target = _set(
        None,
        Target.of_term("sdg-target", "8.7"),
        text="Prendre des mesures",
        source_text="Take immediate and effective measures",
    )
    assert target.source_text == "Take immediate and effective measures"


def test_clear_needs_the_delete_permission_and_is_audited(indicator: Any, translator: Any) -> None:
    target = Target.of(indicator, "name")
    _set(None, target)
    with pytest.raises(PermissionDenied):
        translation_clear(
            actor=user_with("change_translation", username="c"), target=target, language="fr"
        )
    assert translation_clear(actor=translator, target=target, language="fr") is True
    assert not Translation.objects.exists()
    entry = TranslationAuditEntry.objects.order_by("-id").first()
    assert entry is not None
    assert (entry.action, entry.old_text, entry.actor) == ("clear", NAME_FR, translator)
    assert translation_clear(actor=translator, target=target, language="fr") is False


def test_one_translation_per_field_and_language(indicator: Any) -> None:
    """French and Spanish are separate rows; setting French twice keeps one row."""
    target = Target.of(indicator, "name")
    _set(None, target)
    _set(None, target, language="es", text="Proporción", origin="editorial")
    _set(None, target, text="Encore", origin="editorial")
    assert sorted(Translation.objects.values_list("language", "text")) == [
        ("es", "Proporción"),
        ("fr", "Encore"),
    ]
