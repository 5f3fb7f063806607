"""Organisers message an event's registrants: placeholders checked, preview, one e-mail each through
the background task, logged, rate-limited, sent once per form; pages, API and privacy."""

import uuid

import pytest
from django.core.exceptions import PermissionDenied
from django.db import transaction

from echos.core import dates
from echos.core.exceptions import RuleViolation
from echos.core.models import ActionLog
from echos.events import services
from echos.events.models import EventMessage, Registration
from echos.events.services import messaging
from echos.site import privacy

pytestmark = pytest.mark.django_db

BODY = "Dear {name}, the room of {event} has changed. Details: {registration_url}"


@pytest.fixture
def event(make_event, register_many):
    event = make_event(capacity=2)
    register_many(event, 3)  # two registered, one waitlisted
    return event


def send(event, actor, *, statuses=("registered",), body=BODY, token=None):
    return messaging.send_message(
        actor=actor,
        event=event,
        subject="News about {event}",
        body=body,
        statuses=statuses,
        token=token or uuid.uuid4(),
    )


# --- rules ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("field", "text", "shown"),
    [
        ("body", "Hello {nom}", "{nom}"),
        ("subject", "About {event.__class__}", "{event.__class__}"),
        ("body", "Hello {name!r}", "{name!r}"),
        ("body", "Hello {name:>99}", "{name:>99}"),
    ],
)
def test_unknown_placeholder_is_refused_naming_the_field(event, field, text, shown):
    values = {"subject": "News", "body": "Hello", "statuses": ["registered"], field: text}
    with pytest.raises(RuleViolation) as exc:
        messaging.validate_message(**values)
    assert exc.value.field == field and shown in exc.value.message


def test_unmatched_brace_is_refused_and_doubled_braces_are_literal(event):
    with pytest.raises(RuleViolation) as exc:
        messaging.validate_message(subject="News", body="Hello {name", statuses=["registered"])
    assert exc.value.field == "body"
    _n, (_subject, text) = messaging.preview(
        event=event, subject="News", body="Braces {{like this}} for {name}", statuses=["registered"]
    )
    assert "Braces {like this} for person 0" in text


@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({"subject": ""}, "subject"),
        ({"subject": "x" * 151}, "subject"),
        ({"body": "  "}, "body"),
        ({"body": "x" * 5001}, "body"),
        ({"statuses": []}, "statuses"),
        ({"statuses": ["everyone"]}, "statuses"),
    ],
)
def test_bad_message_names_the_field(values, field):
    data = {"subject": "News", "body": "Hello", "statuses": ["registered"], **values}
    with pytest.raises(RuleViolation) as exc:
        messaging.validate_message(**data)
    assert exc.value.field == field


def test_preview_counts_recipients_and_renders_for_the_first(event):
    count, (subject, text) = messaging.preview(
        event=event, subject="News about {event}", body=BODY, statuses=["registered"]
    )
    assert count == 2
    assert subject == f"News about {event.title}"
    assert "Dear person 0," in text and "/events/registration/" in text
    assert "because you registered" in text  # why you get this
    both = messaging.preview(event=event, subject="N", body="B", statuses=["waitlisted"])
    assert both[0] == 1


def test_sending_queues_one_email_per_recipient_in_their_language(
    event, personas, mailoutbox, django_capture_on_commit_callbacks
):
    Registration.objects.filter(email="person1@example.invalid").update(language="nb")
    with django_capture_on_commit_callbacks(execute=True):
        message, created = send(event, personas["coord_no"])
    assert created and message.recipient_count == 2
    assert sorted(m.to[0] for m in mailoutbox) == [
        "person0@example.invalid",
        "person1@example.invalid",
    ]
    assert all(len(m.to) == 1 and not m.cc and not m.bcc for m in mailoutbox)
    by_address = {m.to[0]: m for m in mailoutbox}
    assert "Dear person 0," in by_address["person0@example.invalid"].body
    assert "person1@" not in by_address["person0@example.invalid"].body
    assert by_address["person0@example.invalid"].body != by_address["person1@example.invalid"].body
    assert message.sender == personas["coord_no"] and message.status_codes == ["registered"]
    entry = ActionLog.objects.get(action="events.message.sent")
    assert entry.data["recipients"] == 2 and "person0@example.invalid" not in str(entry.data)


def test_start_placeholder_in_the_registrants_language(event):
    registration = event.registrations.first()
    registration.language = "nb"
    _subject, text = messaging.render_message(
        subject="S", body="Starts {start}", registration=registration
    )
    in_norwegian = dates.long_datetime(event.start, lang="nb", tz=event.time_zone)
    assert f"Starts {in_norwegian} (" in text
    assert in_norwegian != dates.long_datetime(event.start, lang="en", tz=event.time_zone)


