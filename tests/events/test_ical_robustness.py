"""iCalendar never fails on stored data; titles on one line and dates in a sane range."""

from datetime import UTC, datetime, timedelta

import icalendar
import pytest
from django.urls import reverse
from django.utils import timezone

from echos.core.exceptions import RuleViolation
from echos.events import services
from echos.events.models import Event

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("title", ["Line1\nLine2", "Line1\r\nLine2", "A\u2028B"])
def test_titles_with_line_breaks_are_refused(make_event, title):
    with pytest.raises(RuleViolation) as exc:
        make_event(title=title)
    assert exc.value.field == "title"
    event = make_event()
    with pytest.raises(RuleViolation) as exc:
        services.update_event(actor=None, event=event, title=title)
    assert exc.value.field == "title"


@pytest.mark.parametrize(
    "extra,field",
    [
        ({"title": "Line1\nLine2"}, "title"),
        ({"start": "9999-12-31T10:00", "end": "9999-12-31T12:00"}, "start"),
        ({"start": "0001-01-01T00:30", "end": "0001-01-01T02:00"}, "start"),
        ({"start": "2101-01-01T10:00", "end": "2101-01-01T12:00"}, "start"),
    ],
)
def test_api_refuses_line_breaks_and_far_dates(token_client, personas, hubs, extra, field):
    data = {
        "hub": hubs["portugal"].pk,
        "title": "Webinar",
        "description": "d",
        "type": "webinar",
        "format": "online",
        "online_url": "https://meet.example.invalid/abc",
        "start": "2027-03-27T18:00",
        "end": "2027-03-27T19:30",
        "time_zone": "Europe/Lisbon",
        "languages": ["pt"],
        "status": "published",
    }
    data.update(extra)
    response = token_client(personas["coord_pt"]).post(
        "/api/v1/events", data, content_type="application/json"
    )
    assert response.status_code == 400, response.content
    assert response.json()["errors"][0]["field"] == field


def test_stored_title_with_a_line_break_still_gives_a_calendar(client, make_event):
    event = make_event()
    Event.objects.filter(pk=event.pk).update(title="Line1\nLine2")
    response = client.get(reverse("events:event_ics", args=[event.pk]))
    assert response.status_code == 200
    cal = icalendar.Calendar.from_ical(response.content)
    assert [str(v["summary"]) for v in cal.walk("VEVENT")] == ["Line1 Line2"]
    assert client.get(reverse("events:feed")).status_code == 200


def test_stored_far_future_event_never_breaks_the_feed(client, make_event):
    good = make_event(title="Good event")
    bad = make_event(title="Far away")
    Event.objects.filter(pk=bad.pk).update(
        start=datetime(9999, 12, 31, 10, tzinfo=UTC), end=datetime(9999, 12, 31, 12, tzinfo=UTC)
    )
    response = client.get(reverse("events:feed"))
    assert response.status_code == 200
    assert b"Good event" in response.content
    assert client.get(reverse("events:event_ics", args=[bad.pk])).status_code == 200
    assert good.start > timezone.now() - timedelta(days=1)
