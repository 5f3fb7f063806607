"""Events kept in Brussels' zone only because their country had no zone of its own (before #16)
move to their country's zone ("Rome time"), where every time of the event reads the same there.

Brussels stood for every Central European country; Rome, Berlin, Oslo... have had the same offsets
since 1996, so their events' local times do not change. An event whose times would read otherwise
(an organiser in Canada who chose Brussels) keeps its zone.
"""

from zoneinfo import ZoneInfo

from echos.events.models import DEFAULT_TIMEZONE, country_timezone

TIME_FIELDS = ("start", "end", "registration_opens", "registration_closes")


def same_local_times(event, zone: str) -> bool:
    """True when each time of ``event`` has the same UTC offset in ``zone`` as in its own zone."""
    old, new = ZoneInfo(event.time_zone), ZoneInfo(zone)
    moments = [getattr(event, name) for name in TIME_FIELDS if getattr(event, name, None)]
    return all(m.astimezone(old).utcoffset() == m.astimezone(new).utcoffset() for m in moments)


def move_to_country_zones(events) -> int:
    """Move the events of ``events`` (a queryset of Event, any database) that are in Brussels'
    zone outside Belgium to their country's zone where nothing reads differently; how many moved."""
    moved = 0
    for event in events.filter(time_zone=DEFAULT_TIMEZONE).exclude(country_id="BE"):
        zone = country_timezone(event.country_id)
        if zone != DEFAULT_TIMEZONE and same_local_times(event, zone):
            events.filter(pk=event.pk).update(time_zone=zone)
            moved += 1
    return moved
