"""A shared cache of the public pages an anonymous visitor reads, invalidated exactly on commit.

Nearly every public page (the map, the calendar, an event, a consultation's results, the public
API lists…) is the same for every anonymous visitor in a language, so it is rendered once and
served from the shared cache (Redis in production; local memory on the embedded default) until a
committed write changes what it shows.

**What is cached.** An app declares its pages on its ``AppConfig`` (``page_cache``: a module
whose ``PAGES`` maps URL names to a ``PageRule``). Only GET and HEAD requests of anonymous
visitors without an ``Authorization`` header and without pending messages, for those URL names,
are looked up. A response is stored only when it is a 200 with a body, sets no cookie other than
the CSRF one, carries no ``Cache-Control: private``/``no-store``, showed no message and shows no
error (echos marks every form error and warning ``role="alert"``; a filter that was not
understood is such a warning), so a page with a form error is never stored.

**The key** is the URL name and its arguments, the *declared* query parameters only (unknown
ones are dropped from the key *and* from the request the view sees, so a random parameter
neither grows the cache nor reaches a page's links), the language, the script prefix (a page
under ``/<code>/`` links under it, ``core/i18n.py``), htmx or not, today's date and the current
version of every topic the page shows. A value longer than ``MAX_VALUE`` characters,
or more than ``MAX_VALUES`` values of one parameter, is served uncached.

**Topics and versions.** A topic is a model label (``"events.registration"``), an app label
(every model of the app; a model an app declares in ``SEPARATE`` is its own topic only) or
``"*"`` (every echos app). A model an app declares in ``PRIVATE`` (API tokens, the audit log) is
shown on no cached page: its writes bump nothing. Each topic has a version in the version store;
any committed write to one of the topic's tables replaces it with a fresh, never reused value, so
every page showing it gets a new key. Writes are found where nothing can bypass them: a database
execute wrapper reads the table of every ``INSERT``, ``UPDATE`` and ``DELETE`` (ORM saves,
``queryset.update``, ``bulk_create``, raw SQL, imports, revert, backup restore, demo data,
management commands) and bumps the topics when the transaction commits (``on_commit``; at once in
autocommit). A table that no model owns counts for the app its name starts with; ``TRUNCATE`` and
migrations bump everything. A model's columns may be split into groups (``COLUMN_TOPICS``,
``core/pagecache_writes.py``): an update of those columns alone bumps the group's topic only,
which a page showing none of them may ignore.

**The version store** is the ``pagecache_versions`` cache: Redis in production; on the embedded
default a file cache under the data directory, so that every app process and every management
command sees the same versions (page bodies stay in each process's local memory). A bump writes
a new value, it never increments, so concurrent bumps need no atomic operation. When the store
cannot be read or written the page is served uncached, never stale. When pages and versions live
on the same Redis server (production), a lookup is one round trip: a server-side script reads the
versions, derives the page's key from them and reads the page, atomically (``_lookup_redis``).

**CSRF.** Every page carries the CSRF token (the header's language switch). It is stored with a
placeholder in place of the token and each visitor gets their own token on a hit (and the CSRF
cookie, set as usual by ``CsrfViewMiddleware``); such a response is ``Cache-Control: private``.

**Conditional requests.** A cached page has an ``ETag`` (of its body, or the view's own) and a
``Last-Modified`` (when it was rendered) and answers ``If-None-Match``/``If-Modified-Since`` with
304. A client's ``Cache-Control: no-cache`` does not skip the shared cache: the entry is exact,
so the client gets it (or a 304).
"""

from __future__ import annotations

import hashlib
import logging
import re
import secrets
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import cache
from importlib import import_module

from django.apps import apps
from django.conf import settings
from django.core.cache import caches
from django.http import HttpResponse, QueryDict
from django.middleware.csrf import CSRF_ALLOWED_CHARS, get_token
from django.urls import get_script_prefix
from django.utils import timezone
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import http_date, quote_etag
from django.utils.module_loading import import_string
from pydantic import BaseModel

from echos.core import pagecache_flight, pagecache_redis, registry

