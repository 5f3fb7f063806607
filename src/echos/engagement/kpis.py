"""Key performance indicators owned by engagement (core.kpis; issue #15)."""

from collections import defaultdict
from datetime import date

from django.db.models import Count
from django.db.models.functions import TruncMonth
from django.utils.translation import gettext_lazy as _

from echos.core.kpis import Figure, Kpi, month_of, month_starts, scope_ids
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
        monthly_function="echos.engagement.kpis.records_by_level_monthly",
        breakdown=_("engagement level"),
        public=True,
    ),
]


def _held(start: date, end: date, hub):
    qs = EngagementRecord.objects.between(start, end).filter(status=RecordStatus.HELD)
    if (ids := scope_ids(hub)) is not None:
        qs = qs.filter(hub_id__in=ids)
    return qs.order_by()


def _figures(counts: dict, levels: list[Term]) -> list[Figure]:
    return [Figure(t.code, t.display, counts.get(t.code, 0)) for t in levels]


def records_by_level(start: date, end: date, hub=None) -> list[Figure]:
    """One grouped query, plus the vocabulary."""
    counts = dict(_held(start, end, hub).values_list("level__code").annotate(n=Count("pk")))
    return _figures(counts, list(Term.objects.of(Term.Vocabulary.ENGAGEMENT_LEVELS)))


def records_by_level_monthly(start: date, end: date, hub=None) -> dict[date, list[Figure]]:
    """The same, month by month, in one grouped query (plus the vocabulary)."""
    rows = (
        _held(start, end, hub)
        .annotate(month=TruncMonth("date"))
        .values_list("month", "level__code")
        .annotate(n=Count("pk"))
    )
    found: dict[date, dict] = defaultdict(dict)
    for month, level, n in rows:
        found[month_of(month)][level] = n
    levels = list(Term.objects.of(Term.Vocabulary.ENGAGEMENT_LEVELS))
    return {m: _figures(found.get(m, {}), levels) for m in month_starts(start, end)}
