"""URL patterns of the engagement impact pages (included by engagement.urls)."""

from django.urls import path  # noqa: F401

urlpatterns: list = []
