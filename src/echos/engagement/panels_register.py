"""Page panel of the engagement register (core.registry panels)."""


def organisation_relationships(request, obj) -> str:
    return ""
