"""Messages from the organisers of an event to its registrants (issue #16).

Invariants:
- One e-mail per recipient (nobody sees another recipient's address), queued through the background
  task ``events.tasks.send_event_message`` once the transaction commits (a rollback sends nothing).
- Each message is logged (``EventMessage``: who, when, what, to which statuses, how many) and audited
  (``events.message.sent``); the recipients' addresses are not copied into the log.
- A form's ``token`` is an idempotency key: submitting the same form twice sends once.
- At most ``MESSAGES_PER_DAY`` messages per event in any 24 hours, counted under the event row's
  lock so that two organisers sending at once cannot pass the limit.
- Placeholders are ``{name}``-style fields from ``PLACEHOLDERS`` only; anything else in braces is
  refused naming the field (``{{`` and ``}}`` write a literal brace).
"""

import string
import uuid
from datetime import timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from echos.core import dates
from echos.core.audit import log_action
from echos.core.exceptions import RuleViolation, guard
from echos.events import permissions as perms
from echos.events.models import Event, EventMessage, Registration, join_codes
from echos.events.privacy import ERASED_NAME
from echos.events.services.links import personal_url

SUBJECT_MAX = 150
BODY_MAX = 5000
MESSAGES_PER_DAY = 5
DEFAULT_STATUSES = (Registration.Status.REGISTERED,)

PLACEHOLDERS = {
    "name": gettext_lazy("the registrant's name"),
    "event": gettext_lazy("the event's title"),
    "start": gettext_lazy("the start date and time in the event's time zone"),
    "event_url": gettext_lazy("the address of the event's page"),
    "registration_url": gettext_lazy("the registrant's personal link (details, cancel)"),
}


def check_placeholders(text: str, field: str) -> None:
    """Refuse braces that are not one of ``PLACEHOLDERS`` (naming ``field`` and the placeholder)."""
    try:
        parsed = list(string.Formatter().parse(text))
    except ValueError:
        raise RuleViolation(
            _("Unmatched brace: write {{ or }} for a brace, or use a placeholder such as {name}."),
            field,
        ) from None
    for _literal, name, spec, conversion in parsed:
        if name is None:
            continue
        if name not in PLACEHOLDERS or spec or conversion:
            shown = (
                "{"
                + name
                + ("!" + conversion if conversion else "")
                + (":" + spec if spec else "")
                + "}"
            )
            raise RuleViolation(
                _("Unknown placeholder %(placeholder)s; use one of %(known)s.")
                % {"placeholder": shown, "known": ", ".join("{" + p + "}" for p in PLACEHOLDERS)},
                field,
            )


def validate_message(*, subject: str, body: str, statuses) -> tuple[str, str, list[str]]:
    """Clean and check a message; RuleViolation naming ``subject``, ``body`` or ``statuses``."""
    subject = " ".join((subject or "").split())
    body = (body or "").replace("\r\n", "\n").strip()
    if not subject:
        raise RuleViolation(_("Write a subject."), "subject")
    if len(subject) > SUBJECT_MAX:
        raise RuleViolation(
            _("The subject may be at most %(n)d characters.") % {"n": SUBJECT_MAX}, "subject"
        )
    if not body:
        raise RuleViolation(_("Write the message."), "body")
    if len(body) > BODY_MAX:
        raise RuleViolation(
            _("The message may be at most %(n)d characters.") % {"n": BODY_MAX}, "body"
        )
    check_placeholders(subject, "subject")
    check_placeholders(body, "body")
    chosen = sorted({str(s) for s in statuses or []})
    if not chosen:
        raise RuleViolation(_("Choose at least one group of registrants."), "statuses")
    unknown = [s for s in chosen if s not in Registration.Status.values]
    if unknown:
        raise RuleViolation(_("Unknown status %(status)r.") % {"status": unknown[0]}, "statuses")
    return subject, body, chosen


def recipients(event: Event, statuses) -> list[Registration]:
    """The registrations a message to ``statuses`` goes to: one per e-mail address (the oldest),
    never an erased registration."""
    seen: set[str] = set()
    out = []
    qs = (
        event.registrations.filter(status__in=list(statuses))
        .exclude(name=ERASED_NAME)
        .order_by("created_at", "id")
    )
    for r in qs:
        key = r.email.lower()
        if key not in seen:
            seen.add(key)
            out.append(r)
    return out


def recipient_counts(event: Event) -> dict[str, int]:
    """How many distinct addresses each status would reach (for the form's labels)."""
    return {status: len(recipients(event, [status])) for status in Registration.Status.values}


