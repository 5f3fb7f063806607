"""URL patterns of the engagement impact pages (included by engagement.urls)."""

from django.urls import path

from echos.engagement import views_impact as views

urlpatterns = [
    path("hubs/<int:hub_id>/impact/", views.impact_page, name="impact"),
    path("hubs/<int:hub_id>/impact.<str:fmt>", views.impact_export, name="impact_export"),
    path(
        "hubs/<int:hub_id>/impact/elements/new/", views.element_edit, name="impact_element_create"
    ),
    path("impact/elements/<int:pk>/edit/", views.element_edit, name="impact_element_edit"),
    path("impact/elements/<int:pk>/delete/", views.element_delete, name="impact_element_delete"),
    path(
        "impact/elements/<int:element_id>/indicators/new/",
        views.indicator_edit,
        name="impact_indicator_create",
    ),
    path("impact/indicators/<int:pk>/edit/", views.indicator_edit, name="impact_indicator_edit"),
    path(
        "impact/indicators/<int:pk>/delete/", views.indicator_delete, name="impact_indicator_delete"
    ),
    path(
        "impact/indicators/<int:indicator_id>/values/new/",
        views.value_create,
        name="impact_value_create",
    ),
    path("impact/values/<int:pk>/delete/", views.value_delete, name="impact_value_delete"),
]
