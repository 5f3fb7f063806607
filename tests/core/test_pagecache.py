"""The shared page cache's rules (core/pagecache.py): keys, bounds, language, who bypasses it,
conditional requests, a client's no-cache, CSRF tokens, and a version store that is down."""

import os
import re
import time
from datetime import date

import pytest
from django.core.cache import caches
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext

from echos.core import pagecache

BROKEN_REDIS = {
    "BACKEND": "django.core.cache.backends.redis.RedisCache",
    "LOCATION": "redis://127.0.0.1:1/0",
}


@pytest.fixture
def page_cache(settings):
    settings.ECHOS_PAGE_CACHE = True
    caches[pagecache.PAGES_ALIAS].clear()
    caches[pagecache.VERSIONS_ALIAS].clear()


def stored_keys(store) -> list[str]:
    """The page keys in the store (local memory, or Redis with ECHOS_TEST_REDIS_URL)."""
    if isinstance(store._cache, dict):
        raw = list(store._cache)
    else:
        raw = [k.decode() for k in store._cache.get_client().scan_iter(match="*echos:page:*")]
    return [k.split(":", 2)[2] for k in raw if pagecache.PAGE_PREFIX in k]


def entries() -> list[str]:
    return stored_keys(caches[pagecache.PAGES_ALIAS])


def state(response) -> str | None:
    return response.get(pagecache.HEADER)


# --- keys ------------------------------------------------------------------------------------


def test_a_page_is_rendered_once_and_then_served_from_the_cache(page_cache, hubs):
    client = Client()
    first = client.get("/hubs/")
    assert first.status_code == 200 and state(first) == "miss"
    with CaptureQueriesContext(connection) as ctx:
        second = client.get("/hubs/")
    assert state(second) == "hit"
    assert len(ctx.captured_queries) == 0
    assert b"Cancer Mission Hub Norway" in second.content
    assert len(entries()) == 1


def test_unknown_parameters_are_dropped_from_the_key_and_from_the_page(page_cache, hubs):
    client = Client()
    assert state(client.get("/events/?country=NO&utm_source=mail")) == "miss"
    again = client.get("/events/?utm_source=other&country=NO&x=1")
    assert state(again) == "hit"
    # The view saw only the declared parameters: no link on the page carries the unknown one.
    assert b"utm_source" not in again.content
    assert len(entries()) == 1
    # A declared parameter is part of the key.
    assert state(client.get("/events/?country=PT")) == "miss"
    assert len(entries()) == 2


def test_random_parameters_do_not_grow_the_cache(page_cache, hubs):
    client = Client()
    for i in range(40):
        response = client.get(f"/hubs/?bust={i}&_={i * 7919}")
        assert response.status_code == 200
    assert len(entries()) == 1


def test_an_overlong_value_is_served_but_not_stored(page_cache, hubs):
    response = Client().get("/events/", {"q": "x" * (pagecache.MAX_VALUE + 1)})
    assert response.status_code == 200
    assert state(response) is None
    assert entries() == []


def test_the_store_is_bounded_by_entries_and_time(page_cache, hubs, settings):
    Client().get("/hubs/")
    store = caches[pagecache.PAGES_ALIAS]
    (key,) = entries()
    if isinstance(store._cache, dict):
        assert settings.CACHES[pagecache.PAGES_ALIAS]["OPTIONS"]["MAX_ENTRIES"] <= 10_000
        remaining = store._expire_info[store.make_key(key)] - time.time()
    else:  # Redis: maxmemory with allkeys-lru bounds it (docs/deploy.md)
        remaining = store._cache.get_client().ttl(store.make_key(key))
    assert 0 < remaining <= settings.ECHOS_PAGE_CACHE_SECONDS


def test_keys_vary_by_language(page_cache, hubs):
    english = Client(HTTP_ACCEPT_LANGUAGE="en")
    polish = Client(HTTP_ACCEPT_LANGUAGE="pl")
    assert state(english.get("/events/")) == "miss"
    first_polish = polish.get("/events/")
    assert state(first_polish) == "miss"
    assert b'lang="pl"' in first_polish.content
    hit = polish.get("/events/")
    assert state(hit) == "hit" and b'lang="pl"' in hit.content
    assert b'lang="en"' in english.get("/events/").content
    assert len(entries()) == 2


