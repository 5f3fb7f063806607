"""The main pages run the same number of SQL queries whatever the amount of data (no N+1)."""

import pytest
from django.db import connection
from django.db.models import Count
from django.test import Client
from django.test.utils import CaptureQueriesContext

from echos.hubs.models import Hub, Level
from echos.site.generate import generate
from tests.scale import SEED, SIZES, wipe


def busiest_national_hub() -> Hub:
    """The national hub with the most members among those with regional and local hubs below."""
    with_grandchildren = Hub.objects.filter(level=Level.LOCAL).values("parent__parent_id")
    return (
        Hub.objects.filter(level=Level.NATIONAL, pk__in=with_grandchildren)
        .annotate(n=Count("memberships"))
        .order_by("-n", "pk")
        .first()
    )


PAGES = {
    "home": lambda: "/",
    "directory filtered": lambda: "/hubs/?country=DE&level=regional",
    "directory searched": lambda: "/hubs/?q=synthetic",
    "hub page": lambda: f"/hubs/{busiest_national_hub().pk}/",
    "hubs API list": lambda: "/api/v1/hubs?limit=100",
}


def measure(client: Client, url: str) -> tuple[int, list[str]]:
    client.get(url)  # warm caches that fill once (content types, translations)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(ctx.captured_queries), [q["sql"] for q in ctx.captured_queries]


def repeated(sqls: list[str]) -> list[str]:
    """Queries that ran more than once, shortened, most frequent first."""
    counts: dict[str, int] = {}
    for sql in sqls:
        counts[sql] = counts.get(sql, 0) + 1
    return [
        f"{n}× {sql[:200]}" for sql, n in sorted(counts.items(), key=lambda kv: -kv[1]) if n > 1
    ]


@pytest.mark.parametrize("page", list(PAGES))
def test_query_count_does_not_grow_with_data(db, page):
    client = Client()
    results = []
    for size in SIZES:
        wipe()
        generate(scale="small", seed=SEED, **size)
        assert Hub.objects.filter(country_id="DE", level=Level.REGIONAL).count() >= 2
        results.append(measure(client, PAGES[page]()))
    (small, small_sql), (large, large_sql) = results
    assert small == large, (
        f"{page}: {small} queries with the smaller data, {large} with the larger; repeated:\n"
        + "\n".join(repeated(large_sql))
    )


def test_hub_page_as_coordinator_does_not_grow_with_data(db, make_user):
    """Editors also see past memberships and the audit log."""
    user = make_user("secretariat-q", is_network_coordinator=True)
    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    counts = []
    for size in SIZES:
        wipe()
        generate(scale="small", seed=SEED, **size)
        counts.append(measure(client, PAGES["hub page"]()))
    (small, _), (large, large_sql) = counts
    assert small == large, "\n".join(repeated(large_sql))
