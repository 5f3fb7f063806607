from django.urls import path

from echos.assessment import views

app_name = "assessment"

urlpatterns = [
    path("", views.index, name="index"),
    path("start/<str:instrument>/", views.start, name="start"),
    path("responses/<int:pk>/", views.response_detail, name="response"),
    path("responses/<int:pk>/evidence/", views.evidence_add, name="evidence_add"),
    path("evidence/<int:pk>/", views.evidence_download, name="evidence"),
    path("hubs/<int:hub_id>/", views.hub_maturity, name="hub"),
    path("hubs/<int:hub_id>/rounds/", views.round_open, name="round_open"),
    path("rounds/<int:round_id>/", views.round_detail, name="round"),
    path("rounds/<int:round_id>/rate/", views.rate, name="rate"),
    path("network/", views.network, name="network"),
    path("network/maturity.<str:fmt>", views.network_export, name="network_export"),
    path("mapping/", views.mapping_analysis, name="mapping"),
    path("mapping/analysis.csv", views.mapping_export, name="mapping_export"),
]
