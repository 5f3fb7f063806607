"""Key performance indicators owned by engagement (core.kpis; issue #15)."""

from datetime import date

from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from echos.core.kpis import Figure, Kpi, scope_ids
from echos.core.models import Term
from echos.engagement.models import EngagementRecord, RecordStatus

KPIS: list[Kpi] = [
    Kpi(
        code="ENG-RECORDS-LEVEL",
        name=_("Engagement records by level"),
        definition=_(
            "Engagements held (status 'held') whose first day lies in the period, by their level "
            "on the IAP2 spectrum (inform, consult, involve, collaborate, empower). Planned and "
            "cancelled engagements are excluded. For a hub: its records and those of the hubs "
            "below it."
        ),
        numerator=_("Held engagement records of the level"),
        denominator=_("None (a count)"),
        unit=_("engagement records"),
        owner="engagement",
        function="echos.engagement.kpis.records_by_level",
        breakdown=_("engagement level"),
        public=True,
    ),
]


def records_by_level(start: date, end: date, hub=None) -> list[Figure]:
    """One grouped query, plus the vocabulary."""
    qs = EngagementRecord.objects.between(start, end).filter(status=RecordStatus.HELD)
    if (ids := scope_ids(hub)) is not None:
        qs = qs.filter(hub_id__in=ids)
    counts = dict(qs.order_by().values_list("level__code").annotate(n=Count("pk")))
    return [
        Figure(t.code, t.display, counts.get(t.code, 0))
        for t in Term.objects.of(Term.Vocabulary.ENGAGEMENT_LEVELS)
    ]
