"""Key performance indicators owned by events (core.kpis; issue #15).

Events count when they start in the period and are neither drafts nor cancelled
(``Event.objects.counted``, as the participation gap counts them); participants are the
registrations holding a place at those events (registered, offered, attended, did not attend:
``Registration.HOLDS_PLACE``), never the waitlisted or cancelled. A hub's figures are those of the
events it (or a hub below it) organises.
"""

from collections import defaultdict
from datetime import date

from django.apps import apps
from django.db.models import Count, Q
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from echos.core.kpis import Figure, Kpi, bounds, month_of, month_starts, scope_ids
from echos.events.models import PUBLIC_AUDIENCES, Audience, Event, Registration

NOT_STATED = "not_stated"

KPIS: list[Kpi] = [
    Kpi(
        code="EVT-EVENTS-AUDIENCE",
        name=_("Events by audience"),
        definition=_(
            "Events that start in the period and are neither drafts nor cancelled, by the "
            "audiences the organiser names. An event for several audiences counts once under each, "
            "so the figures do not add up to the number of events; 'all events' gives that number."
        ),
        numerator=_("Events naming the audience"),
        denominator=_("None (a count)"),
        unit=_("events"),
        owner="events",
        function="echos.events.kpis.events_by_audience",
        monthly_function="echos.events.kpis.events_by_audience_monthly",
        breakdown=_("audience named by the organiser, and all events"),
        additive=False,
        public=True,
    ),
    Kpi(
        code="EVT-PARTICIPANTS-AUDIENCE",
        name=_("Participants by audience"),
        definition=_(
            "Registrations holding a place (registered, place offered, attended, did not attend) "
            "at events that start in the period and are neither drafts nor cancelled, by the "
            "audience the participant gave ('not stated' when none). Waitlisted and cancelled "
            "registrations are excluded. A person registered for two events counts twice."
        ),
        numerator=_("Registrations holding a place, of participants of the audience"),
        denominator=_("None (a count)"),
        unit=_("registrations"),
        owner="events",
        function="echos.events.kpis.participants_by_audience",
        monthly_function="echos.events.kpis.participants_by_audience_monthly",
        breakdown=_("audience given by the participant"),
    ),
    Kpi(
        code="EVT-CITIZENS-REACHED",
        name=_("Citizens reached"),
        definition=_(
            "Contacts with the public: registrations holding a place by participants who gave a "
            "public audience (citizens, patients and carers, youth) at events that start in the "
            "period and are neither drafts nor cancelled, plus consultation answers confirmed in "
            "the period (when the participation capability is installed). Excluded: professionals "
            "and participants who gave no audience, waitlisted and cancelled registrations, "
            "unconfirmed answers, proposals, supports and comments, engagement records. A person "
            "who registers twice or also answers a consultation counts each time: these are "
            "contacts, not distinct people."
        ),
        numerator=_("Public registrations plus confirmed consultation answers"),
        denominator=_("None (a count)"),
        unit=_("contacts"),
        owner="events",
        function="echos.events.kpis.citizens_reached",
        breakdown=_("channel: events, consultations"),
    ),
]


def counted_events(start: date, end: date, hub=None):
    """Events that start in ``[start, end]``, neither drafts nor cancelled, of the scope."""
    lo, hi = bounds(start, end)
    qs = Event.objects.counted().filter(start__gte=lo, start__lt=hi)
    if (ids := scope_ids(hub)) is not None:
        qs = qs.filter(hub_id__in=ids)
    return qs.order_by()


def places(start: date, end: date, hub=None):
    """Registrations holding a place at the counted events."""
    lo, hi = bounds(start, end)
    qs = (
        Registration.objects.holding_place()
        .filter(event__start__gte=lo, event__start__lt=hi)
        .exclude(event__status__in=[Event.Status.DRAFT, Event.Status.CANCELLED])
    )
    if (ids := scope_ids(hub)) is not None:
        qs = qs.filter(event__hub_id__in=ids)
    return qs.order_by()


def _audience_counts() -> dict:
    return {
        "all": Count("pk"),
        **{a.value: Count("pk", filter=Q(audiences__contains=f",{a.value},")) for a in Audience},
    }


def _event_figures(counts: dict) -> list[Figure]:
    return [Figure(a.value, str(a.label), counts.get(a.value, 0)) for a in Audience] + [
        Figure("all", str(_("All events")), counts.get("all", 0))
    ]


def events_by_audience(start: date, end: date, hub=None) -> list[Figure]:
    """One query with one conditional count per audience."""
    return _event_figures(counted_events(start, end, hub).aggregate(**_audience_counts()))


def events_by_audience_monthly(start: date, end: date, hub=None) -> dict[date, list[Figure]]:
    """The same, month by month, in one grouped query."""
    rows = (
        counted_events(start, end, hub)
        .annotate(month=TruncMonth("start", tzinfo=timezone.get_current_timezone()))
        .values("month")
        .annotate(**_audience_counts())
    )
    found = {month_of(row.pop("month")): row for row in rows}
    return {m: _event_figures(found.get(m, {})) for m in month_starts(start, end)}


def _participant_figures(counts: dict) -> list[Figure]:
    return [Figure(a.value, str(a.label), counts.get(a.value, 0)) for a in Audience] + [
        Figure(NOT_STATED, str(_("Not stated")), counts.get("", 0))
    ]


def participants_by_audience(start: date, end: date, hub=None) -> list[Figure]:
    """One grouped query over the registrations holding a place."""
    counts = dict(places(start, end, hub).values_list("audience").annotate(n=Count("pk")))
    return _participant_figures(counts)


def participants_by_audience_monthly(start: date, end: date, hub=None) -> dict[date, list[Figure]]:
    """The same, month by month, in one grouped query."""
    rows = (
        places(start, end, hub)
        .annotate(month=TruncMonth("event__start", tzinfo=timezone.get_current_timezone()))
        .values_list("month", "audience")
        .annotate(n=Count("pk"))
    )
    found: dict[date, dict] = defaultdict(dict)
    for month, audience, n in rows:
        found[month_of(month)][audience] = n
    return {m: _participant_figures(found.get(m, {})) for m in month_starts(start, end)}


def citizens_reached(start: date, end: date, hub=None) -> list[Figure]:
    """Public registrations (one query) plus confirmed answers (one query, when installed)."""
    public = places(start, end, hub).filter(audience__in=sorted(PUBLIC_AUDIENCES)).count()
    figures = [Figure("events", str(_("Event registrations")), public)]
    answers = _confirmed_answers(start, end, hub)
    if answers is not None:
        figures.append(Figure("consultations", str(_("Consultation answers")), answers))
    return figures


def _confirmed_answers(start: date, end: date, hub) -> int | None:
    """Confirmed consultation answers of the period, or None without the participation app."""
    # participation sits on this app's layer and may be absent: looked up, never imported.
    if not apps.is_installed("echos.participation"):
        return None
    answer = apps.get_model("participation", "Answer")
    lo, hi = bounds(start, end)
    qs = answer.objects.filter(confirmed_at__gte=lo, confirmed_at__lt=hi)
    if (ids := scope_ids(hub)) is not None:
        qs = qs.filter(consultation__hub_id__in=ids)
    return qs.order_by().count()
