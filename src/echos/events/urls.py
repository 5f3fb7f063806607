from django.urls import path

from echos.events import feeds
from echos.events.views import calendar, gap, messaging, organisers, public

app_name = "events"

urlpatterns = [
    path("", calendar.calendar_list, name="calendar"),
    path("month/", calendar.month, name="month_current"),
    path("month/<int:year>/<int:month>/", calendar.month, name="month"),
    path("new/", organisers.event_edit, name="event_create"),
    path("<int:pk>/", public.event_detail, name="event"),
    path("<int:pk>/edit/", organisers.event_edit, name="event_edit"),
    path("<int:pk>/status/", organisers.event_status, name="event_status"),
    path("<int:pk>/delete/", organisers.event_delete, name="event_delete"),
    path("<int:pk>/sessions/", organisers.session_add, name="session_add"),
    path(
        "<int:pk>/sessions/<int:session_id>/delete/",
        organisers.session_delete,
        name="session_delete",
    ),
    path("<int:pk>/register/", public.register, name="register"),
    path("<int:pk>/participants/", organisers.participants, name="participants"),
    path(
        "<int:pk>/participants/export/",
        organisers.participants_export,
        name="participants_export",
    ),
    path(
        "<int:pk>/participants/<int:registration_id>/",
        organisers.participant_action,
        name="participant_action",
    ),
    path("<int:pk>/messages/", messaging.message_registrants, name="messages"),
    path("<int:pk>/attendance/close/", organisers.attendance_close, name="attendance_close"),
    path("<int:pk>/activity/", organisers.to_activity, name="to_activity"),
    path("registration/sent/", public.registration_sent, name="registration_sent"),
    path("registration/<str:token>/", public.registration_page, name="registration"),
    *feeds.urlpatterns,
    path("gap/", gap.gap, name="gap"),
    path("gap.csv", gap.gap_csv, name="gap_csv"),
]
