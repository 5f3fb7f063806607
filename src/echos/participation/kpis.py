"""Key performance indicators owned by participation (core.kpis; issue #15).

Only confirmed contributions count (from an account, or with an e-mail confirmed): the same rule as
the consultation results. A hub's figures are those of its consultations and proposals and of the
hubs below it.
"""

from collections import defaultdict
from datetime import date

from django.db.models import Count, Q
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from echos.core.kpis import Figure, Kpi, bounds, month_of, month_starts, scope_ids
from echos.participation.models import Answer, Consultation, Proposal

KPIS: list[Kpi] = [
    Kpi(
        code="PAR-CONSULTATIONS",
        name=_("Consultations open"),
        definition=_(
            "Public consultations open for answers at some time in the period: opened before the "
            "period's end and closing after its start. A consultation open over two periods counts "
            "in both. Split by whether it opened in the period or earlier."
        ),
        numerator=_("Consultations open during the period"),
        denominator=_("None (a count)"),
        unit=_("consultations"),
        owner="participation",
        function="echos.participation.kpis.consultations",
        breakdown=_("opened in the period, opened earlier"),
        public=True,
    ),
    Kpi(
        code="PAR-ANSWERS",
        name=_("Consultation answers"),
        definition=_(
            "Answers to public consultations confirmed in the period (an answer from an account is "
            "confirmed when given; one with an e-mail address when the address is confirmed). "
            "Unconfirmed answers are excluded."
        ),
        numerator=_("Answers confirmed in the period"),
        denominator=_("None (a count)"),
        unit=_("answers"),
        owner="participation",
        function="echos.participation.kpis.answers",
        monthly_function="echos.participation.kpis.answers_monthly",
        public=True,
    ),
    Kpi(
        code="PAR-PROPOSALS-ANSWERED",
        name=_("Proposals answered"),
        definition=_(
            "Confirmed proposals the hub answered in the period (the date of the hub's answer lies "
            "in the period), by the status given with the answer: accepted, in progress, not taken "
            "forward, still under consideration. Proposals hidden by moderators count too: they "
            "were answered."
        ),
        numerator=_("Proposals answered in the period"),
        denominator=_("None (a count)"),
        unit=_("proposals"),
        owner="participation",
        function="echos.participation.kpis.proposals_answered",
        monthly_function="echos.participation.kpis.proposals_answered_monthly",
        breakdown=_("proposal status"),
        public=True,
    ),
]


def consultations(start: date, end: date, hub=None) -> list[Figure]:
    """One query with two conditional counts."""
    lo, hi = bounds(start, end)
    qs = Consultation.objects.filter(opens_at__lt=hi, closes_at__gt=lo)
    if (ids := scope_ids(hub)) is not None:
        qs = qs.filter(hub_id__in=ids)
    found = qs.order_by().aggregate(
        new=Count("pk", filter=Q(opens_at__gte=lo)), earlier=Count("pk", filter=Q(opens_at__lt=lo))
    )
    return [
        Figure("opened", str(_("Opened in the period")), found["new"]),
        Figure("earlier", str(_("Opened earlier, still open")), found["earlier"]),
    ]


def _answers(start: date, end: date, hub):
    lo, hi = bounds(start, end)
    qs = Answer.objects.filter(confirmed_at__gte=lo, confirmed_at__lt=hi)
    if (ids := scope_ids(hub)) is not None:
        qs = qs.filter(consultation__hub_id__in=ids)
    return qs.order_by()


def answers(start: date, end: date, hub=None) -> list[Figure]:
    """One count."""
    return [Figure("", str(_("Answers")), _answers(start, end, hub).count())]


def answers_monthly(start: date, end: date, hub=None) -> dict[date, list[Figure]]:
    """The same, month by month, in one grouped query."""
    rows = (
        _answers(start, end, hub)
        .annotate(month=TruncMonth("confirmed_at", tzinfo=timezone.get_current_timezone()))
        .values_list("month")
        .annotate(n=Count("pk"))
    )
    found = {month_of(month): n for month, n in rows}
    label = str(_("Answers"))
    return {m: [Figure("", label, found.get(m, 0))] for m in month_starts(start, end)}


def _answered(start: date, end: date, hub):
    lo, hi = bounds(start, end)
    qs = Proposal.objects.confirmed().filter(answered_at__gte=lo, answered_at__lt=hi)
    if (ids := scope_ids(hub)) is not None:
        qs = qs.filter(hub_id__in=ids)
    return qs.order_by()


def _status_figures(counts: dict) -> list[Figure]:
    return [Figure(s.value, str(s.label), counts.get(s.value, 0)) for s in Proposal.Status]


def proposals_answered(start: date, end: date, hub=None) -> list[Figure]:
    """One grouped query."""
    counts = dict(_answered(start, end, hub).values_list("status").annotate(n=Count("pk")))
    return _status_figures(counts)


def proposals_answered_monthly(start: date, end: date, hub=None) -> dict[date, list[Figure]]:
    """The same, month by month, in one grouped query."""
    rows = (
        _answered(start, end, hub)
        .annotate(month=TruncMonth("answered_at", tzinfo=timezone.get_current_timezone()))
        .values_list("month", "status")
        .annotate(n=Count("pk"))
    )
    found: dict[date, dict] = defaultdict(dict)
    for month, status, n in rows:
        found[month_of(month)][status] = n
    return {m: _status_figures(found.get(m, {})) for m in month_starts(start, end)}
