"""Factories shared by the exchange tests (plain functions, not fixtures, so that the matching
tests' own fixtures stay apart)."""

from datetime import datetime, timedelta

from django.utils import timezone


def local_start(days: int) -> datetime:
    """A naive local time ``days`` from now at 10:00 (negative: in the past)."""
    return (
        (timezone.now() + timedelta(days=days))
        .astimezone()
        .replace(hour=10, minute=0, second=0, microsecond=0, tzinfo=None)
    )


def make_session(hub, *, kind="knowledge_exchange", days=-10, actor=None, **fields):
    """A published exchange session hosted by ``hub``."""
    from echos.exchange import sessions

    start = local_start(days)
    event = {
        "title": fields.pop("title", "Knowledge exchange on coordination groups"),
        "description": "Hubs compare how they run their coordination groups.",
        "format": "in_person",
        "languages": ["en"],
        "start": start,
        "end": start + timedelta(hours=4),
        "time_zone": "Europe/Oslo",
        "status": "published",
    }
    return sessions.create_session(actor=actor, hub=hub, kind=kind, event=event, **fields)
