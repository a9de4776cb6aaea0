"""Site-wide 404 handler: JSON for machine interfaces, the HTML page for people."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _
from django.views.defaults import page_not_found as html_page_not_found

from sdg87.core.middleware import MACHINE_PREFIXES


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if request.path.startswith(MACHINE_PREFIXES) and not request.path.startswith("/admin/"):
        return JsonResponse(
            {
                "error": {
                    "code": "not_found",
                    "message": _("No such resource: %(path)s") % {"path": request.path},
                }
            },
            status=404,
        )
    return html_page_not_found(request, exception or Exception("not found"))
