"""API of the reports and the open data (mounted on the reports router)."""

from ninja import Router

router = Router(tags=["reports"])
