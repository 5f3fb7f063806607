"""A small KPI module of the report tests: hubs by level (stock) and events held (flow).

The report tests read the catalogue through this module (``registry.kpi_modules`` patched), so
they check what the reports do with figures, not the real KPIs' formulas (tested by their owners).
"""

from echos.core.kpis import Figure, Kpi, bounds, scope_ids
from echos.events.models import Event
from echos.hubs.models import Hub, Level

PERIOD = "2025-01:2025-06"  # the period of the report tests

KPIS = [
    Kpi(
        code="T-HUBS-LEVEL",
        name="Hubs by level (test)",
        definition="Hubs in the registry by level.",
        numerator="Hubs at the level",
        denominator="",
        unit="hubs",
        owner="hubs",
        function="tests.reports.report_kpis.hubs_by_level",
        breakdown="level",
        kind="stock",
    ),
    Kpi(
        code="T-EVENTS",
        name="Events held (test)",
        definition="Events that start in the period.",
        numerator="Events",
        denominator="",
        unit="events",
        owner="events",
        function="tests.reports.report_kpis.events_held",
    ),
]


def hubs_by_level(start, end, hub=None):
    hubs = Hub.objects.all()
    ids = scope_ids(hub)
    if ids is not None:
        hubs = hubs.filter(pk__in=ids)
    return [
        Figure(level.value, str(level.label), hubs.filter(level=level).count()) for level in Level
    ]


def events_held(start, end, hub=None):
    first, last = bounds(start, end)
    events = Event.objects.filter(start__gte=first, start__lt=last)
    ids = scope_ids(hub)
    if ids is not None:
        events = events.filter(hub_id__in=ids)
    return [Figure("", "Events", events.count())]