def test_a_rollback_sends_nothing(event, personas, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        with pytest.raises(RuntimeError), transaction.atomic():
            send(event, personas["coord_no"])
            raise RuntimeError("the caller's transaction fails after the message")
    assert mailoutbox == [] and not EventMessage.objects.exists()


def test_the_same_token_sends_once(event, personas, mailoutbox, django_capture_on_commit_callbacks):
    token = uuid.uuid4()
    with django_capture_on_commit_callbacks(execute=True):
        first, created = send(event, personas["coord_no"], token=token)
        again, created_again = send(event, personas["coord_no"], token=token)
    assert created and not created_again and first.pk == again.pk
    assert len(mailoutbox) == 2 and EventMessage.objects.count() == 1


def test_a_token_of_another_event_is_refused(event, make_event, personas):
    token = uuid.uuid4()
    send(event, personas["coord_no"], token=token)
    other = make_event(days=20)
    services.register(event=other, name="Kari", email="kari@example.invalid", consent=True)
    with pytest.raises(RuleViolation) as exc:
        send(other, personas["coord_no"], token=token)
    assert exc.value.field == "token"


def test_daily_limit(event, personas):
    for _ in range(messaging.MESSAGES_PER_DAY):
        send(event, personas["coord_no"])
    with pytest.raises(RuleViolation) as exc:
        send(event, personas["coord_no"])
    assert "At most 5 messages a day" in exc.value.message and exc.value.field is None
    assert EventMessage.objects.count() == messaging.MESSAGES_PER_DAY


def test_nobody_to_write_to_is_refused(event, personas):
    with pytest.raises(RuleViolation) as exc:
        send(event, personas["coord_no"], statuses=["attended"])
    assert exc.value.field == "statuses"


def test_one_email_per_address_and_never_to_erased_registrations(
    event, personas, mailoutbox, django_capture_on_commit_callbacks
):
    first = event.registrations.get(email="person0@example.invalid")
    services.cancel_registration(first, actor=None)
    services.register(
        event=event, name="Person again", email="PERSON0@example.invalid", consent=True
    )
    privacy.erase_subject(privacy.find_subject(email="person1@example.invalid"), apply=True)
    with django_capture_on_commit_callbacks(execute=True):
        message, _created = send(event, personas["coord_no"], statuses=["cancelled", "registered"])
    addresses = [m.to[0].lower() for m in mailoutbox]
    assert addresses.count("person0@example.invalid") == 1
    assert not any("erased" in a for a in addresses)
    assert message.recipient_count == len(addresses)


# --- who may send --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "allowed"),
    [
        ("network", True),
        ("coord_no", True),
        ("editor_no", True),
        ("coord_pt", False),
        ("member_no", False),
    ],
)
def test_who_may_send(event, personas, persona, allowed):
    if allowed:
        assert send(event, personas[persona])[1]
    else:
        with pytest.raises(PermissionDenied):
            send(event, personas[persona])
        assert not EventMessage.objects.exists()


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("network", 200),
        ("coord_no", 200),
        ("editor_no", 200),
        ("coord_pt", 403),
        ("member_no", 403),
    ],
)
def test_page_permission_matrix(event, personas, login, persona, status):
    response = login(personas[persona]).get(f"/events/{event.pk}/messages/")
    assert response.status_code == status


