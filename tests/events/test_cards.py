"""The calendar's event cards kept per version of what each shows (events/cards.py on
core/fragments.py, #18 cold pages): a write changes the next page however it was made, and only
changed cards are rendered again."""

import pytest
from django.core.cache import cache
from django.test import Client
from django.utils import translation

from echos.core import fragments
from echos.events import cards, services
from echos.events.calendar import public_events
from echos.events.models import Event


def renders_of(monkeypatch, template_name: str) -> list[int]:
    """The events ``template_name`` is rendered for from now on, in order (the cache emptied)."""
    calls: list[int] = []
    original = fragments.render_to_string

    def counting(template, context=None, *args, **kwargs):
        if template == template_name:
            calls.append(context["e"].pk)
        return original(template, context, *args, **kwargs)

    monkeypatch.setattr(fragments, "render_to_string", counting)
    cache.clear()
    return calls


@pytest.fixture
def rendered(monkeypatch):
    """The events whose card was rendered, in order."""
    return renders_of(monkeypatch, cards.TEMPLATE)


@pytest.fixture
def three(make_event):
    return [make_event(days=5 + n, title=f"Dialogue {n}") for n in range(3)]


def test_a_card_key_is_the_same_for_the_same_row_read_twice(three):
    first = public_events().get(pk=three[0].pk)
    again = public_events().get(pk=three[0].pk)
    first.tz  # a cached property read on one of them changes nothing  # noqa: B018
    assert cards.card_key(first, past=False) == cards.card_key(again, past=False)
    other = public_events().get(pk=three[1].pk)
    assert cards.card_key(first, past=False) != cards.card_key(other, past=False)
    assert cards.card_key(first, past=False) != cards.card_key(first, past=True)


def test_only_the_changed_card_is_rendered_again(three, rendered):
    client = Client()
    page = client.get("/events/")
    assert page.status_code == 200 and b"Dialogue 0" in page.content
    assert sorted(rendered) == sorted(e.pk for e in three)
    rendered.clear()
    assert b"Dialogue 1" in client.get("/events/").content
    assert rendered == []
    services.update_event(actor=None, event=three[1], title="Renamed dialogue")
    page = client.get("/events/")
    assert b"Renamed dialogue" in page.content and b"Dialogue 1<" not in page.content
    assert rendered == [three[1].pk]


def test_a_write_that_bypasses_the_model_changes_the_card_too(three, rendered):
    client = Client()
    client.get("/events/")
    # A bulk update sends no signal and leaves updated_at alone: the key reads the values.
    Event.objects.filter(pk=three[2].pk).update(status=Event.Status.CANCELLED)
    page = client.get("/events/").content.decode()
    assert "is-cancelled" in page and rendered[-1] == three[2].pk


def test_a_hub_rename_changes_its_events_cards(three, hubs, rendered):
    from echos.hubs.services.hubs import update_hub

    client = Client()
    client.get("/events/")
    update_hub(actor=None, hub=hubs["norway"], name_en="Norway's renamed hub")
    assert "Norway&#x27;s renamed hub" in client.get("/events/").content.decode()


def test_cards_are_kept_per_language_and_prefix(three, rendered):
    Client().get("/events/")
    count = len(rendered)
    greek = Client().get("/el/events/")
    assert greek.status_code == 200 and len(rendered) == 2 * count
    # The card's links carry the page's prefix.
    assert f'href="/el/events/{three[0].pk}/"'.encode() in greek.content
    with translation.override("el"):
        event = public_events().get(pk=three[0].pk)
        greek_key = cards.card_key(event, past=False)
    with translation.override("en"):
        assert cards.card_key(event, past=False) != greek_key


def test_raw_spans_are_the_orm_values_on_this_database(three):
    """The month grid reads its 4,400 spans with a raw cursor (calendar.spans_of): the same
    aware datetimes as the ORM, on SQLite and PostgreSQL."""
    from echos.events import calendar

    query = Event.objects.order_by("start", "id")
    assert calendar.spans_of(query) == list(query.values_list("pk", "start", "end", "time_zone"))
    assert all(span[1].tzinfo is not None for span in calendar.spans_of(query))


def test_the_month_page_renders_only_the_changed_event_again(three, monkeypatch):
    calls = renders_of(monkeypatch, cards.MONTH_TEMPLATE)
    day = three[0].start.astimezone(three[0].tz)
    url = f"/events/month/{day.year}/{day.month}/"
    first = Client().get(url).content.decode()
    assert "Dialogue 0" in first and three[0].pk in calls
    calls.clear()
    services.update_event(actor=None, event=three[0], title="Moved dialogue")
    again = Client().get(url).content.decode()
    assert "Moved dialogue" in again and calls == [three[0].pk]
    # The grid cell and the agenda line both come from the one piece.
    assert again.count("Moved dialogue") == 2


def test_update_event_saves_every_column_it_changed_and_no_other(three, hubs):
    """update_event saves only the changed columns (so an update of an event's words alone bumps
    the page cache's "events.event:details"): every change reaches the database, and a column
    written meanwhile by someone else is not overwritten with a stale value."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    event = three[0]
    # Someone else changes the capacity after this copy of the event was read.
    Event.objects.filter(pk=event.pk).update(capacity=77)
    with CaptureQueriesContext(connection) as ctx:
        services.update_event(
            actor=None,
            event=event,
            title="New words",
            venue="Deichman Bjørvika",
            audiences=["researchers", "citizens"],
            translations={"nb": {"title": "Nye ord"}},
        )
    stored = Event.objects.get(pk=event.pk)
    assert stored.title == "New words" and stored.venue == "Deichman Bjørvika"
    assert set(stored.audience_codes) == {"researchers", "citizens"}
    assert stored.translations == {"nb": {"title": "Nye ord"}}
    assert stored.capacity == 77  # not written back from the stale copy
    assert stored.sequence == event.sequence + 1
    assert "nye ord" in stored.search_text
    [update] = [
        q["sql"] for q in ctx.captured_queries if q["sql"].startswith('UPDATE "events_event"')
    ]
    assert '"capacity"' not in update and '"start"' not in update
