"""Platform-wide roles that every app checks, read from the user alone (no hub lookup)."""


def is_network_coordinator(user) -> bool:
    """The European secretariat (and superusers) may do everything."""
    return bool(getattr(user, "is_authenticated", False) and user.coordinates_network)
