"""One render for many visitors missing a page at once, and large pages kept per process on
Redis (core/pagecache_flight.py, core/pagecache_redis.py; issue #18 load)."""

import pytest
import redis
from django.core.cache import caches
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from echos.core import pagecache, pagecache_flight, pagecache_redis

CLAIM = pagecache_flight.CLAIM_PREFIX


@pytest.fixture
def page_cache(settings):
    settings.ECHOS_PAGE_CACHE = True
    caches[pagecache.PAGES_ALIAS].clear()
    caches[pagecache.VERSIONS_ALIAS].clear()


def state(response):
    return response.get(pagecache.HEADER)


def raw_keys(store) -> list[str]:
    """Every key of the store as stored (local memory, or Redis with ECHOS_TEST_REDIS_URL)."""
    if isinstance(store._cache, dict):
        return list(store._cache)
    return [k.decode() for k in store._cache.get_client().scan_iter(match="*echos:*")]


def stored(store) -> dict[str, object]:
    """Page keys (as the middleware names them) and their entries."""
    found = {}
    for raw in raw_keys(store):
        if pagecache.PAGE_PREFIX in raw:
            key = pagecache.PAGE_PREFIX + raw.split(pagecache.PAGE_PREFIX, 1)[1]
            found[key] = store.get(key)
    return found


def rendered_then_emptied():
    """The key and entry of /hubs/ after one render, with the entry taken out of the store."""
    store = caches[pagecache.PAGES_ALIAS]
    assert state(Client().get("/hubs/")) == "miss"
    [(key, entry)] = stored(store).items()
    store.delete(key)
    return store, key, entry


def test_a_visitor_waits_for_the_render_another_claimed_and_is_served_it(
    page_cache, hubs, monkeypatch
):
    store, key, entry = rendered_then_emptied()
    store.add(CLAIM + key, 1, 30)  # another request is rendering this page
    polls = []

    def render_done(seconds):
        polls.append(seconds)
        store.set(key, entry, 60)
        store.delete(CLAIM + key)

    monkeypatch.setattr(pagecache_flight, "_sleep", render_done)
    with CaptureQueriesContext(connection) as ctx:
        response = Client().get("/hubs/")
    assert state(response) == "hit" and b"Cancer Mission Hub Norway" in response.content
    assert len(polls) == 1
    assert not any("hubs_hub" in q["sql"] for q in ctx.captured_queries)


def test_a_claim_gone_without_a_page_is_rendered_by_the_waiter(page_cache, hubs, monkeypatch):
    store, key, _ = rendered_then_emptied()
    store.add(CLAIM + key, 1, 30)
    # The renderer's page could not be stored (or it failed): its claim goes, no entry comes.
    monkeypatch.setattr(pagecache_flight, "_sleep", lambda s: store.delete(CLAIM + key))
    response = Client().get("/hubs/")
    assert state(response) == "miss" and b"Cancer Mission Hub Norway" in response.content


def test_nobody_waits_longer_than_the_bound_for_a_renderer_that_died(
    page_cache, hubs, monkeypatch, settings
):
    store, key, _ = rendered_then_emptied()
    store.add(CLAIM + key, 1, 30)  # held, never released
    settings.ECHOS_PAGE_CACHE_WAIT = 0.05
    clock = iter(range(10_000))
    monkeypatch.setattr(pagecache_flight.time, "monotonic", lambda: next(clock) * 0.01)
    polls = []
    monkeypatch.setattr(pagecache_flight, "_sleep", polls.append)
    response = Client().get("/hubs/")
    assert state(response) == "miss" and response.status_code == 200
    assert 1 <= len(polls) <= 6


def test_the_renderer_releases_its_claim_stored_or_not(page_cache, hubs):
    store = caches[pagecache.PAGES_ALIAS]
    assert state(Client().get("/hubs/")) == "miss"
    assert not [k for k in raw_keys(store) if CLAIM in k]
    # A page with a warning is never stored; its claim goes all the same.
    pages = len(stored(store))
    assert Client().get("/events/?from=someday").status_code == 200
    assert not [k for k in raw_keys(store) if CLAIM in k]
    assert len(stored(store)) == pages