def test_htmx_fragments_have_their_own_key(page_cache, hubs):
    client = Client()
    full = client.get("/events/")
    fragment = client.get("/events/", HTTP_HX_REQUEST="true")
    assert state(full) == state(fragment) == "miss"
    assert b"<html" in full.content and b"<html" not in fragment.content


def test_head_is_answered_from_the_cache(page_cache, hubs):
    client = Client()
    client.get("/hubs/")
    assert state(client.head("/hubs/")) == "hit"


# --- who never gets a cached page --------------------------------------------------------------


def test_signed_in_visitors_bypass_the_cache(page_cache, personas, login):
    Client().get("/hubs/")
    client = login(personas["coord_no"])
    response = client.get("/hubs/")
    assert state(response) is None
    assert "private" in response["Cache-Control"]
    assert b"coordinator-no" in response.content
    assert len(entries()) == 1
    for key in entries():
        assert b"coordinator-no" not in caches[pagecache.PAGES_ALIAS].get(key).body


def test_api_clients_with_a_token_bypass_the_cache(page_cache, personas, token_client):
    Client().get("/api/v1/hubs")
    response = token_client(personas["network"]).get("/api/v1/hubs")
    assert response.status_code == 200 and state(response) is None
    assert "private" in response["Cache-Control"]


def test_a_page_with_a_warning_is_never_stored(page_cache, hubs):
    response = Client().get("/events/?from=someday")
    assert response.status_code == 200
    assert b"not understood" in response.content
    assert entries() == []
    gap = Client().get("/events/gap/?from=someday")
    assert gap.status_code == 200 and b'role="alert"' in gap.content
    assert entries() == []


def test_a_visitor_with_a_pending_message_gets_a_fresh_page(page_cache, hubs):
    from django.contrib.messages import constants
    from django.contrib.messages.storage.base import Message
    from django.contrib.messages.storage.cookie import CookieStorage
    from django.test import RequestFactory

    client = Client()
    client.get("/hubs/")
    storage = CookieStorage(RequestFactory().get("/"))
    encoded = storage._encode([Message(constants.SUCCESS, "Your registration was sent.")])
    client.cookies["messages"] = encoded
    response = client.get("/hubs/")
    assert state(response) is None
    assert b"Your registration was sent." in response.content


# --- conditional requests and a client's no-cache ----------------------------------------------


def test_cached_pages_answer_if_none_match_and_if_modified_since_with_304(page_cache, hubs):
    client = Client()
    first = client.get("/api/v1/hubs")
    etag, modified = first["ETag"], first["Last-Modified"]
    assert first["Cache-Control"] == "max-age=0, must-revalidate, public"
    assert client.get("/api/v1/hubs", HTTP_IF_NONE_MATCH=etag).status_code == 304
    assert client.get("/api/v1/hubs", HTTP_IF_MODIFIED_SINCE=modified).status_code == 304
    assert client.get("/api/v1/hubs", HTTP_IF_NONE_MATCH='"other"').status_code == 200


def test_a_page_with_a_csrf_token_revalidates_with_the_same_cookie_only(page_cache, hubs):
    client = Client()
    first = client.get("/hubs/")
    assert "private" in first["Cache-Control"]
    etag = first["ETag"]
    assert client.get("/hubs/", HTTP_IF_NONE_MATCH=etag).status_code == 304
    stranger = Client()
    assert stranger.get("/hubs/", HTTP_IF_NONE_MATCH=etag).status_code == 200


def test_a_client_no_cache_does_not_reach_the_database(page_cache, hubs):
    client = Client()
    client.get("/events/")
    with CaptureQueriesContext(connection) as ctx:
        response = client.get("/events/", HTTP_CACHE_CONTROL="no-cache", HTTP_PRAGMA="no-cache")
    assert state(response) == "hit"
    assert len(ctx.captured_queries) == 0


# --- CSRF tokens -------------------------------------------------------------------------------

TOKEN = re.compile(rb'name="csrfmiddlewaretoken" value="([A-Za-z0-9]{64})"')


def test_each_visitor_gets_their_own_working_csrf_token_from_a_cached_page(page_cache, hubs):
    Client().get("/hubs/")
    (key,) = entries()
    assert pagecache.CSRF_PLACEHOLDER in caches[pagecache.PAGES_ALIAS].get(key).body
    visitor = Client(enforce_csrf_checks=True)
    page = visitor.get("/hubs/")
    assert state(page) == "hit"
    secret = page.cookies["csrftoken"].value
    tokens = TOKEN.findall(page.content)
    assert tokens and all(pagecache.unmask(t.decode()) == secret for t in tokens)
    # The language switch in the header works with that token.
    switched = visitor.post(
        "/i18n/setlang/",
        {"language": "pl", "next": "/hubs/", "csrfmiddlewaretoken": tokens[0].decode()},
    )
    assert switched.status_code == 302


