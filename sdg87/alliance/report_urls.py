"""Annual reports of the Pathfinder Countries (under /<lang>/pathfinders/), included by
config/urls.py inside i18n_patterns before Wagtail's catch-all: the focal points' pages under
the country's manage page, the published report as a page and a PDF."""

from django.urls import URLPattern, URLResolver, re_path

from sdg87.alliance import report_views as views

COUNTRY = r"^pathfinders/(?P<iso3>[A-Za-z]{3})/"
YEAR = r"(?P<year>[0-9]{4})"

urlpatterns: list[URLPattern | URLResolver] = [
    re_path(
        rf"{COUNTRY}manage/reports/$", views.report_manage_list, name="pathfinder_reports_manage"
    ),
    re_path(rf"{COUNTRY}manage/reports/{YEAR}/$", views.report_edit, name="pathfinder_report_edit"),
    re_path(
        rf"{COUNTRY}manage/reports/{YEAR}/(?P<verb>[a-z_]+)/$",
        views.report_do,
        name="pathfinder_report_do",
    ),
    re_path(rf"{COUNTRY}reports/{YEAR}/$", views.report_public, name="pathfinder_report"),
    re_path(
        rf"{COUNTRY}reports/{YEAR}\.pdf$", views.report_public_pdf, name="pathfinder_report_pdf"
    ),
]
