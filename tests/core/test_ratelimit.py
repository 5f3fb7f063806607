"""Rate limits per client and minute on API reads, API writes and form posts."""

import json

import pytest
from django.core.cache import cache
from django.test import Client, override_settings

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def limits():
    cache.clear()
    with override_settings(
        ECHOS_RATE_LIMITS=True, ECHOS_RATE_API_READ=5, ECHOS_RATE_API_WRITE=2, ECHOS_RATE_FORMS=3
    ):
        yield
    cache.clear()


def test_api_reads_are_limited_per_address():
    client = Client(REMOTE_ADDR="10.1.1.1")
    statuses = [client.get("/api/v1/countries").status_code for _ in range(6)]
    assert statuses == [200] * 5 + [429]
    last = client.get("/api/v1/countries")
    assert last.json()["detail"].startswith("Too many requests") and int(last["Retry-After"]) > 0
    assert (
        Client(REMOTE_ADDR="10.1.1.2").get("/api/v1/countries").status_code == 200
    )  # another client


def test_api_writes_are_limited_per_token(personas, token_client):
    client = token_client(personas["coord_no"])
    body = json.dumps({"name": "x"})
    statuses = [
        client.post("/api/v1/organisations", body, content_type="application/json").status_code
        for _ in range(3)
    ]
    assert statuses[:2] != [429, 429] and statuses[2] == 429


def test_form_posts_are_limited_and_pages_still_read():
    client = Client(REMOTE_ADDR="10.1.1.3")
    statuses = [
        client.post("/accounts/login/", {"username": f"u{i}", "password": "x"}).status_code
        for i in range(4)
    ]
    assert statuses[-1] == 429 and 429 not in statuses[:3]
    assert client.get("/").status_code == 200
