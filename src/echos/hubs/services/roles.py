"""Roles of users on hubs (coordinator, editor…)."""

from datetime import datetime

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from echos.core.audit import entries_for, log_action
from echos.core.exceptions import RuleViolation, guard
from echos.hubs import permissions as perms
from echos.hubs.models import Hub, HubRole


@transaction.atomic
def grant_role(*, actor, hub: Hub, user, role: str) -> HubRole:
    """Give a user a role on a hub (replacing any earlier role there)."""
    guard(perms.can_manage_roles(actor, hub), actor)
    if role not in HubRole.Role.values:
        raise RuleViolation(_("Unknown role %(role)r.") % {"role": role}, "role")
    if (
        role == HubRole.Role.COORDINATOR
        and actor is not None
        and not perms.is_network_coordinator(actor)
    ):
        if not any(perms._coordinates(actor, h) for h in hub.ancestors()):
            raise PermissionDenied(
                _("Only the network or a coordinator above may appoint a coordinator.")
            )
    obj, _created = HubRole.objects.update_or_create(user=user, hub=hub, defaults={"role": role})
    log_action(
        actor=actor, action="hubs.role.granted", target=hub, data={"user": user.pk, "role": role}
    )
    return obj


# --- The hub's team page (issue #16): who may grant what, change and remove roles ----------------


def may_grant(actor, hub: Hub, role: str) -> bool:
    """The rule ``grant_role`` applies: whoever manages the hub's roles grants editor and member;
    a coordinator only the network or a coordinator of a hub above."""
    if not perms.can_manage_roles(actor, hub):
        return False
    if role != HubRole.Role.COORDINATOR or perms.is_network_coordinator(actor):
        return True
    return any(perms._coordinates(actor, h) for h in hub.ancestors())


def grantable_roles(actor, hub: Hub) -> list[tuple[str, str]]:
    """The roles ``actor`` may give on ``hub``, as (value, label) choices."""
    return [
        (value, str(label)) for value, label in HubRole.Role.choices if may_grant(actor, hub, value)
    ]


def _check_change(actor, role: HubRole, new: str | None) -> None:
    """Refuse a change (``new``) or removal (``None``) the rules forbid."""
    hub = role.hub
    guard(perms.can_manage_roles(actor, hub), actor)
    if new not in (None, *HubRole.Role.values):
        raise RuleViolation(_("Unknown role %(role)r.") % {"role": new}, "role")
    if actor is None:
        return
    if role.user_id == actor.pk and not perms.is_network_coordinator(actor):
        raise RuleViolation(
            _("You cannot change or remove your own role; ask another coordinator."), "role"
        )
    # Taking a coordinator's role away needs the same right as giving it.
    touches_coordinator = HubRole.Role.COORDINATOR in (role.role, new)
    if touches_coordinator and not may_grant(actor, hub, HubRole.Role.COORDINATOR):
        raise PermissionDenied(
            _("Only the network or a coordinator above may appoint or remove a coordinator.")
        )


def _is_last_coordinator(role: HubRole) -> bool:
    if role.role != HubRole.Role.COORDINATOR:
        return False
    return (
        not HubRole.objects.filter(hub_id=role.hub_id, role=HubRole.Role.COORDINATOR)
        .exclude(pk=role.pk)
        .exists()
    )


@transaction.atomic
def change_role(*, actor, role: HubRole, new_role: str) -> HubRole:
    """Give a team member another role on the same hub (never the hub's last coordinator away)."""
    role = HubRole.objects.select_for_update().select_related("hub", "user").get(pk=role.pk)
    _check_change(actor, role, new_role)
    if new_role == role.role:
        return role
    if _is_last_coordinator(role):
        raise RuleViolation(
            _("This is the hub's only coordinator: appoint another coordinator first."), "role"
        )
    old = role.role
    role.role = new_role
    role.save(update_fields=["role"])
    log_action(
        actor=actor,
        action="hubs.role.changed",
        target=role.hub,
        data={"user": role.user_id, "role": [old, new_role]},
    )
    return role


@transaction.atomic
def remove_role(*, actor, role: HubRole) -> None:
    """Take a user off the hub's team (never the hub's last coordinator)."""
    role = HubRole.objects.select_for_update().select_related("hub", "user").get(pk=role.pk)
    _check_change(actor, role, None)
    if _is_last_coordinator(role):
        raise RuleViolation(
            _("This is the hub's only coordinator: appoint another coordinator first."), "role"
        )
    log_action(
        actor=actor,
        action="hubs.role.removed",
        target=role.hub,
        data={"user": role.user_id, "role": role.role},
    )
    role.delete()


def roles_since(hub: Hub) -> dict[int, datetime]:
    """When each user got their current role on ``hub``, from the audit log (newest entry per
    user); a role given before the log existed has none."""
    since: dict[int, datetime] = {}
    entries = entries_for(hub).filter(action__in=("hubs.role.granted", "hubs.role.changed"))
    for entry in entries.select_related(None).only("data", "at"):
        user = entry.data.get("user")
        if isinstance(user, int) and user not in since:
            since[user] = entry.at
    return since
