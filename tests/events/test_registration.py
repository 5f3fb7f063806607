"""Registration rules: capacity, FIFO waitlist, offers with a time limit, confirmation, cancel links."""

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from echos.core.exceptions import Conflict, RuleViolation
from echos.events import services
from echos.events.models import Registration

pytestmark = pytest.mark.django_db

S = Registration.Status


def statuses(event):
    return list(event.registrations.order_by("created_at", "id").values_list("status", flat=True))


def test_places_then_waitlist_in_order(make_event, register_many):
    event = make_event(capacity=2)
    regs = register_many(event, 4)
    assert [r.status for r in regs] == [S.REGISTERED, S.REGISTERED, S.WAITLISTED, S.WAITLISTED]
    assert services.waitlist_position(regs[2]) == 1
    assert services.waitlist_position(regs[3]) == 2
    assert services.places_left(event) == 0


def test_freed_place_offered_to_first_waiting_then_passed_on(
    make_event, register_many, django_capture_on_commit_callbacks
):
    event = make_event(capacity=1, offer_hours=24)
    first, second, third = register_many(event, 3)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.cancel_registration(first)
    second.refresh_from_db()
    third.refresh_from_db()
    assert second.status == S.OFFERED and third.status == S.WAITLISTED
    assert second.offer_expires_at is not None
    assert any("A place is free" in m.subject for m in mail.outbox if m.to == [second.email])
    # The offer runs out: cancelled, and the place passes to the third person.
    later = timezone.now() + timedelta(hours=25)
    assert services.process_event(event, now=later) >= 1
    second.refresh_from_db()
    third.refresh_from_db()
    assert second.status == S.CANCELLED and second.cancel_reason == "offer expired"
    assert third.status == S.OFFERED
    with pytest.raises(Conflict):
        services.accept_offer(second)


def test_accepting_an_offer_in_time_takes_the_place(make_event, register_many):
    event = make_event(capacity=1)
    first, second = register_many(event, 2)
    services.cancel_registration(first)
    second.refresh_from_db()
    services.accept_offer(second)
    second.refresh_from_db()
    assert second.status == S.REGISTERED
    assert services.places_left(event) == 0


def test_offer_never_outlives_the_event_start(make_event, register_many):
    event = make_event(days=1, capacity=1, offer_hours=72)
    first, second = register_many(event, 2)
    services.cancel_registration(first)
    second.refresh_from_db()
    assert second.offer_expires_at <= event.start


def test_bigger_capacity_offers_places(make_event, register_many):
    event = make_event(capacity=1)
    register_many(event, 3)
    services.update_event(actor=None, event=event, capacity=3)
    assert statuses(event) == [S.REGISTERED, S.OFFERED, S.OFFERED]


def test_same_email_twice_never_makes_a_second_registration(
    make_event, register_many, personas, django_capture_on_commit_callbacks
):
    event = make_event()
    (first,) = register_many(event, 1)
    mail.outbox.clear()
    # Anonymous: nothing written, the existing registration comes back, its address is told.
    with django_capture_on_commit_callbacks(execute=True):
        again = services.register(
            event=event, name="Again", email="person0@EXAMPLE.INVALID", consent=True
        )
    assert again.pk == first.pk and again.name == "person 0"
    assert event.registrations.count() == 1
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["person0@example.invalid"]
    assert "already registered" in mail.outbox[0].subject
    # The owner of the address, signed in, is told plainly.
    owner = personas["member_no"]
    owner.email = "person0@example.invalid"
    owner.save()
    with pytest.raises(Conflict) as exc:
        services.register(event=event, user=owner, name="Again", email=owner.email, consent=True)
    assert exc.value.field == "email" and "already registered" in exc.value.message
    assert event.registrations.count() == 1


def test_after_cancelling_one_may_register_again(make_event, register_many):
    event = make_event()
    (r,) = register_many(event, 1)
    services.cancel_registration(r)
    again = services.register(event=event, name="p", email="person0@example.invalid", consent=True)
    assert again.status == S.REGISTERED


@pytest.mark.parametrize(
    "change, field",
    [
        ({"status": "cancelled"}, "event"),
        ({"status": "draft"}, "event"),
        ({"registration_enabled": False}, "event"),
    ],
)
def test_closed_registration_refused(make_event, change, field):
    event = make_event(**({"status_reason": "x"} if change.get("status") else {}), **change)
    with pytest.raises(Conflict) as exc:
        services.register(event=event, name="A", email="a@example.invalid", consent=True)
    assert exc.value.field == field
    assert event.registrations.count() == 0


def test_registration_window(make_event):
    event = make_event(days=20)
    now = timezone.now()
    event.registration_opens = now + timedelta(days=1)
    event.save()
    with pytest.raises(Conflict, match="not opened"):
        services.register(event=event, name="A", email="a@example.invalid", consent=True)
    event.registration_opens, event.registration_closes = None, now - timedelta(minutes=1)
    event.save()
    with pytest.raises(Conflict, match="closed"):
        services.register(event=event, name="A", email="a@example.invalid", consent=True)


def test_consent_and_fields_are_required(make_event):
    event = make_event()
    with pytest.raises(RuleViolation) as exc:
        services.register(event=event, name="A", email="a@example.invalid", consent=False)
    assert exc.value.field == "consent"
    with pytest.raises(RuleViolation) as exc:
        services.register(event=event, name="A", email="not-an-email", consent=True)
    assert exc.value.field == "email"
    with pytest.raises(RuleViolation) as exc:
        services.register(event=event, name=" ", email="a@example.invalid", consent=True)
    assert exc.value.field == "name"
    with pytest.raises(RuleViolation) as exc:
        services.register(event=event, name="x" * 151, email="a@example.invalid", consent=True)
    assert exc.value.field == "name"
    assert event.registrations.count() == 0


