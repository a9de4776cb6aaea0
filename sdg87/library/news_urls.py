"""Feeds and calendar files of news and events, under the language prefix. Include in
config/urls.py's i18n_patterns BEFORE wagtail_urls: `path("", include("sdg87.library.news_urls"))`.
The pages themselves (/<lang>/news/, /<lang>/events/ and their children) are Wagtail pages."""

from django.urls import URLPattern, path

from sdg87.library import news_views
from sdg87.library.news_feeds import EventFeed, NewsFeed

app_name = "library-news"

urlpatterns: list[URLPattern] = [
    path("news/feed.atom", NewsFeed(), name="news_feed"),
    path("events/feed.atom", EventFeed(), name="event_feed"),
    path("events/upcoming.ics", news_views.events_upcoming_ics, name="events_upcoming_ics"),
    path("events/<slug:slug>/event.ics", news_views.event_ics, name="event_ics"),
    path("news-and-events/propose/", news_views.contribute, name="contribute"),
]