log = logging.getLogger(__name__)

ALL = "*"
PAGES_ALIAS = "pagecache"
VERSIONS_ALIAS = "pagecache_versions"
PAGE_PREFIX = "echos:page:"
VERSION_PREFIX = "echos:pv:"
# Query values beyond these bounds are served uncached (they are not a page anyone shares).
MAX_VALUE = 200
MAX_VALUES = 20
CSRF_PLACEHOLDER = b"\x00echos-csrf\x00"
HEADER = "X-Echos-Cache"
ALERT = b'role="alert"'
# Headers of the view's response kept with a cached page (the outer middleware adds the rest).
KEPT_HEADERS = ("Content-Type", "Content-Disposition", "Content-Language", "ETag", "Link")
# Columns whose update alone changes no page: signing in writes the user's last_login.
QUIET_UPDATES = {"core_user": frozenset({"last_login"})}


@dataclass(frozen=True)
class PageRule:
    """How one URL name is cached.

    ``params``: the query parameters the view reads (the key and the request keep only these),
    or ``"api"`` for the query parameters of the django-ninja operation at that URL, or a dotted
    path of a function returning their names. ``topics``: what the page shows (model labels, app
    labels or ``"*"``); ``ignore``: model labels subtracted from them (e.g. the calendar does not
    show registrations, so a registration does not invalidate it).
    """

    params: tuple[str, ...] | str = ()
    topics: tuple[str, ...] = (ALL,)
    ignore: tuple[str, ...] = ()


@dataclass
class _Page:
    params: tuple[str, ...]
    topics: tuple[str, ...]


@dataclass
class _Registry:
    pages: dict[str, PageRule] = field(default_factory=dict)
    app_topics: dict[str, set[str]] = field(default_factory=dict)
    table_topic: dict[str, str | None] = field(default_factory=dict)
    resolved: dict[str, _Page | None] = field(default_factory=dict)
    # Per table: (columns, topic) of the column groups its app declares (COLUMN_TOPICS).
    column_topics: dict[str, list[tuple[frozenset[str], str]]] = field(default_factory=dict)


@cache
def _registry() -> _Registry:
    """Every app's declared pages, and the topic each table's writes bump."""
    reg = _Registry()
    separate: set[str] = set()
    private: set[str] = set()
    groups: dict[str, dict[str, tuple[str, ...]]] = {}
    for app in registry.echos_apps():
        module = import_module(app.page_cache) if app.page_cache else None
        reg.app_topics[app.label] = {app.label}
        if module is not None:
            reg.pages.update(getattr(module, "PAGES", {}))
            separate.update(f"{app.label}.{m}" for m in getattr(module, "SEPARATE", ()))
            private.update(f"{app.label}.{m}" for m in getattr(module, "PRIVATE", ()))
            for model, named in getattr(module, "COLUMN_TOPICS", {}).items():
                groups[f"{app.label}.{model}"] = named
                reg.app_topics[app.label].update(f"{app.label}.{model}:{g}" for g in named)
    for model in apps.get_models(include_auto_created=True):
        label, name = model._meta.app_label, model._meta.label_lower
        if label not in reg.app_topics:
            continue
        if name in private:
            reg.table_topic[model._meta.db_table] = None
            continue
        topic = name if name in separate else label
        reg.app_topics[label].add(topic)
        reg.table_topic[model._meta.db_table] = topic
        for group, columns in groups.get(name, {}).items():
            reg.column_topics.setdefault(model._meta.db_table, []).append(
                (frozenset(c.lower() for c in columns), f"{name}:{group}")
            )
    return reg


def enabled() -> bool:
    return bool(getattr(settings, "ECHOS_PAGE_CACHE", False))


def expand(topics: Iterable[str], ignore: Iterable[str] = ()) -> tuple[str, ...]:
    """The version topics a page's declared topics stand for, sorted."""
    reg = _registry()
    found: set[str] = set()
    for topic in topics:
        if topic == ALL:
            found.update(t for ts in reg.app_topics.values() for t in ts)
        elif topic in reg.app_topics:
            found.update(reg.app_topics[topic])
        else:
            found.add(topic.lower())
    return tuple(sorted(found - {t.lower() for t in ignore}))


