"""Registration e-mails: composed in the registrant's language, queued once the transaction commits
(a rollback sends nothing), sent by the background task ``events.tasks.send_registration_email``."""

from datetime import timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy

from echos.core.multilingual import shown
from echos.events.models import Event, Registration
from echos.events.services.links import personal_url
from echos.events.services.places import waitlist_position

SUBJECTS = {
    "confirmation": gettext_lazy("You are registered: %(title)s"),
    "waitlisted": gettext_lazy("You are on the waitlist: %(title)s"),
    "offer": gettext_lazy("A place is free for you: %(title)s"),
    "offer_expired": gettext_lazy("Your offered place has passed on: %(title)s"),
    "promoted": gettext_lazy("You have a place: %(title)s"),
    "cancelled": gettext_lazy("Registration cancelled: %(title)s"),
    "reminder": gettext_lazy("Reminder: %(title)s"),
    "changed": gettext_lazy("Changed: %(title)s"),
    "postponed": gettext_lazy("Postponed: %(title)s"),
    "event_cancelled": gettext_lazy("Cancelled: %(title)s"),
    "already_registered": gettext_lazy("You are already registered: %(title)s"),
}


def send_email_now(registration: Registration, kind: str) -> None:
    """Compose and send one registration e-mail in the registrant's language (the event's title
    too when translated, otherwise in its source language with a line saying so)."""
    event = registration.event
    with translation.override(registration.language or settings.LANGUAGE_CODE):
        title = shown(event, "title")
        context = {
            "kind": kind,
            "registration": registration,
            "event": event,
            "title": title,
            "personal_url": personal_url(registration),
            "event_url": settings.SITE_URL.rstrip("/") + event.get_absolute_url(),
            "ics_url": settings.SITE_URL.rstrip("/") + reverse("events:event_ics", args=[event.pk]),
            "needs_confirmation": registration.email_confirmed_at is None,
            "position": waitlist_position(registration),
        }
        body = render_to_string("events/email.txt", context)
        subject = str(SUBJECTS[kind]) % {"title": title.text}
    send_mail(subject, body, None, [registration.email])


def _send_after_commit(registration: Registration, kind: str) -> None:
    """Queue the e-mail once the transaction has committed (a rollback sends nothing)."""
    # cycle: echos.events.tasks imports echos.events.services (this package)
    from echos.events.tasks import send_registration_email

    pk = registration.pk
    transaction.on_commit(lambda: send_registration_email(pk, kind))


def _notify_registrants(event: Event, what: str) -> None:
    kind = "event_cancelled" if what == Event.Status.CANCELLED else what
    for r in event.registrations.filter(status__in=Registration.ACTIVE):
        _send_after_commit(r, kind)


def send_reminders(now=None, *, hours: int = 24) -> int:
    """E-mail everyone registered for an event starting within ``hours`` (once each)."""
    now = now or timezone.now()
    due = Registration.objects.filter(
        status=Registration.Status.REGISTERED,
        reminder_sent_at__isnull=True,
        event__status=Event.Status.PUBLISHED,
        event__start__gt=now,
        event__start__lte=now + timedelta(hours=hours),
    ).select_related("event")
    sent = 0
    for registration in due.iterator():
        send_email_now(registration, "reminder")
        Registration.objects.filter(pk=registration.pk).update(reminder_sent_at=now)
        sent += 1
    return sent
