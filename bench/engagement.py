"""Speed of the engagement coverage pages (issue #14; run by ``make bench``).

Builds its own data in a temporary SQLite database (or the PostgreSQL database named by
``ECHOS_BENCH_DATABASE_URL``, emptied of engagement rows first): one national hub with 5,000
stakeholders in its register and 200,000 engagement records (one to three stakeholder groups
each, a region on most, participants), and other hubs bringing the whole network to
``--records`` records (1,000,000 by default). Rows are written with prepared ``executemany``
statements in batches, the way ``echos generate-data`` writes them.

Then, in process with Django's test client, for each page: the median time of ``--repeat`` calls
after a warm-up, as a ratio to ``/healthz`` measured in the same run, its query count
(``CaptureQueriesContext``) and the peak memory of one call (tracemalloc):

- the coverage page of the big hub (``/engagement/hubs/<id>/coverage/``, last 12 months);
- the coverage API of the big hub and of the whole network (``/api/v1/engagement-coverage``);
- ``coverage.network_coverage`` over every record (the function alone);
- the network-map page of the hub (``engagement:network_map``) when that URL exists.

    .venv/bin/python bench/engagement.py                 # 1,000,000 records in the network
    .venv/bin/python bench/engagement.py --records 300000 --hub-records 200000
"""

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
import tracemalloc
from datetime import date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
TMP = tempfile.mkdtemp(prefix="echos-bench-engagement-")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "echos.settings")
os.environ["ECHOS_TESTING"] = "1"  # in-memory cache and tasks, no 2FA, plain static storage
os.environ["ECHOS_DATA_DIR"] = TMP
if os.getenv("ECHOS_BENCH_DATABASE_URL"):
    os.environ["ECHOS_TEST_DATABASE_URL"] = os.environ["ECHOS_BENCH_DATABASE_URL"]

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import (  # noqa: E402
    connection,
    transaction,
)
from django.test import Client  # noqa: E402
from django.urls import NoReverseMatch, reverse  # noqa: E402
from django.utils import timezone  # noqa: E402

BATCH = 20_000


def parse() -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--records", type=int, default=1_000_000, help="records in the whole network")
    p.add_argument("--hub-records", type=int, default=200_000, help="records of the big hub")
    p.add_argument("--stakeholders", type=int, default=5_000)
    p.add_argument("--hubs", type=int, default=30, help="other hubs sharing the other records")
    p.add_argument("--repeat", type=int, default=5)
    return p.parse_args()


def q(name: str) -> str:
    return connection.ops.quote_name(name)


def insert_sql(model, columns: list[str]) -> str:
    table = q(model._meta.db_table)
    marks = ", ".join(["%s"] * len(columns))
    return f"INSERT INTO {table} ({', '.join(q(c) for c in columns)}) VALUES ({marks})"


def build(args) -> dict:
    """The data; returns the big hub and timings of the build."""
    from echos.core.models import Region, Term, User
    from echos.core.reference import load_reference
    from echos.engagement.models import EngagementRecord, Stakeholder
    from echos.hubs.models import Hub, HubRole, Organisation

    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:  # a throw-away database: speed over durability
            cursor.execute("PRAGMA synchronous = OFF")
    if not Term.objects.exists():
        load_reference()
    rng = random.Random(14)
    levels = list(Term.objects.of("engagement_levels").values_list("pk", flat=True))
    groups = list(Term.objects.of("stakeholder_groups").values_list("pk", flat=True))
    countries = ["NO", "PL", "PT", "DE", "ES", "IT", "SE", "FR", "NL", "BE"]
    big = Hub.objects.create(
        country_id="PL", level="national", name="Bench hub", name_en="Bench hub", is_demo=True
    )
    others = [
        Hub.objects.create(
            country_id=countries[i % len(countries)],
            level="national" if i < len(countries) else "regional",
            name=f"Bench hub {i}",
            name_en=f"Bench hub {i}",
            is_demo=True,
        )
        for i in range(args.hubs)
    ]
    coordinator = User.objects.create_user(username="bench-coordinator", password="x" * 20)
    HubRole.objects.create(user=coordinator, hub=big, role="coordinator")
    orgs = Organisation.objects.bulk_create(
        Organisation(
            name=f"Bench organisation {i}",
            normalised_name=f"bench organisation {i}",
            country_id="PL",
            stakeholder_group_id=groups[i % len(groups)],
            is_demo=True,
        )
        for i in range(args.stakeholders)
    )
    Stakeholder.objects.bulk_create(
        Stakeholder(
            hub=big,
            organisation=o,
            group_id=o.stakeholder_group_id,
            influence=1 + i % 5,
            interest=1 + (i * 7) % 5,
            is_demo=True,
        )
        for i, o in enumerate(orgs)
    )
    regions = {
        c: list(
            Region.objects.filter(country_id=c, parent__isnull=True).values_list("pk", flat=True)
        )
        for c in countries
    }
    record_sql = insert_sql(
        EngagementRecord,
        [
            "hub_id",
            "title",
            "description",
            "date",
            "level_id",
            "participants",
            "format",
            "status",
            "language",
            "region_id",
            "outcomes",
            "is_demo",
            "created_at",
            "updated_at",
        ],
    )
    through = EngagementRecord.stakeholder_groups.through
    link_sql = insert_sql(through, ["engagementrecord_id", "term_id"])
    today = timezone.localdate()
    now = timezone.now()
    plan = [(big, args.hub_records)] + [
        (h, n)
        for h, n in zip(
            others,
            [(args.records - args.hub_records) // len(others)] * len(others),
            strict=True,
        )
    ]
    written = 0
    for hub, count in plan:
        hub_regions = regions.get(hub.country_id) or [None]
        done = 0
        while done < count:
            size = min(BATCH, count - done)
            rows = [
                (
                    hub.pk,
                    f"Bench record {done + i}",
                    "Bench.",
                    today - timedelta(days=rng.randrange(730)),
                    rng.choice(levels),
                    rng.randint(5, 200),
                    "meeting",
                    "held",
                    "pl",
                    rng.choice(hub_regions) if rng.random() < 0.8 else None,
                    "",
                    True,
                    now,
                    now,
                )
                for i in range(size)
            ]
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.executemany(record_sql, rows)
                cursor.execute(
                    f"SELECT id FROM {q(EngagementRecord._meta.db_table)} "
                    f"WHERE hub_id = %s ORDER BY id DESC LIMIT %s",
                    [hub.pk, size],
                )
                ids = [r[0] for r in cursor.fetchall()]
                cursor.executemany(
                    link_sql,
                    [(pk, g) for pk in ids for g in rng.sample(groups, rng.randint(1, 3))],
                )
            done += size
            written += size
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    return {
        "hub": big,
        "user": coordinator,
        "seconds": time.perf_counter() - started,
        "written": written,
    }


def median_seconds(fn, repeat: int) -> float:
    fn()
    samples = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - t)
    return statistics.median(samples)


