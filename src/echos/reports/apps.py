from django.utils.translation import gettext_lazy as _

from echos.core import registry


class ReportsConfig(registry.EchosAppConfig):
    """KPI dashboards, PDF and XLSX reports and the open-data dump (#15)."""

    name = "echos.reports"
    label = "reports"
    verbose_name = _("Reports")
    api_router = "echos.reports.api.router"
    urls = ("reports/", "echos.reports.urls")
    nav = (registry.NavItem("reports:network", _("Dashboard"), 88, access="coordinator"),)
    panels = (("hub", "echos.reports.dashboards.hub_panel"),)
