"""Who may see and change a hub's operations model, its canvas, and the network's tables.

A hub's finances are its team's business: the coordinator (of the hub or of a hub above it) and
its editors read and change them. Network coordinators read every hub's model, and they alone keep
the EUR rate table and the network operations model; they do not edit a hub's own figures. Members
and the public see nothing of a hub's finances except its canvas once the hub publishes it.
"""

from echos.core.roles import is_network_coordinator
from echos.hubs.models import Hub, HubRole

TEAM_ROLES = (HubRole.Role.COORDINATOR, HubRole.Role.EDITOR)


def _roles(user) -> dict[int, str]:
    """The user's roles by hub id, read once per user object."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return {}
    cached = getattr(user, "_echos_continuity_roles", None)
    if cached is None:
        cached = dict(HubRole.objects.filter(user=user).values_list("hub_id", "role"))
        user._echos_continuity_roles = cached
    return cached


def is_team(user, hub: Hub) -> bool:
    """Coordinator or editor of the hub, or coordinator of a hub above it."""
    roles = _roles(user)
    if not roles:
        return False
    if roles.get(hub.pk) in TEAM_ROLES:
        return True
    return any(roles.get(h.pk) == HubRole.Role.COORDINATOR for h in hub.ancestors())


def can_view_model(user, hub: Hub) -> bool:
    """Streams, costs, projection, scenarios, risks and score: the team and the network."""
    return is_network_coordinator(user) or is_team(user, hub)


def can_edit_model(user, hub: Hub) -> bool:
    """Change the hub's own figures, canvas, scenarios and risks: its team only."""
    return is_team(user, hub)


def can_view_canvas(user, hub: Hub, *, published: bool) -> bool:
    """The canvas is public once published; before that only for those who see the model."""
    return published or can_view_model(user, hub)


def can_view_network(user) -> bool:
    """The network view and the network operations model: network coordinators."""
    return is_network_coordinator(user)


def can_edit_network(user) -> bool:
    """The EUR rate table and the network operations model: network coordinators."""
    return is_network_coordinator(user)
