"""Routes of the network of support pages (roadmaps, sessions, twinnings, support requests).

The peer matching and pairing pages live in ``urls_matching`` (owned by the matching work).
"""

from django.urls import include, path

app_name = "exchange"

urlpatterns = [
    path("", include("echos.exchange.urls_matching")),
]