def _api_params(func) -> tuple[str, ...] | None:
    """The query parameters of the django-ninja GET operation behind a resolved view, if any."""
    for cell in getattr(func, "__closure__", None) or ():
        operations = getattr(cell.cell_contents, "operations", None)
        for op in operations or ():
            if "GET" not in op.methods:
                continue
            names: list[str] = []
            for model in op.models:
                if getattr(model, "__ninja_param_source__", None) != "query":
                    continue
                for name, info in model.model_fields.items():
                    kind = info.annotation
                    if isinstance(kind, type) and issubclass(kind, BaseModel):
                        names.extend(f.alias or n for n, f in kind.model_fields.items())
                    else:
                        names.append(info.alias or name)
            return tuple(names)
    return None


def page_for(view_name: str, func) -> _Page | None:
    """The resolved rule of a URL name (its parameter names and topics), None when not cached."""
    reg = _registry()
    if view_name in reg.resolved:
        return reg.resolved[view_name]
    rule = reg.pages.get(view_name)
    page = None
    if rule is not None:
        if rule.params == "api":
            params = _api_params(func)
        elif isinstance(rule.params, str):
            params = tuple(import_string(rule.params)())
        else:
            params = rule.params
        if params is not None:
            page = _Page(params=tuple(params), topics=expand(rule.topics, rule.ignore))
    reg.resolved[view_name] = page
    return page


# --- versions ---------------------------------------------------------------------------------


def _fresh() -> str:
    """A version value never used before (time and randomness: no counter to increment)."""
    return f"{time.time_ns():x}.{secrets.token_hex(3)}"


def versions(topics: Sequence[str]) -> tuple[str, ...] | None:
    """The current version of each topic (and of everything), None when the store fails."""
    store = caches[VERSIONS_ALIAS]
    keys = [VERSION_PREFIX + t for t in (ALL, *topics)]
    try:
        found = store.get_many(keys)
        for key in keys:
            if key not in found:
                # Evicted or never written: a fresh value, so no entry stored before can match.
                store.add(key, _fresh(), None)
        if len(found) < len(keys):
            found = store.get_many(keys)
        if len(found) < len(keys):
            return None
    except Exception:
        log.warning("page cache: version store unavailable, serving uncached", exc_info=True)
        return None
    return tuple(str(found[k]) for k in keys)


def data_version(topics: Iterable[str], ignore: Iterable[str] = ()) -> str | None:
    """A token that changes with any committed write to the topics (for a view's own caches)."""
    found = versions(expand(topics, ignore))
    if found is None:
        return None
    return hashlib.sha256("|".join(found).encode()).hexdigest()[:32]


def bump(topics: Iterable[str]) -> None:
    """Give each topic a new version (``"*"`` for everything)."""
    keys = {VERSION_PREFIX + t for t in topics}
    if not keys:
        return
    try:
        caches[VERSIONS_ALIAS].set_many({k: _fresh() for k in keys}, None)
    except Exception:
        # Entries expire after ECHOS_PAGE_CACHE_SECONDS; nothing else can be done from here.
        log.error("page cache: could not bump %s", sorted(keys), exc_info=True)


def bump_all() -> None:
    bump([ALL])


# --- finding writes: core/pagecache_writes.py -------------------------------------------------

from echos.core.pagecache_writes import (  # noqa: E402, F401 (the page cache's API)
    after_migrate,
    install,
    install_all,
    is_bump,
    schedule,
    written_topics,
)

# --- the middleware ---------------------------------------------------------------------------


@dataclass
class Entry:
    """A stored page: body (CSRF tokens replaced by a placeholder), headers, validators."""

    body: bytes
    headers: list[tuple[str, str]]
    etag: str
    last_modified: float
    csrf: bool


@dataclass
class _State:
    key: str = ""
    private: bool = False
    claimed: bool = False  # this request renders the page for those waiting (pagecache_flight)


