"""Events as RFC 5545 iCalendar, for subscriptions in calendar apps and single downloads.

**Languages (issue #17).** RFC 5545 allows SUMMARY and DESCRIPTION only once in a VEVENT (3.6.1),
so an event's several languages cannot each have their own: SUMMARY and DESCRIPTION are in the
feed's language (the visitor's when the event is translated into it, otherwise the event's source
language) and say which with the ``LANGUAGE`` parameter (3.2.10). Every other language of the
event follows as non-standard properties, which RFC 5545 allows (3.8.8.2) and calendar apps keep
or ignore: ``X-ECHOS-SUMMARY;LANGUAGE=de:…`` and ``X-ECHOS-DESCRIPTION;LANGUAGE=de:…``.
"""

import logging
from datetime import UTC, date, datetime, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

import icalendar
from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from echos.core import dates
from echos.core.multilingual import every_language, shown
from echos.events.models import Event, Format

logger = logging.getLogger(__name__)
PRODID = "-//ECHOS//Cancer Mission Hubs events//EN"
# How often subscribers are asked to poll; the feeds answer 304 when nothing changed.
REFRESH = timedelta(hours=1)
MIN_YEAR, MAX_YEAR = 1970, 9998
UTC_NAMES = {"UTC", "Etc/UTC", "Etc/UCT", "Etc/Zulu", "Zulu", "UCT", "Universal", "Etc/Universal"}
STATUS: dict[str, str] = {
    Event.Status.PUBLISHED: "CONFIRMED",
    Event.Status.POSTPONED: "TENTATIVE",
    Event.Status.CANCELLED: "CANCELLED",
    # Drafts reach a calendar only when an organiser downloads their own draft.
    Event.Status.DRAFT: "TENTATIVE",
}


def absolute_url(path: str) -> str:
    """``path`` on the public site (settings.SITE_URL)."""
    return settings.SITE_URL.rstrip("/") + path


def event_uid(event: Event) -> str:
    """The UID calendar apps know the event by; it never changes, whatever is edited."""
    return f"{event.uid}@echos"


def event_calendar(events, *, name: str, url: str, now: datetime | None = None) -> bytes:
    """A VCALENDAR (METHOD:PUBLISH) of ``events`` with the VTIMEZONEs their times refer to."""
    events = list(events)
    return assemble(
        _zones_used(events), [vevent(event) for event in events], name=name, url=url, now=now
    )


# Each VEVENT is written once with this DTSTAMP, and the calendar puts in the time it is served:
# a VEVENT's bytes then depend only on the event, so the feeds can keep them per event.
_STAMP_KEPT = datetime(2000, 1, 1, tzinfo=UTC)
_STAMP_LINE = b"\r\nDTSTAMP:20000101T000000Z\r\n"


def vevent(event: Event) -> bytes | None:
    """The event's VEVENT as iCalendar bytes (with a placeholder DTSTAMP that ``assemble``
    replaces), or None when its stored data cannot be written (e.g. a date out of range)."""
    try:
        return _vevent(event, _STAMP_KEPT).to_ical()
    except (ValueError, OverflowError):
        # One bad event must not break the whole feed.
        logger.warning("Event %s left out of the calendar: cannot be written", event.pk)
        return None


def assemble(
    zones: dict[str, tuple[int, int]],
    vevents: list[bytes | None],
    *,
    name: str,
    url: str,
    now: datetime | None = None,
) -> bytes:
    """A VCALENDAR (METHOD:PUBLISH) of VEVENTs made by ``vevent``, in order (None left out), after
    the VTIMEZONEs of ``zones`` (``zones_of``), each VEVENT stamped with ``now``."""
    now = now or timezone.now()
    name = one_line(name)
    cal = icalendar.Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("name", name)
    cal.add("x-wr-calname", name)
    cal.add("source", url, parameters={"VALUE": "URI"})
    cal.add("url", url)
    cal.add("refresh-interval", REFRESH, parameters={"VALUE": "DURATION"})
    cal.add("x-published-ttl", icalendar.vDuration(REFRESH))
    if len(zones) == 1:
        cal.add("x-wr-timezone", next(iter(zones)))
    for tz_name, (first, last) in sorted(zones.items()):
        cal.add_component(vtimezone(tz_name, first, last))
    head = cal.to_ical()
    end = b"END:VCALENDAR\r\n"
    assert head.endswith(end)
    stamp = b"\r\nDTSTAMP:" + icalendar.vDatetime(now.astimezone(UTC)).to_ical() + b"\r\n"
    body = b"".join(v for v in vevents if v is not None).replace(_STAMP_LINE, stamp)
    return head[: -len(end)] + body + end


