"""Who may organise which event and see its participants: predicates used by pages and API."""

from django.db.models import Q

from echos.events.models import Event
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


def venue_visible_filter(user) -> Q:
    """Events whose venue and address ``user`` sees in lists: public ones, and the ones they
    organise. Text search matches a venue only there, so that a venue shown to registered
    participants only cannot be guessed word by word (same rule as the API's details)."""
    public = Q(link_visibility=Event.LinkVisibility.PUBLIC)
    if hub_perms.is_network_coordinator(user):
        return Q()
    if not getattr(user, "is_authenticated", False):
        return public
    hubs = hub_perms.editable_hubs(user).values("pk")
    organised = Event.objects.filter(Q(hub__in=hubs) | Q(co_organisers__in=hubs)).values("pk")
    return public | Q(pk__in=organised)


def can_view_participants(user, event) -> bool:
    """Names and e-mails of participants: organisers only."""
    return can_manage_event(user, event)


def can_view_gap(user) -> bool:
    """The participation gap dashboard shows aggregates only; it is public."""
    return True
