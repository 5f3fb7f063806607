"""Who may organise which event and see its participants: predicates used by pages and API."""

from echos.hubs import permissions as hub_perms


def can_create_event(user, hub) -> bool:
    """Whoever edits a hub publishes its events."""
    return hub_perms.can_edit_hub(user, hub)


def can_manage_event(user, event) -> bool:
    """Organisers: editors of the organising hub or of a co-organising hub, and the network."""
    if hub_perms.is_network_coordinator(user):
        return True
    if not getattr(user, "is_authenticated", False):
        return False
    if hub_perms.can_edit_hub(user, event.hub):
        return True
    return any(hub_perms.can_edit_hub(user, hub) for hub in event.co_organisers.all())


def can_view_event(user, event) -> bool:
    """Drafts are seen by their organisers only."""
    return event.status != event.Status.DRAFT or can_manage_event(user, event)


def can_view_participants(user, event) -> bool:
    """Names and e-mails of participants: organisers only."""
    return can_manage_event(user, event)


def can_view_gap(user) -> bool:
    """The participation gap dashboard shows aggregates only; it is public."""
    return True
