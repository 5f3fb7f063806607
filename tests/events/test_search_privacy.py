"""Text search never matches what the searcher may not see: a venue shown to registered
participants only cannot be guessed word by word through the calendar, its feed or the API."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

HIDDEN = "Kongsberg Tinghus"


@pytest.fixture
def hidden_venue(make_event):
    return make_event(
        title="Closed workshop", venue=HIDDEN, address="Gate 7", link_visibility="registrants"
    )


def _api_ids(client, q):
    return [e["id"] for e in client.get("/api/v1/events", {"q": q}).json()["items"]]


def test_search_does_not_match_a_hidden_venue(client, hidden_venue):
    assert _api_ids(client, "Tinghus") == []
    assert (
        "Closed workshop"
        not in client.get(reverse("events:calendar"), {"q": "Tinghus"}).content.decode()
    )
    assert b"Closed workshop" not in client.get(reverse("events:feed"), {"q": "Tinghus"}).content
    # The title stays searchable by everyone.
    assert _api_ids(client, "workshop") == [hidden_venue.pk]


def test_search_matches_a_public_venue(client, make_event):
    event = make_event(title="Open day", venue="Deichman Bjørvika", link_visibility="public")
    assert _api_ids(client, "Bjørvika") == [event.pk]
    page = client.get(reverse("events:calendar"), {"q": "Bjørvika"}).content.decode()
    assert "Open day" in page


def test_organisers_find_the_hidden_venue(login, token_client, personas, hidden_venue):
    assert _api_ids(token_client(personas["coord_no"]), "Tinghus") == [hidden_venue.pk]
    assert _api_ids(token_client(personas["network"]), "Tinghus") == [hidden_venue.pk]
    assert _api_ids(token_client(personas["coord_pt"]), "Tinghus") == []
    page = login(personas["editor_no"]).get(reverse("events:calendar"), {"q": "Tinghus"})
    assert "Closed workshop" in page.content.decode()
    page = login(personas["member_no"]).get(reverse("events:calendar"), {"q": "Tinghus"})
    assert "Closed workshop" not in page.content.decode()


def test_co_organisers_find_the_hidden_venue(token_client, personas, hidden_venue, hubs):
    hidden_venue.co_organisers.add(hubs["portugal"])
    assert _api_ids(token_client(personas["coord_pt"]), "Tinghus") == [hidden_venue.pk]
