"""Times of events as their participants read them: in the event's own time zone, named.

Django's ``|date`` filter converts an aware datetime to the current time zone (the site's), so the
event templates render their times inside ``{% timezone event.time_zone %}`` (or pass the zone to the
``echos_dates`` filters) and name the zone by its city in the reader's language ("Rome time").
"""

from django import template

from echos.core.dates import zone_label

register = template.Library()


@register.filter
def with_zone(text, tz_name) -> str:
    """'3 June 2027, 18:00' and 'Europe/Kyiv' as '3 June 2027, 18:00 (Kyiv time)'."""
    if not text:
        return text
    return f"{text} ({zone_label(tz_name)})" if tz_name else str(text)
