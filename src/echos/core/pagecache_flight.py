"""Render a missed page once when many visitors miss it at the same moment (``core.pagecache``).

After a write, the first visitors of a popular page all miss it together (a fair's event page,
the calendar during a campaign). Without coordination each of them renders the page from the
database at once, on the same cores. Here the first one **claims** the page's key (an atomic
add in the page store: ``SET NX`` on Redis, the process's own lock in local memory) and renders
it; the others wait for the entry instead, looking for it every ``POLL`` seconds, and are served
it as a hit. A waiter renders the page itself when the claim is gone without an entry (the page
could not be stored: a warning on it, or the renderer failed) or after ``WAIT`` seconds at most
(``ECHOS_PAGE_CACHE_WAIT``), so nothing waits for long on a renderer that died.

The key is the page's exact key (its topic versions included), so a waiter only ever gets the
page of the data it asked after: a write meanwhile gives the page a new key and new claims.
"""

from __future__ import annotations

import logging
import time

from django.conf import settings
from django.core.cache import caches

log = logging.getLogger("echos.core.pagecache")

CLAIM_PREFIX = "echos:render:"
POLL = 0.02


def _sleep(seconds: float) -> None:  # replaced in tests
    time.sleep(seconds)


def wait_seconds() -> float:
    return float(getattr(settings, "ECHOS_PAGE_CACHE_WAIT", 10))


def claim(alias: str, key: str) -> bool:
    """Whether this request renders the page (it claimed the key, or the store failed)."""
    if wait_seconds() <= 0:
        return True
    try:
        return bool(caches[alias].add(CLAIM_PREFIX + key, 1, int(wait_seconds()) + 1))
    except Exception:
        log.warning("page cache: could not claim a render, rendering", exc_info=True)
        return True


def release(alias: str, key: str) -> None:
    try:
        caches[alias].delete(CLAIM_PREFIX + key)
    except Exception:
        log.warning("page cache: could not release a render claim", exc_info=True)


def wait_for(alias: str, key: str):
    """The entry another request is rendering, once stored; None when it will not come (the
    claim is gone without an entry, or ``wait_seconds()`` passed): render it then."""
    store = caches[alias]
    deadline = time.monotonic() + wait_seconds()
    try:
        while time.monotonic() < deadline:
            _sleep(POLL)
            entry = store.get(key)
            if entry is not None:
                return entry
            if not store.has_key(CLAIM_PREFIX + key):
                return store.get(key)
    except Exception:
        log.warning("page cache: store unavailable while waiting, rendering", exc_info=True)
    return None
