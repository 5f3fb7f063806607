"""Routes of the peer matching and Europe-wide pairing pages (owned by the matching work)."""

urlpatterns: list = []
