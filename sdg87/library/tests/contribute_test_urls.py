"""The site's URLs with the library's contribution pages included, as config/urls.py will
include them (the tests of this helper run before that line lands)."""

from django.conf.urls.i18n import i18n_patterns
from django.urls import include, path

from config.urls import urlpatterns as site_urlpatterns

urlpatterns = [
    *i18n_patterns(
        path("", include("sdg87.library.contribute_urls")),
        prefix_default_language=True,
    ),
    *site_urlpatterns,
]
