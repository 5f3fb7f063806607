"""Checking people in with htmx: a refused check-in says why inside its row, and the status summary
follows every check-in (an out-of-band swap), without a page reload."""

import re

import pytest
from django.urls import reverse

from echos.events import services
from echos.events.models import Registration

pytestmark = pytest.mark.django_db


@pytest.fixture
def door(login, personas, make_event, register_many):
    event = make_event()
    people = register_many(event, 3)
    services.check_in(actor=personas["coord_no"], registration=people[0])
    return {"event": event, "people": people, "client": login(personas["coord_no"])}


def act(client, event, registration, action: str, htmx: bool = True):
    url = reverse("events:participant_action", args=[event.pk, registration.pk])
    extra = {"HTTP_HX_REQUEST": "true"} if htmx else {}
    return client.post(url, {"action": action}, **extra)


def summary(body: str) -> dict[str, int]:
    """The status summary swapped out of band: {status code: number}."""
    block = re.search(r'<ul id="checkin-counts"[^>]*hx-swap-oob="true"[^>]*>(.*?)</ul>', body, re.S)
    assert block, body
    return {
        code: int(n)
        for code, n in re.findall(r'class="count-(\w+)">[^<]*<strong>(\d+)</strong>', block[1])
    }


def test_a_check_in_returns_the_row_and_the_summary_out_of_band(door):
    response = act(door["client"], door["event"], door["people"][1], "check_in")
    assert response.status_code == 200
    body = response.content.decode()
    assert body.lstrip().startswith(f'<li id="r-{door["people"][1].pk}"')
    assert "Undo check-in" in body and 'role="alert"' not in body
    assert summary(body) == {"registered": 1, "attended": 2}
    undone = act(door["client"], door["event"], door["people"][1], "undo").content.decode()
    assert summary(undone) == {"registered": 2, "attended": 1}


def test_a_refused_check_in_keeps_the_row_and_says_why_in_it(door, personas):
    cancelled = services.cancel_registration(
        door["people"][2], actor=personas["coord_no"], reason=""
    )
    response = act(door["client"], door["event"], cancelled, "check_in")
    assert response.status_code == 422
    body = response.content.decode()
    # The whole row comes back (htmx swaps 422 in place of it), with the reason announced.
    assert body.lstrip().startswith(f'<li id="r-{cancelled.pk}" class="participant">')
    assert "participant-name" in body and cancelled.name in body
    alert = re.search(r'<p class="participant-error" role="alert">(.*?)</p>', body)
    assert alert and "Only registered participants can be checked in" in alert[1]
    assert summary(body)["cancelled"] == 1
    cancelled.refresh_from_db()
    assert cancelled.status == Registration.Status.CANCELLED


def test_an_unknown_action_is_named_in_the_row(door):
    response = act(door["client"], door["event"], door["people"][1], "teleport")
    assert response.status_code == 422
    assert 'role="alert">Unknown action.</p>' in response.content.decode()
    assert Registration.objects.get(pk=door["people"][1].pk).status == "registered"


def test_without_javascript_a_refusal_is_a_message_on_the_list(door, personas):
    cancelled = services.cancel_registration(
        door["people"][2], actor=personas["coord_no"], reason=""
    )
    response = act(door["client"], door["event"], cancelled, "check_in", htmx=False)
    assert response.status_code == 302
    page = door["client"].get(response["Location"]).content.decode()
    assert "Only registered participants can be checked in" in page
    assert 'id="checkin-counts"' in page and "hx-swap-oob" not in page


@pytest.mark.parametrize(
    "persona, expected", [("member_no", 403), ("coord_pt", 403), ("anonymous", 302)]
)
def test_only_organisers_check_people_in(door, login, personas, persona, expected):
    response = act(login(personas[persona]), door["event"], door["people"][1], "check_in")
    assert response.status_code == expected
    assert b"checkin-counts" not in response.content
    assert Registration.objects.get(pk=door["people"][1].pk).status == "registered"
