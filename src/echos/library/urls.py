from django.urls import include, path

from echos.library import views

app_name = "library"

urlpatterns = [
    path("", views.index, name="index"),
    path("new/", views.resource_edit, name="create"),
    path("<int:pk>/", views.resource_detail, name="resource"),
    path("<int:pk>/edit/", views.resource_edit, name="edit"),
    path("<int:pk>/delete/", views.resource_delete, name="delete"),
    path("<int:pk>/versions/", views.version_add, name="version_add"),
    path("<int:pk>/v<int:number>/download/", views.download, name="download"),
    path("<int:pk>/open/", views.open_link, name="open"),
    path("", include("echos.library.urls_harvest")),
]
