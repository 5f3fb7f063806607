"""Template filters for dates and times in the reader's language (``echos.core.dates``).

``{% load echos_dates %}`` then ``{{ value|long_date }}``, ``|medium_date``, ``|short_date``,
``|month_year``, ``|day_month``, ``|local_time``, ``|long_datetime``, ``|medium_datetime``,
``|short_datetime``; each takes an optional IANA zone (``{{ event.start|long_datetime:event.time_zone }}``),
else shows an aware datetime in the current zone. ``{{ event.time_zone|zone_label }}`` names a zone by
its city ("Rome time"); ``{% date_range a b %}`` and ``{% datetime_range a b zone %}`` write spans.
"""

from django import template

from echos.core import dates

register = template.Library()


@register.filter
def long_date(value, tz=None) -> str:
    """ "Friday 25 December 2026", "piątek, 25 grudnia 2026"."""
    return dates.long_date(value, tz=tz)


@register.filter
def medium_date(value, tz=None) -> str:
    """ "25 December 2026", "25 grudnia 2026"."""
    return dates.medium_date(value, tz=tz)


@register.filter
def short_date(value, tz=None) -> str:
    """ "25 Dec 2026", "25.12.2026"."""
    return dates.short_date(value, tz=tz)


@register.filter
def month_year(value, tz=None) -> str:
    """ "December 2026", "grudzień 2026"."""
    return dates.month_year(value, tz=tz)


@register.filter
def day_month(value, tz=None) -> str:
    """ "Friday 25 December", "piątek, 25 grudnia"."""
    return dates.day_month(value, tz=tz)


@register.filter
def local_time(value, tz=None) -> str:
    """ "18:00" (named so as not to hide Django's ``time`` filter)."""
    return dates.time(value, tz=tz)


@register.filter
def long_datetime(value, tz=None) -> str:
    """ "Friday 25 December 2026, 18:00"."""
    return dates.long_datetime(value, tz=tz)


@register.filter
def medium_datetime(value, tz=None) -> str:
    """ "25 December 2026, 18:00"."""
    return dates.medium_datetime(value, tz=tz)


@register.filter
def short_datetime(value, tz=None) -> str:
    """ "25 Dec 2026, 18:00"."""
    return dates.short_datetime(value, tz=tz)


@register.filter
def zone_label(tz_name) -> str:
    """ "Europe/Rome" as "Rome time" ("Rom (Ortszeit)" in German)."""
    return dates.zone_label(tz_name)


@register.simple_tag
def date_range(start, end, tz=None) -> str:
    """ "25–27 December 2026"."""
    return dates.date_range(start, end, tz=tz)


@register.simple_tag
def datetime_range(start, end, tz=None) -> str:
    """ "Friday 25 December 2026, 18:00–20:00", or both ends in full over several days."""
    return dates.datetime_range(start, end, tz=tz)
