"""The demo's events are where and when real ones would be: in their country's time zone, not between
Christmas Eve and 2 January, hardly ever on a Sunday, between nine and eight local time."""

from datetime import date, timedelta

import pytest

from echos.events import demo
from echos.events.models import Event, country_timezone


@pytest.fixture
def demo_events(db):
    from echos.core.reference import load_reference
    from echos.hubs import demo as hubs_demo

    load_reference()
    hubs_demo.load_reference_hubs()
    hubs_demo.load_demo()
    demo.load_demo()
    return list(Event.objects.filter(is_demo=True).select_related("country"))


def test_demo_events_are_in_their_countrys_zone_on_plausible_days_and_hours(demo_events):
    assert len(demo_events) > 50
    sundays = 0
    for event in demo_events:
        start, end = event.local_start, event.local_end
        assert event.time_zone == country_timezone(event.country_id), event.title
        assert event.time_zone != "Europe/Brussels" or event.country_id == "BE"
        day = start.date()
        while day <= end.date():
            assert (day.month, day.day) not in {(12, 24), (12, 25), (12, 26), (1, 1)}, event.title
            sundays += day.weekday() == 6
            day += timedelta(days=1)
        assert 9 <= start.hour and (end.hour, end.minute) <= (20, 0), (event.title, start, end)
    assert sundays <= 3
    assert len({e.time_zone for e in demo_events}) >= 5  # many countries, many zones


def test_sessions_of_the_fair_are_in_daytime(demo_events):
    fair = next(e for e in demo_events if e.type == "mission_fair")
    assert fair.local_start.weekday() in (1, 2, 3)
    for session in fair.sessions.all():
        assert 9 <= session.local_start.hour and session.local_end.hour <= 20


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        (
            date(2026, 12, 24),
            date(2027, 1, 4),
        ),  # Thursday before Christmas: after the break, a Monday
        (date(2027, 1, 1), date(2027, 1, 4)),
        (date(2027, 3, 7), date(2027, 3, 8)),  # a Sunday: the Monday
        (date(2027, 3, 10), date(2027, 3, 10)),  # a Wednesday stays
    ],
)
def test_plausible_day(given, expected):
    assert demo.plausible_day(given) == expected


def test_fair_is_three_plausible_weekdays():
    day = demo.fair_day(date(2026, 12, 26))
    assert day == date(2027, 1, 5)  # Tuesday after the break
    assert all(
        demo.plausible_day(day + timedelta(days=n)) == day + timedelta(days=n) for n in range(3)
    )


def test_plausible_start_ends_by_eight():
    assert demo.plausible_start(18, 8) == 12
    assert demo.plausible_start(10, 3) == 10
    assert demo.plausible_start(7, 2) == 9


def test_the_fair_and_three_other_demo_events_are_translated(demo_events):
    """Issue #17: the demo shows content in several languages (the fair first)."""
    fair = min(demo_events, key=lambda e: e.pk)
    assert fair.type == "mission_fair" and fair.source_language == "en"
    assert set(fair.translations) == {"de", "fr", "pl", "el"}
    assert fair.hub.country.display_name not in fair.translations["el"]["title"]
    translated = [e for e in demo_events if e.translations and e.pk != fair.pk]
    assert len(translated) == 3
    for event in translated:
        assert all(t["title"] and t["description"] for t in event.translations.values())
        assert "demo" in event.search_text
