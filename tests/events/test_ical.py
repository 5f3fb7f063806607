"""iCalendar: the whole and filtered feeds, one event's .ics, read back by two parsers."""

import re
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import icalendar
import pytest
import vobject
from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from echos.events import feeds, ical, services
from echos.events.models import Event

pytestmark = pytest.mark.django_db


def make_event(hub, *, days=10, hours=2, tz="Europe/Brussels", status="published", **fields):
    """A published event of ``hub`` starting ``days`` from now (aware datetimes are kept as is)."""
    start = fields.pop("start", None) or (timezone.now() + timedelta(days=days)).replace(
        minute=0, second=0, microsecond=0
    )
    end = fields.pop("end", None) or start + timedelta(hours=hours)
    data = {
        "title": "Screening in the community",
        "description": "How screening programmes reach everyone.",
        "type": "webinar",
        "format": "in_person",
        "languages": ["en"],
        "start": start,
        "end": end,
        "time_zone": tz,
        "status": status,
    }
    data.update(fields)
    return services.create_event(actor=None, hub=hub, **data)


def get_calendar(client, url, **headers):
    response = client.get(url, **headers)
    assert response.status_code == 200, response.content[:500]
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    return response, icalendar.Calendar.from_ical(response.content)


def vevents(cal) -> dict[str, icalendar.Event]:
    return {str(e["UID"]): e for e in cal.walk("VEVENT")}


def uid(event) -> str:
    return f"{event.uid}@echos"


def test_feed_is_valid_icalendar_for_two_parsers(client, hubs):
    first = make_event(hubs["norway"], title="Fair, day one; \u00e6\u00f8\u00e5 \u2014 " + "x" * 90)
    make_event(hubs["portugal"], days=20, tz="Europe/Lisbon")

    response, cal = get_calendar(client, reverse("events:feed"))

    assert response.content.startswith(b"BEGIN:VCALENDAR\r\n")
    assert all(len(line) <= 75 for line in response.content.split(b"\r\n"))
    assert cal["VERSION"] == "2.0"
    assert cal["CALSCALE"] == "GREGORIAN"
    assert cal["METHOD"] == "PUBLISH"
    assert "PRODID" in cal
    assert str(cal["X-WR-CALNAME"]) == "Cancer Mission Hubs events"
    assert cal.decoded("REFRESH-INTERVAL") == timedelta(hours=1)
    assert str(cal["X-PUBLISHED-TTL"]) == "PT1H"
    assert len(cal.walk("VEVENT")) == 2
    # A second, independent parser reads the same calendar, long folded title included.
    other = vobject.readOne(response.content.decode())
    assert other.version.value == "2.0"
    titles = {e.summary.value for e in other.vevent_list}
    assert first.title in titles
    assert {e.uid.value for e in other.vevent_list} == set(vevents(cal))


def test_uid_is_stable_across_renders(hubs):
    event = make_event(hubs["norway"])
    again = Event.objects.get(pk=event.pk)

    one = icalendar.Calendar.from_ical(ical.event_calendar([event], name="a", url="http://x/"))
    two = icalendar.Calendar.from_ical(ical.event_calendar([again], name="b", url="http://y/"))

    assert list(vevents(one)) == list(vevents(two)) == [uid(event)]


def test_sequence_rises_when_the_time_changes(client, hubs):
    event = make_event(hubs["norway"])
    url = reverse("events:event_ics", args=[event.pk])
    _r, before = get_calendar(client, url)

    services.update_event(
        actor=None, event=event, start=event.start + timedelta(hours=1), end=event.end
    )

    _r, after = get_calendar(client, url)
    old, new = vevents(before)[uid(event)], vevents(after)[uid(event)]
    assert new["UID"] == old["UID"]
    assert int(new["SEQUENCE"]) > int(old["SEQUENCE"])
    assert new.decoded("DTSTART") == old.decoded("DTSTART") + timedelta(hours=1)


