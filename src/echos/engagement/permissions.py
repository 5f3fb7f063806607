"""Who may read and write a hub's engagement records: the hub predicates, applied to records."""

from echos.hubs import permissions as hub_perms
from echos.hubs.models import HubRole


def can_view_records(user, hub) -> bool:
    """Engagement records name organisations and groups, never people: they are public."""
    return hub_perms.can_view_hub(user, hub)


def can_record_engagement(user, hub) -> bool:
    """Whoever edits the hub (its editors, coordinators at or above it, the network) records."""
    return hub_perms.can_edit_hub(user, hub)


def can_change_record(user, record) -> bool:
    """Edit or delete a record: the same people who may record for its hub."""
    return hub_perms.can_edit_hub(user, record.hub)


def can_turn_into_activity(user, record) -> bool:
    """Turning a record into a synergy activity writes an activity of the hub."""
    return hub_perms.can_edit_hub(user, record.hub)


def can_view_follow_ups(user, hub) -> bool:
    """Follow-up actions name their owners (accounts): the hub's team only (any role on the hub,
    its editors and coordinators at or above it, the network)."""
    if hub_perms.can_edit_hub(user, hub):
        return True
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    return HubRole.objects.filter(user=user, hub=hub).exists()


def can_manage_follow_ups(user, hub) -> bool:
    """Add, change, complete or cancel follow-ups: whoever records engagements for the hub."""
    return hub_perms.can_edit_hub(user, hub)
