"""The site's URLs with the news and events feeds included before wagtail_urls, as
config/urls.py will include them (these tests run before that line lands)."""

from django.conf.urls.i18n import i18n_patterns
from django.urls import include, path

from config.urls import urlpatterns as site_urlpatterns

urlpatterns = [
    *i18n_patterns(
        path("", include("sdg87.library.news_urls")),
        prefix_default_language=True,
    ),
    *site_urlpatterns,
]