# --- the version store -------------------------------------------------------------------------


def test_a_version_store_that_is_down_serves_every_page_uncached(page_cache, hubs, settings):
    settings.CACHES = {**settings.CACHES, pagecache.VERSIONS_ALIAS: BROKEN_REDIS}
    client = Client()
    for _ in range(2):
        response = client.get("/hubs/")
        assert response.status_code == 200 and state(response) is None
    assert entries() == []


def test_a_page_store_that_is_down_serves_every_page_uncached(page_cache, hubs, settings):
    settings.CACHES = {**settings.CACHES, pagecache.PAGES_ALIAS: BROKEN_REDIS}
    response = Client().get("/hubs/")
    assert response.status_code == 200 and state(response) is None


def test_an_evicted_version_never_brings_back_an_old_page(page_cache, hubs):
    client = Client()
    client.get("/hubs/")
    caches[pagecache.VERSIONS_ALIAS].clear()  # evicted (allkeys-lru, a restart)
    assert state(client.get("/hubs/")) == "miss"


def test_one_redis_server_down_for_both_stores_serves_every_page_uncached(
    page_cache, hubs, settings
):
    """Production: pages and versions on the same Redis (the one-trip lookup applies)."""
    settings.CACHES = {
        **settings.CACHES,
        pagecache.PAGES_ALIAS: BROKEN_REDIS,
        pagecache.VERSIONS_ALIAS: BROKEN_REDIS,
    }
    for _ in range(2):
        response = Client().get("/hubs/")
        assert response.status_code == 200 and state(response) is None


@pytest.mark.skipif(
    not os.environ.get("ECHOS_TEST_REDIS_URL"), reason="needs Redis (ECHOS_TEST_REDIS_URL)"
)
def test_on_redis_a_hit_is_one_round_trip(page_cache, hubs, redis_commands):
    """The versions and the page are read by one script (#18 load: every round trip is a wait
    for the server under load)."""
    sent = redis_commands
    client = Client()
    assert state(client.get("/hubs/")) == "miss"
    sent.clear()
    assert state(client.get("/hubs/")) == "hit"
    assert sent == ["EVALSHA"]
    # A write still changes the next response: the script derives the key from the versions.
    pagecache.bump(["hubs"])
    assert state(client.get("/hubs/")) == "miss"
    assert state(client.get("/hubs/")) == "hit"


# --- finding writes ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("sql", "topics"),
    [
        ('INSERT INTO "hubs_hub" ("name") VALUES (%s)', {"hubs"}),
        ('UPDATE "events_event" SET "title" = %s WHERE "id" = %s', {"events.event:details"}),
        ('UPDATE "events_event" SET "title" = %s, "start" = %s WHERE "id" = %s', {"events"}),
        ('UPDATE "events_event" SET "status" = %s WHERE "id" = %s', {"events"}),
        ('DELETE FROM "events_registration" WHERE "id" IN (%s)', {"events.registration"}),
        ('UPDATE "core_user" SET "last_login" = %s WHERE "id" = %s', set()),
        ('UPDATE "core_user" SET "first_name" = %s WHERE "id" = %s', {"core.user"}),
        ('UPDATE "core_apitoken" SET "last_used_at" = %s WHERE "id" = %s', set()),
        ("DELETE FROM library_search WHERE resource_id = %s", None),
        ('TRUNCATE "hubs_hub", "events_event"', {"*"}),
        ('SELECT "id" FROM "hubs_hub"', set()),
        ('UPDATE "django_session" SET "expire_date" = %s', set()),
    ],
)
def test_written_topics(sql, topics):
    found = pagecache.written_topics(sql)
    if topics is None:  # a table no model owns counts for the app its name starts with
        assert "library" in found
    else:
        assert found == topics


