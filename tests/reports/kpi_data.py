"""Small hand-checked data for the KPI tests: plain functions over the shared ``hubs`` fixture."""

from datetime import UTC, date, datetime, timedelta
from itertools import count

from echos.events.models import Event, Registration

_serial = count()

# The period of the tests: the first half of 2025 (so nothing is in the future).
START, END = date(2025, 1, 1), date(2025, 6, 30)


def at(day: date, hour: int = 12) -> datetime:
    """Noon UTC of a day: inside that day in the site's time zone too."""
    return datetime(day.year, day.month, day.day, hour, tzinfo=UTC)


def make_event(hub, day: date, *, audiences=",citizens,", status="published", **fields):
    data = {
        "title": "Open day",
        "description": "Talks.",
        "type": "workshop",
        "hub": hub,
        "format": "in_person",
        "country": hub.country,
        "languages": ",en,",
        "audiences": audiences,
        "start": at(day),
        "end": at(day) + timedelta(hours=2),
        "status": status,
    }
    data.update(fields)
    return Event.objects.create(**data)


def register(event, audience="citizens", status="registered", n=1):
    for _ in range(n):
        i = next(_serial)
        Registration.objects.create(
            event=event,
            name=f"P {i}",
            email=f"p{i}@example.invalid",
            audience=audience,
            status=status,
        )
