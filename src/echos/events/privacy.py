"""Personal data of the events capability: registrations (export, erasure, retention).

A registration names a person (name, e-mail, account, answers to the organisers' questions).
Erasure and retention remove that identity and keep what the participation gap counts: the
event, the status, the audience group and the language.
"""

from functools import partial

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from echos.core import retention
from echos.core.privacy_sections import iso as _iso
from echos.events.models import Event, EventMessage, Registration

SECTION = "events"
SECTION_LABELS = {
    "events": _("Events"),
    "events.registrations": _("Event registrations"),
    "events.events_created": _("Events created"),
    "events.messages_sent": _("Messages sent to registrants"),
}
COUNT_LABELS = {
    "event_registrations_anonymised": _("event registrations kept without name, e-mail or answers"),
    "events_unlinked": _("events kept without who created them"),
    "event_messages_unlinked": _("messages to registrants kept without who sent them"),
}
ERASED_NAME = "[erased]"


def _mine(user, emails) -> Q:
    q = Q(pk__in=[])
    if user is not None:
        q |= Q(user=user)
    for email in emails:
        q |= Q(email__iexact=email)
    return q


def find_people(query: str, *, limit: int = 50) -> list[tuple[str, str, str, int | None]]:
    """Registrations (waitlist included) whose name or e-mail contains ``query``.

    Rows are ``(section, e-mail, name, account id)``, for the coordinators' search of people.
    """
    found = (
        Registration.objects.filter(Q(email__icontains=query) | Q(name__icontains=query))
        .exclude(name=ERASED_NAME)
        .order_by("email", "pk")
        .values_list("email", "name", "user_id")[:limit]
    )
    return [("registrations", email, name, user_id) for email, name, user_id in found]


def names(user, emails) -> set[str]:
    """The names the person registered under, to scrub them from the audit log on erasure."""
    found = Registration.objects.filter(_mine(user, emails)).exclude(name=ERASED_NAME)
    return set(found.values_list("name", flat=True))


def collect(user, emails) -> dict:
    """Registrations of the person and events they created."""
    registrations = (
        Registration.objects.filter(_mine(user, emails))
        .exclude(name=ERASED_NAME)
        .select_related("event")
        .order_by("created_at")
    )
    return {
        "registrations": [
            {
                "event": r.event.title,
                "event_id": r.event_id,
                "event_start": _iso(r.event.start),
                "name": r.name,
                "email": r.email,
                "status": r.status,
                "takes_part_as": r.audience,
                "language": r.language,
                "answers": r.answers,
                "consent_given_at": _iso(r.consent_at),
                "consent_text": r.consent_text,
                "email_confirmed_at": _iso(r.email_confirmed_at),
                "checked_in_at": _iso(r.checked_in_at),
                "registered_at": _iso(r.created_at),
            }
            for r in registrations
        ],
        "events_created": [
            {"id": e.pk, "title": e.title, "created_at": _iso(e.created_at)}
            for e in (Event.objects.filter(created_by=user) if user is not None else [])
        ],
        "messages_sent": _messages_sent(user),
    }


def _messages_sent(user) -> list[dict]:
    """Messages the person sent to registrants as an organiser (issue #16): their own words."""
    if user is None:
        return []
    return [
        {
            "event": m.event.title,
            "event_id": m.event_id,
            "subject": m.subject,
            "body": m.body,
            "statuses": m.status_codes,
            "recipients": m.recipient_count,
            "sent_at": _iso(m.created_at),
        }
        for m in EventMessage.objects.filter(sender=user).select_related("event").order_by("pk")
    ]


def _anonymise(queryset) -> int:
    """Remove the identity of registrations; status, audience and language stay for the counts."""
    count = 0
    for r in queryset.only("pk").iterator(chunk_size=2000):
        Registration.objects.filter(pk=r.pk).update(
            name=ERASED_NAME,
            email=f"erased-{r.pk}@erased.invalid",
            user=None,
            answers={},
            consent_text="",
            cancel_reason="",  # may be the person's own words
        )
        count += 1
    return count


def erase(user, emails, *, apply: bool = True) -> dict[str, int]:
    """Anonymise the person's registrations and unlink the events and messages they created.

    A message to registrants stays in its event's log (the organisers' record of what their
    participants were told) without who sent it, as an event stays without who created it."""
    registrations = Registration.objects.filter(_mine(user, emails)).exclude(name=ERASED_NAME)
    created = Event.objects.filter(created_by=user) if user is not None else Event.objects.none()
    sent = (
        EventMessage.objects.filter(sender=user)
        if user is not None
        else EventMessage.objects.none()
    )
    counts = {
        "event_registrations_anonymised": registrations.count(),
        "events_unlinked": created.count(),
        "event_messages_unlinked": sent.count(),
    }
    if apply:
        _anonymise(registrations)
        created.update(created_by=None)
        sent.update(sender=None)
    return counts


def _old_registrations(cutoff, apply: bool) -> int:
    """Registrations lose their identity ``limit`` days after their event ended."""
    old = Registration.objects.filter(event__end__lt=cutoff).exclude(name=ERASED_NAME)
    return _anonymise(old) if apply else old.count()


# ``RetentionRule()`` is the registration rule (``services.links`` reads its limit).
RetentionRule = partial(
    retention.RetentionRule,
    "registrations",
    "ECHOS_RETENTION_REGISTRATION_DAYS",
    365,
    "days",
    "remove names, e-mail addresses and answers of event registrations {limit} {unit} after "
    "the event ended (status, audience and language stay for the participation figures)",
    _old_registrations,
)


def retention_rules() -> list[retention.RetentionRule]:
    return [RetentionRule()]
