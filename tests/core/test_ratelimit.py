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


def test_made_up_tokens_count_against_the_address():
    statuses = [
        Client(REMOTE_ADDR="10.1.1.4", HTTP_AUTHORIZATION=f"Bearer invented-{i}")
        .get("/api/v1/countries")
        .status_code
        for i in range(6)
    ]
    assert statuses[-1] == 429


@pytest.mark.parametrize(
    ("proxies", "forwarded", "expected"),
    [
        (0, "203.0.113.9", "127.0.0.1"),  # no proxy configured: the header is the client's word
        (1, "203.0.113.9", "203.0.113.9"),
        (1, "198.51.100.1, 203.0.113.9", "203.0.113.9"),  # a spoofed entry on the left is ignored
        (2, "198.51.100.1, 203.0.113.9, 10.0.0.2", "203.0.113.9"),
        (1, "", "127.0.0.1"),
        (1, "not-an-address", "127.0.0.1"),
        (3, "203.0.113.9", "127.0.0.1"),  # fewer entries than proxies
        (1, "2001:db8::1", "2001:db8::1"),
    ],
)
def test_client_address_behind_trusted_proxies(rf, proxies, forwarded, expected):
    """Also: a request without any address gives None, never a placeholder that PostgreSQL's
    inet column (django-axes) would refuse."""
    from echos.core.ratelimit import client_address

    request = rf.get("/", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR=forwarded)
    with override_settings(ECHOS_TRUSTED_PROXIES=proxies):
        assert client_address(request) == expected


@override_settings(ECHOS_TRUSTED_PROXIES=1)
def test_clients_behind_the_proxy_are_limited_one_by_one():
    proxy = Client(REMOTE_ADDR="127.0.0.1")

    def post(address):
        return proxy.post(
            "/accounts/login/",
            {"username": "someone", "password": "x"},
            HTTP_X_FORWARDED_FOR=f"198.51.100.7, {address}",
        ).status_code

    assert [post("203.0.113.1") for _ in range(4)][-1] == 429
    assert post("203.0.113.2") != 429  # another visitor behind the same proxy


@override_settings(ECHOS_TRUSTED_PROXIES=1, ECHOS_RATE_LIMITS=False)
def test_login_lockout_is_per_client_behind_the_proxy(make_user):
    make_user("alice")
    proxy = Client(REMOTE_ADDR="127.0.0.1")
    for _ in range(5):
        proxy.post(
            "/accounts/login/",
            {"username": "alice", "password": "wrong"},
            HTTP_X_FORWARDED_FOR="203.0.113.66",
        )
    locked = proxy.post(
        "/accounts/login/",
        {"username": "alice", "password": "correct horse battery staple"},
        HTTP_X_FORWARDED_FOR="203.0.113.66",
    )
    assert locked.status_code == 429
    other = Client(REMOTE_ADDR="127.0.0.1")
    response = other.post(
        "/accounts/login/",
        {"username": "alice", "password": "correct horse battery staple"},
        HTTP_X_FORWARDED_FOR="203.0.113.77",
    )
    assert response.status_code == 302 and "_auth_user_id" in other.session


def test_a_request_without_an_address_has_none():
    from django.http import HttpRequest

    from echos.core.ratelimit import client_address, client_key

    assert client_address(HttpRequest()) is None
    assert client_key(HttpRequest()) == "ip:unknown"


def test_on_redis_a_request_is_counted_in_one_round_trip(settings, redis_namespace, redis_commands):
    """#18 load: the API lists paid three round trips per read (SET NX, EXISTS, INCRBY)."""
    import redis

    from echos.core import ratelimit

    settings.CACHES = {**settings.CACHES, "default": redis_namespace}
    sent = redis_commands
    prefix = redis_namespace["KEY_PREFIX"]
    first = ratelimit.allow("api-read", "ip:192.0.2.1", 3)[0]  # may load the script first
    sent.clear()
    answers = [first] + [ratelimit.allow("api-read", "ip:192.0.2.1", 3)[0] for _ in range(4)]
    assert answers == [True, True, True, False, False]
    assert sent == ["EVALSHA"] * 4
    raw = redis.Redis.from_url(redis_namespace["LOCATION"])
    [key] = list(raw.scan_iter(match=f"{prefix}:*echos:rate:*"))
    assert 60 <= raw.ttl(key) <= 65  # the window expires on its own
    assert cache.get(key.decode().split(":", 2)[2]) == 5  # still readable through the cache API
