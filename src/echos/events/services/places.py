"""How full an event is and where a waiting person stands (reads only; writers hold the event lock)."""

from echos.events.models import Event, Registration


def places_taken(event: Event) -> int:
    return event.registrations.holding_place().count()


def places_left(event: Event) -> int | None:
    """Free places, or None when the event has no limit."""
    if event.capacity is None:
        return None
    return max(0, event.capacity - places_taken(event))


def waitlist_position(registration: Registration) -> int | None:
    """1 for the next person to be offered a place."""
    if registration.status != Registration.Status.WAITLISTED:
        return None
    return (
        registration.event.registrations.filter(
            status=Registration.Status.WAITLISTED, created_at__lte=registration.created_at
        )
        .exclude(created_at=registration.created_at, pk__gt=registration.pk)
        .count()
    )
