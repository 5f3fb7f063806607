"""API of the engagement impact (mounted on the engagement router)."""

from ninja import Router

router = Router(tags=["engagement"])
