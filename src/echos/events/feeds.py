"""iCalendar feeds of the public calendar, whole or filtered, and one event's .ics download."""

import hashlib
from dataclasses import replace
from datetime import timedelta

import pycountry
from django.conf import settings
from django.core.cache import cache
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import path
from django.utils import timezone
from django.utils.cache import get_conditional_response, patch_vary_headers
from django.utils.http import http_date, quote_etag
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from echos.core.languages import language_codes
from echos.core.models import Country, Region
from echos.events import ical
from echos.events.calendar import FILTERS, Filters
from echos.events.models import Audience, Event, EventType
from echos.events.permissions import can_view_event
from echos.hubs.models import Hub

# Recent past events stay in the feed so that attendees keep them in their calendars.
KEEP_DAYS = 90
MAX_EVENTS = 2000
CONTENT_TYPE = "text/calendar; charset=utf-8"
CACHE_SECONDS = 3600
# Bump when the VEVENT's layout changes, so no VEVENT written by the previous code is served.
VEVENT_FORMAT = 1
# The columns read for the ETag; a VEVENT is kept under them (with the language and the site).
FINGERPRINT = ("pk", "updated_at", "sequence", "status", "hub_id", "hub__updated_at")

FEEDS_DESCRIPTION = f"""\
### iCalendar feeds (RFC 5545)

Subscribe to these URLs in any calendar app (Google Calendar, Outlook, Apple Calendar,
Thunderbird). Each feed holds the published, postponed and cancelled events (never drafts)
that ended at most {KEEP_DAYS} days ago or are still to come, ordered by start, at most
{MAX_EVENTS:,}. Times carry their IANA time zone (`DTSTART;TZID=Europe/Warsaw:...`) with a
`VTIMEZONE` for each zone used. An event keeps its `UID` for ever and raises its `SEQUENCE`
when it changes; a cancelled event stays in the feed with `STATUS:CANCELLED`. Venue, address
and online link appear only for events whose organisers show them to everyone.

Responses are `text/calendar; charset=utf-8` with `ETag` and `Last-Modified`: send
`If-None-Match` to get `304 Not Modified` when nothing changed. Unknown filter values
answer `404`.

| Feed | Path |
|---|---|
| All events | `/events/feed.ics` |
| Filtered by query | `/events/feed.ics?country=PL&audience=citizens` |
| By country (ISO 3166-1 alpha-2) | `/events/feeds/country/{{code}}.ics` |
| By organising or co-organising hub | `/events/feeds/hub/{{hub_id}}.ics` |
| By event type | `/events/feeds/type/{{type}}.ics` |
| By audience | `/events/feeds/audience/{{audience}}.ics` |
| By language (ISO 639-1) | `/events/feeds/language/{{code}}.ics` |
| One event (download) | `/events/{{id}}/event.ics` |

Query filters, which the path feeds accept too: `country` (ISO 3166-1 alpha-2), `region`
(ISO 3166-2), `hub` (id), `type` ({", ".join(f"`{v}`" for v in EventType.values)}),
`audience` ({", ".join(f"`{v}`" for v in Audience.values)}), `objective` (Mission objective
code), `language` (ISO 639-1), `format` (`in_person`, `online`, `hybrid`), `q` (words),
`from` and `to` (dates, `YYYY-MM-DD`).
"""


def feed_events(filters: Filters, *, now=None):
    """The events of a feed: not drafts, from KEEP_DAYS ago on, at most MAX_EVENTS, by start."""
    now = now or timezone.now()
    qs = filters.apply(Event.objects.public(), now=now, upcoming_default=False)
    since = now - timedelta(days=KEEP_DAYS)
    qs = qs.ending_from(since)
    qs = qs.order_by("start", "id")
    return qs[:MAX_EVENTS]


def _check(filters: Filters) -> None:
    """404 for a filter naming something that does not exist, so a typo is not an empty feed."""
    if filters.country and not Country.objects.filter(code=filters.country.upper()).exists():
        raise Http404(_("Unknown country."))
    if filters.region and not Region.objects.filter(code=filters.region).exists():
        raise Http404(_("Unknown region."))
    if filters.hub and not Hub.objects.filter(pk=int(filters.hub)).exists():
        raise Http404(_("Unknown hub."))
    if filters.language and filters.language.lower() not in language_codes():
        raise Http404(_("Unknown language."))


def _from_query(request) -> Filters:
    """The calendar's filters from the query string; a value the calendar would drop is a 404."""
    filters = Filters.from_query(request.GET)
    for name in FILTERS:
        given = (request.GET.get(name) or "").strip()
        if given and not getattr(filters, name):
            raise Http404(_("Unknown value of %(name)s.") % {"name": name})
    _check(filters)
    return filters


def _fingerprint(rows, *extra) -> tuple[str, int | None]:
    """A weak ETag and a Last-Modified timestamp for the rows a calendar would be built from."""
    digest = hashlib.sha256(repr((rows, get_language(), *extra)).encode())
    stamps = [stamp for row in rows for stamp in (row[1], row[5]) if stamp]
    last = int(max(stamps).timestamp()) if stamps else None
    return f'W/"{digest.hexdigest()[:32]}"', last


def _vevent_key(row: tuple) -> str:
    """Where the VEVENT of an event's fingerprint row is kept: any change the feed shows moves the
    event's ``updated_at`` or ``sequence`` (a session added) or its hub's ``updated_at``."""
    version = (VEVENT_FORMAT, row[: len(FINGERPRINT)], get_language(), settings.SITE_URL)
    return "echos:vevent:" + hashlib.sha256(repr(version).encode()).hexdigest()[:40]


