"""Who may read and change roadmaps, sessions, commitments, twinnings and support requests.

The rules are the hubs' rules applied to exchange objects: a hub's team (its editors, coordinators
at or above it) edits what belongs to its hub, network coordinators edit everything, and nobody
edits another hub's roadmap, agreement or request.
"""

from echos.core.roles import is_network_coordinator
from echos.events import permissions as event_perms
from echos.exchange.models import Commitment, ExchangeSession, Roadmap, SupportRequest, Twinning
from echos.hubs import permissions as hub_perms
from echos.hubs.models import Hub, HubRole


def signed_in(user) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_active)


def team_hub_ids(user) -> set[int] | None:
    """Hubs whose team the user is on (any role, sub-hubs of coordinated hubs included);
    None for network coordinators (every hub)."""
    if is_network_coordinator(user):
        return None
    if not signed_in(user):
        return set()
    ids = set(hub_perms.editable_hubs(user).values_list("pk", flat=True))
    ids |= set(HubRole.objects.filter(user=user).values_list("hub_id", flat=True))
    return ids


def editable_hub_ids(user) -> set[int] | None:
    """Hubs the user edits; None for network coordinators (every hub)."""
    if is_network_coordinator(user):
        return None
    if not signed_in(user):
        return set()
    return set(hub_perms.editable_hubs(user).values_list("pk", flat=True))


def can_see_owners(user) -> bool:
    """Named owners of steps and commitments are people: shown to the hubs' teams and the network
    (signed in with a role), never to the public."""
    ids = team_hub_ids(user)
    return ids is None or bool(ids)


def can_view_roadmap(user, roadmap: Roadmap) -> bool:
    """Roadmaps show how a country is getting its hub: public, like the registry."""
    return True


def can_edit_roadmap(user, roadmap: Roadmap) -> bool:
    """The team of the country's national hub, and the network (which helps countries with no hub)."""
    if is_network_coordinator(user):
        return True
    hub = roadmap.national_hub
    return hub is not None and hub_perms.can_edit_hub(user, hub)


def can_create_roadmap(user, country_code: str) -> bool:
    """Start a roadmap: the network, or the team of the country's national hub."""
    if is_network_coordinator(user):
        return True
    hub = Hub.objects.national().filter(country_id=country_code).first()
    return hub is not None and hub_perms.can_edit_hub(user, hub)


def can_record_stage(user, hub: Hub) -> bool:
    """Recording the stage a roadmap reached is the lifecycle's own right."""
    return hub_perms.can_change_stage(user, hub)


def can_create_session(user, hub: Hub) -> bool:
    """Whoever publishes the host hub's events organises its sessions."""
    return event_perms.can_create_event(user, hub)


def can_view_session(user, session: ExchangeSession) -> bool:
    """Sessions are seen where their event is seen (drafts by organisers only)."""
    return event_perms.can_view_event(user, session.event)


def can_manage_session(user, session: ExchangeSession) -> bool:
    """The event's organisers edit the exchange fields, invitations and commitments."""
    return event_perms.can_manage_event(user, session.event)


def can_view_invitations(user, session: ExchangeSession) -> bool:
    """Invitees are named: the organisers only."""
    return can_manage_session(user, session)


def can_update_commitment(user, commitment: Commitment) -> bool:
    """Mark done or change a commitment: the session's organisers and the committed hub's team."""
    return can_manage_session(user, commitment.session) or hub_perms.can_edit_hub(
        user, commitment.hub
    )


def can_view_twinning(user, twinning: Twinning) -> bool:
    """Agreements carry self-rated levels: the twinned hubs' teams and the network."""
    ids = team_hub_ids(user)
    if ids is None:
        return True
    return any(h.pk in ids for h in twinning.hubs.all())


def can_edit_twinning(user, twinning: Twinning) -> bool:
    """Edit an agreement: editors of one of its hubs, and the network."""
    if is_network_coordinator(user):
        return True
    return any(hub_perms.can_edit_hub(user, h) for h in twinning.hubs.all())


def can_create_twinning(user, hubs: list[Hub]) -> bool:
    """A hub's team may twin its own hub with others; the network twins any hubs."""
    if is_network_coordinator(user):
        return True
    return any(hub_perms.can_edit_hub(user, h) for h in hubs)


def can_view_request(user, request: SupportRequest) -> bool:
    """Network-visible requests: every signed-in user; private ones: the asking hub's team, the
    hubs asked and the network."""
    ids = team_hub_ids(user)
    if ids is None:
        return True
    if not signed_in(user):
        return False
    if request.visibility == SupportRequest.Visibility.NETWORK:
        return True
    if request.hub_id in ids:
        return True
    return request.asked_hubs.filter(pk__in=ids).exists()


def can_create_request(user, hub: Hub) -> bool:
    """A hub's team asks in its hub's name."""
    return hub_perms.can_edit_hub(user, hub)


def can_manage_request(user, request: SupportRequest) -> bool:
    """Change, close or reopen a request: the asking hub's team and the network."""
    return hub_perms.can_edit_hub(user, request.hub)


def can_answer_request(user, request: SupportRequest) -> bool:
    """Whoever may read an open request and belongs to a hub's team (or the network) answers."""
    if request.status == SupportRequest.Status.CLOSED:
        return False
    if not can_view_request(user, request):
        return False
    ids = team_hub_ids(user)
    return ids is None or bool(ids)
