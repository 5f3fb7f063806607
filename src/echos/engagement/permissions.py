"""Who may read and write a hub's engagement records: the hub predicates, applied to records."""

from echos.hubs import permissions as hub_perms


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
