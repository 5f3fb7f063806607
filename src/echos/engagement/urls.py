from django.urls import path

from echos.engagement import urls_impact, urls_network, urls_register, views

app_name = "engagement"

urlpatterns = [
    path("hubs/<int:hub_id>/", views.hub_records, name="hub"),
    path("hubs/<int:hub_id>/new/", views.record_edit, name="record_create"),
    path("records/<int:pk>/", views.record_detail, name="record"),
    path("records/<int:pk>/edit/", views.record_edit, name="record_edit"),
    path("records/<int:pk>/delete/", views.record_delete, name="record_delete"),
    path("records/<int:pk>/activity/", views.record_to_activity, name="record_activity"),
    path("hubs/<int:hub_id>/coverage/", views.hub_coverage_page, name="coverage"),
    path("records/<int:pk>/follow-ups/", views.follow_up_create, name="follow_up_create"),
    path("follow-ups/<int:pk>/<str:action>/", views.follow_up_status, name="follow_up_status"),
]

# The register and relationships, the network map and use cases, the impact model (issue #14).
urlpatterns += urls_register.urlpatterns + urls_network.urlpatterns + urls_impact.urlpatterns
