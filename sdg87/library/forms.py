"""Forms of the library's contribution and review pages. They only parse input; the services
(sdg87.library.services) check and write, and report every problem at once."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from sdg87.catalog.models import Licence, ThemeCode, Visibility
from sdg87.library.models import Publication
from sdg87.library.resource_types import ResourceType
from sdg87.library.services.files import ACCEPTED_LABELS
from sdg87.orgs.models import Organisation

ORCID_CHARS = frozenset("0123456789X-")


def _split(text: str) -> list[str]:
    return [
        part.strip()
        for part in text.replace(";", ",").replace("\n", ",").split(",")
        if part.strip()
    ]


def creators_parse(text: str) -> list[dict[str, str]]:
    """Authors written one per line (or separated by semicolons): "Family, Given" for a person,
    "Family, Given, 0000-0002-1825-0097" with an ORCID iD, a name without a comma for an
    organisation. Pure; the service validates what it gets."""
    out: list[dict[str, str]] = []
    for entry in text.replace(";", "\n").splitlines():
        parts = [p.strip() for p in entry.split(",")]
        if not any(parts):
            continue
        if len(parts) == 1:
            out.append({"name": parts[0]})
            continue
        orcid = ""
        if len(parts) > 2 and set(parts[-1].upper()) <= ORCID_CHARS:
            orcid = parts.pop().upper()
        out.append(
            {"family": parts[0], "given": ", ".join(p for p in parts[1:] if p), "orcid": orcid}
        )
    return out


def creators_text(pub: Publication) -> str:
    """The creators of `pub` written as `creators_parse` reads them."""
    lines = []
    for c in pub.creators.order_by("position"):
        if c.family:
            lines.append(", ".join(p for p in (c.family, c.given, c.orcid) if p))
        else:
            lines.append(c.name)
    return "\n".join(lines)


class PublicationForm(forms.Form):
    """A publication's metadata, creators, themes and countries."""

    publisher = forms.ModelChoiceField(
        label=_("Publisher"),
        queryset=Organisation.objects.none(),
        help_text=_("The organisation that publishes it; its editors review it."),
    )
    title = forms.CharField(label=_("Title"), max_length=500)
    resource_type = forms.ChoiceField(label=_("Type"), choices=ResourceType.choices)
    abstract = forms.CharField(
        label=_("Abstract"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Plain text."),
    )
    creators = forms.CharField(
        label=_("Authors"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "One per line: “Family, Given” for a person (add “, ORCID iD” after the given "
            "names if known), or the name of an organisation without a comma."
        ),
    )
    year = forms.IntegerField(label=_("Year"), required=False, min_value=1800, max_value=2100)
    issued = forms.DateField(
        label=_("Date of publication"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    language = forms.CharField(
        label=_("Language"),
        max_length=8,
        initial="en",
        help_text=_("Language code, e.g. en, fr, es"),
    )
    publisher_name = forms.CharField(
        label=_("Publisher as printed"), required=False, max_length=500
    )
    container_title = forms.CharField(label=_("Journal or series"), required=False, max_length=300)
    doi = forms.CharField(label="DOI", required=False, max_length=200, help_text="10.1000/xyz123")
    isbns = forms.CharField(label="ISBN", required=False, help_text=_("Separated by commas"))
    handle = forms.CharField(label=_("Handle"), required=False, max_length=200)
    url = forms.URLField(label=_("Publisher's page"), required=False, max_length=1000)
    licence = forms.ChoiceField(
        label=_("Licence"), required=False, choices=[("", "—"), *Licence.choices]
    )
    themes = forms.MultipleChoiceField(
        label=_("Themes"),
        required=False,
        choices=ThemeCode.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    geographies = forms.CharField(
        label=_("Countries and regions"),
        required=False,
        help_text=_("ISO 3166 alpha-3 codes separated by commas, e.g. GHA, CIV"),
    )
    sdg_targets = forms.CharField(
        label=_("SDG targets"), required=False, help_text=_("e.g. 8.7, 16.2")
    )
    visibility = forms.ChoiceField(
        label=_("Visibility"),
        choices=[
            (Visibility.PUBLIC, Visibility.PUBLIC.label),
            (
                Visibility.ORGANISATION,
                Visibility.ORGANISATION.label,
            ),
        ],
        initial=Visibility.PUBLIC,
    )

    def __init__(
        self,
        *args: Any,
        organisations: QuerySet[Organisation] | None = None,
        publication: Publication | None = None,
        **kwargs: Any,
    ) -> None:
        if publication is not None and "initial" not in kwargs:
            kwargs["initial"] = self.initial_for(publication)
        super().__init__(*args, **kwargs)
        if organisations is None:
            del self.fields["publisher"]  # chosen when the record is created
        else:
            self.fields["publisher"].queryset = organisations  # type: ignore[attr-defined]

    @staticmethod
    def initial_for(pub: Publication) -> dict[str, Any]:
        return {
            **{
                name: getattr(pub, name)
                for name in (
                    "title",
                    "resource_type",
                    "abstract",
                    "year",
                    "issued",
                    "language",
                    "publisher_name",
                    "container_title",
                    "doi",
                    "handle",
                    "url",
                    "licence",
                    "visibility",
                )
            },
            "isbns": ", ".join(pub.isbns or []),
            "sdg_targets": ", ".join(pub.sdg_targets or []),
            "creators": creators_text(pub),
            "themes": list(pub.themes.values_list("code", flat=True)),
            "geographies": ", ".join(g.iso3 or g.code for g in pub.geographies.order_by("code")),
        }

    def field_values(self) -> dict[str, Any]:
        """The cleaned fields as the services take them."""
        data = self.cleaned_data
        values = {
            name: data[name]
            for name in (
                "title",
                "resource_type",
                "abstract",
                "year",
                "issued",
                "language",
                "publisher_name",
                "container_title",
                "doi",
                "handle",
                "url",
                "licence",
                "visibility",
            )
        }
        values["isbns"] = _split(data["isbns"])
        values["sdg_targets"] = _split(data["sdg_targets"])
        return values

    def relations(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "creators": creators_parse(data["creators"]),
            "themes": list(data["themes"]),
            "geographies": _split(data["geographies"]),
        }


class FileForm(forms.Form):
    file = forms.FileField(
        label=_("File"),
        help_text=_("Accepted: %(types)s.") % {"types": ACCEPTED_LABELS},
    )
    title = forms.CharField(label=_("Title"), required=False, max_length=300)


class ReviewForm(forms.Form):
    """The message of a review action, and the publication's schedule and embargo."""

    message = forms.CharField(
        label=_("Message"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    publish_at = forms.DateTimeField(
        label=_("Publish at"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
        help_text=_("Leave empty to publish now."),
    )
    embargo_until = forms.DateTimeField(
        label=_("Files embargoed until"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
    )
