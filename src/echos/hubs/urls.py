from django.urls import path

from echos.hubs import views
from echos.hubs.views import team

app_name = "hubs"

urlpatterns = [
    path("", views.home, name="home"),
    path("hubs/", views.directory, name="directory"),
    path("hubs/new/", views.hub_create, name="hub_create"),
    path("hubs/<int:pk>/", views.hub_detail, name="hub"),
    path("hubs/<int:pk>/edit/", views.hub_edit, name="hub_edit"),
    path("hubs/<int:pk>/delete/", views.hub_delete, name="hub_delete"),
    path("hubs/<int:pk>/stage/", views.hub_stage, name="hub_stage"),
    path("hubs/<int:pk>/members/add/", views.membership_add, name="membership_add"),
    path("hubs/<int:pk>/members/import/", views.membership_import, name="membership_import"),
    path(
        "hubs/<int:pk>/members/<int:membership_id>/", views.membership_edit, name="membership_edit"
    ),
    # Team: roles and invitations (issue #16)
    path("hubs/<int:pk>/team/", team.team, name="team"),
    path("hubs/<int:pk>/team/roles/<int:role_id>/", team.team_role, name="team_role"),
    path(
        "hubs/<int:pk>/team/invitations/<int:invitation_id>/",
        team.team_invitation,
        name="team_invitation",
    ),
    path("invitations/<str:token>/", team.invitation, name="invitation"),
    path("memberships/requests/", views.membership_requests, name="membership_requests"),
    path(
        "memberships/<int:membership_id>/confirm/",
        views.membership_confirm,
        name="membership_confirm",
    ),
    path(
        "memberships/<int:membership_id>/decline/",
        views.membership_decline,
        name="membership_decline",
    ),
    path("organisations/", views.organisation_list, name="organisations"),
    path("organisations/new/", views.organisation_create, name="organisation_create"),
    path("organisations/import/", views.organisation_import, name="organisation_import"),
    path("organisations/<int:pk>/", views.organisation_detail, name="organisation"),
    path("organisations/<int:pk>/edit/", views.organisation_edit, name="organisation_edit"),
    path("organisations/<int:pk>/delete/", views.organisation_delete, name="organisation_delete"),
    path("organisations/<int:pk>/contacts/", views.contact_add, name="contact_add"),
    path(
        "organisations/<int:pk>/contacts/<int:person_id>/delete/",
        views.contact_delete,
        name="contact_delete",
    ),
    path("countries/<str:code>/", views.country_detail, name="country"),
    # Pickers (#16): a country's regions for the region select of a form.
    path("regions/options/", views.region_options, name="region_options"),
]
