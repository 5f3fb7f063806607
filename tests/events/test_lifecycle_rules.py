"""Event lifecycle: a published event never returns to draft nor disappears; offers and capacity;
new dates after a postponement; the waitlist stays first in, first out once the event started."""

from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from echos.core.exceptions import Conflict, RuleViolation
from echos.events import services
from echos.events.models import Event, Registration

pytestmark = pytest.mark.django_db

S = Registration.Status


def statuses(event):
    return list(event.registrations.order_by("created_at", "id").values_list("status", flat=True))


# --- 1. published events cannot be un-published and deleted ------------------------------------


def test_published_event_with_registrations_cannot_go_back_to_draft_nor_be_deleted(
    make_event, register_many, client
):
    event = make_event()
    register_many(event, 3)
    with pytest.raises(RuleViolation) as exc:
        services.set_status(actor=None, event=event, status="draft")
    assert exc.value.field == "status"
    with pytest.raises(RuleViolation) as exc:
        services.delete_event(actor=None, event=event)
    assert exc.value.field == "status"
    event.refresh_from_db()
    assert event.status == "published" and event.registrations.count() == 3
    # Cancelling is the way out: everyone told, STATUS:CANCELLED in the feed.
    services.set_status(actor=None, event=event, status="cancelled", reason="Venue closed.")
    body = client.get(reverse("events:feed")).content.decode()
    assert "STATUS:CANCELLED" in body


def test_published_event_without_registrations_cannot_be_deleted_either(make_event):
    event = make_event()
    with pytest.raises(RuleViolation) as exc:
        services.set_status(actor=None, event=event, status="draft")
    assert exc.value.field == "status"
    services.set_status(actor=None, event=event, status="postponed", reason="Strike.")
    with pytest.raises(RuleViolation):
        services.set_status(actor=None, event=event, status="draft")
    with pytest.raises(RuleViolation):
        services.delete_event(actor=None, event=event)
    assert Event.objects.filter(pk=event.pk).exists()


def test_an_event_once_reverted_to_draft_stays_undeletable(make_event):
    """Data from before the rule: the audit trail shows it was published."""
    event = make_event()
    Event.objects.filter(pk=event.pk).update(status="draft")
    from echos.core.audit import log_action

    log_action(actor=None, action="event.draft", target=event, data={})
    event.refresh_from_db()
    with pytest.raises(RuleViolation):
        services.delete_event(actor=None, event=event)


def test_a_never_published_draft_can_still_be_deleted(make_event):
    draft = make_event(status="draft")
    services.delete_event(actor=None, event=draft)
    assert not Event.objects.filter(pk=draft.pk).exists()


def test_api_refuses_draft_and_delete_of_a_published_event(token_client, personas, make_event):
    api = token_client(personas["coord_no"])
    event = make_event()
    response = api.post(
        f"/api/v1/events/{event.pk}/status", {"status": "draft"}, content_type="application/json"
    )
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "status"
    assert api.delete(f"/api/v1/events/{event.pk}").status_code == 409


# --- 2. offers and capacity ----------------------------------------------------------------------


def test_removing_the_limit_gives_outstanding_offers_a_place(
    make_event, register_many, django_capture_on_commit_callbacks
):
    event = make_event(capacity=2)
    register_many(event, 4)
    services.update_event(actor=None, event=event, capacity=3)
    assert statuses(event) == [S.REGISTERED, S.REGISTERED, S.OFFERED, S.WAITLISTED]
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.update_event(actor=None, event=event, capacity=None)
    assert statuses(event) == [S.REGISTERED] * 4
    assert services.process_event(event, now=timezone.now() + timedelta(days=5)) == 0
    assert statuses(event) == [S.REGISTERED] * 4
    assert {m.to[0] for m in mail.outbox} == {"person2@example.invalid", "person3@example.invalid"}