def zones_of(rows) -> dict[str, tuple[int, int]]:
    """``_zones_used`` from (time zone, start, end) rows instead of events."""
    return _zones_used(_Times(*row) for row in rows)


class _Times:
    """What ``_zones_used`` reads of an event."""

    def __init__(self, time_zone: str, start: datetime, end: datetime):
        self.time_zone, self.start, self.end = time_zone, start, end

    @property
    def local_start(self) -> datetime:
        return self.start.astimezone(dates.zone(self.time_zone))

    @property
    def local_end(self) -> datetime:
        return self.end.astimezone(dates.zone(self.time_zone))


def one_line(text) -> str:
    """``text`` with any line breaks and runs of blanks turned into single spaces."""
    return " ".join(str(text or "").split())


def _zone(event: Event):
    """The event's time zone, or UTC itself so that its times are written with a Z."""
    return UTC if event.time_zone in UTC_NAMES else event.tz


def _zones_used(events) -> dict[str, tuple[int, int]]:
    """Each non-UTC time zone used, with the first and last local year it must describe."""
    years: dict[str, tuple[int, int]] = {}
    for event in events:
        if event.time_zone in UTC_NAMES:
            continue
        try:
            first, last = event.local_start.year, event.local_end.year
        except (ValueError, OverflowError):
            continue
        # The zoneinfo rules are described for the years a calendar can hold (date(10000, ...)
        # would fail for an event dated 9999).
        first, last = max(MIN_YEAR, min(first, MAX_YEAR)), max(MIN_YEAR, min(last, MAX_YEAR))
        if event.time_zone in years:
            known = years[event.time_zone]
            first, last = min(first, known[0]), max(last, known[1])
        years[event.time_zone] = (first, last)
    return years


@lru_cache(maxsize=256)
def vtimezone(tz_name: str, first_year: int, last_year: int) -> icalendar.Timezone:
    """A VTIMEZONE with the standard and daylight-saving periods of the years given.

    Built from the zoneinfo database and cached, because walking the transitions is slow;
    callers add it to a calendar and never change it.
    """
    return icalendar.Timezone.from_tzinfo(
        ZoneInfo(tz_name),
        tzid=tz_name,
        first_date=date(first_year, 1, 1),
        last_date=date(last_year + 1, 1, 1),
    )


def _vevent(event: Event, now: datetime) -> icalendar.Event:
    zone = _zone(event)
    page = absolute_url(event.get_absolute_url())
    item = icalendar.Event()
    item.add("uid", event_uid(event))
    item.add("dtstamp", now.astimezone(UTC))
    item.add("created", event.created_at.astimezone(UTC))
    item.add("last-modified", event.updated_at.astimezone(UTC))
    item.add("sequence", event.sequence)
    item.add("dtstart", event.start.astimezone(zone))
    item.add("dtend", event.end.astimezone(zone))
    title, description = shown(event, "title"), shown(event, "description")
    item.add("summary", _summary(event, title.text), parameters={"LANGUAGE": title.language})
    item.add(
        "description",
        _description(event, page, description.text, shown(event, "accessibility_notes").text),
        parameters={"LANGUAGE": description.language},
    )
    _other_languages(
        item, event, skip={"title": title.language, "description": description.language}
    )
    item.add("url", page)
    item.add("location", location(event))
    if event.link_visibility == Event.LinkVisibility.PUBLIC and _has_geo(event):
        item.add("geo", (event.latitude, event.longitude))
    item.add("categories", [str(event.get_type_display())])
    item.add("status", STATUS[event.status])
    item.add("class", "PUBLIC")
    # A cancelled event should not block time in its subscribers' calendars.
    item.add("transp", "TRANSPARENT" if event.is_cancelled else "OPAQUE")
    # The hub as organiser by name and page only: no personal address in a public feed.
    item.add(
        "organizer",
        absolute_url(event.hub.get_absolute_url()),
        parameters={"CN": str(event.hub)},
    )
    return item


