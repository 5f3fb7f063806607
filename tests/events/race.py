"""Parallel registrations for one event, used by test_capacity_race.py.

``run`` sends ``n`` registration requests at once from ``n`` threads, each with its own database
connection. ``python tests/events/race.py DB_FILE N CAPACITY`` runs the same race against a fresh
SQLite file (the suite's in-memory SQLite cannot be shared between connections) and prints JSON.
"""

import json
import os
import sys
import threading
from datetime import timedelta


def run(event_pk: int, n: int) -> list[int]:
    """POST ``n`` registrations in parallel; returns the HTTP status codes."""
    from django.db import connection
    from django.test import Client
    from django.urls import reverse

    barrier = threading.Barrier(n)
    codes: list[int] = []
    lock = threading.Lock()

    def one(i: int) -> None:
        try:
            client = Client(HTTP_HOST="localhost")
            barrier.wait(timeout=30)
            response = client.post(
                reverse("events:register", args=[event_pk]),
                {"name": f"Racer {i}", "email": f"racer{i}@example.invalid", "consent": "on"},
            )
            with lock:
                codes.append(response.status_code)
        finally:
            connection.close()

    threads = [threading.Thread(target=one, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    return codes


def make_event(capacity: int):
    from django.utils import timezone

    from echos.core.models import Country
    from echos.events.models import Event
    from echos.hubs.models import Hub

    country, _ = Country.objects.get_or_create(
        code="NO", defaults={"name": "Norway", "membership": "associated"}
    )
    hub = Hub.objects.create(country=country, level="national", name="Race hub", name_en="Race hub")
    start = timezone.now() + timedelta(days=3)
    return Event.objects.create(
        title="Race",
        description="Race",
        type="workshop",
        hub=hub,
        format="in_person",
        country=country,
        languages=",en,",
        start=start,
        end=start + timedelta(hours=2),
        time_zone="Europe/Oslo",
        capacity=capacity,
        status="published",
    )


def main() -> None:
    db_file, n, capacity = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    os.environ["ECHOS_TESTING"] = "1"
    os.environ["ECHOS_SQLITE_PATH"] = db_file
    os.environ.pop("ECHOS_TEST_DATABASE_URL", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "echos.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)
    event = make_event(capacity)
    codes = run(event.pk, n)
    statuses = list(event.registrations.values_list("status", flat=True))
    print(json.dumps({"codes": codes, "statuses": statuses}))


if __name__ == "__main__":
    main()