def _vevents(rows: list[tuple]) -> list[bytes | None]:
    """Each row's VEVENT, in order: kept per event in the shared cache, so the first request
    after a write builds the VEVENTs of the events that changed, not the whole calendar's."""
    keys = [_vevent_key(row) for row in rows]
    found = cache.get_many(keys)
    missing = {row[0]: key for row, key in zip(rows, keys, strict=True) if key not in found}
    if missing:
        events = (
            Event.objects.filter(pk__in=list(missing))
            .select_related("hub", "country", "region")
            .prefetch_related("sessions")
        )
        built = {}
        for event in events:
            built[missing[event.pk]] = ical.vevent(event) or b""
        cache.set_many(built, CACHE_SECONDS)
        found.update(built)
    # An event deleted meanwhile (not built) or one that cannot be written (b"") is left out.
    return [found.get(key) or None for key in keys]


def _calendar_response(request, events_qs, *, name: str, filename: str, single: bool = False):
    """Answer 304 when the client has this version, otherwise the calendar, with cache headers."""
    # A cheap read decides whether anything changed before the calendar is built; SEQUENCE is
    # in it because adding a session raises it without touching updated_at.
    rows = list(events_qs.values_list(*FINGERPRINT, "time_zone", "start", "end"))
    etag, last_modified = _fingerprint([row[: len(FINGERPRINT)] for row in rows], name)
    response = get_conditional_response(request, etag=etag, last_modified=last_modified)
    if response is None:
        # The rendered calendar is kept in the shared cache under its fingerprint: while nothing
        # changes, every client polling the feed gets the same bytes without rebuilding them.
        path = request.get_full_path()
        key = "echos:ics:" + hashlib.sha256(f"{etag}|{path}".encode()).hexdigest()
        body = cache.get(key)
        if body is None:
            body = ical.assemble(
                ical.zones_of(row[len(FINGERPRINT) :] for row in rows),
                _vevents(rows),
                name=name,
                url=ical.absolute_url(path),
            )
            cache.set(key, body, CACHE_SECONDS)
        response = HttpResponse(body, content_type=CONTENT_TYPE)
        disposition = "attachment" if single else "inline"
        response["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    response["ETag"] = quote_etag(etag)
    if last_modified is not None:
        response["Last-Modified"] = http_date(last_modified)
    public = not single or rows and rows[0][3] != Event.Status.DRAFT
    response["Cache-Control"] = "public, max-age=300" if public else "private, no-cache"
    # Labels follow the visitor's language; a draft depends on who is signed in.
    patch_vary_headers(response, ["Accept-Language", "Cookie"])
    return response


def _feed(request, filters: Filters, *, title: str, filename: str):
    name = _("Cancer Mission Hubs events")
    if title:
        name = f"{name}: {title}"
    return _calendar_response(request, feed_events(filters), name=name, filename=filename)


@require_safe
def feed(request):
    """All public events, or those the query string's filters select."""
    filters = _from_query(request)
    return _feed(request, filters, title="", filename="echos-events.ics")


@require_safe
def feed_country(request, code: str):
    """Events in one country."""
    country = get_object_or_404(Country, code=code.upper())
    filters = replace(_from_query(request), country=country.code)
    return _feed(request, filters, title=country.display_name, filename=f"echos-{country.code}.ics")


@require_safe
def feed_hub(request, hub_id: int):
    """Events a hub organises or co-organises."""
    hub = get_object_or_404(Hub, pk=hub_id)
    filters = replace(_from_query(request), hub=str(hub.pk))
    return _feed(request, filters, title=str(hub), filename=f"echos-hub-{hub.pk}.ics")


@require_safe
def feed_type(request, slug: str):
    """Events of one type (webinar, mission_fair...)."""
    if slug not in EventType.values:
        raise Http404(_("Unknown event type."))
    filters = replace(_from_query(request), type=slug)
    return _feed(request, filters, title=str(EventType(slug).label), filename=f"echos-{slug}.ics")


@require_safe
def feed_audience(request, slug: str):
    """Events for one audience (citizens, researchers...)."""
    if slug not in Audience.values:
        raise Http404(_("Unknown audience."))
    filters = replace(_from_query(request), audience=slug)
    return _feed(request, filters, title=str(Audience(slug).label), filename=f"echos-{slug}.ics")


@require_safe
def feed_language(request, code: str):
    """Events held in one language (ISO 639-1)."""
    code = code.lower()
    if code not in language_codes():
        raise Http404(_("Unknown language."))
    filters = replace(_from_query(request), language=code)
    language = pycountry.languages.get(alpha_2=code)
    assert language is not None  # code is one of language_codes()
    return _feed(request, filters, title=language.name, filename=f"echos-lang-{code}.ics")


@require_safe
def event_ics(request, pk: int):
    """One event to add to a calendar; drafts only for their organisers."""
    event = get_object_or_404(Event.objects.select_related("hub"), pk=pk)
    if not can_view_event(request.user, event):
        raise Http404
    return _calendar_response(
        request,
        Event.objects.filter(pk=event.pk),
        name=event.title,
        filename=f"echos-event-{event.pk}.ics",
        single=True,
    )


urlpatterns = [
    path("feed.ics", feed, name="feed"),
    path("feeds/country/<slug:code>.ics", feed_country, name="feed_country"),
    path("feeds/hub/<int:hub_id>.ics", feed_hub, name="feed_hub"),
    path("feeds/type/<slug:slug>.ics", feed_type, name="feed_type"),
    path("feeds/audience/<slug:slug>.ics", feed_audience, name="feed_audience"),
    path("feeds/language/<slug:code>.ics", feed_language, name="feed_language"),
    path("<int:pk>/event.ics", event_ics, name="event_ics"),
]