def count_queries(fn) -> int:
    """Statements run by one call (an execute wrapper survives the reconnection that ends each
    request, which Django's query log does not)."""
    seen = []

    def wrapper(execute, sql, params, many, context):
        seen.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(wrapper):
        fn()
    return len(seen)


def measure(label: str, fn, repeat: int, healthz: float) -> str:
    queries = count_queries(fn)
    tracemalloc.start()
    try:
        fn()
        peak = tracemalloc.get_traced_memory()[1] / 2**20
    finally:
        tracemalloc.stop()
    seconds = median_seconds(fn, repeat)
    ratio = f"{seconds / healthz:,.0f}×" if healthz else "-"
    return f"| {label} | {seconds * 1000:,.1f} | {ratio} | {queries} | {peak:,.1f} |"


def ok(client: Client, url: str, **params):
    def call():
        response = client.get(url, params)
        assert response.status_code == 200, (url, response.status_code)
        return response

    return call


def main() -> None:
    args = parse()

    from echos.engagement import coverage

    built = build(args)
    hub = built["hub"]
    client = Client(HTTP_HOST="127.0.0.1")
    team = Client(HTTP_HOST="127.0.0.1")
    team.force_login(built["user"], backend="django.contrib.auth.backends.ModelBackend")
    healthz = median_seconds(ok(client, "/healthz"), max(args.repeat, 20))
    start, end = coverage.last_twelve_months(timezone.localdate())
    lines = [
        "## Engagement coverage",
        "",
        f"{connection.vendor}; {built['written']:,} records in the network, "
        f"{args.hub_records:,} of them in one hub with {args.stakeholders:,} stakeholders; "
        f"data built in {built['seconds']:.0f} s (after migrate). Median of {args.repeat} after a warm-up; "
        f"/healthz {healthz * 1000:.2f} ms.",
        "",
        "| page or call | median ms | ratio to /healthz | queries | peak MiB |",
        "|---|---:|---:|---:|---:|",
        measure(
            "coverage page of the hub (public)",
            ok(client, f"/engagement/hubs/{hub.pk}/coverage/"),
            args.repeat,
            healthz,
        ),
        measure(
            "coverage page of the hub (its coordinator: follow-up rule too)",
            ok(team, f"/engagement/hubs/{hub.pk}/coverage/"),
            args.repeat,
            healthz,
        ),
        measure(
            "engagement hub page (records list and matrix)",
            ok(client, f"/engagement/hubs/{hub.pk}/"),
            args.repeat,
            healthz,
        ),
        measure(
            "API coverage of the hub",
            ok(client, "/api/v1/engagement-coverage", hub=hub.pk),
            args.repeat,
            healthz,
        ),
        measure(
            "API coverage of the network (all records, 12 months)",
            ok(client, "/api/v1/engagement-coverage"),
            args.repeat,
            healthz,
        ),
        measure(
            "coverage.network_coverage over ten years (function)",
            lambda: coverage.network_coverage(start=date(2016, 1, 1), end=end),
            args.repeat,
            healthz,
        ),
    ]
    try:
        url = reverse("engagement:network_map", args=[hub.pk])
    except NoReverseMatch:
        try:
            url = reverse("engagement:network_map")
        except NoReverseMatch:
            url = None
    if url:
        try:
            lines.append(
                measure("network map page of the hub", ok(client, url), args.repeat, healthz)
            )
        except AssertionError as exc:
            lines.append(f"| network map page ({url}) | failed: {exc} | | | |")
    else:
        lines.append("| network map page | not measured: no engagement:network_map URL | | | |")
    print("\n".join(lines))
    print(f"\n(run at {datetime.now().isoformat(timespec='seconds')}, data in {TMP})")


if __name__ == "__main__":
    main()
