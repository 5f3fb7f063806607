"""Pages of the network and hub dashboards and of the public KPI catalogue (HTTP only: the
figures come from ``reports.dashboards``, the rules of the period from ``forms_dashboards``)."""

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, render

from echos.core import kpis
from echos.hubs.models import Hub
from echos.reports import dashboards
from echos.reports.forms_dashboards import period_form


def _dashboard(request, hub: Hub | None):
    form, period = period_form(request.GET)
    context: dict[str, Any] = {
        "form": form,
        "hub": hub,
        "panels": [],
        "max_months": kpis.MAX_MONTHS,
    }
    if period is None:
        return render(request, "reports/dashboard.html", context, status=400)
    start, end = period
    before = kpis.previous_period(start, end)
    context.update(
        {
            "start": start,
            "end": end,
            "before_start": before[0],
            "before_end": before[1],
            "panels": dashboards.panels(start, end, hub),
        }
    )
    return render(request, "reports/dashboard.html", context)


def network(request):
    """Every network KPI over a period, against the previous one: network coordinators."""
    if not dashboards.can_view_network_dashboard(request.user):
        raise PermissionDenied
    return _dashboard(request, None)


def hub(request, pk: int):
    """One hub's KPIs (the hub and the hubs below it): the hub's team and the network."""
    obj = get_object_or_404(Hub.objects.select_related("country"), pk=pk)
    if not dashboards.can_view_hub_dashboard(request.user, obj):
        raise PermissionDenied
    return _dashboard(request, obj)


def catalogue(request):
    """Every installed KPI with its definition: public."""
    return render(request, "reports/kpi_catalogue.html", {"kpis": kpis.catalogue()})


def kpi(request, code: str):
    """One KPI's written definition: public."""
    try:
        found = kpis.get(code)
    except kpis.UnknownKpi:
        raise Http404(code) from None
    return render(request, "reports/kpi_detail.html", {"kpi": found})
