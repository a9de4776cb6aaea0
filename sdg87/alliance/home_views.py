"""The Alliance 8.7 landing page: what each of its structures is, with counts and links."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from sdg87.alliance.home_selectors import alliance_overview
from sdg87.core.cache import cache_public_page


@cache_public_page(300)
def alliance_home(request: HttpRequest) -> HttpResponse:
    return render(request, "alliance/home.html", {"overview": alliance_overview()})
