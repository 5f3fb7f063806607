"""The calendar's event cards, each rendered once per version of what it shows (#18 cold pages).

A calendar page lists 20 events, and rendering their cards is about half of the page's time.
After a write to one event, the page must be rendered again (``core.pagecache``), but 19 of its
cards are unchanged. Each card is kept in the shared cache (Redis in production, the process's
memory on the embedded default) under a key derived from **everything the card is made of**:
the event's own column values, the names of its hub, country and region, the language, the
script prefix its links carry, whether the page lists past events, and ``CARD_FORMAT``. So the
key changes whenever the card would, whichever way the row was written (no timestamp is trusted),
and a page reads all of its cards in one ``get_many``.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

from django.core.cache import cache
from django.template.loader import render_to_string
from django.urls import get_script_prefix
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from echos.events.models import Event

# Raise when _event_card.html or what it reads changes, so no card of the old layout is served.
CARD_FORMAT = 1
CARD_SECONDS = 3600
TEMPLATE = "events/_event_card.html"


def _columns(obj) -> tuple:
    """The column values a row was read with (deferred ones are not read, so not shown)."""
    if obj is None:
        return ()
    loaded = vars(obj)
    return tuple(
        (f.attname, repr(loaded[f.attname]))
        for f in obj._meta.concrete_fields
        if f.attname in loaded
    )


def card_key(event: Event, *, past: bool) -> str:
    """The cache key of an event's card: a digest of all it is made of."""
    parts = (
        CARD_FORMAT,
        get_language(),
        get_script_prefix(),
        past,
        _columns(event),
        _columns(event.hub),
        _columns(event.country),
        _columns(event.region),
    )
    return "echos:card:" + hashlib.sha256(repr(parts).encode()).hexdigest()[:40]


def event_cards(events: Sequence[Event], *, past: bool) -> list[SafeString]:
    """Each event's card (``<li>``), in order: from the cache, rendering only those missing."""
    keys = [card_key(event, past=past) for event in events]
    found = cache.get_many(keys)
    rendered = {}
    for event, key in zip(events, keys, strict=True):
        if key not in found:
            rendered[key] = render_to_string(TEMPLATE, {"e": event, "past": past})
    if rendered:
        cache.set_many(rendered, CARD_SECONDS)
        found.update(rendered)
    return [mark_safe(found[key]) for key in keys]  # noqa: S308 (rendered by our template)
