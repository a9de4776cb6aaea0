"""Translations of content in the Wagtail admin (ADR 0008), under "Translations".

Who owns what:
- Translation: editors with the `core` add, change and delete translation permissions, and the
  bundled files in data/translations/ (loaded by the system; a reload keeps what a person set
  here). Every change goes through core.translations.services (`translation_set`,
  `translation_clear`), wired below as the model's create, edit and delete actions: permission,
  validation (a translatable field of an existing row, French or Spanish, a citation for a
  publisher's version), sanitising of HTML fields, an audit entry. A refusal is a form error.
- TranslationAuditEntry: read-only.

The add form can be opened filled in: `…/translation/add/?model=indicators.indicator&object_id=3
&field=definition&language=fr` (pages and edit views link to it).
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.actions import CreateAction, DeleteAction, EditAction
from wagtail.actions.registry import ActionRegistry
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import FieldPanel, ObjectList
from wagtail.log_actions import log
from wagtail.permissions import register_permission_policy
from wagtail.snippets.bulk_actions.delete import DeleteBulkAction
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from sdg87.core.actors import Actor
from sdg87.core.admin_policies import read_only_policy
from sdg87.core.admin_views import ServiceCreateView, ServiceEditView
from sdg87.core.models import Translation, TranslationAuditEntry
from sdg87.core.translations.registry import FIELDS, VOCABULARIES, target_languages
from sdg87.core.translations.services import translation_clear, translation_set
from sdg87.core.translations.targets import Target


def _translatable_types() -> Q:
    query = Q(pk__in=[])
    for label in FIELDS:
        app_label, _dot, model = label.partition(".")
        query |= Q(app_label=app_label, model=model)
    return query


def _target(translation: Translation) -> Target:
    if translation.content_type_id is None:
        return Target.of_term(translation.field, translation.term)
    content_type = ContentType.objects.get_for_id(translation.content_type_id)
    return Target(
        field=translation.field,
        model_label=f"{content_type.app_label}.{content_type.model}",
        object_id=translation.object_id,
    )


class TranslationForm(WagtailAdminModelForm):
    """Content types limited to the translatable models; the language to French or Spanish.
    What is translated cannot change on an existing translation (clear it and add another)."""

    language = forms.ChoiceField(label=_("language"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if "content_type" in self.fields:
            field = self.fields["content_type"]
            field.queryset = ContentType.objects.filter(_translatable_types())
            field.help_text = _("Empty for a vocabulary term (then give the term).")
        fields_help = "; ".join(f"{label}: {', '.join(names)}" for label, names in FIELDS.items())
        vocabularies = ", ".join(VOCABULARIES)
        if "field" in self.fields:
            self.fields["field"].help_text = _(
                "A field of the record (%(fields)s), or a vocabulary (%(vocabularies)s)."
            ) % {"fields": fields_help, "vocabularies": vocabularies}
        self.fields["language"].choices = [
            (code, name) for code, name in settings.LANGUAGES if code in target_languages()
        ]
        if self.instance.pk:
            for name in ("content_type", "object_id", "field", "term", "language"):
                if name in self.fields:
                    self.fields[name].disabled = True


class TranslationCreateAction(CreateAction):
    instance: Translation

    def _save_instance(self) -> None:
        new = self.instance
        saved = translation_set(
            actor=self.user,
            target=_target(new),
            language=new.language,
            text=new.text,
            origin=new.origin,
            citation=new.citation,
            source_text=new.source_text or None,
        )
        new.pk = saved.pk
        self.instance = saved


class TranslationEditAction(EditAction):
    instance: Translation

    def _save_instance(self) -> None:
        edited = self.instance
        stored = Translation.objects.get(pk=edited.pk)
        self.instance = translation_set(
            actor=self.user,
            target=_target(stored),
            language=stored.language,
            text=edited.text,
            origin=edited.origin,
            citation=edited.citation,
            # a vocabulary keyed by code keeps its English; a row's field is read again
            source_text=stored.source_text if stored.content_type_id is None else None,
        )


class TranslationDeleteAction(DeleteAction):
    instance: Translation

    def _delete(self) -> None:
        if self.log_action:
            log(instance=self.instance, action=self.log_action, user=self.user, deleted=True)
        translation_clear(
            actor=self.user, target=_target(self.instance), language=self.instance.language
        )


@hooks.register("register_actions")
def register_translation_actions(registry: ActionRegistry) -> None:
    for action_class in (TranslationCreateAction, TranslationEditAction, TranslationDeleteAction):
        registry.register(Translation, action_class)


class TranslationDeleteBulkAction(DeleteBulkAction):
    """The listing's "Delete selected" clears each translation through the service."""

    models = [Translation]

    @classmethod
    def execute_action(
        cls, objects: Any, user: Actor | None = None, **kwargs: Any
    ) -> tuple[int, int]:
        actor = kwargs["self"].request.user
        for translation in objects:
            TranslationDeleteAction(translation, user=actor).execute(skip_permission_checks=True)
        return len(objects), 0


hooks.register("register_bulk_action", TranslationDeleteBulkAction, order=100)


class TranslationCreateView(ServiceCreateView):
    """Opened from a page or an edit view with the target in the query string."""

    def get_initial_form_instance(self) -> Translation | None:
        params = self.request.GET
        if self.request.method != "GET" or not params:
            return super().get_initial_form_instance()
        instance = Translation(
            field=params.get("field", "")[:64],
            term=params.get("term", "")[:200],
            language=params.get("language", "")[:8],
        )
        app_label, _dot, model = params.get("model", "").partition(".")
        content_type = ContentType.objects.filter(
            _translatable_types(), app_label=app_label, model=model
        ).first()
        object_id = params.get("object_id", "")
        if content_type is not None and object_id.isdigit():
            instance.content_type = content_type
            instance.object_id = int(object_id)
        return instance


class TranslationViewSet(SnippetViewSet):
    model = Translation
    icon = "doc-full"
    menu_label = _("Translations")
    list_display = ["__str__", "language", "origin", "text", "reviewed_by", "updated_at"]
    list_filter = ["language", "origin", "field"]
    search_fields = ["text", "term", "field"]
    search_backend_name = None
    copy_view_enabled = False
    add_view_class = TranslationCreateView
    edit_view_class = ServiceEditView
    edit_handler = ObjectList(
        [
            FieldPanel("content_type"),
            FieldPanel("object_id"),
            FieldPanel("field"),
            FieldPanel("term"),
            FieldPanel("language"),
            FieldPanel("origin"),
            FieldPanel("citation"),
            FieldPanel("text"),
        ],
        base_form_class=TranslationForm,
    )


register_permission_policy(
    TranslationAuditEntry, read_only_policy(TranslationAuditEntry), exact_class=True
)


class TranslationAuditEntryViewSet(SnippetViewSet):
    model = TranslationAuditEntry
    icon = "history"
    menu_label = _("Translation changes")
    inspect_view_enabled = True
    list_display = ["created_at", "target", "field", "language", "action", "origin", "actor"]
    list_filter = ["action", "language"]
    search_fields = ["target", "field", "new_text", "old_text"]
    search_backend_name = None


class TranslationsGroup(SnippetViewSetGroup):
    items = (TranslationViewSet, TranslationAuditEntryViewSet)
    menu_icon = "doc-full"
    menu_label = _("Translations")
    menu_name = "translations"
    menu_order = 270


register_snippet(TranslationsGroup)
