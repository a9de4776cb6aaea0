"""Account pages under /<lang>/accounts/ (sign-in itself is catalog:login): password reset and
publisher account requests."""

from django.urls import URLPattern, URLResolver, path

from sdg87.orgs import account_request_views, password_views

app_name = "accounts"

urlpatterns: list[URLPattern | URLResolver] = [
    path("accounts/password-reset/", password_views.password_reset, name="password_reset"),
    path(
        "accounts/password-reset/sent/",
        password_views.password_reset_done,
        name="password_reset_done",
    ),
    path(
        "accounts/reset/<uidb64>/<token>/",
        password_views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "accounts/reset/done/",
        password_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path("accounts/request/", account_request_views.account_request_form, name="request"),
    path("accounts/request/sent/", account_request_views.account_request_sent, name="request_sent"),
    path("accounts/requests/", account_request_views.account_request_list, name="request_list"),
    path(
        "accounts/requests/<int:pk>/",
        account_request_views.account_request_detail,
        name="request_detail",
    ),
]
