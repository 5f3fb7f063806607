"""Each event is in its own country's time zone, named by its city in the reader's language:
"Rome time" in English, "Rom" in German — never the site's "(Europe/Brussels)" for everyone."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from echos.core.models import Country
from echos.events import services
from echos.events.models import COUNTRY_TIMEZONES, country_timezone, valid_timezone

pytestmark = pytest.mark.django_db

NBSP = ("\u2009", "\u202f", "\xa0")


def _plain(text: str) -> str:
    for space in NBSP:
        text = text.replace(space, " ")
    return text


def _event(hubs, **fields):
    data = {
        "title": "Citizen dialogue on screening",
        "description": "An open conversation about cancer screening.",
        "type": "citizen_dialogue",
        "format": "in_person",
        "languages": ["en"],
        "audiences": ["citizens"],
        "objectives": ["prevention"],
        "start": datetime(2030, 6, 7, 18, 0),  # a Friday
        "end": datetime(2030, 6, 7, 20, 0),
        "venue": "Community centre",
        "status": "published",
    }
    data.update(fields)
    return services.create_event(actor=None, hub=hubs["norway"], **data)


def test_every_country_of_the_platform_has_a_zone_of_its_own(hubs):
    codes = set(Country.objects.values_list("code", flat=True))
    assert codes and codes <= set(COUNTRY_TIMEZONES)
    assert all(valid_timezone(zone) for zone in COUNTRY_TIMEZONES.values())
    assert country_timezone("IT") == "Europe/Rome"
    assert country_timezone("de") == "Europe/Berlin"
    assert country_timezone("NO") == "Europe/Oslo"
    assert country_timezone("PT") == "Europe/Lisbon"
    assert country_timezone("ZZ") == "Europe/Brussels"


@pytest.mark.parametrize(
    ("country", "zone"),
    [
        ("IT", "Europe/Rome"),
        ("DE", "Europe/Berlin"),
        ("PT", "Europe/Lisbon"),
        (None, "Europe/Oslo"),
    ],
)
def test_an_event_without_a_zone_takes_its_countrys(hubs, country, zone):
    event = _event(hubs, country=country) if country else _event(hubs)
    assert event.time_zone == zone
    # The local times given are read in that zone: 18:00 there, whatever the site's zone.
    assert event.start.astimezone(ZoneInfo(zone)).hour == 18


def test_a_zone_given_is_kept(hubs):
    assert _event(hubs, country="PT", time_zone="Atlantic/Azores").time_zone == "Atlantic/Azores"


def test_italian_event_names_rome_in_english_and_rom_in_german(client, hubs):
    event = _event(hubs, country="IT")
    english = _plain(
        client.get(event.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    )
    assert "Friday 7 June 2030, 18:00" in english and "20:00" in english
    assert "(Rome time)" in english
    assert "Europe/Brussels" not in english and "(Europe/Rome)" not in english
    german = _plain(
        client.get(event.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="de").content.decode()
    )
    assert "Freitag, 7. Juni 2030, 18:00" in german
    assert "Rom" in german and "Rome time" not in german
    polish = _plain(
        client.get(event.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="pl").content.decode()
    )
    assert "piątek, 7 czerwca 2030, 18:00" in polish and "Rzym" in polish


def test_calendar_list_names_each_events_own_city(client, hubs):
    _event(hubs, country="IT", title="Rome screening dialogue")
    _event(hubs, country="DE", title="Berlin screening dialogue")
    _event(hubs, title="Oslo screening dialogue")
    page = _plain(
        client.get("/events/", {"q": "screening"}, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    )
    for city in ("Rome", "Berlin", "Oslo"):
        assert f"({city} time)" in page
    assert "Europe/Brussels" not in page and "Brussels time" not in page
    assert page.count("Friday 7 June 2030, 18:00") == 3


def test_api_event_without_a_zone_is_in_its_countrys(token_client, personas, hubs):
    response = token_client(personas["coord_pt"]).post(
        "/api/v1/events",
        {
            "hub": hubs["portugal"].pk,
            "title": "Webinar on survivorship",
            "description": "Life after cancer.",
            "type": "webinar",
            "format": "online",
            "online_url": "https://meet.example.invalid/abc",
            "start": "2030-06-07T18:00",
            "end": "2030-06-07T19:30",
            "languages": ["pt"],
            "status": "published",
        },
        content_type="application/json",
    )
    assert response.status_code == 201, response.json()
    assert response.json()["time_zone"] == "Europe/Lisbon"
    assert response.json()["local_start"].startswith("2030-06-07T18:00")


def test_the_event_form_offers_every_countrys_zone():
    from echos.events.forms import COMMON_TIMEZONES

    assert set(COUNTRY_TIMEZONES.values()) <= set(COMMON_TIMEZONES)
    assert {"America/Toronto", "Pacific/Auckland", "Africa/Tunis"} <= set(COMMON_TIMEZONES)


def test_events_left_in_brussels_move_to_their_countrys_zone_when_nothing_reads_differently(hubs):
    from echos.events.models import Event
    from echos.events.zones import move_to_country_zones

    italian = _event(hubs, country="IT", time_zone="Europe/Brussels")
    belgian = _event(hubs, country="BE", time_zone="Europe/Brussels")
    chosen = _event(hubs, country="PT", time_zone="Europe/Brussels")  # Lisbon is an hour behind
    canadian = _event(hubs, time_zone="Europe/Brussels")
    Event.objects.filter(pk=canadian.pk).update(country_id="CA")  # Toronto: hours behind
    before = {e.pk: (e.start, e.end) for e in Event.objects.all()}
    assert move_to_country_zones(Event.objects.all()) == 1
    zones = dict(Event.objects.values_list("pk", "time_zone"))
    assert zones[italian.pk] == "Europe/Rome"
    assert zones[belgian.pk] == zones[chosen.pk] == zones[canadian.pk] == "Europe/Brussels"
    assert {e.pk: (e.start, e.end) for e in Event.objects.all()} == before
    assert Event.objects.get(pk=italian.pk).local_start.hour == 18