def test_lowering_the_capacity_again_never_lets_an_offer_overfill(make_event, register_many):
    event = make_event(capacity=2)
    regs = register_many(event, 3)
    services.update_event(actor=None, event=event, capacity=3)
    regs[2].refresh_from_db()
    assert regs[2].status == S.OFFERED
    services.update_event(actor=None, event=event, capacity=2)
    regs[2].refresh_from_db()
    assert regs[2].status == S.WAITLISTED  # back in line, first
    with pytest.raises(Conflict):
        services.accept_offer(regs[2])
    event.refresh_from_db()
    assert services.places_taken(event) == 2


def test_accept_rechecks_the_capacity(make_event, register_many):
    event = make_event(capacity=2)
    regs = register_many(event, 3)
    services.update_event(actor=None, event=event, capacity=3)
    # Capacity lowered behind the service's back (e.g. older data): accepting still refuses.
    Event.objects.filter(pk=event.pk).update(capacity=2)
    with pytest.raises(Conflict) as exc:
        services.accept_offer(regs[2])
    assert exc.value.field == "status"
    assert event.registrations.filter(status=S.REGISTERED).count() == 2


# --- 3. new dates after a postponement -----------------------------------------------------------


def test_registrants_hear_the_new_dates_after_a_postponement(
    make_event, register_many, django_capture_on_commit_callbacks
):
    event = make_event()
    register_many(event, 2)
    services.set_status(actor=None, event=event, status="postponed", reason="Strike.")
    event.refresh_from_db()
    seq = event.sequence
    mail.outbox.clear()
    new_start = event.local_start.replace(tzinfo=None) + timedelta(days=30)
    with django_capture_on_commit_callbacks(execute=True):
        event = services.update_event(
            actor=None, event=event, start=new_start, end=new_start + timedelta(hours=3)
        )
    assert len(mail.outbox) == 2
    assert all(m.subject.startswith("Changed:") for m in mail.outbox)
    assert event.sequence > seq
    seq = event.sequence
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        event = services.set_status(actor=None, event=event, status="published")
    assert len(mail.outbox) == 2
    assert all(m.subject.startswith("Changed:") for m in mail.outbox)
    assert event.sequence > seq


# --- 4. first in, first out once the event has started -------------------------------------------


def test_after_the_start_a_freed_place_goes_to_the_first_waiting(make_event, register_many):
    event = make_event(capacity=1)
    first, second = register_many(event, 2)
    after_start = event.start + timedelta(minutes=10)
    services.cancel_registration(first, now=after_start)
    second.refresh_from_db()
    assert second.status == S.REGISTERED and second.offer_expires_at is None
    newcomer = services.register(
        event=event, name="Late", email="late@example.invalid", consent=True, now=after_start
    )
    assert newcomer.status == S.WAITLISTED


def test_a_newcomer_never_takes_a_place_someone_waits_for(make_event, register_many):
    event = make_event(capacity=1)
    first, second = register_many(event, 2)
    # A place is free while someone waits (freed without passing it on, e.g. older data).
    Registration.objects.filter(pk=first.pk).update(status=S.CANCELLED)
    after_start = event.start + timedelta(minutes=10)
    newcomer = services.register(
        event=event, name="Late", email="late@example.invalid", consent=True, now=after_start
    )
    second.refresh_from_db()
    assert second.status == S.REGISTERED
    assert newcomer.status == S.WAITLISTED


def test_event_page_offers_neither_draft_nor_delete_once_published(login, personas, make_event):
    from django.urls import reverse

    client = login(personas["coord_no"])
    draft = make_event(status="draft")
    page = client.get(reverse("events:event", args=[draft.pk])).content.decode()
    assert "Delete this draft" in page and 'value="draft"' in page
    public = make_event()
    page = client.get(reverse("events:event", args=[public.pk])).content.decode()
    assert "Delete this draft" not in page and 'value="draft"' not in page
    assert 'value="cancelled"' in page
