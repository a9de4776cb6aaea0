from django.urls import URLPattern, URLResolver, path

from sdg87.supplychains import screening_views as views

app_name = "screening"

urlpatterns: list[URLPattern | URLResolver] = [
    path("supply-chains/screening/", views.screening_upload, name="upload"),
    path("supply-chains/screening/<str:token>/", views.screening_detail, name="detail"),
    path("supply-chains/screening/<str:token>/csv/", views.screening_csv, name="csv"),
    path("supply-chains/screening/<str:token>/pdf/", views.screening_pdf_download, name="pdf"),
    path("supply-chains/screening/<str:token>/save/", views.screening_save_view, name="save"),
    path("supply-chains/screening/<str:token>/delete/", views.screening_delete_view, name="delete"),
]
