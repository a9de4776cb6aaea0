"""Writing translations (ADR 0008): permission first, validated, audited, data version bumped.

`actor=None` is the system (the `load_translations` command): it needs no permission and is
recorded as nobody. A signed-in actor needs `core.change_translation` to set and
`core.delete_translation` to clear; who set a translation is kept as its `reviewed_by`.
"""

from __future__ import annotations

from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sdg87.core.actors import Actor, signed_in_user
from sdg87.core.cache import data_version_bump
from sdg87.core.html import sanitise_html
from sdg87.core.models import Translation, TranslationAuditEntry, TranslationOrigin
from sdg87.core.textsafe import bad_reason
from sdg87.core.translations.registry import (
    VOCABULARIES,
    field_allowed,
    is_html,
    target_languages,
)
from sdg87.core.translations.targets import Target

MAX_TEXT = 20_000


def _require(actor: Actor | None, permission: str) -> None:
    if actor is not None and not actor.has_perm(permission):
        raise PermissionDenied(_("You may not change translations."))


def _english(target: Target) -> str:
    """The text being translated: the row's field as stored now (ValidationError when the row
    or the field is not translatable), or the term itself for a vocabulary."""
    if target.is_term:
        if target.field not in VOCABULARIES:
            raise ValidationError({"field": _("Unknown vocabulary.")})
        if not target.term.strip():
            raise ValidationError({"term": _("A vocabulary translation needs its term.")})
        return target.term
    if not field_allowed(target.model_label, target.field):
        raise ValidationError({"field": _("This field cannot be translated.")})
    model = target.content_type().model_class()
    if model is None:
        raise ValidationError({"field": _("This field cannot be translated.")})
    try:
        obj = model._default_manager.get(pk=target.object_id)
    except ObjectDoesNotExist:
        raise ValidationError({"object_id": _("No such record.")}) from None
    return str(getattr(obj, target.field) or "")


def _clean_text(target: Target, text: str) -> str:
    if bad_reason(text) is not None:
        raise ValidationError(
            {"text": _("The translation contains characters that cannot be stored.")}
        )
    cleaned = text.strip()
    if not target.is_term and is_html(target.model_label, target.field):
        cleaned = sanitise_html(cleaned)
    if not cleaned:
        raise ValidationError({"text": _("The translation is empty.")})
    if len(cleaned) > MAX_TEXT:
        raise ValidationError(
            {"text": _("The translation is longer than %(max)d characters.") % {"max": MAX_TEXT}}
        )
    return cleaned


@transaction.atomic
def translation_set(
    *,
    actor: Actor | None,
    target: Target,
    language: str,
    text: str,
    origin: str,
    citation: str = "",
    source_text: str | None = None,
) -> Translation:
    """Store `text` as the `language` version of `target`. A publisher's version must cite the
    document it is quoted from. `source_text` (the English translated) defaults to the row's
    current English, or the term; pass it for a vocabulary whose terms are codes (an SDG
    target's number). An unchanged translation is not written again (no audit entry)."""
    _require(actor, "core.change_translation")
    if language not in target_languages():
        raise ValidationError({"language": _("Translations are written in French or Spanish.")})
    if origin not in TranslationOrigin.values:
        raise ValidationError({"origin": _("Unknown origin.")})
    citation = citation.strip()
    if origin == TranslationOrigin.PUBLISHER and not citation:
        raise ValidationError(
            {"citation": _("Name the publisher's document this translation is quoted from.")}
        )
    english = _english(target)
    if source_text is None:
        source_text = english
    if not source_text.strip():
        raise ValidationError({"field": _("There is no English text to translate.")})
    cleaned = _clean_text(target, text)
    lookup = {**target.lookup(), "language": language}
    existing = Translation.objects.select_for_update().filter(**lookup).first()
    reviewer = signed_in_user(actor)
    new_values = {
        "text": cleaned,
        "origin": origin,
        "citation": citation,
        "source_text": source_text,
    }
    if existing is not None and all(getattr(existing, k) == v for k, v in new_values.items()):
        return existing
    old_text = existing.text if existing is not None else ""
    row = existing or Translation(**lookup)
    for name, value in new_values.items():
        setattr(row, name, value)
    row.reviewed_by = reviewer
    row.updated_at = timezone.now()
    row.full_clean(validate_constraints=False)
    row.save()
    TranslationAuditEntry.objects.create(
        target=target.label(),
        field=target.field,
        language=language,
        action=TranslationAuditEntry.Action.SET,
        origin=origin,
        old_text=old_text,
        new_text=cleaned,
        actor=reviewer,
    )
    data_version_bump()
    return row


@transaction.atomic
def translation_clear(*, actor: Actor | None, target: Target, language: str) -> bool:
    """Remove the `language` version of `target` (pages show the marked English again).
    Returns False when there was none."""
    _require(actor, "core.delete_translation")
    lookup = {**target.lookup(), "language": language}
    existing = Translation.objects.select_for_update().filter(**lookup).first()
    if existing is None:
        return False
    TranslationAuditEntry.objects.create(
        target=target.label(),
        field=target.field,
        language=language,
        action=TranslationAuditEntry.Action.CLEAR,
        origin=existing.origin,
        old_text=existing.text,
        actor=signed_in_user(actor),
    )
    existing.delete()
    data_version_bump()
    return True