def sent_today(event: Event, now=None) -> int:
    """Messages sent for the event in the last 24 hours."""
    now = now or timezone.now()
    return event.messages.filter(created_at__gt=now - timedelta(days=1)).count()


def _values(registration: Registration) -> dict[str, str]:
    event = registration.event
    return {
        "name": registration.name,
        "event": event.title,
        "start": dates.long_datetime(event.start, tz=event.time_zone)
        + f" ({dates.zone_label(event.time_zone)})",
        "event_url": settings.SITE_URL.rstrip("/") + event.get_absolute_url(),
        "registration_url": personal_url(registration),
    }


def render_message(*, subject: str, body: str, registration: Registration) -> tuple[str, str]:
    """The subject and the whole e-mail text for one registrant, in the registrant's language
    (the organisers' words as written, the frame and the "why you get this" line translated)."""
    with translation.override(registration.language or settings.LANGUAGE_CODE):
        values = _values(registration)
        text = render_to_string(
            "events/message_email.txt",
            {
                "event": registration.event,
                "body": body.format_map(values),
                "event_url": values["event_url"],
                "personal_url": values["registration_url"],
                "status": registration.get_status_display(),
                "cancelled": registration.status == Registration.Status.CANCELLED,
            },
        )
    return subject.format_map(values), text


def preview(*, event: Event, subject: str, body: str, statuses) -> tuple[int, tuple[str, str]]:
    """The number of recipients and the e-mail as the first of them would get it (validated)."""
    subject, body, chosen = validate_message(subject=subject, body=body, statuses=statuses)
    found = recipients(event, chosen)
    sample = found[0] if found else _sample_registration(event)
    return len(found), render_message(subject=subject, body=body, registration=sample)


def _sample_registration(event: Event) -> Registration:
    """An unsaved registration to preview with when nobody matches yet."""
    return Registration(event=event, pk=0, name=_("Alex Example"), email="alex@example.invalid")


@transaction.atomic
def send_message(
    *, actor, event: Event, subject: str, body: str, statuses, token: uuid.UUID | str, now=None
) -> tuple[EventMessage, bool]:
    """Log a message and queue one e-mail per recipient; returns ``(message, created)``.

    A ``token`` already used returns its message with ``created=False`` and sends nothing.
    """
    guard(perms.can_view_participants(actor, event), actor)
    try:
        key = uuid.UUID(str(token))
    except ValueError:
        raise RuleViolation(_("This form has expired; open it again."), "token") from None
    earlier = EventMessage.objects.filter(token=key).first()
    if earlier is not None:
        if earlier.event_id != event.pk:
            raise RuleViolation(_("This form has expired; open it again."), "token")
        return earlier, False
    subject, body, chosen = validate_message(subject=subject, body=body, statuses=statuses)
    now = now or timezone.now()
    Event.objects.select_for_update().filter(pk=event.pk).first()  # serialise the daily limit
    if sent_today(event, now) >= MESSAGES_PER_DAY:
        raise RuleViolation(
            _(
                "At most %(n)d messages a day may be sent for one event; the next can be sent "
                "24 hours after the oldest of today's."
            )
            % {"n": MESSAGES_PER_DAY},
            None,  # no field is wrong: the whole form waits
        )
    found = recipients(event, chosen)
    if not found:
        raise RuleViolation(_("Nobody with the chosen statuses to write to."), "statuses")
    try:
        with transaction.atomic():
            message = EventMessage.objects.create(
                event=event,
                sender=actor if getattr(actor, "is_authenticated", False) else None,
                subject=subject,
                body=body,
                statuses=join_codes(chosen),
                recipient_count=len(found),
                token=key,
                created_at=now,
            )
    except IntegrityError:  # the same form submitted twice at once: the other one sends
        return EventMessage.objects.get(token=key), False
    log_action(
        actor=actor,
        action="events.message.sent",
        target=event,
        data={"message": message.pk, "statuses": chosen, "recipients": len(found)},
    )
    _queue(message.pk, [r.pk for r in found])
    return message, True


def _queue(message_id: int, registration_ids: list[int]) -> None:
    """One background e-mail per recipient, once committed."""
    # cycle: echos.events.tasks imports echos.events.services (this package)
    from echos.events.tasks import send_event_message

    def run():
        for pk in registration_ids:
            send_event_message(message_id, pk)

    transaction.on_commit(run)


def send_message_now(message: EventMessage, registration: Registration) -> bool:
    """Send one logged message to one registrant (skipped once the registration was erased)."""
    if registration.name == ERASED_NAME or registration.event_id != message.event_id:
        return False
    subject, text = render_message(
        subject=message.subject, body=message.body, registration=registration
    )
    send_mail(subject, text, None, [registration.email])
    return True
