"""The public calendar: the list of events with its filters, and the month grid."""

from datetime import date

from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone

from echos.core.filters import ignored_item, say_ignored, unknown_parameters
from echos.core.languages import language_choices
from echos.core.models import Country, Region, Term
from echos.events import calendar, cards
from echos.events.models import (
    Audience,
    EventType,
    Format,
)
from echos.hubs import permissions as hub_perms
from echos.hubs.models import Hub

PAGE_SIZE = 25


def _filter_context(request, filters: calendar.Filters) -> dict:
    query = request.GET.copy()
    query.pop("page", None)
    return {
        "filters": filters,
        "query": query.urlencode(),
        "countries": Country.objects.all(),
        "types": EventType.choices,
        "audiences": Audience.choices,
        "formats": Format.choices,
        "objectives": Term.objects.of("objectives"),
        "hub_choice": Hub.objects.filter(pk=filters.hub).first() if filters.hub else None,
        # Forms that scale (#16): languages and the chosen country's regions by name.
        "language_options": language_choices(
            [filters.language.lower()] if filters.language else []
        ),
        "region_options": Region.objects.filter(
            Q(country_id=filters.country.upper()[:2]) | Q(pk=filters.region)
        ).order_by("name")
        if filters.country or filters.region
        else [],
    }


# The parameters the list and the month grid read; any other is named as ignored.
KNOWN_PARAMETERS = (*calendar.FILTERS, "q", "from", "to", "when")


def _say_ignored(request, filters: calendar.Filters) -> None:
    """Tell the reader which filters (and values) were not understood, in the site's one notice."""
    say_ignored(
        request,
        [ignored_item(name, request.GET.get(name)) for name in filters.ignored]
        + unknown_parameters(request.GET, KNOWN_PARAMETERS),
    )


def calendar_list(request):
    filters = calendar.Filters.from_query(request.GET)
    _say_ignored(request, filters)
    events = filters.apply(calendar.public_events(), viewer=request.user)
    page = Paginator(events, PAGE_SIZE).get_page(request.GET.get("page"))
    context = _filter_context(request, filters)
    today = timezone.localdate()
    context.update(
        {
            "page": page,
            "cards": cards.event_cards(list(page.object_list), past=filters.past),
            "month_url": reverse("events:month", args=[today.year, today.month]),
            "live_filters": "#event-list",
            "can_create": bool(
                request.user.is_authenticated and hub_perms.editable_hubs(request.user).exists()
            ),
        }
    )
    template = "events/_event_list.html" if request.htmx else "events/calendar.html"
    return render(request, template, context)


def month(request, year: int | None = None, month: int | None = None):
    today = timezone.localdate()
    year, month = year or today.year, month or today.month
    if not (1 <= month <= 12 and 1900 < year < 2200):
        raise Http404
    filters = calendar.Filters.from_query(request.GET)
    _say_ignored(request, filters)
    start, end = calendar.month_bounds(year, month, margin=True)
    events = filters.apply(
        calendar.public_events().overlapping(start, end),
        upcoming_default=False,
        viewer=request.user,
    )
    # Every event of the month as (id, start, end) — cheap — then only those the grid names.
    spans = calendar.spans_of(events.order_by("start", "id"))
    # Each event on its own local days (a Helsinki event at 00:30 on 1 February is in February).
    spans = calendar.month_spans(year, month, spans)
    weeks = calendar.month_grid(year, month, spans)
    named = {pk for week in weeks for day in week for pk in day["ids"]}
    by_id = calendar.public_events().in_bulk(named)
    calendar.fill_grid(weeks, by_id)
    # Each event's cell entry and agenda line, kept per version of the event (events/cards.py).
    pieces = cards.month_pieces(list(by_id.values()))
    for week in weeks:
        for day in week:
            day["cells"] = [pieces[e.pk][0] for e in day["events"]]
    # The same days as an agenda for phones: only the month's days with events, each event with
    # whether it starts that day (its time) or goes on from an earlier day.
    agenda = [
        {
            "date": day["date"],
            "items": [
                (e, e.local_start.date() == day["date"], pieces[e.pk][1]) for e in day["events"]
            ],
            "more": day["more"],
        }
        for week in weeks
        for day in week
        if day["in_month"] and day["count"]
    ]
    previous = date(year - (month == 1), (month - 2) % 12 + 1, 1)
    following = date(year + (month == 12), month % 12 + 1, 1)
    context = _filter_context(request, filters)
    context.update(
        {
            "weeks": weeks,
            "agenda": agenda,
            "month_start": date(year, month, 1),
            "total": len(spans),
            "previous": previous,
            "following": following,
            # Like the list and the directory: the month follows its filters as they change.
            "live_filters": "#month-body",
        }
    )
    template = "events/_month_body.html" if request.htmx else "events/month.html"
    return render(request, template, context)
