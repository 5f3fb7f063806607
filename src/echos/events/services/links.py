"""Personal links of registrations: a signed token in every e-mail (manage, confirm, accept, cancel).

The signature proves the link; it works until the event's end plus the registration retention period,
read from the event at use (a postponed event keeps its links working).
"""

from datetime import datetime, timedelta

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from echos.core.abuse import make_token, read_token
from echos.core.exceptions import RuleViolation
from echos.events.models import Event, Registration
from echos.events.privacy import RetentionRule


def personal_token(registration: Registration) -> str:
    """The token of the personal link in every e-mail (manage, confirm, accept, cancel)."""
    return make_token("registration", registration.pk)


class LinkExpired(RuleViolation):
    """A personal link used after its lifetime; the page names the organiser to contact."""

    status = 410

    def __init__(self, message: str, event: Event):
        super().__init__(message, "token")
        self.event = event


def link_lifetime_days() -> int:
    """Days a personal link works after its event ended: the registration retention period
    (``ECHOS_RETENTION_REGISTRATION_DAYS``, after which the registration is anonymised anyway),
    or the rule's default when that rule is switched off."""
    rule = RetentionRule()
    return rule.limit if rule.limit > 0 else rule.default


def link_expires_at(event: Event) -> datetime:
    """When the personal links of the event's registrations stop working."""
    return event.end + timedelta(days=link_lifetime_days())


def registration_from_token(token: str, now=None) -> Registration:
    """The registration of a personal link; RuleViolation if forged, LinkExpired once too old.

    The signature proves the link; its lifetime runs to the event's end plus the retention period
    (read from the event at use, so a postponed event keeps its links working).
    """
    pk = read_token("registration", token)
    registration = Registration.objects.select_related("event__hub").filter(pk=pk).first()
    if registration is None:
        raise RuleViolation(_("This registration no longer exists."), "token")
    if (now or timezone.now()) > link_expires_at(registration.event):
        raise LinkExpired(
            _("This link has expired; contact the organiser of the event."), registration.event
        )
    return registration


def personal_url(registration: Registration) -> str:
    return settings.SITE_URL.rstrip("/") + reverse(
        "events:registration", args=[personal_token(registration)]
    )
