"""The reports app's API: the KPI catalogue and dashboards, the reports and the open data."""

from ninja import Router

from echos.reports import api_kpis, api_reports

router = Router(tags=["reports"])
router.add_router("", api_kpis.router)
router.add_router("", api_reports.router)
