"""Calendar, month view, event page, feeds, gap dashboard, API and consultation results run the same
number of SQL queries with generated data of two sizes (4× the events, registrations and answers)."""

from django.db import connection
from django.db.models import Count
from django.test import Client
from django.test.utils import CaptureQueriesContext

from echos.events.models import Event
from echos.participation.models import Consultation
from echos.site.generate import generate
from tests.scale import SEED, SIZES, wipe


def busiest_event() -> Event:
    return (
        Event.objects.exclude(status="draft")
        .annotate(n=Count("registrations"))
        .order_by("-n", "pk")
        .first()
    )


def busiest_month() -> tuple[int, int]:
    event = busiest_event()
    return event.start.year, event.start.month


PAGES = {
    "calendar": lambda: "/events/",
    "calendar filtered": lambda: "/events/?country=DE&audience=citizens",
    "calendar searched": lambda: "/events/?q=synthetic&when=past",
    "month view": lambda: "/events/month/{}/{}/".format(*busiest_month()),
    "event page": lambda: busiest_event().get_absolute_url(),
    "feed": lambda: "/events/feed.ics",
    "country feed": lambda: "/events/feeds/country/DE.ics",
    "event .ics": lambda: f"/events/{busiest_event().pk}/event.ics",
    "gap dashboard": lambda: "/events/gap/?from=2025-01-01&to=2026-12-31",
    "events API": lambda: "/api/v1/events?when=all&limit=100",
    "consultation results": lambda: "/participate/consultations/{}/results/".format(
        Consultation.objects.annotate(n=Count("answers")).order_by("-n", "pk").first().pk
    ),
}


def measure(client: Client, url: str) -> tuple[int, list[str]]:
    client.get(url)  # warm caches that fill once
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return len(ctx.captured_queries), [q["sql"] for q in ctx.captured_queries]


def test_query_counts_do_not_grow_with_data(db):
    """One generation per size, every page measured on it (generating is the slow part)."""
    client = Client()
    counts = {page: [] for page in PAGES}
    for size in SIZES:
        wipe()
        generate(scale="small", seed=SEED, **size)
        for page, url in PAGES.items():
            counts[page].append(measure(client, url()))
    grew = {
        page: (small, large, large_sql)
        for page, ((small, _), (large, large_sql)) in counts.items()
        if small != large
    }
    assert not grew, "\n\n".join(
        f"{page}: {small} queries then {large}:\n" + "\n".join(s[:160] for s in sql)
        for page, (small, large, sql) in grew.items()
    )
