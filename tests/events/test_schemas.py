"""The events API's response schemas give the same JSON as the dicts the API built, and its choices
are checked by the one ``one_of`` helper (422 naming the field)."""

import pytest

from echos.core.api import page_of
from echos.events import api, services
from echos.events.schemas import EventDetailOut, EventOut, RegistrationOut, SessionCreatedOut

pytestmark = pytest.mark.django_db


def same_json(schema, data: dict) -> bool:
    """The schema renders ``data`` key for key and value for value."""
    return schema.model_validate(data).model_dump(mode="json") == data


def test_the_schemas_render_the_dicts_unchanged(make_event, register_many, personas):
    public = make_event(capacity=2)
    private = make_event(link_visibility="registrants", region="NO-03")
    services.add_session(
        actor=personas["network"],
        event=public,
        title="Welcome",
        start=public.local_start.strftime("%Y-%m-%dT%H:%M"),
        end=(public.local_start.replace(minute=30)).strftime("%Y-%m-%dT%H:%M"),
        room="Hall A",
    )
    for event, details in ((public, True), (private, False)):  # capacity or not, venue hidden
        out = api.event_out(event, details=details)
        assert same_json(EventOut, out)
        detail = api.event_detail_out(event, details=details)
        assert same_json(EventDetailOut, detail)
    assert api.event_detail_out(public, details=True)["sessions"][0]["room"] == "Hall A"
    assert api.event_detail_out(private, details=False)["venue"] is None
    assert same_json(SessionCreatedOut, {"id": 1, "title": "Welcome", "start": "2027-01-01"})
    first, second, third = register_many(public, 3)  # the third is waitlisted
    services.check_in(actor=personas["network"], registration=first)
    services.cancel_registration(second, actor=personas["network"], reason="Ill")
    third.refresh_from_db()
    first.refresh_from_db()
    outs = [api.registration_out(r) for r in (first, second, third)]
    assert outs[0]["checked_in_at"] and all(same_json(RegistrationOut, o) for o in outs)
    assert same_json(page_of(RegistrationOut), {"count": 3, "items": outs})
    page = {"count": 1, "items": [api.event_out(public, details=True)]}
    assert same_json(page_of(EventOut), page)


@pytest.mark.parametrize(
    ("url", "payload", "field"),
    [
        ("/api/v1/events/{event}/status", {"status": "exploded"}, "status"),
        ("/api/v1/events/{event}", {"format": "telepathy"}, "format"),
        ("/api/v1/events/{event}", {"link_visibility": "friends"}, "link_visibility"),
        ("/api/v1/registrations/{registration}", {"action": "dance"}, "action"),
    ],
)
def test_a_bad_choice_is_refused_naming_the_field(
    make_event, register_many, personas, token_client, url, payload, field
):
    event = make_event()
    (registration,) = register_many(event, 1)
    client = token_client(personas["network"])
    url = url.format(event=event.pk, registration=registration.pk)
    send = client.patch if url.endswith(f"/events/{event.pk}") else client.post
    response = send(url, payload, content_type="application/json")
    assert response.status_code == 422, response.content
    assert [e["field"] for e in response.json()["errors"]] == [field]


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("when=soon", "when"),
        ("type=party", "type"),
        ("format=x", "format"),
        ("audience=x", "audience"),
    ],
)
def test_a_bad_calendar_filter_choice_is_refused_naming_the_field(client, query, field):
    response = client.get(f"/api/v1/events?{query}")
    assert response.status_code == 422 and response.json()["errors"][0]["field"] == field


def test_a_bad_registration_status_is_refused_and_an_empty_one_ignored(
    make_event, register_many, personas, token_client
):
    event = make_event()
    register_many(event, 2)
    client = token_client(personas["coord_no"])
    url = f"/api/v1/events/{event.pk}/registrations"
    response = client.get(f"{url}?status=lost")
    assert response.status_code == 422 and response.json()["errors"][0]["field"] == "status"
    assert client.get(f"{url}?status=").json()["count"] == 2
    assert client.get(f"{url}?status=registered").json()["count"] == 2
    assert client.get("/api/v1/events?type=&format=&audience=&when=all").json()["count"] == 1
