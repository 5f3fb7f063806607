"""A large member import running while people register for an event, used by
test_import_concurrency.py.

``run`` starts one import of ``rows`` memberships in a thread and, once the import is checking its
rows and again once it is writing them, sends registrations and small imports from other threads,
each with its own database connection. ``python tests/hubs/import_race.py DB_FILE ROWS N`` runs the
same race against a fresh SQLite file (the suite's in-memory SQLite cannot be shared between
connections) and prints JSON.
"""

import json
import os
import sys
import threading
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))


def make_data(rows: int):
    """A hub, ``rows`` organisations to list as its members, and an open event."""
    from echos.core.models import Term
    from echos.hubs.models import Hub, Organisation
    from tests.events import race

    event = race.make_event(capacity=1000)
    group, _ = Term.objects.get_or_create(
        vocabulary=Term.Vocabulary.STAKEHOLDER_GROUPS, code="research", defaults={"label": "R"}
    )
    Organisation.objects.bulk_create(
        Organisation(
            name=f"Org {i}", normalised_name=f"org {i}", country_id="NO", stakeholder_group=group
        )
        for i in range(rows + 2)
    )
    big = Hub.objects.create(country_id="NO", level="national", name="Big", name_en="Big")
    small = [
        Hub.objects.create(country_id="NO", level="regional", parent=big, name=n, name_en=n)
        for n in ("Small A", "Small B")
    ]
    return event, big, small


def run(event_pk: int, big_pk: int, small_pks: list[int], rows: int, n: int) -> dict:
    """Race ``n`` registrations (half while checking, half while writing) and two small imports
    against the big import; answers the HTTP codes, the small imports' reports and the big one's."""
    from django.db import OperationalError, connection
    from django.test import Client
    from django.urls import reverse

    from echos.hubs import imports
    from echos.hubs.models import Hub

    checking, writing = threading.Event(), threading.Event()
    codes: list[int] = []
    small_reports: list[dict] = []
    big_report: dict = {}
    lock = threading.Lock()
    recheck = imports._Plan.recheck

    def signalling_recheck(plan):  # the first step under the write transaction
        writing.set()
        return recheck(plan)

    def progress(done: int) -> None:
        if done == 100:
            checking.set()

    def big_import() -> None:
        try:
            data = "organisation,role\n" + "".join(f"Org {i},member\n" for i in range(rows))
            hub = Hub.objects.get(pk=big_pk)
            report = imports.run_import("memberships", data.encode(), hub=hub, progress=progress)
            big_report.update(report.as_dict())
        finally:
            checking.set()
            writing.set()
            connection.close()

    def register(i: int, signal: threading.Event) -> None:
        try:
            signal.wait(120)
            response = Client(HTTP_HOST="localhost").post(
                reverse("events:register", args=[event_pk]),
                {"name": f"Racer {i}", "email": f"racer{i}@example.invalid", "consent": "on"},
            )
            with lock:
                codes.append(response.status_code)
        finally:
            connection.close()

    def small_import(pk: int, i: int) -> None:
        try:
            checking.wait(120)
            data = f"organisation,role\nOrg {rows + i},member\n".encode()
            try:
                report = imports.run_import("memberships", data, hub=Hub.objects.get(pk=pk))
                result = report.as_dict()
            except OperationalError as exc:  # a page would answer 503 (core/dblock.py)
                result = {"ok": False, "busy": str(exc)}
            with lock:
                small_reports.append(result)
        finally:
            connection.close()

    imports._Plan.recheck = signalling_recheck
    try:
        threads = [threading.Thread(target=big_import)]
        threads += [
            threading.Thread(target=register, args=(i, checking if i % 2 else writing))
            for i in range(n)
        ]
        threads += [
            threading.Thread(target=small_import, args=(pk, i)) for i, pk in enumerate(small_pks)
        ]
        for t in threads:
            t.start()
        for t in threads:
            t.join(600)
    finally:
        imports._Plan.recheck = recheck
    return {"codes": codes, "small": small_reports, "big": big_report}


def main() -> None:
    db_file, rows, n = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    os.environ["ECHOS_TESTING"] = "1"
    os.environ["ECHOS_SQLITE_PATH"] = db_file
    os.environ.pop("ECHOS_TEST_DATABASE_URL", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "echos.settings")
    import django

    django.setup()
    from django.core.management import call_command

    from echos.hubs.models import Hub

    call_command("migrate", verbosity=0, interactive=False)
    event, big, small = make_data(rows)
    result = run(event.pk, big.pk, [h.pk for h in small], rows, n)
    result["stored"] = Hub.objects.get(pk=big.pk).memberships.count()
    result["registrations"] = event.registrations.count()
    print(json.dumps(result))


if __name__ == "__main__":
    main()
