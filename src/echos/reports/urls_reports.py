"""URL patterns of the reports pages (included by reports.urls)."""

from django.urls import path

from echos.reports import views_reports as views

urlpatterns: list = [
    path("report/", views.report_new, name="report_new"),
    path("report/<uuid:pk>/", views.report_job, name="report_job"),
    path("report/<uuid:pk>/status/", views.report_job_status, name="report_job_status"),
    path("report/<uuid:pk>/download/", views.report_download, name="report_download"),
    path("open-data/", views.open_data, name="open_data"),
    path("open-data/echos-open-data.zip", views.open_data_download, name="open_data_zip"),
    path("open-data/datapackage.json", views.open_data_descriptor, name="open_data_descriptor"),
]
