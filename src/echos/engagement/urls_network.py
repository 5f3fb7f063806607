"""URL patterns of the engagement network pages (included by engagement.urls)."""

from django.urls import path

from echos.engagement import views_network as v

urlpatterns: list = [
    path("network/", v.network_map, name="network"),
    path("network/export.<str:fmt>", v.network_export, name="network_export"),
    path("network/snapshots/", v.snapshot_create, name="network_snapshot"),
    path("network/compare/", v.network_compare, name="network_compare"),
    path("hubs/<int:hub_id>/network/", v.network_map, name="network_hub"),
    path("hubs/<int:hub_id>/network/export.<str:fmt>", v.network_export, name="network_export_hub"),
    path("hubs/<int:hub_id>/network/snapshots/", v.snapshot_create, name="network_snapshot_hub"),
    path("hubs/<int:hub_id>/network/compare/", v.network_compare, name="network_compare_hub"),
    path("use-cases/", v.use_case_list, name="use_cases"),
    path("use-cases/new/", v.use_case_edit, name="use_case_create"),
    path("use-cases/<int:pk>/", v.use_case_detail, name="use_case"),
    path("use-cases/<int:pk>/edit/", v.use_case_edit, name="use_case_edit"),
    path("use-cases/<int:pk>/delete/", v.use_case_delete, name="use_case_delete"),
]
