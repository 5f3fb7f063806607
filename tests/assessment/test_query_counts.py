"""The assessment pages run the same number of SQL queries whatever the amount of data (no N+1).

Seen by a network coordinator, who may open every one of them, over generated data whose hubs each
have three maturity assessments and whose countries each answered the mapping survey.
"""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from echos.assessment.models import Response
from echos.core.models import ApiToken
from echos.hubs.models import Hub
from echos.site.generate import generate
from tests.scale import SEED, SIZES, wipe


def national_hub() -> Hub:
    """Germany's national hub, which has regional hubs below it at both sizes."""
    return Hub.objects.national().get(country_id="DE")


PAGES = {
    "network view": lambda: "/assessment/network/",
    "network view sorted by score": lambda: "/assessment/network/?sort=overall",
    "network CSV export": lambda: "/assessment/network/maturity.csv",
    "mapping analysis": lambda: "/assessment/mapping/",
    "hub maturity page": lambda: f"/assessment/hubs/{national_hub().pk}/",
    "maturity API": lambda: "/api/v1/maturity",
}


def measure(client: Client, url: str) -> tuple[int, list[str]]:
    client.get(url)  # warm caches that fill once (content types, translations)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
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
def test_query_count_does_not_grow_with_data(db, make_user, page):
    user = make_user("secretariat-aq", is_network_coordinator=True)
    _token, raw = ApiToken.issue(user)
    client = Client(HTTP_AUTHORIZATION=f"Bearer {raw}")
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    results = []
    for size in SIZES:
        wipe()
        created = generate(scale="small", seed=SEED, **size)
        assert Response.objects.filter(hub__isnull=False).count() == created["assessments"]
        results.append(measure(client, PAGES[page]()))
    (small, small_sql), (large, large_sql) = results
    assert small == large, (
        f"{page}: {small} queries with the smaller data, {large} with the larger; repeated:\n"
        + "\n".join(repeated(large_sql))
    )
