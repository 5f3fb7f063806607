from django.urls import path

from echos.participation import views

app_name = "participation"

urlpatterns = [
    path("", views.index, name="index"),
    path("hubs/<int:hub_id>/", views.hub_page, name="hub"),
    path(
        "hubs/<int:hub_id>/consultations/new/",
        views.consultation_create,
        name="consultation_create",
    ),
    path("hubs/<int:hub_id>/proposals/new/", views.proposal_create, name="proposal_create"),
    path("consultations/<int:pk>/", views.consultation_detail, name="consultation"),
    path("consultations/<int:pk>/results/", views.results, name="results"),
    path("consultations/<int:pk>/results/<slug:code>/", views.text_answers, name="text_answers"),
    path("consultations/<int:pk>/follow-up/", views.follow_up, name="follow_up"),
    path("consultations/<int:pk>/answers.<str:fmt>", views.export, name="export"),
    path("sent/", views.sent, name="sent"),
    path("confirm/<str:token>/", views.confirm, name="confirm"),
    path("proposals/", views.proposal_list, name="proposals"),
    path("proposals/<int:pk>/", views.proposal_detail, name="proposal"),
    path("proposals/<int:pk>/support/", views.proposal_support, name="support"),
    path("proposals/<int:pk>/comment/", views.proposal_comment, name="comment"),
    path("proposals/<int:pk>/answer/", views.proposal_answer, name="answer"),
    path("report/<str:kind>/<int:pk>/", views.report, name="report"),
    path("moderation/", views.moderation_queue, name="moderation"),
    path("moderation/<str:kind>/<int:pk>/", views.moderate, name="moderate"),
]
