"""Wagtail admin views shared by the domain apps whose admin edits go through a service."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpResponse
from wagtail.snippets.views.snippets import CreateView, EditView


class ServiceRefusalMixin:
    """A refusal by the service (ValidationError) is shown on the form: an error about a field
    of the form next to that field, any other at the top. The service's transaction has rolled
    back, so nothing was saved."""

    def form_valid(self, form: Any) -> HttpResponse:
        try:
            return super().form_valid(form)  # type: ignore[misc]
        except ValidationError as exc:
            if hasattr(exc, "error_dict"):
                for field, errors in exc.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                form.add_error(None, exc)
            self.produced_error_code = "validation_error"
            self.produced_error_message = self.get_error_message()  # type: ignore[attr-defined]
            return self.form_invalid(form)  # type: ignore[attr-defined]


class ServiceEditView(ServiceRefusalMixin, EditView):
    """Wagtail's edit view whose save goes through a service (see ServiceRefusalMixin)."""


class ServiceCreateView(ServiceRefusalMixin, CreateView):
    """Wagtail's create view whose save goes through a service (see ServiceRefusalMixin)."""