@pytest.mark.parametrize(
    ("status", "expected"),
    [("published", "CONFIRMED"), ("postponed", "TENTATIVE"), ("cancelled", "CANCELLED")],
)
def test_status_follows_the_event(client, hubs, status, expected):
    event = make_event(hubs["norway"], status="draft")
    services.set_status(actor=None, event=event, status=status, reason="The venue flooded.")

    _r, cal = get_calendar(client, reverse("events:feed"))

    item = vevents(cal)[uid(event)]
    assert item["STATUS"] == expected
    if status == "cancelled":
        assert "The venue flooded." in str(item["DESCRIPTION"])
        assert item["TRANSP"] == "TRANSPARENT"


def test_url_is_absolute_and_in_the_description(client, hubs):
    event = make_event(hubs["norway"])

    _r, cal = get_calendar(client, reverse("events:feed"))

    item = vevents(cal)[uid(event)]
    page = settings.SITE_URL.rstrip("/") + event.get_absolute_url()
    assert str(item["URL"]) == page
    assert page.startswith(("http://", "https://"))
    assert page in str(item["DESCRIPTION"])


def test_organizer_is_the_hub_without_an_email(client, hubs):
    event = make_event(hubs["norway"])

    response, cal = get_calendar(client, reverse("events:feed"))

    organizer = vevents(cal)[uid(event)]["ORGANIZER"]
    assert organizer.params["CN"] == "Cancer Mission Hub Norway"
    assert "mailto:" not in response.content.decode().lower()
    assert "@" not in str(organizer)


def test_vtimezone_with_daylight_saving_for_each_tzid(client, hubs):
    make_event(hubs["norway"], tz="Europe/Oslo")
    make_event(hubs["portugal"], tz="Europe/Lisbon")
    make_event(hubs["portugal"], tz="Europe/Lisbon", days=30)

    _r, cal = get_calendar(client, reverse("events:feed"))

    used = {e["DTSTART"].params["TZID"] for e in cal.walk("VEVENT")}
    zones = {str(z["TZID"]): z for z in cal.walk("VTIMEZONE")}
    assert used == set(zones) == {"Europe/Oslo", "Europe/Lisbon"}
    for zone in zones.values():
        kinds = {c.name for c in zone.subcomponents}
        assert kinds == {"STANDARD", "DAYLIGHT"}


def test_times_across_the_daylight_saving_change(hubs):
    warsaw = ZoneInfo("Europe/Warsaw")
    before = make_event(
        hubs["norway"], tz="Europe/Warsaw", start=datetime(2026, 3, 28, 10, tzinfo=warsaw)
    )
    after = make_event(
        hubs["norway"], tz="Europe/Warsaw", start=datetime(2026, 3, 30, 10, tzinfo=warsaw)
    )

    body = ical.event_calendar([before, after], name="DST", url="http://x/")

    text = body.decode()
    assert "DTSTART;TZID=Europe/Warsaw:20260328T100000\r\n" in text
    assert "DTSTART;TZID=Europe/Warsaw:20260330T100000\r\n" in text
    expected = {
        uid(before): datetime(2026, 3, 28, 9, tzinfo=UTC),
        uid(after): datetime(2026, 3, 30, 8, tzinfo=UTC),
    }
    parsed = icalendar.Calendar.from_ical(body)
    for key, item in vevents(parsed).items():
        assert item.decoded("DTSTART").astimezone(UTC) == expected[key]
    other = vobject.readOne(text)
    for item in other.vevent_list:
        assert item.dtstart.value.astimezone(UTC) == expected[item.uid.value]
    # The written VTIMEZONE alone, turned into a tzinfo by vobject, gives the same offsets.
    (written,) = other.vtimezone_list
    assert written.tzid.value == "Europe/Warsaw"
    zone = written.gettzinfo()
    for key, local in (
        (uid(before), datetime(2026, 3, 28, 10)),
        (uid(after), datetime(2026, 3, 30, 10)),
    ):
        assert local.replace(tzinfo=zone).astimezone(UTC) == expected[key]


