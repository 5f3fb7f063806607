"""URL patterns of the reports pages (included by reports.urls)."""

from django.urls import path  # noqa: F401

urlpatterns: list = []
