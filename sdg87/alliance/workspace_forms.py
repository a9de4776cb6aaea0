"""The forms of the Action Groups' workspaces (sdg87.alliance.workspace_views). They parse and
bound the input; the services (sdg87.alliance.services.workspace) check the rest: the file's
size and type from its content, plain text, who may do what."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from sdg87.alliance.models import WorkspaceKind
from sdg87.alliance.services import workspace
from sdg87.catalog.uploads import megabytes


def _file_help() -> str:
    return str(
        _("Accepted: %(types)s, up to %(limit)s MB. The type is read from the file itself.")
        % {"types": workspace.ACCEPTED_LABELS, "limit": megabytes(workspace.max_upload_bytes())}
    )


class _FileMixin:
    fields: dict[str, Any]

    def _file_setup(self) -> None:
        self.fields["file"].help_text = _file_help()


class DocumentDetailsForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=300)
    kind = forms.ChoiceField(
        label=_("Kind"), choices=WorkspaceKind.choices, widget=forms.RadioSelect
    )
    description = forms.CharField(
        label=_("Description"),
        required=False,
        max_length=workspace.DESCRIPTION_LIMIT,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Plain text: what the document is, for the other members."),
    )


class DocumentCreateForm(_FileMixin, DocumentDetailsForm):
    file = forms.FileField(label=_("File"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._file_setup()


class VersionAddForm(_FileMixin, forms.Form):
    file = forms.FileField(label=_("New version"))
    note = forms.CharField(
        label=_("What changed (optional)"), required=False, max_length=workspace.NOTE_LIMIT
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._file_setup()


class ProposeForm(forms.Form):
    release_note = forms.CharField(
        label=_("Note to the secretariat (optional)"),
        required=False,
        max_length=workspace.DESCRIPTION_LIMIT,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class DecideForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[
            ("release", _("Release it to the public on the group's page")),
            ("decline", _("Decline the release (say why below)")),
        ],
        widget=forms.RadioSelect,
    )
    release_note = forms.CharField(
        label=_("Note"),
        required=False,
        max_length=workspace.DESCRIPTION_LIMIT,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required when you decline: the members read it."),
    )


class TakeBackForm(forms.Form):
    release_note = forms.CharField(
        label=_("Why it is no longer public"),
        max_length=workspace.DESCRIPTION_LIMIT,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
