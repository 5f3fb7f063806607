"""Times are shown in the event's own time zone (named), whatever the site's zone; the calendar
places events on their local day; forms read times in the event's zone; odd ids never give a 500."""

from datetime import datetime, timedelta
from urllib.parse import urlsplit

import pytest
from django.core import mail
from django.urls import reverse

from echos.events import services
from echos.events.models import Event

pytestmark = pytest.mark.django_db


def _event(make_event, tz, start, hours=2, **fields):
    return make_event(time_zone=tz, start=start, end=start + timedelta(hours=hours), **fields)


def test_kyiv_event_shows_its_local_time_on_page_list_and_email(client, make_event):
    event = _event(
        make_event,
        "Europe/Kyiv",
        datetime(2030, 6, 3, 18, 0),
        title="Kyiv evening dialogue",
        registration_enabled=True,
        registration_closes=datetime(2030, 6, 2, 20, 0),
    )
    session = services.add_session(
        actor=None,
        event=event,
        title="Opening talk",
        start=datetime(2030, 6, 3, 18, 30),
        end=datetime(2030, 6, 3, 19, 0),
    )
    assert session.pk
    page = client.get(event.get_absolute_url()).content.decode()
    assert "18:00" in page and "17:00" not in page
    assert "(Kyiv time)" in page and "Europe/Kyiv" not in page.replace('"Europe/Kyiv"', "")
    assert "18:30" in page and "17:30" not in page  # the programme
    assert "2 June 2030, 20:00 (Kyiv time)" in page  # registration closes
    listing = client.get(reverse("events:calendar"), {"q": "Kyiv"}).content.decode()
    assert "18:00" in listing and "17:00" not in listing
    registration = services.register(
        event=event, name="Olena", email="olena@example.invalid", consent=True
    )
    mail.outbox.clear()
    services.send_email_now(registration, "confirmation")
    body = mail.outbox[-1].body
    assert "Monday 3 June 2030, 18:00 (Kyiv time)" in body and "17:00" not in body
    personal = client.get(urlsplit(services.personal_url(registration)).path).content.decode()
    assert "18:00" in personal and "17:00" not in personal


def test_lisbon_event_at_ten_reads_ten(client, make_event, hubs):
    event = _event(
        make_event,
        "Europe/Lisbon",
        datetime(2030, 6, 3, 10, 0),
        hub=hubs["portugal"],
        title="Lisbon morning fair",
    )
    page = client.get(event.get_absolute_url()).content.decode()
    assert "10:00" in page and "11:00" not in page
    registration = services.register(
        event=event, name="Ana", email="ana@example.invalid", consent=True
    )
    mail.outbox.clear()
    services.send_email_now(registration, "confirmation")
    body = mail.outbox[-1].body
    assert "Monday 3 June 2030, 10:00 (Lisbon time)" in body and "11:00" not in body


def test_offer_deadline_is_in_the_event_zone(make_event):
    event = _event(make_event, "Europe/Lisbon", datetime(2030, 6, 3, 10, 0))
    registration = services.register(
        event=event, name="Ana", email="ana@example.invalid", consent=True
    )
    registration.status = "offered"
    registration.offer_expires_at = event.start - timedelta(days=1)  # 09:00 UTC, 10:00 Lisbon
    mail.outbox.clear()
    services.send_email_now(registration, "offer")
    body = mail.outbox[-1].body
    assert "2 June 2030, 10:00 (Lisbon time)" in body


def _days_with(response, pk):
    return [
        day["date"]
        for week in response.context["weeks"]
        for day in week
        if day["in_month"] and any(e.pk == pk for e in day["events"])
    ]


def test_month_grid_places_an_event_on_its_local_day(client, make_event):
    event = _event(make_event, "Europe/Helsinki", datetime(2027, 2, 1, 0, 30), title="Night talk")
    january = client.get(reverse("events:month", args=[2027, 1]))
    assert _days_with(january, event.pk) == []
    assert january.context["total"] == 0
    february = client.get(reverse("events:month", args=[2027, 2]))
    assert [d.isoformat() for d in _days_with(february, event.pk)] == ["2027-02-01"]
    assert february.context["total"] == 1


