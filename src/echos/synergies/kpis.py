"""Key performance indicators owned by synergies (core.kpis; issue #15)."""

from datetime import date

from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _

from echos.core.kpis import Figure, Kpi, bounds, scope_ids
from echos.synergies.models import SynergyLink

KPIS: list[Kpi] = [
    Kpi(
        code="SYN-LINKS-STATUS",
        name=_("Synergy links by status"),
        definition=_(
            "Synergy links accepted by the period's last day (created on or before it), by their "
            "status on that day: proposed, contacted, collaborating, concluded. Links keep only "
            "their current status and the date it was set: a link whose status changed after the "
            "period's last day counts under 'changed since' rather than under a guessed status."
        ),
        numerator=_("Synergy links at the status"),
        denominator=_("None (a count)"),
        unit=_("synergy links"),
        owner="synergies",
        function="echos.synergies.kpis.links_by_status",
        breakdown=_("link status"),
        kind="stock",
    ),
]

CHANGED_SINCE = "changed_since"


def links_by_status(start: date, end: date, hub=None) -> list[Figure]:
    """One query with one conditional count per status."""
    _lo, hi = bounds(start, end)
    qs = SynergyLink.objects.filter(created_at__lt=hi)
    if (ids := scope_ids(hub)) is not None:
        qs = qs.filter(hub_id__in=ids)
    counts = qs.order_by().aggregate(
        **{
            s.value: Count("pk", filter=Q(status=s.value, status_changed_at__lt=hi))
            for s in SynergyLink.Status
        },
        **{CHANGED_SINCE: Count("pk", filter=Q(status_changed_at__gte=hi))},
    )
    return [Figure(s.value, str(s.label), counts[s.value]) for s in SynergyLink.Status] + [
        Figure(CHANGED_SINCE, str(_("Status changed since")), counts[CHANGED_SINCE])
    ]
