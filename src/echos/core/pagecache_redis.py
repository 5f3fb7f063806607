"""The shared page cache's lookup on Redis in one round trip (``core.pagecache``).

A server-side script reads the topic versions, derives the page's key from them and reads the page,
atomically. A version never written yet (first use, or evicted) makes it answer 0 (``MISSING``):
the caller writes a fresh one and runs it again. Anything else (local memory, files, two different
Redis servers, a failing store) answers None and the caller uses the cache API.

**Large pages** (an iCalendar feed is 1–2 MB) are kept in each process's memory as well: for an
entry larger than ``LARGE`` bytes the script answers its size instead of its bytes, and the
process serves its own copy of that key, reading it once (a second round trip) when it has none.
The copy is as exact as the shared entry: the key is derived from the topic versions on every
lookup, a write gives the page a new key, and a key Redis no longer holds is never served. The
copies of a process are bounded (``LOCAL_BYTES``, least recently used first out).
"""

import hashlib
import logging
import os
import threading
from collections import OrderedDict
from typing import Any, cast

from django.core.cache.backends.redis import RedisCache

log = logging.getLogger("echos.core.pagecache")

_LOOKUP_SCRIPT = """
local parts = {ARGV[2]}
local found = redis.call('MGET', unpack(KEYS))
for i = 1, #KEYS do
  if not found[i] then return {0} end
  parts[i + 1] = found[i]
end
local key = redis.sha1hex(table.concat(parts, '|'))
local size = redis.call('STRLEN', ARGV[1] .. key)
if size > tonumber(ARGV[3]) then return {1, key, false, size} end
return {1, key, redis.call('GET', ARGV[1] .. key)}
"""
_scripts: dict[tuple, Any] = {}
MISSING = object()
LARGE = 256 * 1024
LOCAL_BYTES = 64 * 1024 * 1024


class _LocalCopies:
    """Large entries by their full Redis key, least recently used dropped past ``LOCAL_BYTES``."""

    def __init__(self) -> None:
        self.items: OrderedDict[bytes, bytes] = OrderedDict()
        self.size = 0
        self.lock = threading.Lock()

    def get(self, key: bytes) -> bytes | None:
        with self.lock:
            raw = self.items.get(key)
            if raw is not None:
                self.items.move_to_end(key)
            return raw

    def put(self, key: bytes, raw: bytes) -> None:
        with self.lock:
            if key in self.items:
                return
            self.items[key] = raw
            self.size += len(raw)
            while self.size > LOCAL_BYTES and self.items:
                _, dropped = self.items.popitem(last=False)
                self.size -= len(dropped)

    def clear(self) -> None:
        with self.lock:
            self.items.clear()
            self.size = 0


local_copies = _LocalCopies()


def _redis_script(store: Any, versions_store: Any) -> tuple[Any, Any] | None:
    """The lookup script on the Redis server both stores share and the stores' serializer, else
    None (local memory, files, or two different servers)."""
    if not isinstance(store, RedisCache) or not isinstance(versions_store, RedisCache):
        return None
    # Django's Redis backend keeps its servers and client in private attributes.
    redis_store: Any = store
    servers = redis_store._servers
    if servers != cast(Any, versions_store)._servers:
        return None
    return script_for(redis_store, _LOOKUP_SCRIPT, write=False), redis_store._cache._serializer


def script_for(store: Any, source: str, *, write: bool) -> Any:
    """A server-side script on a Django Redis cache's server, registered once per process: one
    client per process and server (its pool is thread-safe), as building a client per call, as
    the cache API does, costs more than the round trip it saves. Also used by the rate limits."""
    where = (tuple(store._servers), os.getpid(), source, write)
    script = _scripts.get(where)
    if script is None:
        pool = store._cache._get_connection_pool(write=write)
        client = store._cache._client(connection_pool=pool)
        script = _scripts[where] = client.register_script(source)
    return script


_keys: dict[tuple, str] = {}


def _made(store: Any, name: str) -> str:
    """``store.make_and_validate_key(name)``, kept: validating a key walks its characters, and a
    page's lookup names 10–20 topic versions on every request."""
    where = (store.key_func, store.key_prefix, store.version, name)
    made = _keys.get(where)
    if made is None:
        made = _keys[where] = store.make_and_validate_key(name)
    return made


def _large(script: Any, full_key: bytes) -> bytes | None:
    """A large entry: this process's copy, else read once from Redis and kept."""
    raw = local_copies.get(full_key)
    if raw is None:
        raw = script.registered_client.get(full_key)
        if raw is not None:
            local_copies.put(full_key, raw)
    return raw


def lookup(store: Any, versions_store: Any, version_names: list[str], page_prefix: str, base: str):
    """(page key without ``page_prefix``, entry or None); ``MISSING`` when a version is not
    written yet; None when this does not apply or the store failed."""
    try:
        found = _redis_script(store, versions_store)
        if found is None:
            return None
        script, serializer = found
        keys = [_made(versions_store, name) for name in version_names]
        prefix = _made(store, page_prefix)
        digest = hashlib.sha256(base.encode()).hexdigest()
        answer = script(keys=keys, args=[prefix, digest, LARGE])
        if answer and answer[0] == 1 and len(answer) > 3:
            key = answer[1].decode() if isinstance(answer[1], bytes) else str(answer[1])
            answer = [1, key, _large(script, (prefix + key).encode())]
    except Exception:
        log.warning("page cache: one-trip lookup failed, trying the cache API", exc_info=True)
        return None
    if not answer or answer[0] != 1:
        return MISSING
    key = answer[1].decode() if isinstance(answer[1], bytes) else str(answer[1])
    raw = answer[2] if len(answer) > 2 else None
    try:
        entry = serializer.loads(raw) if raw is not None else None
    except Exception:
        log.warning("page cache: an unreadable entry, rendering the page", exc_info=True)
        entry = None
    return key, entry
