"""The calendar's event cards, each rendered once per version of what it shows (#18 cold pages).

A calendar page lists 20 events, and rendering their cards is about half of the page's time.
After a write to one event the page is rendered again (``core.pagecache``), but 19 of its cards
are unchanged: each card is kept by ``core.fragments`` under a digest of everything it is made
of (the event's column values, its hub's, country's and region's, the language, the script
prefix its links carry, whether the page lists past events and ``CARD_FORMAT``).
"""

from __future__ import annotations

from collections.abc import Sequence

from django.utils.safestring import SafeString, mark_safe

from echos.core import fragments
from echos.events.models import Event

# Raise when _event_card.html or what it reads changes, so no card of the old layout is served.
CARD_FORMAT = 1
NAME = "events:card"
TEMPLATE = "events/_event_card.html"


def _related(event: Event) -> tuple:
    return (event.hub, event.country, event.region)


def card_key(event: Event, *, past: bool) -> str:
    """The cache key of an event's card: a digest of all it is made of."""
    return fragments.key(NAME, CARD_FORMAT, event, _related(event), (past,))


def event_cards(events: Sequence[Event], *, past: bool) -> list[SafeString]:
    """Each event's card (``<li>``), in order: from the cache, rendering only those missing."""
    return fragments.render_each(
        events,
        TEMPLATE,
        name=NAME,
        fmt=CARD_FORMAT,
        as_name="e",
        related=_related,
        extra=lambda event: (past,),
        context={"past": past},
    )


MONTH_FORMAT = 1
MONTH_TEMPLATE = "events/_month_event.html"
_SPLIT = "<!--echos:agenda-->"


def month_pieces(events: Sequence[Event]) -> dict[int, tuple[SafeString, SafeString]]:
    """Each event's grid cell entry and agenda line of the month page, by id: kept like the
    cards (``_month_event.html`` renders both, one key per event)."""
    rendered = fragments.render_each(
        events, MONTH_TEMPLATE, name="events:month", fmt=MONTH_FORMAT, as_name="e", related=_related
    )
    pieces = {}
    for event, html in zip(events, rendered, strict=True):
        cell, what = html.split(_SPLIT, 1)
        pieces[event.pk] = (mark_safe(cell), mark_safe(what))  # noqa: S308 (our template)
    return pieces