def test_utc_events_are_written_with_z_and_no_vtimezone(hubs):
    event = make_event(hubs["norway"], tz="UTC", start=datetime(2026, 5, 4, 12, tzinfo=UTC))

    text = ical.event_calendar([event], name="UTC", url="http://x/").decode()

    assert "DTSTART:20260504T120000Z\r\n" in text
    assert "BEGIN:VTIMEZONE" not in text


def test_drafts_never_appear_in_feeds(client, hubs):
    draft = make_event(hubs["norway"], status="draft", title="Secret draft")
    shown = make_event(hubs["norway"])

    for url in (
        reverse("events:feed"),
        reverse("events:feed_country", args=["NO"]),
        reverse("events:feed_hub", args=[hubs["norway"].pk]),
    ):
        response, cal = get_calendar(client, url)
        assert set(vevents(cal)) == {uid(shown)}
        assert b"Secret draft" not in response.content
    assert uid(draft) not in vevents(get_calendar(client, reverse("events:feed"))[1])


def test_draft_download_only_for_its_organisers(login, personas, hubs):
    draft = make_event(hubs["norway"], status="draft")
    url = reverse("events:event_ics", args=[draft.pk])

    assert login(None).get(url).status_code == 404
    assert login(personas["coord_pt"]).get(url).status_code == 404
    response = login(personas["coord_no"]).get(url)
    assert response.status_code == 200
    assert "public" not in response["Cache-Control"]


def test_single_event_is_an_attachment(client, hubs):
    event = make_event(hubs["norway"])

    response, cal = get_calendar(client, reverse("events:event_ics", args=[event.pk]))

    assert response["Content-Disposition"] == f'attachment; filename="echos-event-{event.pk}.ics"'
    assert response["Cache-Control"] == "public, max-age=300"
    assert list(vevents(cal)) == [uid(event)]


def test_feed_headers(client, hubs):
    make_event(hubs["norway"])

    response, _cal = get_calendar(client, reverse("events:feed"))

    assert response["Content-Disposition"].startswith("inline; filename=")
    assert response["Cache-Control"] == "public, max-age=300"
    assert response["ETag"].startswith('W/"')
    assert response["Last-Modified"]


def test_venue_details_only_when_everyone_may_see_them(client, hubs):
    details = {
        "venue": "Grieghallen",
        "address": "Edvard Griegs plass 1, Bergen",
        "latitude": 60.389,
        "longitude": 5.328,
        "format": "hybrid",
        "online_url": "https://meet.example.org/secret-room",
    }
    hidden = make_event(hubs["vestland"], region="NO-46", link_visibility="registrants", **details)
    shown = make_event(hubs["vestland"], days=11, link_visibility="public", **details)

    response, cal = get_calendar(client, reverse("events:event_ics", args=[hidden.pk]))
    item = vevents(cal)[uid(hidden)]
    text = response.content.decode()
    assert "Grieghallen" not in text
    assert "Edvard Griegs" not in text
    assert "secret-room" not in text
    assert "GEO" not in item
    assert "Vestland" in str(item["LOCATION"])
    assert "Norway" in str(item["LOCATION"])

    _r, cal = get_calendar(client, reverse("events:event_ics", args=[shown.pk]))
    item = vevents(cal)[uid(shown)]
    assert "Grieghallen, Edvard Griegs plass 1, Bergen" in str(item["LOCATION"])
    assert item["GEO"].latitude == pytest.approx(60.389)
    assert "https://meet.example.org/secret-room" in str(item["DESCRIPTION"])


def test_online_event_location(hubs):
    event = make_event(hubs["norway"], format="online", online_url="https://meet.example.org/a")

    cal = icalendar.Calendar.from_ical(ical.event_calendar([event], name="a", url="http://x/"))

    assert vevents(cal)[uid(event)]["LOCATION"] == "Online"


