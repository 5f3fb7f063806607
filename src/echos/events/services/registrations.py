"""Registrations of people (with or without an account): register, confirm, cancel, check in.

Capacity is enforced under a lock on the event row (``select_for_update`` on PostgreSQL; on SQLite every
transaction begins IMMEDIATE, which serialises writers), so parallel registrations never exceed it.
Places freed here go to the waitlist (``waitlist``), first in, first out.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from echos.core import contributions as flow
from echos.core.audit import log_action
from echos.core.emails import validate_email_address
from echos.core.exceptions import Conflict, RuleViolation, guard
from echos.events import permissions as perms
from echos.events.models import Audience, Event, Registration
from echos.events.services.mail import _send_after_commit
from echos.events.services.places import places_left
from echos.events.services.waitlist import CONFIRM_HOURS, _expire, _fill_places, _locked
from echos.questionnaires import engine

NOTICE_EVERY = flow.NOTICE_EVERY  # at most one "already registered" e-mail per registration an hour


CONSENT_TEXT = (
    "I agree that the organisers of this event store my name, e-mail address and answers to manage "
    "my registration, and delete them after the event under the platform's retention rules."
)


def registration_state(event: Event, now=None) -> tuple[bool, str]:
    """Whether registration is open now, and why not."""
    now = now or timezone.now()
    if not event.registration_enabled:
        return False, _("This event does not take registrations.")
    if event.status == Event.Status.CANCELLED:
        return False, _("This event has been cancelled.")
    if event.status != Event.Status.PUBLISHED:
        return False, _("This event is not open for registration.")
    if event.registration_opens and now < event.registration_opens:
        return False, _("Registration has not opened yet.")
    if event.registration_closes and now >= event.registration_closes:
        return False, _("Registration has closed.")
    if now >= event.end:
        return False, _("This event is over.")
    return True, ""


def normal_email(email: str) -> str:
    """The address as stored: trimmed, domain in lower case; RuleViolation if not an address."""
    email = (email or "").strip()
    try:
        validate_email_address(email)
    except ValidationError as exc:
        raise RuleViolation(exc.messages[0], "email") from None
    local, _at, domain = email.rpartition("@")
    return f"{local}@{domain.lower()}"


# A registration is a contribution (echos.core.contributions) of the e-mail kind: the address says
# who registered (an account counts only with its own address), cancelled registrations do not
# count, and the address keeps its local part's case (``normal_email``). It is confirmed through the
# personal link (links.py), and unconfirmed ones are released by ``waitlist._expire``, not deleted.
REGISTRATION = flow.register_kind(
    flow.ContributionKind(
        key="registration",
        model=Registration,
        token_purpose="events.registration",
        confirm_url=None,
        identity="email",
        confirmed_field="email_confirmed_at",
        pending_hours=CONFIRM_HOURS,
        drop_expired=False,
        exclude=(("status", Registration.Status.CANCELLED),),
        notice_key="events:already-registered",
        normal_form=normal_email,
    )
)


def opens_personal_page(registration: Registration, user) -> bool:
    """After registering: straight to the personal page (own confirmed account), else "check your e-mail".

    Only the person's own, account-confirmed registration qualifies, so an existing registration
    returned for somebody else's address never hands out its personal link.
    """
    return (
        user is not None
        and user.is_authenticated
        and registration.user_id == user.pk
        and registration.email_confirmed_at is not None
    )


@transaction.atomic
def register(
    *,
    event: Event,
    name: str,
    email: str,
    user=None,
    audience: str = "",
    language: str = "",
    answers: dict | None = None,
    consent: bool = False,
    now=None,
) -> Registration:
    """Register a person (with or without an account): a place if one is free, else the waitlist.

    An address already registered is refused (Conflict) only for the signed-in owner of that
    address; for anyone else the existing registration is returned unchanged and its address is
    e-mailed a notice, so the answer does not tell whether the address was registered.
    """
    given_now = now
    now = now or timezone.now()
    name = (name or "").strip()
    if not name:
        raise RuleViolation(_("Enter your name."), "name")
    if len(name) > 150:
        raise RuleViolation(_("The name is longer than 150 characters."), "name")
    email = normal_email(email)
    if audience and audience not in Audience.values:
        raise RuleViolation(_("Unknown choice."), "audience")
    if not consent:
        raise RuleViolation(
            _("Tick the box to agree that the organisers keep your registration."), "consent"
        )
    cleaned_answers: dict = {}
    if event.questions is not None:
        cleaned_answers, errors = engine.validate(
            event.questions.definition, answers or {}, complete=True
        )
        if errors:
            code, message = next(iter(errors.items()))
            raise RuleViolation(message, f"q_{code}")
    event = Event.objects.select_for_update().get(pk=event.pk)
    # The registration time orders the waitlist (places.waitlist_position): read it once the lock
    # is held, so it follows the order in which registrations commit. Read before the lock, a
    # person who waited longer for it would overtake people already told their place (PostgreSQL;
    # SQLite takes its write lock when the transaction begins).
    now = given_now or timezone.now()
    _expire(event, now)
    is_open, why = registration_state(event, now)
    if not is_open:
        raise Conflict(why, "event")

    def create(account, address: str, confirmed_at) -> Registration:
        left = places_left(event)
        if (left is None or left > 0) and event.registrations.filter(
            status=Registration.Status.WAITLISTED
        ).exists():
            # Free places go to the people already waiting first (first in, first out).
            _fill_places(event, now)
            left = places_left(event)
        registration = Registration.objects.create(
            event=event,
            user=account,
            name=name,
            email=address,
            audience=audience,
            language=language or translation.get_language() or "",
            answers=cleaned_answers,
            consent_at=now,
            consent_text=CONSENT_TEXT,
            email_confirmed_at=confirmed_at,
            created_at=now,
            status=(
                Registration.Status.REGISTERED
                if left is None or left > 0
                else Registration.Status.WAITLISTED
            ),
        )
        log_action(
            actor=account,
            action="registration.create",
            target=event,
            data={"registration": registration.pk, "status": registration.status},
        )
        _send_after_commit(
            registration, "waitlisted" if registration.is_waitlisted else "confirmation"
        )
        return registration

    registration: Registration = flow.contribute(
        REGISTRATION,
        user=user,
        email=email,
        scope={"event": event},
        create=create,
        wording=flow.Wording(
            conflict=_("%(email)s is already registered for this event.") % {"email": email}
        ),
        # The address gets a notice with its personal link (queued, at most once an hour); the
        # confirmation mail is sent by ``create`` itself.
        notify_already=lambda existing, _address: _send_after_commit(
            existing, "already_registered"
        ),
        notify_pending=lambda *_args: None,
        now=now,
    )
    return registration


@transaction.atomic
def confirm_email(registration: Registration, now=None) -> Registration:
    """The person clicked the link in the confirmation e-mail."""
    event, registration = _locked(registration)
    if registration.status == Registration.Status.CANCELLED:
        raise Conflict(_("This registration has been cancelled."), "status")
    if registration.email_confirmed_at is None:
        registration.email_confirmed_at = now or timezone.now()
        registration.save(update_fields=["email_confirmed_at", "updated_at"])
    return registration


@transaction.atomic
def cancel_registration(
    registration: Registration, *, actor=None, reason: str = "", now=None
) -> Registration:
    """Cancel (by the person with their link, or by an organiser); the place goes to the waitlist."""
    now = now or timezone.now()
    event, registration = _locked(registration)
    if actor is not None:
        guard(perms.can_manage_event(actor, event), actor)
    if registration.status == Registration.Status.CANCELLED:
        return registration
    if registration.status in (Registration.Status.ATTENDED, Registration.Status.NO_SHOW):
        raise Conflict(_("Attendance has already been recorded."), "status")
    registration.status = Registration.Status.CANCELLED
    registration.cancelled_at = now
    registration.cancel_reason = reason[:200] or ("by organiser" if actor else "by participant")
    registration.offer_expires_at = None
    registration.save()
    log_action(
        actor=actor,
        action="registration.cancel",
        target=event,
        data={"id": registration.pk, "reason": registration.cancel_reason},
    )
    _send_after_commit(registration, "cancelled")
    _fill_places(event, now)
    return registration


@transaction.atomic
def check_in(*, actor, registration: Registration, attended: bool = True) -> Registration:
    """Organisers mark who came (and undo a mistaken check-in)."""
    event, registration = _locked(registration)
    guard(perms.can_manage_event(actor, event), actor)
    if registration.status not in (
        Registration.Status.REGISTERED,
        Registration.Status.ATTENDED,
        Registration.Status.NO_SHOW,
    ):
        raise Conflict(
            _("Only registered participants can be checked in (this one is %(s)s).")
            % {"s": registration.get_status_display()},
            "status",
        )
    if attended:
        registration.status = Registration.Status.ATTENDED
        registration.checked_in_at = timezone.now()
    else:
        registration.status = Registration.Status.REGISTERED
        registration.checked_in_at = None
    registration.save(update_fields=["status", "checked_in_at", "updated_at"])
    log_action(
        actor=actor,
        action="registration.check_in" if attended else "registration.check_in_undo",
        target=event,
        data={"id": registration.pk},
    )
    return registration


@transaction.atomic
def close_attendance(*, actor, event: Event) -> int:
    """After the event: everyone registered and not checked in becomes a no-show."""
    guard(perms.can_manage_event(actor, event), actor)
    if not event.is_past:
        raise Conflict(_("Attendance can be closed once the event has ended."), "event")
    count = event.registrations.filter(status=Registration.Status.REGISTERED).update(
        status=Registration.Status.NO_SHOW
    )
    log_action(actor=actor, action="event.attendance_closed", target=event, data={"no_show": count})
    return count
