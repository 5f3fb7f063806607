"""Key performance indicators owned by exchange (core.kpis; issue #15)."""

from datetime import date

from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _

from echos.core.kpis import Figure, Kpi, scope_ids
from echos.exchange.models import Commitment

KPIS: list[Kpi] = [
    Kpi(
        code="EXC-COMMITMENTS-DONE",
        name=_("Exchange commitments done"),
        definition=_(
            "Commitments hubs made in knowledge-exchange sessions that fall due in the period, by "
            "whether they were done by the period's last day (marked done with a date on or before "
            "it, on time or late) or not. The share done is 'done' divided by all commitments due "
            "in the period."
        ),
        numerator=_("Commitments due in the period and done by its last day"),
        denominator=_("Commitments due in the period (the sum of the figures)"),
        unit=_("commitments"),
        owner="exchange",
        function="echos.exchange.kpis.commitments_done",
        breakdown=_("done, not done"),
    ),
]


def commitments_done(start: date, end: date, hub=None) -> list[Figure]:
    """One query with two conditional counts."""
    qs = Commitment.objects.filter(due__gte=start, due__lte=end)
    if (ids := scope_ids(hub)) is not None:
        qs = qs.filter(hub_id__in=ids)
    done = Q(status=Commitment.Status.DONE, done_on__lte=end)
    found = qs.order_by().aggregate(done=Count("pk", filter=done), open=Count("pk", filter=~done))
    return [
        Figure("done", str(_("Done")), found["done"]),
        Figure("open", str(_("Not done")), found["open"]),
    ]
