"""Values every template needs."""

from django.conf import settings

from echos.core import registry


def site(request) -> dict:
    """The EU acknowledgement flag, languages, the user's network role and the header links."""
    user = getattr(request, "user", None)
    signed_in = bool(user and user.is_authenticated)
    coordinator = bool(user is not None and signed_in and user.coordinates_network)
    allowed = {"all": True, "signed_in": signed_in, "coordinator": coordinator}
    return {
        "nav_items": [item for item in registry.nav_items() if allowed[item.access]],
        "ECHOS_LANGUAGES": settings.LANGUAGES,
        "is_network_coordinator": coordinator,
    }
