"""URL map: pages of each app, the API, admin, accounts and /healthz."""

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from echos.api import api
from echos.core import passwords, registry, twofactor, views_language
from echos.core import views as core_views
from echos.site import views as site_views

admin.site.site_header = "echos administration"

urlpatterns = [
    path("healthz", core_views.healthz, name="healthz"),
    path("api/v1/", api.urls),
    path("admin/", admin.site.urls),
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/2fa/setup/", twofactor.setup, name="twofactor_setup"),
    path("accounts/2fa/verify/", twofactor.verify, name="twofactor_verify"),
    path(
        "accounts/2fa/recovery-codes/",
        twofactor.recovery_codes,
        name="twofactor_recovery_codes",
    ),
    path(
        "accounts/password-reset/",
        passwords.PasswordResetView.as_view(),
        name="password_reset",
    ),
    path(
        "accounts/password-reset/sent/",
        auth_views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "accounts/password-reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "accounts/password-reset/done/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    # The header's language switch and the account's language (core/views_language.py).
    path("i18n/setlang/", views_language.set_language, name="set_language"),
    path("accounts/language/", views_language.account_language, name="account_language"),
    path("about/", core_views.about, name="about"),
    path("search/", site_views.site_search, name="search"),
    path("accessibility/", core_views.accessibility, name="accessibility"),
    path("privacy/", site_views.privacy_notice, name="privacy"),
    path("privacy/people/", site_views.privacy_people, name="privacy_people"),
    path("privacy/people/export/", site_views.privacy_export, name="privacy_export"),
    path("privacy/people/erase/", site_views.privacy_erase, name="privacy_erase"),
    *(path(prefix, include(urlconf)) for prefix, urlconf in registry.url_includes()),
]

# Error pages in the site's frame, rendered with the request (issue #16; site/errors.py).
handler400 = "echos.site.errors.bad_request"
handler403 = "echos.site.errors.permission_denied"
handler404 = "echos.site.errors.page_not_found"
handler500 = "echos.site.errors.server_error"
