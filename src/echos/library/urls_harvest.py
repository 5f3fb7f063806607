"""Routes of the Atom feed and the OAI-PMH endpoint of the library (owned by the harvesting work)."""

urlpatterns: list = []
