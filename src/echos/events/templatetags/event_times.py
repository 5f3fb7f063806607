"""Times of events as their participants read them: in the event's own time zone, named.

Django's ``|date`` filter converts an aware datetime to the current time zone (the site's), so the
event templates render their times inside ``{% timezone event.time_zone %}`` and name the zone.
"""

from django import template

register = template.Library()


@register.filter
def with_zone(text, tz_name) -> str:
    """'3 June 2027, 18:00' and 'Europe/Kyiv' as '3 June 2027, 18:00 (Europe/Kyiv)'."""
    if not text:
        return text
    return f"{text} ({tz_name})" if tz_name else str(text)
