"""Who may do what to which hub, organisation and contact: predicates used by pages and API."""

from echos.core.roles import is_network_coordinator
from echos.hubs.models import Hub, HubRole, Membership, Organisation


def _roles(user) -> dict[int, str]:
    """The user's roles by hub id, read once per user object."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return {}
    cached = getattr(user, "_echos_hub_roles", None)
    if cached is None:
        cached = dict(HubRole.objects.filter(user=user).values_list("hub_id", "role"))
        user._echos_hub_roles = cached
    return cached


def _coordinates(user, hub: Hub) -> bool:
    """Coordinator of this hub or of any hub above it."""
    roles = _roles(user)
    if not roles:
        return False
    return any(roles.get(h.pk) == HubRole.Role.COORDINATOR for h in [hub, *hub.ancestors()])


def can_view_hub(user, hub: Hub) -> bool:
    """The registry is public."""
    return True


def can_edit_hub(user, hub: Hub) -> bool:
    """Edit profile and memberships: network, coordinators above or at the hub, its editors."""
    if is_network_coordinator(user):
        return True
    if _roles(user).get(hub.pk) == HubRole.Role.EDITOR:
        return True
    return _coordinates(user, hub)


def can_change_stage(user, hub: Hub) -> bool:
    """Record lifecycle changes: network and coordinators (not editors)."""
    return is_network_coordinator(user) or _coordinates(user, hub)


def can_delete_hub(user, hub: Hub) -> bool:
    """Delete a hub: network coordinators, or the coordinator of a hub above it."""
    if is_network_coordinator(user):
        return True
    return any(_coordinates(user, h) for h in hub.ancestors()[:1])


def can_create_hub(user, *, parent: Hub | None) -> bool:
    """National hubs are created by the network; sub-hubs by whoever coordinates the parent."""
    if is_network_coordinator(user):
        return True
    return parent is not None and _coordinates(user, parent)


def can_manage_roles(user, hub: Hub) -> bool:
    """Grant editor and member roles on a hub."""
    return can_change_stage(user, hub)


def home_hubs(organisation: Organisation) -> list[Hub]:
    """Hubs that answer for an organisation: its current, confirmed memberships in hubs of its own
    country.

    An organisation's details and contacts belong to the hubs of the country where it is
    registered. A hub abroad may list it as a member (partners across borders are legitimate),
    but such a membership confers no right over it: otherwise an editor anywhere could add any
    organisation of Europe to their hub and take over its record and its people's personal data.
    Within the country, too, a membership counts only once the organisation's representatives (or
    the network) confirmed it: otherwise adding an organisation to one's hub would be enough to
    read its contacts.
    """
    ids = (
        Membership.objects.current()
        .confirmed()
        .filter(organisation=organisation, hub__country_id=organisation.country_id)
        .values_list("hub_id", flat=True)
    )
    return list(Hub.objects.filter(pk__in=list(ids)).select_related("parent__parent"))


def _represents(user, organisation: Organisation) -> bool:
    """The user's account is one of the organisation's contact people."""
    if not getattr(user, "is_authenticated", False):
        return False
    return organisation.contacts.filter(user=user).exists()


def can_edit_organisation(user, organisation: Organisation) -> bool:
    """Network, the people who represent it, and editors of a hub of its own country it belongs to.

    A membership of a hub in another country lists the organisation there but grants nothing.
    """
    if is_network_coordinator(user) or _represents(user, organisation):
        return True
    if not _roles(user):
        return False
    return any(can_edit_hub(user, hub) for hub in home_hubs(organisation))


def can_decide_membership(user, membership: Membership) -> bool:
    """Confirm or decline a membership: the organisation's own representatives, or the network
    (which answers for organisations nobody represents yet). The hub's team may not: the point is
    the organisation's consent."""
    return is_network_coordinator(user) or _represents(user, membership.organisation)


def decidable_memberships(user):
    """Memberships awaiting a decision the user may take (the network: every one)."""
    pending = Membership.objects.pending()
    if is_network_coordinator(user):
        return pending
    if not getattr(user, "is_authenticated", False):
        return pending.none()
    return pending.filter(organisation__contacts__user=user).distinct()


def can_delete_organisation(user, organisation: Organisation) -> bool:
    """Organisations are shared by hubs, so only the network deletes them."""
    return is_network_coordinator(user)


def can_view_contacts(user, organisation: Organisation) -> bool:
    """Personal contact data: only those who work with the organisation."""
    return can_edit_organisation(user, organisation)


def can_view_audit(user) -> bool:
    """The audit log is for network coordinators."""
    return is_network_coordinator(user)


def editable_hubs(user):
    """Hubs the user may edit (for pickers and import targets)."""
    if is_network_coordinator(user):
        return Hub.objects.all()
    roles = _roles(user)
    ids = {pk for pk, r in roles.items() if r in (HubRole.Role.COORDINATOR, HubRole.Role.EDITOR)}
    for hub in Hub.objects.filter(
        pk__in=[pk for pk, r in roles.items() if r == HubRole.Role.COORDINATOR]
    ):
        ids |= hub.descendant_ids()
    return Hub.objects.filter(pk__in=ids)
