"""An organisation's answer to a hub that lists it: the request e-mailed to its
representatives, then its confirmation or refusal."""

from typing import cast

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from echos.core.audit import log_action
from echos.core.exceptions import Conflict, guard
from echos.core.models import User
from echos.hubs import permissions as perms
from echos.hubs.models import Membership, Organisation, Person


def representatives(organisation: Organisation) -> list[Person]:
    """The organisation's contact people who have an active account: those who decide for it."""
    return list(
        organisation.contacts.filter(user__isnull=False, user__is_active=True).select_related(
            "user"
        )
    )


def send_membership_request_now(membership: Membership) -> int:
    """E-mail the organisation's representatives that a hub lists it and waits for their answer."""
    recipients = sorted(
        {p.email or cast(User, p.user).email for p in representatives(membership.organisation)}
        - {""}
    )
    if not recipients:
        return 0
    base = settings.SITE_URL.rstrip("/")
    context = {
        "membership": membership,
        "hub_url": base + membership.hub.get_absolute_url(),
        "requests_url": base + reverse("hubs:membership_requests"),
    }
    with translation.override(settings.LANGUAGE_CODE):
        body = render_to_string("hubs/membership_request_email.txt", context)
        subject = _("%(hub)s lists %(org)s as a member: please confirm") % {
            "hub": membership.hub,
            "org": membership.organisation,
        }
    # One message per address: representatives do not see each other's e-mail addresses.
    for address in recipients:
        send_mail(subject, body, None, [address])
    return len(recipients)


def _decide_membership(*, actor, membership: Membership, status: str, action: str) -> Membership:
    guard(perms.can_decide_membership(actor, membership), actor)
    if membership.status == status:
        already: dict[str, str] = {
            Membership.Status.CONFIRMED: _("This membership is already confirmed."),
            Membership.Status.DECLINED: _("This membership is already declined."),
        }
        raise Conflict(already[status], "status")
    previous = membership.status
    membership.status = status
    membership.decided_at = timezone.now()
    membership.decided_by = actor if actor is not None and actor.is_authenticated else None
    membership.save(update_fields=["status", "decided_at", "decided_by"])
    log_action(
        actor=actor,
        action=action,
        target=membership.hub,
        data={
            "membership": membership.pk,
            "organisation": membership.organisation_id,
            "changed": {"status": [previous, status]},
        },
    )
    return membership


@transaction.atomic
def confirm_membership(*, actor, membership: Membership) -> Membership:
    """The organisation (its representative, or the network) confirms that it belongs to the hub:
    from now on the hub's team may edit it and see its contacts (if the hub is in its country)."""
    membership = Membership.objects.select_for_update().get(pk=membership.pk)
    return _decide_membership(
        actor=actor,
        membership=membership,
        status=Membership.Status.CONFIRMED,
        action="hubs.membership.confirmed",
    )


@transaction.atomic
def decline_membership(*, actor, membership: Membership) -> Membership:
    """The organisation says it does not belong to the hub (or no longer wants the hub to hold
    rights over it): the membership stays listed for the hub's team, marked declined, and grants
    nothing."""
    membership = Membership.objects.select_for_update().get(pk=membership.pk)
    return _decide_membership(
        actor=actor,
        membership=membership,
        status=Membership.Status.DECLINED,
        action="hubs.membership.declined",
    )
