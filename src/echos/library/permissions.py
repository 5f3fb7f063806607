"""Who may read, add and change which resource: predicates shared by pages and the API.

Reading follows ``visibility`` (``Resource.objects.visible_to`` is the same rule as a query).
A resource's owners are the person who uploaded it, the team of its hub when it has one (those who
edit the hub: its editors and coordinators, and coordinators of the hubs above) and the network.
Adding needs an account; adding for a hub needs to edit that hub. A hub's stakeholder members
read its team-only resources but do not own them.
"""

from echos.core.roles import is_network_coordinator
from echos.hubs import permissions as hub_perms
from echos.hubs.models import Hub, HubRole, Organisation
from echos.library.models import Resource, Visibility


def _signed_in(user) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_active)


def on_team(user, hub: Hub) -> bool:
    """Any role on the hub, or coordinating a hub above it."""
    if not _signed_in(user):
        return False
    if HubRole.objects.filter(user=user, hub=hub).exists():
        return True
    return hub_perms.can_edit_hub(user, hub)


def can_view_resource(user, resource: Resource) -> bool:
    """Public: anyone; network: any signed-in member; hub: that hub's team. Owners always."""
    if resource.visibility == Visibility.PUBLIC or is_network_coordinator(user):
        return True
    if not _signed_in(user):
        return False
    if resource.created_by_id == user.pk or resource.visibility == Visibility.NETWORK:
        return True
    return resource.hub is not None and on_team(user, resource.hub)


def can_add_resource(user, hub: Hub | None = None) -> bool:
    """Any signed-in member adds resources; for a hub, only those who edit the hub (who then own
    the resource with the uploader)."""
    if not _signed_in(user):
        return False
    return hub is None or hub_perms.can_edit_hub(user, hub)


def can_credit_organisation(user, organisation: Organisation) -> bool:
    """Name an organisation as a resource's source: those who may edit the organisation (its
    representatives, editors of its home hubs, the network), so nobody signs for others."""
    return _signed_in(user) and hub_perms.can_edit_organisation(user, organisation)


def can_edit_resource(user, resource: Resource) -> bool:
    """Owners: the uploader, those who edit its hub, the network."""
    if not _signed_in(user):
        return False
    if is_network_coordinator(user) or resource.created_by_id == user.pk:
        return True
    return resource.hub is not None and hub_perms.can_edit_hub(user, resource.hub)


def can_delete_resource(user, resource: Resource) -> bool:
    """The same owners delete it (with every version)."""
    return can_edit_resource(user, resource)
