"""API of the engagement network (mounted on the engagement router)."""

from ninja import Router

router = Router(tags=["engagement"])
