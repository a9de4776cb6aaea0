"""The partner directory (work in progress)."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse


def _missing(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
    raise Http404


partner_list = partner_join = partner_join_sent = application_list = application_detail = _missing