def _has_geo(event: Event) -> bool:
    return event.latitude is not None and event.longitude is not None


def _other_languages(item: icalendar.Event, event: Event, skip: dict[str, str]) -> None:
    """``X-ECHOS-SUMMARY`` and ``X-ECHOS-DESCRIPTION`` in each language of the event other than
    the one of SUMMARY and DESCRIPTION (see the module's note)."""
    titles = every_language(event, "title")
    descriptions = every_language(event, "description")
    notes = every_language(event, "accessibility_notes")
    for language, text in titles.items():
        if language != skip["title"] and text:
            with translation.override(language):  # "Cancelled: …" in that language
                summary = _summary(event, text)
            # An X- property's value is TEXT by default (RFC 5545 3.8.8.2): escaped like SUMMARY.
            item.add("x-echos-summary", icalendar.vText(summary), parameters={"LANGUAGE": language})
    for language, text in descriptions.items():
        if language != skip["description"] and text:
            body = "\n\n".join(t for t in (text, notes.get(language, "")) if t)
            item.add(
                "x-echos-description", icalendar.vText(body), parameters={"LANGUAGE": language}
            )


def _summary(event: Event, text: str) -> str:
    title = one_line(text)
    if event.status == Event.Status.CANCELLED:
        return _("Cancelled: %(title)s") % {"title": title}
    if event.status == Event.Status.POSTPONED:
        return _("Postponed: %(title)s") % {"title": title}
    return title


def location(event: Event) -> str:
    """Venue and address when everyone may see them, otherwise only the region and country."""
    online = event.format == Format.ONLINE
    if event.link_visibility == Event.LinkVisibility.PUBLIC:
        place = ", ".join(p for p in (event.venue, event.address) if p)
        if online:
            return _("Online")
        if place and event.format == Format.HYBRID:
            return _("%(place)s and online") % {"place": place}
        if place:
            return place
    elif online:
        return _("Online")
    area = ", ".join(
        str(p) for p in (event.region.display_name if event.region else "", event.country) if p
    )
    if event.format == Format.HYBRID:
        return _("%(place)s and online") % {"place": area}
    return area


def _description(event: Event, page: str, text: str, notes: str) -> str:
    """The description ``text`` and accessibility ``notes`` (in the language of the DESCRIPTION)
    with the facts of the event."""
    parts = []
    if event.status in (Event.Status.CANCELLED, Event.Status.POSTPONED) and event.status_reason:
        parts.append(f"{event.get_status_display()}: {event.status_reason}")
    parts.append(text)
    facts = []
    if event.audience_labels:
        facts.append(_("Audience: %(list)s") % {"list": ", ".join(event.audience_labels)})
    if event.accessibility_labels:
        facts.append(_("Accessibility: %(list)s") % {"list": ", ".join(event.accessibility_labels)})
    if notes:
        facts.append(notes)
    if facts:
        parts.append("\n".join(facts))
    programme = _programme(event)
    if programme:
        parts.append(_("Programme:") + "\n" + "\n".join(programme))
    if event.online_url and event.link_visibility == Event.LinkVisibility.PUBLIC:
        parts.append(_("Online: %(url)s") % {"url": event.online_url})
    parts.append(_("Details and registration: %(url)s") % {"url": page})
    return "\n\n".join(p for p in parts if p)


def _programme(event: Event) -> list[str]:
    """One line per session, in the event's local time (sessions are prefetched by the feeds)."""
    zone = _zone(event)
    lines = []
    for session in event.sessions.all():
        start, end = session.start.astimezone(zone), session.end.astimezone(zone)
        when = f"{dates.day_month(start)}, {dates.time(start)}–{dates.time(end)}"
        if end.date() != start.date():
            when = (
                f"{dates.day_month(start)}, {dates.time(start)} – "
                f"{dates.day_month(end)}, {dates.time(end)}"
            )
        room = f" ({session.room})" if session.room else ""
        lines.append(f"- {when} {session.title}{room}")
    return lines
