"""Atom feeds of the Pathfinder roadmaps, under the language prefix. Included in config/urls.py's
i18n_patterns before the Pathfinder pages (sdg87.alliance.pathfinder_urls) and wagtail_urls."""

from django.urls import URLPattern, path

from sdg87.alliance.feeds import RoadmapFeed

app_name = "alliance-feeds"

urlpatterns: list[URLPattern] = [
    path("pathfinders/feed.atom", RoadmapFeed(), name="roadmap_feed"),
    path("pathfinders/<str:iso3>/feed.atom", RoadmapFeed(), name="roadmap_country_feed"),
]