def test_multi_day_event_with_sessions_is_one_vevent(client, hubs):
    brussels = ZoneInfo("Europe/Brussels")
    start = (timezone.now() + timedelta(days=40)).astimezone(brussels)
    start = start.replace(hour=9, minute=0, second=0, microsecond=0)
    event = make_event(
        hubs["norway"],
        start=start,
        end=start + timedelta(days=2, hours=8),
        sessions=[
            {"title": "Opening plenary", "start": start, "end": start + timedelta(hours=1)},
            {
                "title": "Patients' panel",
                "start": start + timedelta(days=1),
                "end": start + timedelta(days=1, hours=2),
                "room": "Hall B",
            },
        ],
    )

    _r, cal = get_calendar(client, reverse("events:feed"))

    assert list(vevents(cal)) == [uid(event)]
    description = str(vevents(cal)[uid(event)]["DESCRIPTION"])
    assert "Opening plenary" in description
    assert "Patients' panel (Hall B)" in description
    assert description.index("Opening plenary") < description.index("Patients' panel")


def test_description_names_audience_and_accessibility(hubs):
    event = make_event(
        hubs["norway"], audiences=["citizens", "researchers"], accessibility=["captions"]
    )

    cal = icalendar.Calendar.from_ical(ical.event_calendar([event], name="a", url="http://x/"))

    description = str(vevents(cal)[uid(event)]["DESCRIPTION"])
    assert "Audience: Citizens, Researchers" in description
    assert "Accessibility: Captions" in description
    assert vevents(cal)[uid(event)]["CATEGORIES"].cats == ["Webinar"]


def test_feed_keeps_ninety_days_of_past_events(client, hubs):
    recent = make_event(hubs["norway"], days=-30)
    old = make_event(hubs["norway"], days=-120)
    upcoming = make_event(hubs["norway"], days=5)

    _r, cal = get_calendar(client, reverse("events:feed"))

    assert list(vevents(cal)) == [uid(recent), uid(upcoming)]
    assert uid(old) not in vevents(cal)


@pytest.fixture
def spread(hubs):
    """Two events that differ in every filter the feeds offer."""
    no = make_event(
        hubs["norway"],
        type="webinar",
        audiences=["citizens"],
        languages=["no"],
    )
    pt = make_event(
        hubs["portugal"],
        days=12,
        type="mission_fair",
        audiences=["researchers"],
        languages=["pt", "en"],
        co_organisers=[hubs["vestland"]],
    )
    return {"no": no, "pt": pt}


@pytest.mark.parametrize(
    ("url_name", "arg", "query", "expected"),
    [
        ("feed_country", "PT", "country=PT", {"pt"}),
        ("feed_country", "no", "country=NO", {"no"}),
        ("feed_type", "mission_fair", "type=mission_fair", {"pt"}),
        ("feed_audience", "citizens", "audience=citizens", {"no"}),
        ("feed_language", "pt", "language=pt", {"pt"}),
        ("feed_language", "no", "language=no", {"no"}),
        ("feed_hub", "norway", "hub=norway", {"no"}),
        # A co-organising hub sees the event in its feed too.
        ("feed_hub", "vestland", "hub=vestland", {"pt"}),
    ],
)
def test_filters_select_the_right_events(client, hubs, spread, url_name, arg, query, expected):
    if url_name == "feed_hub":
        arg = hubs[arg].pk
        query = f"hub={arg}"
    wanted = {uid(spread[k]) for k in expected}

    _r, by_path = get_calendar(client, reverse(f"events:{url_name}", args=[arg]))
    _r, by_query = get_calendar(client, reverse("events:feed") + "?" + query)

    assert set(vevents(by_path)) == wanted
    assert set(vevents(by_query)) == wanted


def test_path_and_query_filters_combine(client, hubs, spread):
    url = reverse("events:feed_country", args=["PT"])

    _r, match = get_calendar(client, url + "?audience=researchers")
    _r, none = get_calendar(client, url + "?audience=citizens")

    assert set(vevents(match)) == {uid(spread["pt"])}
    assert vevents(none) == {}


