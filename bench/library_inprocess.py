"""Time the library search on an existing 20,000-resource database in process (issue #13).

    ECHOS_SQLITE_PATH=.bench/library-20000-seed1.sqlite3 .venv/bin/python bench/library_inprocess.py
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/echos_bench_library .venv/bin/python ...

Prints per search: median ms of search.search() (anonymous, page 1 and page 5), the page view's
median ms and query count (test client), and the count shown.
"""

import os
import statistics
import sys
import time

sys.path.insert(0, "src")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "echos.settings")
os.environ.setdefault("ECHOS_REQUIRE_2FA", "0")
import django  # noqa: E402

django.setup()
from django.contrib.auth.models import AnonymousUser  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from echos.library import search  # noqa: E402

SEARCHES = [
    ("hub", {}),
    ("saude", {}),
    ("patients citizens", {}),
    ("zdrowie", {"language": "pl"}),
    ("health", {}),
]
RUNS = int(os.environ.get("RUNS", "7"))


def median_ms(fn) -> float:
    fn()
    times = []
    for _ in range(RUNS):
        t = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t) * 1000)
    return statistics.median(times)


client = Client(HTTP_HOST="127.0.0.1")
print(f"{connection.vendor}: runs={RUNS}")
print(
    f"{'query':28} {'search p1':>10} {'search p5':>10} {'page ms':>8} {'queries':>7} {'count':>8}"
)
for q, filters in SEARCHES:
    anon = AnonymousUser()
    p1 = median_ms(
        lambda q=q, anon=anon, filters=filters: search.search(
            q, user=anon, prefer_language="en", **filters
        )
    )
    p5 = median_ms(
        lambda q=q, anon=anon, filters=filters: search.search(
            q, user=anon, page=5, prefer_language="en", **filters
        )
    )
    found = search.search(q, user=anon, prefer_language="en", **filters)
    params = {"q": q, **filters}
    page = median_ms(lambda params=params: client.get("/library/", params))
    with CaptureQueriesContext(connection) as captured:
        client.get("/library/", params)
    shown = getattr(found, "count", None)
    label = q + ("".join(f" {k}={v}" for k, v in filters.items()))
    print(f"{label:28} {p1:10.1f} {p5:10.1f} {page:8.1f} {len(captured):7} {shown!s:>8}")
