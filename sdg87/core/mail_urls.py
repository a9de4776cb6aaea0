from django.urls import URLPattern, URLResolver, path

from sdg87.core import mail_views

app_name = "notifications"

urlpatterns: list[URLPattern | URLResolver] = [
    path("account/notifications/", mail_views.mail_outbox, name="outbox"),
    path("account/notifications/<int:mail_id>/resend/", mail_views.mail_resend, name="resend"),
]
