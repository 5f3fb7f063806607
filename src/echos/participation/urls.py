from django.urls import path

from echos.participation.views import consultations, moderation, proposals

app_name = "participation"

urlpatterns = [
    path("", consultations.index, name="index"),
    path("hubs/<int:hub_id>/", consultations.hub_page, name="hub"),
    path(
        "hubs/<int:hub_id>/consultations/new/",
        consultations.consultation_create,
        name="consultation_create",
    ),
    path("hubs/<int:hub_id>/proposals/new/", proposals.proposal_create, name="proposal_create"),
    path("consultations/<int:pk>/", consultations.consultation_detail, name="consultation"),
    path("consultations/<int:pk>/results/", consultations.results, name="results"),
    path(
        "consultations/<int:pk>/results/<slug:code>/",
        consultations.text_answers,
        name="text_answers",
    ),
    path(
        "consultations/<int:pk>/text/", consultations.consultation_texts, name="consultation_texts"
    ),
    path("consultations/<int:pk>/follow-up/", consultations.follow_up, name="follow_up"),
    path("consultations/<int:pk>/answers.<str:fmt>", consultations.export, name="export"),
    path("sent/", consultations.sent, name="sent"),
    path("confirm/<str:token>/", consultations.confirm, name="confirm"),
    path("proposals/", proposals.proposal_list, name="proposals"),
    path("proposals/<int:pk>/", proposals.proposal_detail, name="proposal"),
    path("proposals/<int:pk>/support/", proposals.proposal_support, name="support"),
    path("proposals/<int:pk>/comment/", proposals.proposal_comment, name="comment"),
    path("proposals/<int:pk>/answer/", proposals.proposal_answer, name="answer"),
    path("report/<str:kind>/<int:pk>/", proposals.report, name="report"),
    path("moderation/", moderation.moderation_queue, name="moderation"),
    path("moderation/<str:kind>/<int:pk>/", moderation.moderate, name="moderate"),
]
