"""Page panel of the engagement records (core.registry panels)."""


def hub_follow_ups(request, obj) -> str:
    return ""
