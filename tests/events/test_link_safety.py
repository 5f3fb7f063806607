"""Privacy and link safety of events: no e-mail enumeration through registration, http(s) online
links only, personal links that expire."""

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse

from echos.core.exceptions import RuleViolation
from echos.events import services
from echos.events.models import Event, Registration

pytestmark = pytest.mark.django_db

S = Registration.Status
ANA = "ana@example.invalid"


def _register(client, event, email, name="Someone"):
    return client.post(
        reverse("events:register", args=[event.pk]),
        {"name": name, "email": email, "consent": "on"},
        follow=True,
    )


def _page(response, email: str) -> str:
    """The page without what differs between any two visits (CSRF tokens, the typed address)."""
    text = response.content.decode().replace(email, "EMAIL")
    return re.sub(r'(csrfmiddlewaretoken" value="|X-CSRFToken": ")[^"]+', "", text)


def _link_registration(body: str) -> Registration:
    """The registration the personal link in an e-mail opens."""
    token = re.search(r"/events/registration/([^/\s]+)/", body).group(1)
    return services.registration_from_token(token)


# --- A: registering an address does not tell whether it was registered -------------------------


def test_known_and_unknown_addresses_get_the_same_page(
    login, make_event, register_many, django_capture_on_commit_callbacks
):
    event = make_event(capacity=1)
    with django_capture_on_commit_callbacks(execute=True):
        (ana,) = register_many(event, 1, prefix="ana")  # confirmed, holds the only place
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        known = _register(login(None), event, ana.email, "Eve")
    with django_capture_on_commit_callbacks(execute=True):
        fresh = _register(login(None), event, "bo@example.invalid", "Bo")
    assert known.status_code == fresh.status_code == 200
    assert known.redirect_chain == fresh.redirect_chain
    assert _page(known, ana.email) == _page(fresh, "bo@example.invalid")
    assert "waitlist" in _page(fresh, "bo@example.invalid")  # the event was full: said to both
    # The capacity rules are untouched: Ana keeps her place, Bo waits, Eve's name was not stored.
    ana.refresh_from_db()
    assert (ana.status, ana.name) == (S.REGISTERED, "ana 0")
    assert Registration.objects.get(email="bo@example.invalid").status == S.WAITLISTED
    assert event.registrations.count() == 2
    # Each address learns its own news by e-mail.
    by_address = {m.to[0]: m for m in mail.outbox}
    assert set(by_address) == {ana.email, "bo@example.invalid"}
    notice = by_address[ana.email]
    assert "already registered" in notice.subject and "nothing has changed" in notice.body
    assert _link_registration(notice.body).pk == ana.pk
    assert "waitlist" in by_address["bo@example.invalid"].subject


def test_somebody_elses_address_never_opens_its_personal_page(
    login, make_event, register_many, personas
):
    """Signed in, typing another person's (confirmed) address: no Conflict, no personal link."""
    event = make_event()
    (ana,) = register_many(event, 1, prefix="ana")
    user = personas["member_no"]
    user.email = "member@example.invalid"
    user.save()
    response = login(user).post(
        reverse("events:register", args=[event.pk]),
        {"name": "Member", "email": ana.email, "consent": "on"},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("events:registration_sent")
    assert event.registrations.count() == 1
    assert event.registrations.get().user is None


def test_already_registered_notice_is_sent_at_most_once_an_hour(
    make_event, register_many, django_capture_on_commit_callbacks
):
    event = make_event()
    (ana,) = register_many(event, 1, prefix="ana")
    mail.outbox.clear()
    for _ in range(3):
        with django_capture_on_commit_callbacks(execute=True):
            services.register(event=event, name="Eve", email=ana.email, consent=True)
    assert len(mail.outbox) == 1


# --- C: online links are http(s) only ----------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(document.cookie)",
        "JavaScript:alert(1)//https://x.example",
        "data:text/html,<script>alert(1)</script>",
        "ftp://files.example.invalid/slides",
        "https://" + "a" * 200 + ".example",
    ],
)
def test_online_link_must_be_a_web_address(token_client, personas, hubs, make_event, url):
    from tests.events.test_api import payload

    api = token_client(personas["coord_pt"])
    response = api.post(
        "/api/v1/events",
        payload(hubs["portugal"], online_url=url),
        content_type="application/json",
    )
    assert response.status_code == 400, response.content
    assert response.json()["errors"][0]["field"] == "online_url"
    assert not Event.objects.filter(hub=hubs["portugal"]).exists()
    event = make_event(format="online", online_url="https://meet.example.invalid/a")
    response = token_client(personas["coord_no"]).patch(
        f"/api/v1/events/{event.pk}", {"online_url": url}, content_type="application/json"
    )
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "online_url"
    event.refresh_from_db()
    assert event.online_url == "https://meet.example.invalid/a"
    with pytest.raises(RuleViolation) as exc:
        services.clean_event_fields({"online_url": url, "time_zone": "Europe/Oslo"})
    assert exc.value.field == "online_url"


