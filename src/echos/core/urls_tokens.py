"""The account's API tokens pages, under /accounts/tokens/ (``CoreConfig.urls``)."""

from django.urls import path

from echos.core import views_tokens

urlpatterns = [
    path("", views_tokens.token_list, name="api_tokens"),
    path("new/", views_tokens.token_new, name="api_token_new"),
    path("<int:pk>/revoke/", views_tokens.token_revoke, name="api_token_revoke"),
]
