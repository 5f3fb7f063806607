"""The named states of events and registrations (models.EventQuerySet, RegistrationQuerySet)."""

from datetime import timedelta

import pytest

from echos.events.models import Event, Registration

pytestmark = pytest.mark.django_db


def _pks(qs) -> set[int]:
    return set(qs.values_list("pk", flat=True))


def test_upcoming_and_past_split_at_the_end_of_the_event(make_event):
    soon, over = make_event(3), make_event(-3)
    assert _pks(Event.objects.upcoming()) == {soon.pk}
    assert _pks(Event.objects.past()) == {over.pk}
    # At the very moment an event ends it is past, not upcoming.
    assert _pks(Event.objects.past(now=soon.end)) == {soon.pk, over.pk}
    assert _pks(Event.objects.upcoming(now=soon.end - timedelta(seconds=1))) == {soon.pk}


def test_overlapping_excludes_an_event_that_only_touches_the_period(make_event):
    event = make_event(5)
    assert _pks(Event.objects.overlapping(event.start, event.start + timedelta(minutes=1))) == {
        event.pk
    }
    assert not Event.objects.overlapping(event.end, event.end + timedelta(days=1)).exists()
    assert not Event.objects.overlapping(event.start - timedelta(days=1), event.start).exists()


def test_ending_from_keeps_an_event_ending_at_that_moment(make_event):
    event = make_event(5)
    assert _pks(Event.objects.ending_from(event.end)) == {event.pk}
    assert not Event.objects.ending_from(event.end + timedelta(seconds=1)).exists()


def test_counted_leaves_out_drafts_and_cancelled_events(make_event):
    published, postponed = make_event(5), make_event(6, status="postponed")
    make_event(7, status="draft")
    make_event(8, status="cancelled", status_reason="No speaker")
    assert _pks(Event.objects.counted()) == {published.pk, postponed.pk}


def test_holding_place_and_unconfirmed(make_event, register_many):
    event = make_event(5, capacity=2)
    confirmed, anonymous = register_many(event, 1, prefix="c") + register_many(
        event, 1, prefix="a", confirm=False
    )
    (waiting,) = register_many(event, 1, prefix="w", confirm=False)
    assert waiting.status == Registration.Status.WAITLISTED
    assert _pks(event.registrations.holding_place()) == {confirmed.pk, anonymous.pk}
    assert _pks(Registration.objects.unconfirmed()) == {anonymous.pk, waiting.pk}
    Registration.objects.filter(pk=anonymous.pk).update(status=Registration.Status.CANCELLED)
    assert _pks(Registration.objects.unconfirmed()) == {waiting.pk}
    assert _pks(Registration.objects.holding_place()) == {confirmed.pk}
