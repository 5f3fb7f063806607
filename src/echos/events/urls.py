from django.urls import path

from echos.events import feeds, gap, views

app_name = "events"

urlpatterns = [
    path("", views.calendar_list, name="calendar"),
    path("month/", views.month, name="month_current"),
    path("month/<int:year>/<int:month>/", views.month, name="month"),
    path("new/", views.event_edit, name="event_create"),
    path("<int:pk>/", views.event_detail, name="event"),
    path("<int:pk>/edit/", views.event_edit, name="event_edit"),
    path("<int:pk>/status/", views.event_status, name="event_status"),
    path("<int:pk>/delete/", views.event_delete, name="event_delete"),
    path("<int:pk>/sessions/", views.session_add, name="session_add"),
    path("<int:pk>/sessions/<int:session_id>/delete/", views.session_delete, name="session_delete"),
    path("<int:pk>/register/", views.register, name="register"),
    path("<int:pk>/participants/", views.participants, name="participants"),
    path("<int:pk>/participants/export/", views.participants_export, name="participants_export"),
    path(
        "<int:pk>/participants/<int:registration_id>/",
        views.participant_action,
        name="participant_action",
    ),
    path("<int:pk>/attendance/close/", views.attendance_close, name="attendance_close"),
    path("<int:pk>/activity/", views.to_activity, name="to_activity"),
    path("registration/sent/", views.registration_sent, name="registration_sent"),
    path("registration/<str:token>/", views.registration_page, name="registration"),
    *feeds.urlpatterns,
    *gap.urlpatterns,
]
