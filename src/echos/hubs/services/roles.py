"""Roles of users on hubs (coordinator, editor…)."""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from echos.core.audit import log_action
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