@pytest.mark.django_db
def test_a_write_bumps_its_topic_only_when_the_transaction_commits(
    page_cache, django_capture_on_commit_callbacks
):
    from echos.core.models import Term

    before = pagecache.versions(["core"])
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        Term.objects.create(vocabulary="objectives", code="zz-test", label="Zz")
        assert pagecache.versions(["core"]) == before
    for callback in callbacks:
        callback()
    after = pagecache.versions(["core"])
    assert after is not None and after[1] != before[1] and after[0] == before[0]


@pytest.mark.django_db
def test_a_write_after_a_rolled_back_savepoint_still_bumps(
    page_cache, django_capture_on_commit_callbacks
):
    from echos.core.models import Term

    before = pagecache.versions(["core"])
    with django_capture_on_commit_callbacks(execute=True):
        try:
            with transaction.atomic():
                Term.objects.create(vocabulary="objectives", code="zz-a", label="A")
                raise RuntimeError
        except RuntimeError:
            pass
        Term.objects.create(vocabulary="objectives", code="zz-b", label="B")
    assert pagecache.versions(["core"])[1] != before[1]


@pytest.mark.django_db
def test_bulk_writes_that_send_no_signal_bump_too(page_cache, django_capture_on_commit_callbacks):
    from echos.core.models import Term

    before = pagecache.versions(["core"])
    with django_capture_on_commit_callbacks(execute=True):
        Term.objects.filter(vocabulary="objectives").update(label="Changed")
    assert pagecache.versions(["core"])[1] != before[1]


def test_every_declared_page_resolves_to_a_rule(page_cache, db):
    from django.urls import get_resolver

    names = set()

    def walk(patterns, namespace=""):
        for p in patterns:
            if hasattr(p, "url_patterns"):
                walk(p.url_patterns, f"{namespace}{p.namespace}:" if p.namespace else namespace)
            else:
                names.add((f"{namespace}{p.name}", p.callback))

    walk(get_resolver().url_patterns)
    declared = pagecache._registry().pages
    found = {name: func for name, func in names if name in declared}
    assert set(found) == set(declared), set(declared) - set(found)
    for name, func in found.items():
        assert pagecache.page_for(name, func) is not None, name


def test_today_is_part_of_the_key(page_cache, hubs, monkeypatch):
    client = Client()
    client.get("/events/")
    monkeypatch.setattr(pagecache.timezone, "localdate", lambda: date(2031, 1, 1))
    assert state(client.get("/events/")) == "miss"


# --- the embedded default ----------------------------------------------------------------------


def _caches_of(env: dict) -> dict:
    import json
    import os
    import subprocess
    import sys

    code = (
        "import json, echos.settings as s;"
        "print(json.dumps({k: v['BACKEND'] for k, v in s.CACHES.items()}))"
    )
    clean = {k: v for k, v in os.environ.items() if k not in {"REDIS_URL", "ECHOS_TESTING"}}
    out = subprocess.run(
        [sys.executable, "-c", code],
        env={**clean, "ECHOS_TESTING": "0", **env},
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def test_every_process_of_the_embedded_default_sees_the_same_versions(tmp_path):
    embedded = _caches_of({"ECHOS_DATA_DIR": str(tmp_path)})
    assert embedded[pagecache.VERSIONS_ALIAS].endswith("FileBasedCache")
    assert embedded[pagecache.PAGES_ALIAS].endswith("LocMemCache")
    production = _caches_of({"ECHOS_DATA_DIR": str(tmp_path), "REDIS_URL": "redis://x:6379/0"})
    assert production[pagecache.VERSIONS_ALIAS].endswith("RedisCache")
    assert production[pagecache.PAGES_ALIAS].endswith("RedisCache")


def test_versions_in_files_invalidate_like_redis(
    page_cache, hubs, settings, tmp_path, django_capture_on_commit_callbacks
):
    from echos.hubs import services

    settings.CACHES = {
        **settings.CACHES,
        pagecache.VERSIONS_ALIAS: {
            "BACKEND": "echos.core.pagecache_files.GenerationFileBasedCache",
            "LOCATION": str(tmp_path / "page-versions"),
        },
    }
    client = Client()
    assert state(client.get("/hubs/")) == "miss"
    assert state(client.get("/hubs/")) == "hit"
    with django_capture_on_commit_callbacks(execute=True):
        services.update_hub(actor=None, hub=hubs["norway"], name_en="Renamed on disk")
    fresh = client.get("/hubs/")
    assert state(fresh) == "miss" and b"Renamed on disk" in fresh.content
    assert any((tmp_path / "page-versions").iterdir())
