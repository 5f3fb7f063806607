from django.urls import path

from echos.consortium import views

app_name = "consortium"

urlpatterns = [
    path("", views.index, name="index"),
    path("partners/", views.partners, name="partners"),
    path("work-plan/", views.workplan, name="workplan"),
    path("outputs/", views.outputs, name="outputs"),
    path("timeline/", views.timeline_page, name="timeline"),
    path("reporting-periods/", views.periods, name="periods"),
    path("risks/", views.risks, name="risks"),
]
