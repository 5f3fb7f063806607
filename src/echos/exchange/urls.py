"""Routes of the network of support pages (roadmaps, sessions, twinnings, support requests).

The peer matching and pairing pages live in ``urls_matching`` (owned by the matching work).
"""

from django.urls import include, path

from echos.exchange import views, views_edit, views_support

app_name = "exchange"

urlpatterns = [
    path("", views.home, name="home"),
    path("roadmaps/new/", views.roadmap_create, name="roadmap_create"),
    path("roadmaps/<str:code>/", views.roadmap_detail, name="roadmap"),
    path("roadmaps/<str:code>/stage/", views.roadmap_stage, name="roadmap_stage"),
    path("steps/<int:pk>/", views.step_update, name="step_update"),
    path("sessions/", views.session_list, name="sessions"),
    path("sessions/new/", views.session_create, name="session_create"),
    path("sessions/<int:pk>/", views.session_detail, name="session"),
    path("sessions/<int:pk>/edit/", views.session_edit, name="session_edit"),
    path("sessions/<int:pk>/commitments/", views.commitment_add, name="commitment_add"),
    path("sessions/<int:pk>/invitations/", views.invitation_add, name="invitation_add"),
    path("sessions/<int:pk>/hold/", views.dialogue_hold, name="dialogue_hold"),
    path("sessions/<int:pk>/conclusions/", views.dialogue_record, name="dialogue_record"),
    path("sessions/<int:pk>/stage/", views.dialogue_stage, name="dialogue_stage"),
    path("commitments/<int:pk>/status/", views.commitment_status, name="commitment_status"),
    path("commitments/<int:pk>/edit/", views_edit.commitment_edit, name="commitment_edit"),
    path("invitations/<int:pk>/remove/", views.invitation_remove, name="invitation_remove"),
    path("invitations/<int:pk>/status/", views.invitation_status, name="invitation_status"),
    path("twinnings/", views_support.twinning_list, name="twinnings"),
    path("twinnings/new/", views_support.twinning_create, name="twinning_create"),
    path("twinnings/<int:pk>/", views_support.twinning_detail, name="twinning"),
    path("twinnings/<int:pk>/update/", views_support.twinning_update, name="twinning_update"),
    path("twinnings/<int:pk>/levels/", views_edit.twinning_levels, name="twinning_levels"),
    path("twinnings/<int:pk>/milestones/", views_support.milestone_add, name="milestone_add"),
    path("twinnings/<int:pk>/notes/", views_support.note_add, name="note_add"),
    path("milestones/<int:pk>/done/", views_support.milestone_done, name="milestone_done"),
    path("requests/", views_support.request_list, name="requests"),
    path("requests/new/", views_support.request_create, name="request_create"),
    path("requests/<int:pk>/", views_support.request_detail, name="request"),
    path("requests/<int:pk>/answers/", views_support.request_answer, name="request_answer"),
    path("requests/<int:pk>/status/", views_support.request_status, name="request_status"),
    path("requests/<int:pk>/ask/", views_support.request_ask, name="request_ask"),
    path("hubs/<int:hub_id>/profile/", views_edit.hub_profile, name="profile"),
    path("", include("echos.exchange.urls_matching")),
]
