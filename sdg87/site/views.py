from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from sdg87.geo.selectors import country_list
from sdg87.indicators.selectors import indicator_list


def home(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "site/home.html",
        {"indicators": indicator_list(), "countries": country_list()},
    )
