"""The network and hub dashboards: every KPI of the scope over a period, against the previous
period of the same length, with its chart. Built on ``core.kpis.compute`` only, so a dashboard's
figure is the API's, the report's and the open data's.

Who sees what: the network dashboard is for network coordinators; a hub's dashboard for the hub's
team (its editors, coordinators at or above it) and network coordinators (``can_edit_hub``). In the
API a public KPI (``Kpi.public``) is open to everyone at network scope and, at hub scope, to whoever
may see the hub (the registry is public); the other KPIs follow the dashboards' rule.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from echos.core import kpis
from echos.core.charts import vega_lite_base
from echos.hubs import permissions as hub_perms
from echos.hubs.models import Hub


def can_view_network_dashboard(user) -> bool:
    """The whole network's figures: the secretariat."""
    return hub_perms.is_network_coordinator(user)


def can_view_hub_dashboard(user, hub: Hub) -> bool:
    """A hub's figures: the people who run it (editors, coordinators at or above) and the network."""
    return hub_perms.can_edit_hub(user, hub)


def can_read_kpi(user, kpi: kpis.Kpi, hub: Hub | None) -> bool:
    """Public KPIs for whoever may see the scope; the others as the dashboards."""
    if kpi.public:
        return hub is None or hub_perms.can_view_hub(user, hub)
    if hub is None:
        return can_view_network_dashboard(user)
    return can_view_hub_dashboard(user, hub)


@dataclass
class Panel:
    """One KPI on a dashboard: its figures now and in the previous period, and its chart."""

    kpi: kpis.Kpi
    result: kpis.Result
    previous: kpis.Result
    rows: list[kpis.Change]
    spec: dict

    @property
    def anchor(self) -> str:
        return "kpi-" + self.kpi.code.lower()

    @property
    def spec_id(self) -> str:
        return self.anchor + "-spec"

    @property
    def total(self) -> kpis.Change | None:
        if not self.kpi.additive or len(self.rows) < 2:
            return None
        return kpis.Change("", _("Total"), self.result.total, self.previous.total)


def chart_spec(rows: list[kpis.Change], *, this: str, before: str) -> dict:
    """Grouped horizontal bars: each figure this period and in the previous period."""
    values = []
    for row in rows:
        for period, value in ((this, row.value), (before, row.previous)):
            if value is not None:
                values.append({"figure": row.label, "period": period, "value": float(value)})
    spec = vega_lite_base(values)
    spec.update(
        {
            "mark": {"type": "bar", "tooltip": True},
            "encoding": {
                "y": {
                    "field": "figure",
                    "type": "nominal",
                    "sort": None,
                    "title": None,
                    "axis": {"labelLimit": 180},
                },
                "yOffset": {"field": "period", "sort": [this, before]},
                "x": {"field": "value", "type": "quantitative", "title": None},
                "color": {
                    "field": "period",
                    "type": "nominal",
                    "sort": [this, before],
                    "scale": {"range": ["#1f5fa6", "#b0b7c3"]},
                    "legend": {"orient": "top", "title": None},
                },
            },
        }
    )
    return spec


def panels(start: date, end: date, hub: Hub | None = None) -> list[Panel]:
    """Every KPI of the scope, in catalogue order (a fixed number of queries per KPI)."""
    scope = "network" if hub is None else "hub"
    before = kpis.previous_period(start, end)
    this_label = kpis.period_label(start, end)
    before_label = kpis.period_label(*before)
    out = []
    for kpi in kpis.catalogue(scope):
        result = kpis.compute(kpi, start, end, hub)
        previous = kpis.compute(kpi, *before, hub)
        rows = kpis.changes(result, previous)
        out.append(
            Panel(
                kpi, result, previous, rows, chart_spec(rows, this=this_label, before=before_label)
            )
        )
    return out


def hub_panel(request, hub: Hub) -> str:
    """The link to the hub's dashboard on the hub page (slot ``"hub"``), for the hub's team only."""
    if not can_view_hub_dashboard(getattr(request, "user", None), hub):
        return ""
    return render_to_string("reports/dashboard_hub_panel.html", {"hub": hub}, request=request)
