from django.urls import path

from echos.continuity import views

app_name = "continuity"

urlpatterns = [
    path("network/", views.network, name="network"),
    path("network/model/", views.network_model, name="network_model"),
    path("network/scenarios/new/", views.network_scenario_edit, name="network_scenario_create"),
    path(
        "network/scenarios/<int:pk>/edit/",
        views.network_scenario_edit,
        name="network_scenario_edit",
    ),
    path(
        "network/scenarios/<int:pk>/delete/",
        views.network_scenario_delete,
        name="network_scenario_delete",
    ),
    path("network/rates/", views.rates, name="rates"),
    path("hubs/<int:hub_id>/", views.hub_model, name="hub"),
    path("hubs/<int:hub_id>/export.xlsx", views.export, name="export"),
    path("hubs/<int:hub_id>/canvas/", views.canvas, name="canvas"),
    path("hubs/<int:hub_id>/canvas/v<int:number>/", views.canvas, name="canvas_version"),
    path("hubs/<int:hub_id>/canvas/edit/", views.canvas_edit, name="canvas_edit"),
    path("hubs/<int:hub_id>/scenarios/", views.scenarios, name="scenarios"),
    path("hubs/<int:hub_id>/risks/", views.risks, name="risks"),
    path("hubs/<int:hub_id>/score/", views.score, name="score"),
    path("hubs/<int:hub_id>/<str:kind>/new/", views.line_edit, name="line_create"),
    path("<str:kind>/<int:pk>/edit/", views.line_edit, name="line_edit"),
    path("<str:kind>/<int:pk>/delete/", views.line_delete, name="line_delete"),
]