def test_anonymous_is_sent_to_sign_in(event, client):
    response = client.get(f"/events/{event.pk}/messages/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    response = client.post(f"/events/{event.pk}/messages/", {"subject": "x"})
    assert response.status_code == 302 and not EventMessage.objects.exists()


def test_page_preview_then_send_then_resubmit(
    event, personas, login, mailoutbox, django_capture_on_commit_callbacks
):
    browser = login(personas["coord_no"])
    page = browser.get(f"/events/{event.pk}/messages/")
    token = page.context["form"]["token"].value()
    assert "Registered (2)" in page.content.decode()
    form = {"subject": "News about {event}", "body": BODY, "statuses": ["registered"]}
    form["token"] = str(token)
    preview = browser.post(f"/events/{event.pk}/messages/", {**form, "action": "preview"})
    text = preview.content.decode()
    assert preview.status_code == 200 and "This message goes to 2 people." in text
    assert "Dear person 0," in text and "Send to 2 people" in text and not mailoutbox
    with django_capture_on_commit_callbacks(execute=True):
        sent = browser.post(f"/events/{event.pk}/messages/", {**form, "action": "send"})
        twice = browser.post(f"/events/{event.pk}/messages/", {**form, "action": "send"})
    assert sent.status_code == 302 and twice.status_code == 302
    assert len(mailoutbox) == 2 and EventMessage.objects.count() == 1
    history = browser.get(f"/events/{event.pk}/").content.decode()
    assert "Messages to registrants" in history and "News about {event}" in history


def test_page_names_the_field_of_an_unknown_placeholder(event, personas, login):
    response = login(personas["coord_no"]).post(
        f"/events/{event.pk}/messages/",
        {
            "subject": "News",
            "body": "Hello {firstname}",
            "statuses": ["registered"],
            "token": str(uuid.uuid4()),
            "action": "preview",
        },
    )
    assert response.status_code == 422
    assert response.context["form"].errors["body"][0].startswith("Unknown placeholder {firstname}")


def test_event_page_shows_the_history_to_organisers_only(event, personas, login):
    send(event, personas["coord_no"])
    subject = "News about {event}"
    assert subject not in login(personas["coord_pt"]).get(f"/events/{event.pk}/").content.decode()
    assert subject not in login(None).get(f"/events/{event.pk}/").content.decode()
    assert subject in login(personas["editor_no"]).get(f"/events/{event.pk}/").content.decode()


# --- API -----------------------------------------------------------------------------------------


def api_payload(**extra):
    data = {
        "subject": "News about {event}",
        "body": BODY,
        "statuses": ["registered"],
        "idempotency_key": str(uuid.uuid4()),
    }
    data.update(extra)
    return data


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("network", 201),
        ("coord_no", 201),
        ("editor_no", 201),
        ("coord_pt", 403),
        ("member_no", 403),
    ],
)
def test_api_send_permission_matrix(event, personas, token_client, persona, status):
    response = token_client(personas[persona]).post(
        f"/api/v1/events/{event.pk}/messages", api_payload(), content_type="application/json"
    )
    assert response.status_code == status
    assert EventMessage.objects.exists() == (status == 201)
    listed = token_client(personas[persona]).get(f"/api/v1/events/{event.pk}/messages")
    assert listed.status_code == (200 if status == 201 else 403)


def test_api_anonymous_is_refused(event, client):
    response = client.post(
        f"/api/v1/events/{event.pk}/messages", api_payload(), content_type="application/json"
    )
    assert response.status_code == 401 and not EventMessage.objects.exists()


def test_api_preview_send_again_and_errors(event, personas, token_client):
    api = token_client(personas["coord_no"])
    url = f"/api/v1/events/{event.pk}/messages"
    preview = api.post(url + "/preview", api_payload(), content_type="application/json").json()
    assert preview["recipient_count"] == 2 and "Dear person 0," in preview["text"]
    body = api_payload()
    first = api.post(url, body, content_type="application/json")
    again = api.post(url, body, content_type="application/json")
    assert first.status_code == 201 and again.status_code == 200
    assert again.json()["already_sent"] and again.json()["id"] == first.json()["id"]
    bad = api.post(url, api_payload(body="Hi {nom}"), content_type="application/json")
    assert bad.status_code == 400 and "body" in str(bad.json())
    bad = api.post(url, api_payload(statuses=["all"]), content_type="application/json")
    assert bad.status_code in (400, 422) and "statuses" in str(bad.json())
    listed = api.get(url).json()
    assert listed["count"] == 1 and listed["items"][0]["recipient_count"] == 2


# --- privacy -------------------------------------------------------------------------------------


def test_export_and_erasure_follow_the_sender(event, personas):
    message, _created = send(event, personas["coord_no"])
    subject = privacy.find_subject(username="coordinator-no")
    data = privacy.export_subject(subject)
    (sent,) = data["events"]["messages_sent"]
    assert sent["body"] == BODY and sent["recipients"] == 2
    dry = privacy.erase_subject(subject, apply=False)
    assert dry["counts"]["event_messages_unlinked"] == 1
    privacy.erase_subject(subject, apply=True)
    message.refresh_from_db()
    assert message.sender is None and message.recipient_count == 2
    other = privacy.export_subject(privacy.find_subject(username="editor-no"))
    assert other["events"]["messages_sent"] == []


def test_a_form_without_a_valid_key_says_so_above_the_form(event, personas, login):
    response = login(personas["coord_no"]).post(
        f"/events/{event.pk}/messages/",
        {
            "subject": "News",
            "body": "Hello",
            "statuses": ["registered"],
            "token": "not-a-key",
            "action": "send",
        },
    )
    assert response.status_code == 422 and not EventMessage.objects.exists()
    assert response.context["form"].non_field_errors() == ["This form has expired; open it again."]
    assert "This form has expired" in response.content.decode()
