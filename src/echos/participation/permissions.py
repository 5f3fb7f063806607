"""Who may run consultations, answer proposals, moderate and export: predicates for pages and API."""

from echos.core.roles import is_network_coordinator
from echos.hubs.models import Hub, HubRole
from echos.hubs.permissions import can_change_stage, can_edit_hub
from echos.participation.models import Consultation


def can_run_consultations(user, hub: Hub) -> bool:
    """Open consultations and publish follow-ups: the hub's coordinators, editors and the network."""
    return can_edit_hub(user, hub)


def can_answer_proposals(user, hub: Hub) -> bool:
    """Give the hub's answer to a proposal: the hub's coordinators, editors and the network."""
    return can_edit_hub(user, hub)


def can_moderate(user, hub: Hub) -> bool:
    """Hide and restore contributions: the hub's coordinators (and above) and the network."""
    return can_change_stage(user, hub)


def can_export_answers(user, consultation: Consultation) -> bool:
    """Download all answers (without identities): the hub's coordinators and the network."""
    return can_change_stage(user, consultation.hub)


def can_read_free_text(user, consultation: Consultation) -> bool:
    """Free-text answers may hold personal details: moderators only."""
    return can_moderate(user, consultation.hub)


def can_see_moderation_queue(user) -> bool:
    """Anyone who coordinates a hub, or the network."""
    return is_network_coordinator(user) or bool(moderated_hub_ids(user))


def moderated_hub_ids(user) -> set[int] | None:
    """Hubs whose contributions the user moderates; None means every hub (the network)."""
    if is_network_coordinator(user):
        return None
    if not getattr(user, "is_authenticated", False):
        return set()
    ids: set[int] = set()
    for hub in Hub.objects.filter(roles__user=user, roles__role=HubRole.Role.COORDINATOR):
        ids |= {hub.pk, *hub.descendant_ids()}
    return ids