def test_month_grid_finds_an_event_late_on_the_last_local_day(client, make_event):
    # 23:30 on 31 January in Lisbon is already 1 February in Brussels.
    event = _event(make_event, "Europe/Lisbon", datetime(2027, 1, 31, 23, 30), hours=0.25)
    january = client.get(reverse("events:month", args=[2027, 1]))
    assert [d.isoformat() for d in _days_with(january, event.pk)] == ["2027-01-31"]
    february = client.get(reverse("events:month", args=[2027, 2]))
    assert _days_with(february, event.pk) == [] and february.context["total"] == 0


def _event_data(hubs, **fields):
    data = {
        "title": "Helsinki night of research",
        "description": "Talks through the night the clocks change.",
        "type": "workshop",
        "format": "in_person",
        "start": "2027-03-28T02:30",
        "end": "2027-03-28T06:00",
        "time_zone": "Europe/Helsinki",
        "venue": "Think Corner",
        "link_visibility": "public",
        "languages": "fi, en",
        "offer_hours": "48",
        "hub": hubs["norway"].pk,
    }
    data.update(fields)
    return data


def test_event_form_reads_times_in_the_chosen_zone(login, personas, hubs):
    # 02:30 on 28 March 2027 does not exist in Brussels (clocks go forward) but does in Helsinki.
    client = login(personas["coord_no"])
    url = reverse("events:event_create") + f"?hub={hubs['norway'].pk}"
    response = client.post(url, _event_data(hubs))
    assert response.status_code == 302, response.content.decode()[:2000]
    event = Event.objects.get(title="Helsinki night of research")
    assert event.local_start.replace(tzinfo=None) == datetime(2027, 3, 28, 2, 30)
    # 03:30 does not exist in Helsinki: a clear error on the field, naming the zone.
    bad = client.post(url, _event_data(hubs, title="Skipped hour", start="2027-03-28T03:30"))
    assert bad.status_code == 422
    assert bad.context["form"].errors["start"]
    assert "Europe/Helsinki" in bad.context["form"].errors["start"][0]
    assert not Event.objects.filter(title="Skipped hour").exists()


def test_session_form_reads_times_in_the_event_zone(login, personas, hubs):
    client = login(personas["coord_no"])
    url = reverse("events:event_create") + f"?hub={hubs['norway'].pk}"
    client.post(url, _event_data(hubs, start="2027-03-28T00:30", end="2027-03-28T08:00"))
    event = Event.objects.get(title="Helsinki night of research")
    add = reverse("events:session_add", args=[event.pk])
    ok = client.post(
        add, {"title": "Small hours", "start": "2027-03-28T02:30", "end": "2027-03-28T02:50"}
    )
    assert ok.status_code == 302, ok.content.decode()[:2000]
    session = event.sessions.get()
    assert session.local_start.replace(tzinfo=None) == datetime(2027, 3, 28, 2, 30)
    bad = client.post(
        add, {"title": "Lost hour", "start": "2027-03-28T03:15", "end": "2027-03-28T04:30"}
    )
    assert bad.status_code == 422
    assert "Europe/Helsinki" in bad.context["form"].errors["start"][0]


@pytest.mark.parametrize("hub", ["99999999999999999999", "9223372036854775808", "²", "-1"])
def test_out_of_range_hub_filter_is_ignored_not_a_500(client, make_event, hub):
    make_event(title="Oslo screening dialogue")
    response = client.get(reverse("events:calendar"), {"hub": hub})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Oslo screening dialogue" in page
    assert "not understood" in page and "hub" in page
    month = client.get(reverse("events:month", args=[2027, 2]), {"hub": hub})
    assert month.status_code == 200 and "not understood" in month.content.decode()


def test_new_event_page_ignores_a_bad_hub(login, personas, hubs):
    client = login(personas["coord_no"])
    for hub in ("abc", "99999999999999999999", "1.5"):
        response = client.get(reverse("events:event_create"), {"hub": hub})
        assert response.status_code == 200  # the page to choose a hub
        assert client.post(reverse("events:event_create"), {"hub": hub}).status_code == 200
    good = client.get(reverse("events:event_create"), {"hub": hubs["norway"].pk})
    assert good.status_code == 200 and "form" in good.context
