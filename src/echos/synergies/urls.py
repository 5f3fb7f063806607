from django.urls import path

from echos.synergies import views

app_name = "synergies"

urlpatterns = [
    path("", views.catalogue, name="catalogue"),
    path("initiatives/new/", views.initiative_edit, name="initiative_create"),
    path("initiatives/<slug:key>/", views.initiative_detail, name="initiative"),
    path("initiatives/<slug:key>/edit/", views.initiative_edit, name="initiative_edit"),
    path("hubs/<int:hub_id>/", views.hub_activities, name="hub"),
    path("hubs/<int:hub_id>/activities/new/", views.activity_edit, name="activity_create"),
    path("activities/<int:pk>/", views.activity_detail, name="activity"),
    path("activities/<int:pk>/edit/", views.activity_edit, name="activity_edit"),
    path("activities/<int:pk>/decide/", views.decide, name="decide"),
    path("links/<int:pk>/", views.link_update, name="link"),
    path("matrix/", views.matrix, name="matrix"),
    path("graph/", views.graph, name="graph"),
]
