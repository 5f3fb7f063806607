"""URL patterns of the engagement network pages (included by engagement.urls)."""

from django.urls import path  # noqa: F401

urlpatterns: list = []
