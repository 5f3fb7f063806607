"""Routes of the peer matching and Europe-wide pairing pages (owned by the matching work)."""

from django.urls import URLPattern, path

from echos.exchange import views_matching

urlpatterns: list[URLPattern] = [
    path("hubs/<int:hub_id>/peers/", views_matching.hub_peers, name="peers"),
    path("pairing/", views_matching.europe_pairing, name="pairing"),
]
