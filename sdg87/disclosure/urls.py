from django.urls import URLPattern, URLResolver, path

from sdg87.disclosure import views

app_name = "disclosure"

urlpatterns: list[URLPattern | URLResolver] = [
    path("disclosure/datasets/<slug:slug>/", views.review_page, name="review"),
    path(
        "disclosure/datasets/<slug:slug>/reviews/<int:pk>/pass/",
        views.review_pass,
        name="review_pass",
    ),
    path("disclosure/certificates/<int:pk>/", views.certificate_page, name="certificate"),
    path("disclosure/certificates/<int:pk>.json", views.certificate_json, name="certificate_json"),
]
