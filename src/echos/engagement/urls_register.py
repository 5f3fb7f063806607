"""URL patterns of the engagement register pages (included by engagement.urls)."""

from django.urls import path

from echos.engagement import views_register as views

urlpatterns = [
    path("hubs/<int:hub_id>/register/", views.register_page, name="register"),
    path("hubs/<int:hub_id>/register/add/", views.stakeholder_add, name="stakeholder_add"),
    path(
        "hubs/<int:hub_id>/register.<str:fmt>",
        views.register_export,
        name="register_export",
    ),
    path("hubs/<int:hub_id>/records.<str:fmt>", views.records_export, name="records_export"),
    path("hubs/<int:hub_id>/import/<str:kind>/", views.import_page, name="import"),
    path("stakeholders/<int:pk>/edit/", views.stakeholder_edit, name="stakeholder_edit"),
    path("stakeholders/<int:pk>/delete/", views.stakeholder_delete, name="stakeholder_delete"),
    path(
        "organisations/<int:org_id>/relationships/new/",
        views.relationship_create,
        name="relationship_create",
    ),
    path("relationships/<int:pk>/edit/", views.relationship_edit, name="relationship_edit"),
    path("relationships/<int:pk>/delete/", views.relationship_delete, name="relationship_delete"),
]
