"""Events API: public reads, writes per permissions, registrations for organisers only."""

import pytest

from echos.events.models import Event

pytestmark = pytest.mark.django_db


def payload(hub, **extra):
    data = {
        "hub": hub.pk,
        "title": "Webinar on survivorship",
        "description": "Life after cancer.",
        "type": "webinar",
        "format": "online",
        "online_url": "https://meet.example.invalid/abc",
        "start": "2027-03-27T18:00",
        "end": "2027-03-27T19:30",
        "time_zone": "Europe/Lisbon",
        "languages": ["pt"],
        "audiences": ["patients_carers"],
        "objectives": ["quality_of_life"],
        "capacity": 100,
        "status": "published",
    }
    data.update(extra)
    return data


def test_create_read_change_and_list(token_client, personas, hubs, client):
    api = token_client(personas["coord_pt"])
    response = api.post(
        "/api/v1/events", payload(hubs["portugal"]), content_type="application/json"
    )
    assert response.status_code == 201, response.json()
    created = response.json()
    assert created["local_start"].startswith("2027-03-27T18:00") and created["start"].startswith(
        "2027-03-27T18:00"
    )
    listed = client.get("/api/v1/events", {"country": "PT", "audience": "patients_carers"}).json()
    assert listed["count"] == 1 and listed["items"][0]["id"] == created["id"]
    response = api.patch(
        f"/api/v1/events/{created['id']}",
        {"start": "2027-03-28T18:00", "end": "2027-03-28T19:30"},
        content_type="application/json",
    )
    # 28 March 2027 is after the switch to summer time: 18:00 WEST is 17:00 UTC.
    assert response.json()["start"].startswith("2027-03-28T17:00")
    assert response.json()["sequence"] == created["sequence"] + 1
    detail = client.get(f"/api/v1/events/{created['id']}").json()
    assert detail["places_left"] == 100 and detail["online_url"] and detail["questions"] is None
    response = api.patch(
        f"/api/v1/events/{created['id']}",
        {"questions": "event-registration"},
        content_type="application/json",
    )
    assert response.status_code == 200
    assert client.get(f"/api/v1/events/{created['id']}").json()["questions"] == "event-registration"
    response = api.patch(
        f"/api/v1/events/{created['id']}",
        {"questions": "no-such-form"},
        content_type="application/json",
    )
    assert response.status_code == 400 and response.json()["errors"][0]["field"] == "questions"


def test_write_permissions(token_client, personas, hubs):
    for persona in ("coord_no", "member_no", "editor_no"):
        response = token_client(personas[persona]).post(
            "/api/v1/events", payload(hubs["portugal"]), content_type="application/json"
        )
        assert response.status_code == 403, persona
    assert (
        token_client(None)
        .post("/api/v1/events", payload(hubs["portugal"]), content_type="application/json")
        .status_code
        == 401
    )
    assert not Event.objects.exists()


@pytest.mark.parametrize(
    "extra, field",
    [
        ({"end": "2027-03-27T17:00"}, "end"),
        ({"time_zone": "Europe/Atlantis"}, "time_zone"),
        ({"languages": ["zz"]}, "languages"),
        ({"type": "party"}, "type"),
        ({"audiences": ["aliens"]}, "audiences"),
        ({"start": "next tuesday"}, "start"),
        ({"region": "NO-03"}, "region"),
        ({"title": "x" * 201}, "title"),
    ],
)
def test_bad_input_names_the_field(token_client, personas, hubs, extra, field):
    response = token_client(personas["network"]).post(
        "/api/v1/events", payload(hubs["portugal"], **extra), content_type="application/json"
    )
    assert response.status_code in (400, 422), response.json()
    assert field in {e["field"] for e in response.json()["errors"]}
    assert not Event.objects.exists()


def test_registrations_only_for_organisers(token_client, personas, make_event, register_many):
    event = make_event()
    register_many(event, 2)
    url = f"/api/v1/events/{event.pk}/registrations"
    assert token_client(personas["coord_no"]).get(url).json()["count"] == 2
    assert token_client(personas["coord_pt"]).get(url).status_code == 403
    assert token_client(None).get(url).status_code == 401
    reg = event.registrations.first()
    response = token_client(personas["editor_no"]).post(
        f"/api/v1/registrations/{reg.pk}", {"action": "check_in"}, content_type="application/json"
    )
    assert response.status_code == 200 and response.json()["status"] == "attended"
    response = token_client(personas["coord_pt"]).post(
        f"/api/v1/registrations/{reg.pk}", {"action": "cancel"}, content_type="application/json"
    )
    assert response.status_code == 403


def test_drafts_and_private_venues_in_the_api(client, make_event):
    draft = make_event(status="draft")
    private = make_event(link_visibility="registrants", venue="Hidden hall")
    assert client.get(f"/api/v1/events/{draft.pk}").status_code == 404
    ids = [e["id"] for e in client.get("/api/v1/events").json()["items"]]
    assert draft.pk not in ids and private.pk in ids
    assert client.get(f"/api/v1/events/{private.pk}").json()["venue"] is None


def test_status_and_delete(token_client, personas, make_event):
    api = token_client(personas["coord_no"])
    event = make_event()
    assert api.delete(f"/api/v1/events/{event.pk}").status_code == 409
    response = api.post(
        f"/api/v1/events/{event.pk}/status",
        {"status": "cancelled"},
        content_type="application/json",
    )
    assert response.status_code == 400 and response.json()["errors"][0]["field"] == "reason"
    response = api.post(
        f"/api/v1/events/{event.pk}/status",
        {"status": "cancelled", "reason": "Storm"},
        content_type="application/json",
    )
    assert response.json()["status"] == "cancelled"
    draft = make_event(status="draft")
    assert api.delete(f"/api/v1/events/{draft.pk}").status_code == 204