def test_a_write_while_waiting_gives_the_page_a_new_key(page_cache, hubs, monkeypatch):
    """A waiter is served only the page of the versions it looked up; the next visitor after a
    write gets the new page."""
    from echos.hubs import services

    store, key, entry = rendered_then_emptied()
    store.add(CLAIM + key, 1, 30)

    def render_done(seconds):
        store.set(key, entry, 60)
        store.delete(CLAIM + key)

    monkeypatch.setattr(pagecache_flight, "_sleep", render_done)
    assert state(Client().get("/hubs/")) == "hit"
    services.update_hub(actor=None, hub=hubs["norway"], name_en="Renamed while waiting")
    pagecache.bump(["hubs"])
    fresh = Client().get("/hubs/")
    assert state(fresh) == "miss" and b"Renamed while waiting" in fresh.content


# --- Redis: large pages kept per process ------------------------------------------------------


@pytest.fixture
def on_redis(settings, monkeypatch, redis_namespace, redis_commands):
    settings.CACHES = {
        **settings.CACHES,
        pagecache.PAGES_ALIAS: redis_namespace,
        pagecache.VERSIONS_ALIAS: redis_namespace,
    }
    settings.ECHOS_PAGE_CACHE = True
    pagecache_redis.local_copies.clear()
    monkeypatch.setattr(pagecache_redis, "LARGE", 100)  # every page counts as large here
    yield redis_commands
    pagecache_redis.local_copies.clear()


def test_a_large_page_is_read_from_redis_once_per_process(on_redis, hubs):
    sent = on_redis
    client = Client()
    first = client.get("/hubs/")
    assert state(first) == "miss"
    sent.clear()
    second = client.get("/hubs/")
    assert state(second) == "hit" and len(second.content) == len(first.content)
    assert sent == ["EVALSHA", "GET"]
    sent.clear()
    third = client.get("/hubs/")
    assert state(third) == "hit" and len(third.content) == len(first.content)
    assert sent == ["EVALSHA"]  # the versions are still checked on every request


def test_a_large_page_kept_in_a_process_is_never_served_after_a_write(on_redis, hubs):
    from echos.hubs import services

    client = Client()
    client.get("/hubs/")
    assert state(client.get("/hubs/")) == "hit"
    services.update_hub(actor=None, hub=hubs["norway"], name_en="Renamed in Redis")
    pagecache.bump(["hubs"])
    fresh = client.get("/hubs/")
    assert state(fresh) == "miss" and b"Renamed in Redis" in fresh.content


def test_a_large_page_gone_from_redis_is_not_served_from_the_copy(on_redis, hubs, settings):
    client = Client()
    client.get("/hubs/")
    assert state(client.get("/hubs/")) == "hit"
    assert pagecache_redis.local_copies.items
    # Evicted or expired in Redis (no flushdb: other tests' keys share the database).
    prefix = settings.CACHES[pagecache.PAGES_ALIAS]["KEY_PREFIX"]
    raw = redis.Redis.from_url(settings.CACHES[pagecache.PAGES_ALIAS]["LOCATION"])
    for key in raw.scan_iter(match=f"{prefix}:*{pagecache.PAGE_PREFIX}*"):
        raw.delete(key)
    assert state(client.get("/hubs/")) == "miss"


def test_the_copies_of_a_process_are_bounded(monkeypatch):
    copies = pagecache_redis._LocalCopies()
    monkeypatch.setattr(pagecache_redis, "LOCAL_BYTES", 10)
    copies.put(b"a", b"12345")
    copies.put(b"b", b"12345")
    assert copies.get(b"a") == b"12345"  # now the most recently used
    copies.put(b"c", b"12345")
    assert copies.get(b"b") is None and copies.get(b"a") and copies.get(b"c")
    assert copies.size == 10
