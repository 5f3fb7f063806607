"""Routes of the Atom feed and the OAI-PMH endpoint of the library (owned by the harvesting work)."""

from django.urls import path

from echos.library import feeds, oai

urlpatterns = [
    path("feed.atom", feeds.atom, name="feed"),
    path("oai", oai.endpoint, name="oai"),
]
