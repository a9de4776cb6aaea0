"""Embeddable charts: the indicator chart or map with its data table, alone on a page that
other sites may put in an <iframe>.

The page has nothing but the figure (a static SVG that works without JavaScript, its table,
downloads) and a link to the full page; the optional chart script makes it interactive. It
holds no form and no session, so letting any site frame it (CSP `frame-ancestors *`, no
X-Frame-Options) exposes nothing; every other public page still refuses to be framed."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.clickjacking import xframe_options_exempt
from django.views.decorators.csp import csp_override

from sdg87.core.cache import cache_public_page
from sdg87.site.contexts.indicators import indicator_detail_context
from sdg87.site.views import PAGE_CACHE_SECONDS

EMBED_CSP: dict[str, Any] = {**settings.SECURE_CSP, "frame-ancestors": ["*"]}


# The framing headers are set outside the page cache, so a cached answer carries them too.
@xframe_options_exempt
@csp_override(EMBED_CSP)
@cache_public_page(PAGE_CACHE_SECONDS)
def indicator_embed(request: HttpRequest, code: str) -> HttpResponse:
    context = indicator_detail_context(
        code=code,
        sex=request.GET.get("sex"),
        age=request.GET.get("age"),
        year=request.GET.get("year"),
        sort=None,
        geos=request.GET.getlist("geo"),
        params=[(key, item) for key, items in request.GET.lists() for item in items],
    )
    if context is None:
        raise Http404(_("No such series."))
    return render(request, "site/indicator_embed.html", context.as_context())
