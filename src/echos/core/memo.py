"""Values kept in the shared cache per data version: a view's own expensive pieces (query results,
rendered fragments) that are the same for everyone who asks with the same ``parts``.

``memo(name, topics, build, *parts)`` returns ``build()``, kept in the default cache (Redis in
production, local memory on the embedded default) under a key made of ``name``, ``parts``, the
language and the current versions of ``topics`` (``core.pagecache``: any committed write to those
apps or models gives them a new version). The first request after such a write misses and builds
the value from the committed rows; no value older than the last committed change is ever returned.

Never stored: when the version store cannot be read, or inside a transaction that has written
something not yet committed (the value could show rows that are then rolled back).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from typing import Any, TypeVar

from django.core.cache import cache
from django.db import DEFAULT_DB_ALIAS, connections
from django.utils.translation import get_language

from echos.core import pagecache

T = TypeVar("T")
SECONDS = 3600
_MISSING = object()


def uncommitted_writes() -> bool:
    """Whether this thread's open transaction has written rows not yet committed (their topics
    are bumped on commit)."""
    wrapper = connections[DEFAULT_DB_ALIAS]  # the connection itself, not the proxy
    pending = wrapper.__dict__.get("_echos_pagecache")
    return bool(wrapper.in_atomic_block and pending is not None and pending.topics)


def key(name: str, topics: Iterable[str], *parts: object) -> str | None:
    """The cache key of ``name`` for ``parts`` at the current data version, None when no value
    may be stored now."""
    if uncommitted_writes():
        return None
    version = pagecache.data_version(topics)
    if version is None:
        return None
    digest = hashlib.sha256(repr((parts, get_language(), version)).encode()).hexdigest()[:40]
    return f"echos:memo:{name}:{digest}"


def memo(name: str, topics: Iterable[str], build: Callable[[], T], *parts: object) -> T:
    """``build()``, kept per ``parts``, language and data version of ``topics``."""
    found = key(name, topics, *parts)
    if found is None:
        return build()
    value: Any = cache.get(found, _MISSING)
    if value is _MISSING:
        value = build()
        cache.set(found, value, SECONDS)
    return value