def test_event_form_refuses_a_link_that_is_not_http(login, personas, hubs):
    data = {
        "title": "Webinar",
        "description": "x",
        "type": "webinar",
        "format": "online",
        "online_url": "ftp://files.example.invalid/slides",
        "start": "2027-05-18T09:00",
        "end": "2027-05-18T12:00",
        "time_zone": "Europe/Oslo",
        "link_visibility": "public",
        "languages": "en",
        "offer_hours": "48",
        "hub": hubs["norway"].pk,
    }
    response = login(personas["coord_no"]).post(reverse("events:event_create"), data)
    assert response.status_code == 422
    assert b'id="id_online_url_error"' in response.content
    assert not Event.objects.filter(title="Webinar").exists()


def test_a_stored_script_link_is_never_rendered_as_a_link(client, make_event, register_many):
    event = make_event(format="online", online_url="https://meet.example.invalid/a")
    Event.objects.filter(pk=event.pk).update(online_url="javascript:alert(1)")
    (r,) = register_many(event, 1)
    for path in (event.get_absolute_url(), f"/events/registration/{services.personal_token(r)}/"):
        page = client.get(path).content.decode()
        assert "javascript:" not in page


# --- D: personal links expire ------------------------------------------------------------------


def test_personal_link_works_until_the_event_ends_plus_the_retention_period(
    make_event, register_many, settings
):
    settings.ECHOS_RETENTION_REGISTRATION_DAYS = 30
    event = make_event()
    (r,) = register_many(event, 1)
    token = services.personal_token(r)
    assert services.link_expires_at(event) == event.end + timedelta(days=30)
    on_time = event.end + timedelta(days=29)
    assert services.registration_from_token(token, now=on_time).pk == r.pk
    with pytest.raises(services.LinkExpired) as exc:
        services.registration_from_token(token, now=event.end + timedelta(days=31))
    assert exc.value.field == "token" and exc.value.event.pk == event.pk
    # Retention switched off (0): links still expire, after the rule's default period.
    settings.ECHOS_RETENTION_REGISTRATION_DAYS = 0
    assert services.link_expires_at(event) == event.end + timedelta(days=365)


def test_expired_link_page_says_so_and_names_the_organiser(
    client, make_event, register_many, settings
):
    settings.ECHOS_RETENTION_REGISTRATION_DAYS = 30
    event = make_event()
    (r,) = register_many(event, 1)
    path = reverse("events:registration", args=[services.personal_token(r)])
    assert client.get(path).status_code == 200
    Event.objects.filter(pk=event.pk).update(
        start=event.start - timedelta(days=60), end=event.end - timedelta(days=60)
    )
    response = client.get(path)
    assert response.status_code == 410
    page = response.content.decode()
    assert "This link has expired" in page and "contact the organiser" in page
    assert event.hub.get_absolute_url() in page and str(event.hub) in page
    assert r.email not in page and r.name not in page
    # Acting with it is refused the same way; nothing changes.
    response = client.post(path, {"action": "cancel"})
    assert response.status_code == 410
    r.refresh_from_db()
    assert r.status == S.REGISTERED