def test_unconfirmed_anonymous_registration_is_released(make_event, register_many):
    event = make_event(capacity=1)
    first, second = register_many(event, 2, confirm=False)
    services.confirm_email(second)
    assert services.process_event(event, now=timezone.now() + timedelta(hours=25)) == 1
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.status == S.CANCELLED and first.cancel_reason == "not confirmed"
    assert second.status == S.OFFERED


def test_signed_in_registration_needs_no_confirmation(make_event, personas):
    user = personas["member_no"]
    user.email = "member@example.invalid"
    user.save()
    event = make_event()
    r = services.register(
        event=event, user=user, name="Member", email="member@example.invalid", consent=True
    )
    assert r.email_confirmed_at is not None and r.user == user


def test_emails_carry_a_personal_link_that_cannot_be_forged(
    make_event, register_many, django_capture_on_commit_callbacks
):
    event = make_event()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        (r,) = register_many(event, 1)
    assert len(mail.outbox) == 1
    body = mail.outbox[0].body
    # The link as sent (a token signed now could differ: signatures carry the second).
    token = re.search(r"/events/registration/([^/\s]+)/", body).group(1)
    assert services.registration_from_token(token).pk == r.pk
    with pytest.raises(RuleViolation):
        services.registration_from_token(token[:-2] + "xx")
    from echos.core.abuse import make_token

    with pytest.raises(RuleViolation):
        services.registration_from_token(make_token("consultation", r.pk))


def test_emails_are_written_in_the_registrants_language(
    make_event, register_many, django_capture_on_commit_callbacks
):
    event = make_event(title="Bürgerdialog")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        register_many(event, 1, language="de")
    assert mail.outbox[0].subject == "Sie sind angemeldet: Bürgerdialog"


def test_cancelling_the_event_tells_everyone_and_frees_nobody(
    make_event, register_many, django_capture_on_commit_callbacks
):
    event = make_event(capacity=1)
    register_many(event, 2)
    mail.outbox.clear()
    with pytest.raises(RuleViolation) as exc:
        services.set_status(actor=None, event=event, status="cancelled")
    assert exc.value.field == "reason"
    with django_capture_on_commit_callbacks(execute=True):
        services.set_status(actor=None, event=event, status="cancelled", reason="Venue flooded")
    assert set(statuses(event)) == {S.CANCELLED}
    assert len(mail.outbox) == 2
    assert all("Venue flooded" in m.body for m in mail.outbox)


def test_schedule_change_raises_sequence_and_notifies(
    make_event, register_many, django_capture_on_commit_callbacks
):
    event = make_event()
    register_many(event, 1)
    mail.outbox.clear()
    before = event.sequence
    with django_capture_on_commit_callbacks(execute=True):
        event = services.update_event(actor=None, event=event, venue="Another hall")
    assert event.sequence == before + 1
    assert len(mail.outbox) == 1 and "Changed" in mail.outbox[0].subject
    same = services.update_event(actor=None, event=event, venue="Another hall")
    assert same.sequence == event.sequence


def test_check_in_and_no_shows(make_event, register_many, personas):
    event = make_event(days=-1)
    event.refresh_from_db()
    a, b = [
        Registration.objects.create(
            event=event, name=f"p{i}", email=f"p{i}@example.invalid", consent_at=timezone.now()
        )
        for i in range(2)
    ]
    services.check_in(actor=personas["coord_no"], registration=a)
    assert services.close_attendance(actor=personas["coord_no"], event=event) == 1
    a.refresh_from_db()
    b.refresh_from_db()
    assert (a.status, b.status) == (S.ATTENDED, S.NO_SHOW)
    with pytest.raises(Conflict):
        services.cancel_registration(a)


def test_reminders_sent_once(make_event, register_many):
    event = make_event(days=0)
    event.start = timezone.now() + timedelta(hours=5)
    event.end = event.start + timedelta(hours=2)
    event.save()
    register_many(event, 2)
    mail.outbox.clear()
    assert services.send_reminders() == 2
    assert services.send_reminders() == 0
    assert all(m.subject.startswith("Reminder") for m in mail.outbox)


def test_nothing_half_written_when_questions_invalid(make_event):
    from echos.questionnaires.models import Instrument

    instrument = Instrument.objects.create(
        code="reg-test",
        kind="registration",
        title="Questions",
        definition={
            "sections": [
                {
                    "code": "s",
                    "title": "S",
                    "questions": [
                        {
                            "code": "diet",
                            "type": "single",
                            "text": "Dietary needs",
                            "required": True,
                            "options": [
                                {"value": "none", "label": "None"},
                                {"value": "veg", "label": "Vegetarian"},
                            ],
                        }
                    ],
                }
            ]
        },
    )
    event = make_event()
    event.questions = instrument
    event.save()
    with pytest.raises(RuleViolation) as exc:
        services.register(event=event, name="A", email="a@example.invalid", consent=True)
    assert exc.value.field == "q_diet"
    assert event.registrations.count() == 0
    r = services.register(
        event=event, name="A", email="a@example.invalid", consent=True, answers={"diet": "veg"}
    )
    assert r.answers == {"diet": "veg"}
