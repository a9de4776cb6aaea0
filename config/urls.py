from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import URLPattern, URLResolver, include, path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from config.api import api
from sdg87.core.views import favicon

# Machine interfaces: not language-prefixed.
urlpatterns: list[URLPattern | URLResolver] = [
    path("favicon.ico", favicon),
    path("admin/", include(wagtailadmin_urls)),
    path("django-admin/", admin.site.urls),
    path("documents/", include(wagtaildocs_urls)),
    path("api/v1/", api.urls),
    path("charts/", include("sdg87.core.urls")),
    path("", include("sdg87.catalog.machine_urls")),
    path("oai", include("sdg87.library.oai.urls")),
    path("sdmx/", include("sdg87.sdmx.urls")),
    path("", include("sdg87.ops.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
]

# Public pages: /en/, /fr/, /es/; "/" redirects by the browser's language.
urlpatterns += i18n_patterns(
    path("", include("sdg87.site.urls")),
    path("", include("sdg87.library.evidence_urls")),
    path("", include("sdg87.library.urls")),
    path("", include("sdg87.catalog.urls")),
    path("", include("sdg87.core.mail_urls")),
    path("", include("sdg87.orgs.urls")),
    path("", include("sdg87.library.cite_urls")),
    path("", include("sdg87.library.contribute_urls")),
    path("", include("sdg87.library.news_urls")),
    path("", include("sdg87.search.urls")),
    path("", include("sdg87.alliance.home_urls")),
    path("", include("sdg87.alliance.group_urls")),
    path("", include("sdg87.alliance.workspace_urls")),
    path("", include("sdg87.alliance.manage_urls")),
    path("", include("sdg87.alliance.report_urls")),
    path("", include("sdg87.alliance.feed_urls")),
    path("", include("sdg87.alliance.pathfinder_urls")),
    path("", include("sdg87.alliance.funding_urls")),
    path("", include("sdg87.alliance.partner_urls")),
    path("", include("sdg87.supplychains.urls")),
    path("", include("sdg87.supplychains.screening_urls")),
    path("", include("sdg87.packs.urls")),
    path("", include("sdg87.disclosure.urls")),
    path("", include("sdg87.vintages.urls")),
    path("", include("sdg87.harvest.urls")),
    path("", include(wagtail_urls)),
    prefix_default_language=True,
)

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

handler403 = "sdg87.core.error_views.permission_denied"
handler404 = "sdg87.core.errors.page_not_found"
handler500 = "sdg87.core.error_views.server_error"
