"""URL patterns of the dashboards pages (included by reports.urls)."""

from django.urls import path  # noqa: F401

urlpatterns: list = []
