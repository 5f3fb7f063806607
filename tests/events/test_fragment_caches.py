"""Pieces of the public pages kept per version of what they show (issue #18): each iCalendar
feed's VEVENTs per event, the gap dashboard's rendered figures per report. A write through a
service changes the next response; only the changed event's VEVENT is built again."""

from datetime import UTC, date, datetime, timedelta

import icalendar
import pytest
from django.db import DEFAULT_DB_ALIAS, connections
from django.test import Client

from echos.core import pagecache
from echos.events import ical, services
from echos.events.models import Event


def settle() -> None:
    """Bump the topics of writes made in the test's transaction, as their commit would."""
    pending = connections[DEFAULT_DB_ALIAS].__dict__.get("_echos_pagecache")
    if pending is not None:
        pending.flush()


def feed(client: Client, path: str = "/events/feed.ics") -> str:
    """The feed's text with its folded lines unfolded."""
    return client.get(path).content.decode().replace("\r\n ", "")


def gap_url() -> str:
    """The gap dashboard for Norway over the next two months (the events made below)."""
    today = date.today()
    return f"/events/gap/?country=NO&from={today}&to={today + timedelta(days=60)}"


@pytest.fixture
def built(monkeypatch):
    """The events whose VEVENT was built, in order."""
    calls = []
    original = ical.vevent

    def counted(event):
        calls.append(event.pk)
        return original(event)

    monkeypatch.setattr(ical, "vevent", counted)
    return calls


def test_a_feed_builds_again_only_the_vevent_of_the_event_changed(make_event, built):
    first, second = make_event(5, title="First dialogue"), make_event(6, title="Second dialogue")
    client = Client()
    body = feed(client)
    assert "First dialogue" in body and "Second dialogue" in body
    assert sorted(built) == sorted([first.pk, second.pk])
    built.clear()
    services.update_event(actor=None, event=first, title="Renamed dialogue")
    body = feed(client)
    assert "Renamed dialogue" in body and "First dialogue" not in body
    assert "Second dialogue" in body
    assert built == [first.pk]  # the other event's VEVENT came from the cache
    built.clear()
    # The country feed reuses the same VEVENTs.
    assert "Renamed dialogue" in feed(client, "/events/feeds/country/NO.ics")
    assert built == []


def test_a_session_added_and_a_hub_renamed_reach_the_next_feed(make_event, hubs, built):
    event = make_event(5)
    client = Client()
    client.get("/events/feed.ics")
    start = event.start.replace(minute=30)
    services.add_session(
        actor=None,
        event=Event.objects.get(pk=event.pk),
        title="Opening talk",
        start=start,
        end=start.replace(hour=start.hour + 1),
    )
    assert "Opening talk" in feed(client)
    hub = hubs["norway"]
    hub.name = "Renamed Norwegian hub"
    hub.name_en = "Renamed Norwegian hub"
    hub.save()
    assert "Renamed Norwegian hub" in feed(client)


def test_a_language_gets_its_own_vevents(make_event):
    make_event(5, status="cancelled", status_reason="Storm")
    client = Client()
    english = client.get("/events/feed.ics", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    french = client.get("/events/feed.ics", HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    client.get("/events/feed.ics", HTTP_ACCEPT_LANGUAGE="en")  # leave English active
    assert "Cancelled:" in english
    assert "Cancelled:" not in french


def test_the_calendar_is_the_same_bytes_as_one_built_whole_and_stamped_now(make_event):
    events = [make_event(5), make_event(40, time_zone="Europe/Lisbon")]
    now = datetime(2026, 12, 5, 7, 0, tzinfo=UTC)
    events = list(
        Event.objects.filter(pk__in=[e.pk for e in events])
        .select_related("hub", "country", "region")
        .prefetch_related("sessions")
        .order_by("start")
    )
    body = ical.event_calendar(events, name="Feed", url="https://example.org/f.ics", now=now)
    # The same calendar built as one icalendar object, as before the VEVENTs were kept apart.
    cal = icalendar.Calendar.from_ical(body)
    whole = icalendar.Calendar()
    for name, value in cal.property_items(recursive=False)[1:-1]:
        whole.add(name, value, encode=False)
    for component in cal.subcomponents:
        whole.add_component(component)
    assert whole.to_ical() == body
    stamps = [c["DTSTAMP"].dt for c in cal.walk("VEVENT")]
    assert stamps == [now, now]


def test_the_gap_figures_change_with_a_registration(make_event, register_many):
    event = make_event(5)
    register_many(event, 6, prefix="early")
    settle()
    client = Client()
    url = gap_url()
    before = client.get(url).content.decode()
    register_many(event, 4, prefix="late")
    settle()
    after = client.get(url).content.decode()
    assert before != after
    # Six registrations, then ten, in the table by country.
    assert '<tr data-code="NO">\n        <th scope="row">Norway</th>\n        <td>6</td>' in before
    assert '<tr data-code="NO">\n        <th scope="row">Norway</th>\n        <td>10</td>' in after


def test_gap_figures_are_never_kept_from_an_uncommitted_write(make_event, register_many):
    event = make_event(5)
    register_many(event, 6, prefix="early")
    settle()
    client = Client()
    url = gap_url()
    client.get(url)
    register_many(event, 4, prefix="late")  # not committed yet: nothing bumped
    pagecache.bump_all()  # the topics move on commit
    assert "<td>10</td>" in client.get(url).content.decode()
