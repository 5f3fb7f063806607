"""Values every template needs."""

from django.conf import settings


def site(request) -> dict:
    """The EU acknowledgement flag, languages and the user's network role."""
    user = getattr(request, "user", None)
    return {
        "ECHOS_LANGUAGES": settings.LANGUAGES,
        "is_network_coordinator": bool(user and user.is_authenticated and user.coordinates_network),
    }
