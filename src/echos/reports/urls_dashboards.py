"""URL patterns of the dashboards pages (included by reports.urls)."""

from django.urls import path

from echos.reports import views_dashboards as views

urlpatterns: list = [
    path("network/", views.network, name="network"),
    path("hubs/<int:pk>/", views.hub, name="hub"),
    path("kpis/", views.catalogue, name="kpis"),
    path("kpis/<str:code>/", views.kpi, name="kpi"),
]
