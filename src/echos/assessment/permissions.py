"""Who may answer, read and manage assessments (predicates shared by pages and API)."""

from typing import cast

from echos.assessment.models import ConsensusRound, Response
from echos.hubs import permissions as hub_perms
from echos.hubs.models import Hub, HubRole
from echos.questionnaires.models import Instrument


def can_answer_for(user, hub: Hub | None) -> bool:
    """Answer an instrument for a hub (its editors and coordinators) or a country (the network)."""
    if hub is None:
        return hub_perms.is_network_coordinator(user)
    return hub_perms.can_edit_hub(user, hub)


def can_read_response(user, response: Response) -> bool:
    """Individual answers: public ones, the respondent, the hub's team and the network."""
    if response.is_public and response.status != Response.Status.DRAFT:
        return True
    if getattr(user, "is_authenticated", False) and response.respondent_id == user.pk:
        return True
    if response.hub_id is None:
        return hub_perms.is_network_coordinator(user)
    return hub_perms.can_edit_hub(user, cast(Hub, response.hub))  # hub_id is set


def can_edit_response(user, response: Response) -> bool:
    """Only the respondent changes a draft; nobody changes a submitted response."""
    return (
        response.status == Response.Status.DRAFT
        and getattr(user, "is_authenticated", False)
        and response.respondent_id == user.pk
    )


def can_manage_round(user, hub: Hub) -> bool:
    """Open a consensus round and record its outcome: the hub's coordinators and the network."""
    return hub_perms.can_change_stage(user, hub)


def can_rate_in_round(user, round: ConsensusRound) -> bool:
    """Any member of the hub's team (coordinator, editor, stakeholder member) rates individually."""
    if round.status != ConsensusRound.Status.OPEN or not getattr(user, "is_authenticated", False):
        return False
    if hub_perms.can_edit_hub(user, round.hub):
        return True
    return HubRole.objects.filter(user=user, hub=round.hub).exists()


def can_view_private_scores(user, hub: Hub) -> bool:
    """A hub's private maturity results (scores, history): its team and the network."""
    return (
        hub_perms.can_edit_hub(user, hub)
        # An anonymous user has no pk: None matches no role.
        or HubRole.objects.filter(user_id=getattr(user, "pk", None), hub=hub).exists()  # type: ignore[misc]
    )


def can_view_hub_scores(user, hub: Hub) -> bool:
    """Scores and radar of a hub: its team, the network, or anyone when its latest maturity
    self-assessment is public (public answers to another instrument, such as the mapping survey,
    open nothing)."""
    if can_view_private_scores(user, hub):
        return True
    return (
        Response.objects.submitted()
        .official()
        .filter(hub=hub, instrument__kind=Instrument.Kind.MATURITY, is_public=True)
        .exists()
    )


def hubs_with_visible_private_scores(user) -> set[int] | None:
    """Ids of the hubs whose private maturity results ``user`` may see; None means every hub.

    The set form of ``can_view_private_scores`` for lists of peers (two queries at most).
    """
    if hub_perms.is_network_coordinator(user):
        return None
    if not getattr(user, "is_authenticated", False):
        return set()
    ids = set(HubRole.objects.filter(user=user).values_list("hub_id", flat=True))
    if ids:
        ids |= set(hub_perms.editable_hubs(user).values_list("pk", flat=True))
    return ids


def can_view_network(user) -> bool:
    """The network view and the mapping analysis show every country's answers: the secretariat's."""
    return hub_perms.is_network_coordinator(user)
