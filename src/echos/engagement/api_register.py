"""API of the engagement register (mounted on the engagement router)."""

from ninja import Router

router = Router(tags=["engagement"])
