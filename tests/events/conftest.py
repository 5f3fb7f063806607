"""An event factory over the shared hubs and personas."""

from datetime import datetime, timedelta

import pytest
from django.utils import timezone


@pytest.fixture
def make_event(hubs):
    """A published event of Norway's hub starting in ``days`` (local times, Europe/Oslo)."""
    from echos.events import services

    def make(days: int = 10, *, hub=None, status="published", **fields):
        start = (
            (timezone.now() + timedelta(days=days))
            .astimezone()
            .replace(hour=10, minute=0, second=0, microsecond=0, tzinfo=None)
        )
        data = {
            "title": "Citizen dialogue on screening",
            "description": "An open conversation about cancer screening.",
            "type": "citizen_dialogue",
            "format": "in_person",
            "languages": ["nb", "en"],
            "audiences": ["citizens"],
            "objectives": ["prevention"],
            "start": start,
            "end": start + timedelta(hours=3),
            "time_zone": "Europe/Oslo",
            "venue": "Litteraturhuset",
            "address": "Wergelands vei 29, Oslo",
            "status": status,
        }
        data.update(fields)
        return services.create_event(actor=None, hub=hub or hubs["norway"], **data)

    return make


@pytest.fixture
def register_many():
    from echos.events import services

    def run(event, n: int, *, prefix="person", confirm=True, **extra):
        """``n`` people register; with ``confirm`` they also click the link in their e-mail."""
        out = []
        for i in range(n):
            r = services.register(
                event=event,
                name=f"{prefix} {i}",
                email=f"{prefix}{i}@example.invalid",
                consent=True,
                **extra,
            )
            if confirm:
                r = services.confirm_email(r)
            out.append(r)
        return out

    return run


def local(year, month, day, hour=10, minute=0):
    return datetime(year, month, day, hour, minute)
