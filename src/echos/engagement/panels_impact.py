"""Page panel of the engagement impact (core.registry panels)."""


def hub_impact(request, obj) -> str:
    return ""
