"""Speed of the network dashboard at Europe scale (issue #15; run by ``make bench``).

The network dashboard (``reports:network``: every network KPI over the last 12 months and the 12
before, with charts and tables) is rendered in-process by a signed-in network coordinator, its
queries captured (Django's ``CaptureQueriesContext``). The baseline is the raw SQL of the same
aggregates: the very statements the page ran, replayed on a plain DB-API cursor of the same
connection in the same run, rows fetched. The ratio is what the ORM, the Python of the KPI functions
(the continuity rows' projections included), the charts and the template cost on top of the
database's own work. Cold: the cache cleared before each render (the continuity rows are cached for
ten minutes); warm: not cleared. Query counts of both, and peak memory (ru_maxrss) of the process.

Data: bench/run.py's cached Europe-scale SQLite when it is current, else bench/continuity.py's
2,000 hubs with light other tables (built once, reused); PostgreSQL too when
``ECHOS_BENCH_DATABASE_URL`` is set (bench/continuity.py's database).
"""

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))

# Run by ``echos shell -c`` in the data's environment.
SCRIPT = """
import json, os, resource, time
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from echos.core import kpis
from echos.core.models import User
from echos.events.models import Event, Registration
from echos.hubs.models import Hub

repeat = int(os.environ["BENCH_REPEAT"])
client = Client(HTTP_HOST="127.0.0.1")
user = User.objects.get(username=os.environ["BENCH_USERNAME"])
client.force_login(user)
path = reverse("reports:network")
client.get(path)  # load the shipped questionnaires, templates and translations once


def render(clear):
    if clear:
        cache.clear()
        client.force_login(user)  # the session may live in the cache too
    with CaptureQueriesContext(connection) as queries:
        started = time.perf_counter()
        status = client.get(path).status_code
        seconds = time.perf_counter() - started
    assert status == 200, status
    return seconds, [q["sql"] for q in queries.captured_queries]


def replay(statements):
    started = time.perf_counter()
    with connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)
            if cursor.description:
                cursor.fetchall()
    return time.perf_counter() - started


out = {}
for label, clear in (("cold", True), ("warm", False)):
    render(clear)
    page, raw, counts = [], [], []
    for _ in range(repeat):
        seconds, statements = render(clear)
        page.append(seconds)
        raw.append(replay(statements))
        counts.append(len(statements))
    page.sort(); raw.sort()
    out[label] = {"page": page[len(page) // 2], "raw": raw[len(raw) // 2], "queries": counts}
out["hubs"] = Hub.objects.count()
out["events"] = Event.objects.count()
out["registrations"] = Registration.objects.count()
out["kpis"] = len(kpis.catalogue("network"))
out["vendor"] = connection.vendor
out["maxrss_mib"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps(out))
"""


def measure(label: str, env: dict, args) -> list[str]:
    import secrets

    import continuity
    import run

    password = secrets.token_urlsafe(24)
    credentials = {"BENCH_USERNAME": run.COORDINATOR, "BENCH_PASSWORD": password}
    continuity.shell(run.COORDINATOR_SCRIPT, {**env, **credentials}, timeout=300)
    facts = json.loads(
        continuity.shell(
            SCRIPT, {**env, **credentials, "BENCH_REPEAT": str(args.repeat)}, timeout=3600
        ).splitlines()[-1]
    )
    rows = []
    for kind in ("cold", "warm"):
        f = facts[kind]
        counts = sorted(set(f["queries"]))
        rows.append(
            f"| {label}, {kind} | {f['page'] * 1000:.0f} | {f['raw'] * 1000:.1f} | "
            f"{f['page'] / f['raw']:.1f}× | {', '.join(map(str, counts))} |"
        )
    rows.append(
        f"| {label}: data | {facts['hubs']:,} hubs, {facts['events']:,} events, "
        f"{facts['registrations']:,} registrations; {facts['kpis']} KPIs × 2 periods | | | "
        f"peak {facts['maxrss_mib']:.0f} MiB |"
    )
    return rows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5, help="timed renders of each kind")
    args = parser.parse_args()
    import continuity
    import run

    lines = [
        "Network dashboard (reports:network, last 12 months against the 12 before), rendered "
        f"in-process by a network coordinator, median of {args.repeat}; baseline: the same SQL "
        "statements replayed on a raw cursor in the same run.",
        "",
        "| measurement | page ms | raw SQL ms | page / raw SQL | queries |",
        "|---|---:|---:|---:|---:|",
    ]
    env, data = continuity.sqlite_env(run)
    run.echos("collectstatic", "--noinput", "-v0", timeout=300)  # the page's static manifest
    lines += measure("SQLite", env, args)
    pg = continuity.postgres_env(run)
    if pg is not None:
        lines += measure("PostgreSQL", pg, args)
    lines += ["", f"SQLite: {data}. PostgreSQL: {'measured' if pg else 'not configured'}."]
    text = "\n".join(lines) + "\n"
    print(text)
    (ROOT / ".bench").mkdir(exist_ok=True)
    (ROOT / ".bench" / "dashboards.md").write_text(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
