"""Memberships of organisations in hubs: adding (confirmed at once or waiting for the
organisation), changing the role or period, removing."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from echos.core.audit import diff, log_action, snapshot
from echos.core.exceptions import Conflict, RuleViolation, guard
from echos.hubs import permissions as perms
from echos.hubs.models import Hub, Membership, Organisation
from echos.hubs.tasks import send_membership_request

MEMBERSHIP_FIELDS = ["role", "since", "until", "source", "is_demo"]


def validate_membership(m: Membership) -> None:
    """Period and overlap rules."""
    if m.role not in Membership.Role.values:
        raise RuleViolation(_("Unknown membership role %(role)r.") % {"role": m.role}, "role")
    if m.since and m.until and m.until < m.since:
        raise RuleViolation(_("A membership cannot end before it starts."), "until")
    others = Membership.objects.filter(hub_id=m.hub_id, organisation_id=m.organisation_id).exclude(
        pk=m.pk
    )
    for other in others:
        starts_before_other_ends = other.until is None or m.since is None or m.since <= other.until
        ends_after_other_starts = m.until is None or other.since is None or m.until >= other.since
        if starts_before_other_ends and ends_after_other_starts:
            raise Conflict(
                _("%(org)s is already a member of this hub for an overlapping period.")
                % {"org": m.organisation},
                "organisation",
            )


def confirmed_at_once(actor, organisation: Organisation) -> bool:
    """Whether a membership added by ``actor`` needs no confirmation: added by the system
    (``actor=None``) or by someone who decides for the organisation. Imports follow it too."""
    return actor is None or perms.can_decide_membership(
        actor, Membership(organisation=organisation)
    )


@transaction.atomic
def add_membership(*, actor, hub: Hub, organisation: Organisation, **fields) -> Membership:
    """Make an organisation a member of a hub.

    The hub's editors may list any organisation, a partner abroad included; the membership gives
    rights over the organisation (its details, its contacts) only when the hub is in the
    organisation's own country and the organisation confirmed it (``permissions.home_hubs``).
    It is confirmed at once when added by someone who may decide for the organisation (its own
    representative, the network) or by the system (``actor=None``: loaders, reverts, which may
    pass the ``status`` to restore); otherwise it waits, and the organisation's representatives
    are asked by e-mail.
    """
    guard(perms.can_edit_hub(actor, hub), actor)
    status = fields.pop("status", None)
    if status is not None and actor is not None:
        raise RuleViolation(
            _("The organisation confirms its membership itself; the hub cannot set it."), "status"
        )
    if status is not None and status not in Membership.Status.values:
        raise RuleViolation(_("Unknown confirmation state %(s)r.") % {"s": status}, "status")
    m = Membership(hub=hub, organisation=organisation, **fields)
    validate_membership(m)
    if status is None:
        confirmed = confirmed_at_once(actor, organisation)
        status = Membership.Status.CONFIRMED if confirmed else Membership.Status.PENDING
    m.status = status
    if status != Membership.Status.PENDING:
        m.decided_at = timezone.now()
        m.decided_by = actor if actor is not None and actor.is_authenticated else None
    m.save()
    log_action(
        actor=actor,
        action="hubs.membership.created",
        target=hub,
        data={"membership": m.pk, **snapshot(m, ["organisation", *MEMBERSHIP_FIELDS, "status"])},
    )
    if m.is_pending:
        _request_confirmation_after_commit(m)
    return m


def _request_confirmation_after_commit(membership: Membership) -> None:
    """Queue the request to the representatives once the membership is stored (a rollback sends
    nothing); an organisation nobody represents waits in the network's list instead."""
    pk = membership.pk
    transaction.on_commit(lambda: send_membership_request(pk))


@transaction.atomic
def update_membership(*, actor, membership: Membership, **changes) -> Membership:
    """Change role or period of a membership (ending it sets ``until``)."""
    guard(perms.can_edit_hub(actor, membership.hub), actor)
    before = snapshot(membership, MEMBERSHIP_FIELDS)
    for key, value in changes.items():
        if key not in MEMBERSHIP_FIELDS:
            raise RuleViolation(_("Unknown field."), key)
        setattr(membership, key, value)
    validate_membership(membership)
    membership.save()
    changed = diff(before, snapshot(membership, MEMBERSHIP_FIELDS))
    if changed:
        log_action(
            actor=actor,
            action="hubs.membership.updated",
            target=membership.hub,
            data={
                "membership": membership.pk,
                "organisation": membership.organisation_id,
                "changed": changed,
            },
        )
    return membership


@transaction.atomic
def delete_membership(*, actor, membership: Membership) -> None:
    """Remove a membership recorded by mistake (to end one, set ``until``)."""
    guard(perms.can_edit_hub(actor, membership.hub), actor)
    log_action(
        actor=actor,
        action="hubs.membership.deleted",
        target=membership.hub,
        data={
            "membership": membership.pk,
            **snapshot(membership, ["organisation", *MEMBERSHIP_FIELDS, "status"]),
        },
    )
    membership.delete()