def _normalised(query: QueryDict, params: tuple[str, ...]) -> QueryDict | None:
    """The declared parameters of a query (in declared order), None when a value is too long."""
    kept = QueryDict(mutable=True)
    for name in params:
        values = query.getlist(name)
        if len(values) > MAX_VALUES or any(len(v) > MAX_VALUE for v in values):
            return None
        if values:
            kept.setlist(name, values)
    kept._mutable = False
    return kept


def _messages_pending(request) -> bool:
    return len(getattr(request, "_messages", None) or ()) > 0


def unmask(token: str) -> str:
    """The secret a masked CSRF token carries (Django's own cipher, ``middleware/csrf.py``)."""
    mask, cipher = token[:32], token[32:]
    pairs = zip(
        (CSRF_ALLOWED_CHARS.index(x) for x in cipher),
        (CSRF_ALLOWED_CHARS.index(x) for x in mask),
        strict=True,
    )
    return "".join(CSRF_ALLOWED_CHARS[x - y] for x, y in pairs)


def _hide_csrf(body: bytes, secret: str) -> tuple[bytes, bool]:
    """The body with each CSRF token masked from ``secret`` replaced by the placeholder."""
    found = False

    def swap(match: re.Match) -> bytes:
        nonlocal found
        token = match.group(0).decode()
        if unmask(token) == secret:
            found = True
            return CSRF_PLACEHOLDER
        return match.group(0)

    hidden = re.sub(rb"(?<![A-Za-z0-9])[A-Za-z0-9]{64}(?![A-Za-z0-9])", swap, body)
    return hidden, found


def _etag(body: bytes) -> str:
    return quote_etag(hashlib.sha256(body).hexdigest()[:32])


def _lookup(topics: Sequence[str], parts: tuple) -> tuple[str, object] | None:
    """The page's key and its stored entry (or None), through the cache API: two reads (the
    versions, then the page). None when a store fails: the page is served uncached."""
    found = versions(topics)
    if found is None:
        return None
    key = PAGE_PREFIX + hashlib.sha256(repr((*parts, found)).encode()).hexdigest()
    try:
        return key, caches[PAGES_ALIAS].get(key)
    except Exception:
        log.warning("page cache: store unavailable, serving uncached", exc_info=True)
        return None


_MISSING = pagecache_redis.MISSING


def _lookup_redis(topics: Sequence[str], base: str):
    """``_lookup`` in one round trip on Redis (``core.pagecache_redis``): (key, entry or None);
    ``_MISSING`` when a version is not written yet; None when this does not apply."""
    found = pagecache_redis.lookup(
        caches[PAGES_ALIAS],
        caches[VERSIONS_ALIAS],
        [VERSION_PREFIX + t for t in (ALL, *topics)],
        PAGE_PREFIX,
        base,
    )
    if found is None or found is _MISSING:
        return found
    return PAGE_PREFIX + found[0], found[1]


