"""The waitlist: first in, first out.

A freed place is *offered* to the next person for ``event.offer_hours``; an offer not accepted in
time is cancelled and passed on (``process_event``). Every function here runs under the lock on the
event row (``_locked``, or the caller's ``select_for_update``; on SQLite every transaction begins
IMMEDIATE, which serialises writers), so places given out never exceed the capacity.
"""

from datetime import timedelta
from typing import cast

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from echos.core.audit import log_action
from echos.core.exceptions import Conflict
from echos.events.models import Event, Registration
from echos.events.services.mail import _send_after_commit
from echos.events.services.places import places_left, places_taken

CONFIRM_HOURS = 24  # an anonymous registration not confirmed by e-mail within this time is released


def _promote(event: Event, r: Registration) -> None:
    """Give a waiting or offered person a place at once (no offer window)."""
    r.status = Registration.Status.REGISTERED
    r.offer_expires_at = None
    r.save(update_fields=["status", "offer_expires_at", "updated_at"])
    log_action(actor=None, action="registration.promote", target=event, data={"registration": r.pk})
    _send_after_commit(r, "promoted")


def _fill_places(event: Event, now=None) -> list[Registration]:
    """Give free places to the waitlist, first in first out (caller holds the event lock).

    Before the event starts a free place is *offered* for ``offer_hours``; once it has started
    there is no time for an offer, so the first person waiting gets the place directly. With no
    limit, or with places free and nobody left waiting, outstanding offers become places too.
    """
    now = now or timezone.now()
    offered: list[Registration] = []
    left = places_left(event)
    waiting = event.registrations.filter(status=Registration.Status.WAITLISTED).order_by(
        "created_at", "id"
    )
    outstanding = event.registrations.filter(status=Registration.Status.OFFERED).order_by(
        "created_at", "id"
    )
    if left is None:
        # No limit (any more): everyone offered or waiting gets a place at once.
        done = list(outstanding) + list(waiting)
        for r in done:
            _promote(event, r)
        return done
    if left <= 0:
        return offered
    if now >= event.start:
        # The event has started: places go straight to the people waiting, in order.
        for r in list(outstanding) + list(waiting[:left]):
            _promote(event, r)
            offered.append(r)
        return offered
    for r in waiting[:left]:
        r.status = Registration.Status.OFFERED
        r.offered_at = now
        r.offer_expires_at = min(now + timedelta(hours=event.offer_hours), event.start)
        r.save(update_fields=["status", "offered_at", "offer_expires_at", "updated_at"])
        log_action(
            actor=None, action="registration.offer", target=event, data={"registration": r.pk}
        )
        _send_after_commit(r, "offer")
        offered.append(r)
    if cast(int, places_left(event)) > 0 and not waiting.exists():  # still limited
        # Places to spare and nobody else waiting: an outstanding offer can never expire in
        # favour of someone else, so it becomes a place.
        for r in outstanding:
            _promote(event, r)
            offered.append(r)
    return offered


def _withdraw_excess_offers(event: Event) -> None:
    """After the capacity was lowered: offers beyond it go back to the waitlist (latest first),
    so that accepting them cannot overfill the event. The people keep their place in line."""
    if event.capacity is None:
        return
    excess = places_taken(event) - event.capacity
    if excess <= 0:
        return
    for r in event.registrations.filter(status=Registration.Status.OFFERED).order_by(
        "-created_at", "-id"
    )[:excess]:
        r.status = Registration.Status.WAITLISTED
        r.offered_at = None
        r.offer_expires_at = None
        r.save(update_fields=["status", "offered_at", "offer_expires_at", "updated_at"])
        log_action(
            actor=None, action="registration.offer_withdrawn", target=event, data={"id": r.pk}
        )
        _send_after_commit(r, "waitlisted")


def _expire(event: Event, now) -> int:
    """Cancel offers not accepted in time and anonymous registrations never confirmed; refill."""
    expired = 0
    for r in event.registrations.filter(
        status=Registration.Status.OFFERED, offer_expires_at__lte=now
    ):
        r.status, r.cancelled_at, r.cancel_reason = (
            Registration.Status.CANCELLED,
            now,
            "offer expired",
        )
        r.offer_expires_at = None
        r.save(update_fields=["status", "cancelled_at", "cancel_reason", "offer_expires_at"])
        log_action(actor=None, action="registration.offer_expired", target=event, data={"id": r.pk})
        _send_after_commit(r, "offer_expired")
        expired += 1
    unconfirmed = event.registrations.unconfirmed().filter(
        created_at__lte=now - timedelta(hours=CONFIRM_HOURS)
    )
    released = unconfirmed.update(
        status=Registration.Status.CANCELLED, cancelled_at=now, cancel_reason="not confirmed"
    )
    if expired or released:
        _fill_places(event, now)
    return expired + released


def process_event(event: Event, now=None) -> int:
    """Expire overdue offers and unconfirmed registrations of one event and pass places on."""
    with transaction.atomic():
        event = Event.objects.select_for_update().get(pk=event.pk)
        return _expire(event, now or timezone.now())


def process_all(now=None) -> int:
    """Run ``process_event`` for every event with work due (scheduled: `echos events tick`)."""
    now = now or timezone.now()
    due = set(
        Registration.objects.filter(
            status=Registration.Status.OFFERED, offer_expires_at__lte=now
        ).values_list("event_id", flat=True)
    ) | set(
        Registration.objects.unconfirmed()
        .filter(created_at__lte=now - timedelta(hours=CONFIRM_HOURS), event__end__gt=now)
        .values_list("event_id", flat=True)
    )
    return sum(process_event(e, now) for e in Event.objects.filter(pk__in=due))


def _locked(registration: Registration) -> tuple[Event, Registration]:
    event = Event.objects.select_for_update().get(pk=registration.event_id)
    return event, Registration.objects.get(pk=registration.pk)


@transaction.atomic
def accept_offer(registration: Registration, now=None) -> Registration:
    """Take the place offered from the waitlist, before the offer expires."""
    now = now or timezone.now()
    event, registration = _locked(registration)
    _expire(event, now)
    registration.refresh_from_db()
    if registration.status == Registration.Status.REGISTERED:
        return registration
    if registration.status != Registration.Status.OFFERED:
        raise Conflict(
            _("This offer is no longer open; it has passed to the next person."), "status"
        )
    if event.capacity is not None:
        others = event.registrations.holding_place().exclude(pk=registration.pk).count()
        if others >= event.capacity:
            raise Conflict(_("Sorry, the event is full; this offer is no longer open."), "status")
    registration.status = Registration.Status.REGISTERED
    registration.offer_expires_at = None
    registration.email_confirmed_at = registration.email_confirmed_at or now
    registration.save()
    log_action(actor=None, action="registration.accept", target=event, data={"id": registration.pk})
    _send_after_commit(registration, "confirmation")
    return registration