def test_feed_names_the_filter(client, hubs, spread):
    _r, cal = get_calendar(client, reverse("events:feed_country", args=["PT"]))

    assert str(cal["X-WR-CALNAME"]) == "Cancer Mission Hubs events: Portugal"
    assert str(cal["X-WR-TIMEZONE"]) == "Europe/Brussels"


@pytest.mark.parametrize(
    "url",
    [
        "/events/feeds/country/XX.ics",
        "/events/feeds/hub/999999.ics",
        "/events/feeds/type/party.ics",
        "/events/feeds/audience/aliens.ics",
        "/events/feeds/language/zz.ics",
        "/events/feed.ics?country=XX",
        "/events/feed.ics?type=party",
        "/events/feed.ics?audience=aliens",
        "/events/feed.ics?hub=abc",
        "/events/feed.ics?hub=999999",
        "/events/feed.ics?language=zz",
        "/events/feed.ics?region=NO-99",
        "/events/feeds/country/PT.ics?type=party",
        "/events/999999/event.ics",
    ],
)
def test_unknown_filter_values_are_not_found(client, hubs, url):
    assert client.get(url).status_code == 404


def test_matching_etag_answers_not_modified(client, hubs):
    event = make_event(hubs["norway"])
    url = reverse("events:feed")
    first = client.get(url)

    again = client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])

    assert again.status_code == 304
    assert again.content == b""
    assert again["ETag"] == first["ETag"]

    services.add_session(actor=None, event=event, title="Q&A", start=event.start, end=event.end)
    changed = client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
    assert changed.status_code == 200
    assert changed["ETag"] != first["ETag"]
    assert b"Q&A" in changed.content


def test_not_modified_skips_building_the_calendar(client, hubs):
    make_event(hubs["norway"])
    url = reverse("events:feed")
    etag = client.get(url)["ETag"]

    cache.clear()
    with CaptureQueriesContext(connection) as full:
        client.get(url)
    with CaptureQueriesContext(connection) as conditional:
        assert client.get(url, HTTP_IF_NONE_MATCH=etag).status_code == 304

    assert len(conditional) < len(full)


def test_rendered_feed_is_cached_until_an_event_changes(client, hubs):
    event = make_event(hubs["norway"])
    url = reverse("events:feed")
    cache.clear()
    with CaptureQueriesContext(connection) as built:
        first = client.get(url).content
    with CaptureQueriesContext(connection) as cached:
        again = client.get(url).content
    assert again == first and len(cached) < len(built)
    services.update_event(actor=None, event=event, title="Renamed dialogue")
    changed = client.get(url).content.decode().replace("\r\n ", "")
    assert "Renamed dialogue" in changed


def test_query_count_does_not_grow_with_events(client, hubs):
    def count(url):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    def add(first, last):
        for i in range(first, last):
            event = make_event(
                hubs["norway"] if i % 2 else hubs["vestland"],
                days=3 + i,
                region="NO-46",
            )
            services.add_session(
                actor=None, event=event, title=f"Talk {i}", start=event.start, end=event.end
            )

    urls = [reverse("events:feed"), reverse("events:feed_hub", args=[hubs["norway"].pk])]
    add(0, 3)
    small = [count(url) for url in urls]
    add(3, 30)
    large = [count(url) for url in urls]

    assert small == large
    _r, cal = get_calendar(client, urls[0])
    assert len(vevents(cal)) == 30
    assert all("Talk" in str(e["DESCRIPTION"]) for e in cal.walk("VEVENT"))


def test_feeds_description_lists_every_feed():
    for pattern in feeds.urlpatterns:
        route = re.escape("/events/" + str(pattern.pattern))
        route = re.sub(r"<[^>]+>", r"\\{[a-z_]+\\}", route)
        assert re.search(route + "`", feeds.FEEDS_DESCRIPTION), route
    for name in ("country", "hub", "type", "audience", "language"):
        assert f"`{name}`" in feeds.FEEDS_DESCRIPTION