class PageCacheMiddleware:
    """Serve declared public pages to anonymous visitors from the shared cache (module doc)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        state = getattr(request, "_echos_pagecache", None)
        if state is None:
            return response
        if state.private:
            patch_cache_control(response, private=True)
            return response
        if state.key and not getattr(response, "_echos_pagecache_hit", False):
            try:
                response = self._store(request, response, state.key)
            finally:
                if state.claimed:
                    pagecache_flight.release(PAGES_ALIAS, state.key)
        return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        if not enabled() or request.method not in ("GET", "HEAD"):
            return None
        match = request.resolver_match
        page = page_for(match.view_name, view_func) if match else None
        if page is None:
            return None
        if request.user.is_authenticated or "HTTP_AUTHORIZATION" in request.META:
            request._echos_pagecache = _State(private=True)
            return None
        if _messages_pending(request):
            return None
        query = _normalised(request.GET, page.params)
        if query is None:
            return None
        # The view sees exactly what the key holds.
        request.GET = query
        request.META["QUERY_STRING"] = query.urlencode()
        parts = (
            match.view_name,
            sorted((k, str(v)) for k, v in match.kwargs.items()),
            request.META["QUERY_STRING"],
            getattr(request, "LANGUAGE_CODE", ""),
            # The page's links: under /<code>/ (core/i18n.py) they carry the prefix.
            get_script_prefix(),
            bool(getattr(request, "htmx", False)),
            timezone.localdate().isoformat(),
        )
        looked_up = _lookup_redis(page.topics, repr(parts))
        if looked_up is _MISSING and versions(page.topics) is not None:
            looked_up = _lookup_redis(page.topics, repr(parts))  # with the versions just written
        if looked_up is None or looked_up is _MISSING:
            looked_up = _lookup(page.topics, parts)
        if looked_up is None:
            return None
        key, entry = looked_up
        claimed = False
        if not isinstance(entry, Entry):
            # Many visitors missing one page at once: one renders it, the others wait for it.
            claimed = pagecache_flight.claim(PAGES_ALIAS, key)
            if not claimed:
                entry = pagecache_flight.wait_for(PAGES_ALIAS, key)
        if isinstance(entry, Entry):
            return self._hit(request, entry)
        request._echos_pagecache = _State(key=key, claimed=claimed)
        return None

    def _hit(self, request, entry: Entry) -> HttpResponse:
        body, etag = entry.body, entry.etag
        if entry.csrf:
            token = get_token(request)
            body = body.replace(CSRF_PLACEHOLDER, token.encode())
            # A revalidation is valid only with the same CSRF secret (the cookie).
            secret = request.META.get("CSRF_COOKIE", "")
            etag = _etag(f"{etag}|{secret}".encode())
        response = HttpResponse(body)
        for name, value in entry.headers:
            response[name] = value
        response = self._finish(request, response, etag, entry.last_modified, entry.csrf)
        response[HEADER] = "hit"
        response._echos_pagecache_hit = True
        return response

    def _store(self, request, response, key: str):
        if not self._storable(request, response):
            return response
        body = bytes(response.content)
        csrf = False
        if request.META.get("CSRF_COOKIE_NEEDS_UPDATE"):
            body, csrf = _hide_csrf(body, request.META.get("CSRF_COOKIE", ""))
        own_etag = response.get("ETag")
        etag = own_etag or _etag(body)
        stamp = datetime.now(UTC).replace(microsecond=0).timestamp()
        headers = [(h, response[h]) for h in KEPT_HEADERS if h in response and h != "ETag"]
        entry = Entry(body=body, headers=headers, etag=etag, last_modified=stamp, csrf=csrf)
        try:
            caches[PAGES_ALIAS].set(key, entry, settings.ECHOS_PAGE_CACHE_SECONDS)
        except Exception:
            log.warning("page cache: could not store a page", exc_info=True)
            return response
        if csrf:
            etag = _etag(f"{etag}|{request.META.get('CSRF_COOKIE', '')}".encode())
        response = self._finish(request, response, etag, stamp, csrf)
        response[HEADER] = "miss"
        return response

    @staticmethod
    def _storable(request, response) -> bool:
        control = response.get("Cache-Control", "")
        return (
            request.method == "GET"
            and response.status_code == 200
            and not response.streaming
            and not response.cookies
            and "private" not in control
            and "no-store" not in control
            and not _messages_pending(request)
            and len(response.content) <= settings.ECHOS_PAGE_CACHE_MAX_BYTES
            # Every error and warning on an echos page is role="alert": never a shared page.
            and ALERT not in response.content
            and not request.user.is_authenticated
        )

    @staticmethod
    def _finish(request, response, etag: str, last_modified: float, per_visitor: bool):
        response["ETag"] = etag
        response["Last-Modified"] = http_date(last_modified)
        if "Cache-Control" in response:
            del response["Cache-Control"]
        # Exact entries: a client (or proxy) always asks again, and gets a 304 when unchanged.
        patch_cache_control(
            response,
            max_age=0,
            must_revalidate=True,
            **{"private" if per_visitor else "public": True},
        )
        return get_conditional_response(
            request, etag=etag, last_modified=int(last_modified), response=response
        )
