"""API of the KPI catalogue and dashboards (mounted on the reports router)."""

from ninja import Router

router = Router(tags=["reports"])
