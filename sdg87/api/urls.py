"""A URLconf holding only the API, used while answering API 404s (see errors.py).

django's LocaleMiddleware turns any 404 outside i18n_patterns into a redirect to the
language-prefixed path when that path resolves, and Wagtail's catch-all page route makes every
path resolve: a JSON 404 from the API would become a 302 to an HTML page. Pointing
`request.urlconf` at this module (which has no i18n_patterns) for the API's own 404s keeps them.
"""

from django.urls import path

from config.api import api

urlpatterns = [path("api/v1/", api.urls)]
