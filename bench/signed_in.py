"""In-process timing of the signed-in pages (Django test Client, signed-in network coordinator).

Each page's warm median is shown against two baselines measured in the same run: the anonymous
``/healthz`` (the baseline of docs/benchmarks.md) and the signed-in one (which also loads the
session, the user and their second-factor devices: the floor of every signed-in page).

Usage (issue #18 item 2): ECHOS_DATA_DIR=... DATABASE_URL=... (or ECHOS_SQLITE_PATH=...)
ECHOS_REQUIRE_2FA=0 .venv/bin/python bench/signed_in.py [warm requests] [cold requests]
on a copy of the bench data (it creates the bench-network user if missing).
"""

import os
import statistics
import sys
import time

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "echos.settings")
django.setup()
from django.conf import settings  # noqa: E402

settings.ALLOWED_HOSTS = ["*"]
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from echos.core import pagecache  # noqa: E402
from echos.core.models import User  # noqa: E402

N = int(sys.argv[1]) if len(sys.argv) > 1 else 15
COLD = int(sys.argv[2]) if len(sys.argv) > 2 else 5
user, _ = User.objects.get_or_create(username="bench-network")
if not user.is_network_coordinator:
    user.is_network_coordinator = True
    user.is_active = True
    user.save()
c = Client()
c.force_login(user)
cur = connection.cursor()
hub_id = cur.execute(
    "SELECT h.id FROM hubs_hub h JOIN hubs_membership m ON m.hub_id = h.id WHERE h.level='national'"
    " GROUP BY h.id ORDER BY COUNT(m.id) DESC, h.id LIMIT 1"
).fetchone()[0]
event_id = cur.execute(
    "SELECT event_id FROM events_registration GROUP BY event_id ORDER BY COUNT(*) DESC, event_id LIMIT 1"
).fetchone()[0]
pages = [
    ("/healthz", []),
    ("/assessment/network/", ["hubs"]),
    ("/assessment/mapping/", ["hubs"]),
    (f"/assessment/hubs/{hub_id}/", ["hubs"]),
    (f"/events/{event_id}/participants/", ["events"]),
    ("/events/gap/?country=DE", ["events"]),
]
only = os.environ.get("PAGES")


def med(xs):
    return statistics.median(xs) * 1000


anonymous = Client()
for _ in range(3):
    anonymous.get("/healthz")
samples = []
for _ in range(max(N, 30)):
    t = time.perf_counter()
    anonymous.get("/healthz")
    samples.append(time.perf_counter() - t)
anon_base = med(samples)
print(f"{'/healthz (anonymous)':40s} warm {anon_base:8.2f} ms", flush=True)
base = None
for path, topics in pages:
    if only and path != "/healthz" and not any(o in path for o in only.split(",")):
        continue
    for _ in range(2):
        r = c.get(path)
        assert r.status_code == 200, (path, r.status_code)
    warm = []
    for _ in range(N):
        t = time.perf_counter()
        c.get(path)
        warm.append(time.perf_counter() - t)
    cold = []
    for _ in range(COLD if topics else 0):
        pagecache.bump(topics)
        t = time.perf_counter()
        c.get(path)
        cold.append(time.perf_counter() - t)
    with CaptureQueriesContext(connection) as q:
        c.get(path)
    w = med(warm)
    if base is None:
        base = w
    cm = med(cold) if cold else float("nan")
    print(
        f"{path:40s} warm {w:8.2f} ms ({w / anon_base:6.1f}x anonymous, {w / base:5.1f}x signed-in)"
        f"  cold {cm:8.2f} ms ({cm / anon_base:7.1f}x, {cm / base:6.1f}x)  queries(warm) {len(q)}",
        flush=True,
    )
