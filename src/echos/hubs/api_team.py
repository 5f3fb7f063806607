"""The hub's team in the API: roles and invitations (issue #16), mounted on the hubs router."""

from typing import Annotated

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from ninja import Router, Schema, Status
from pydantic import Field

from echos.core.api import TokenAuth, one_of, page_of, paginate
from echos.hubs import permissions as perms
from echos.hubs.models import Hub, HubRole, Invitation
from echos.hubs.services import invitations, roles

router = Router(tags=["team"])
auth = TokenAuth()


# --- the hub's team: roles and invitations (issue #16) -------------------------------------------
# Accepting an invitation is not an API call: it needs the e-mailed link and a signed-in session
# that passed the second factor (the page /invitations/<token>/).


class TeamRoleOut(Schema):
    id: int
    user: int
    username: str
    role: str
    since: str | None


class TeamRolePatch(Schema):
    role: Annotated[str, one_of(HubRole.Role)]


class TeamInvitationIn(Schema):
    email: str = Field(max_length=254)
    role: Annotated[str, one_of(HubRole.Role)]


class TeamInvitationOut(Schema):
    id: int
    hub: int
    email: str
    role: str
    state: str = Field(description="pending, accepted, revoked or expired")
    invited_by: int | None
    sent_at: str
    expires_at: str
    accepted_at: str | None
    revoked_at: str | None


def invitation_out(i: Invitation) -> dict:
    return {
        "id": i.pk,
        "hub": i.hub_id,
        "email": i.email,
        "role": i.role,
        "state": i.state,
        "invited_by": i.invited_by_id,
        "sent_at": i.sent_at.isoformat(),
        "expires_at": i.expires_at.isoformat(),
        "accepted_at": i.accepted_at.isoformat() if i.accepted_at else None,
        "revoked_at": i.revoked_at.isoformat() if i.revoked_at else None,
    }


def _team_hub(request, hub_id: int) -> Hub:
    hub = get_object_or_404(Hub, pk=hub_id)
    if not perms.can_manage_roles(request.user, hub):
        raise PermissionDenied
    return hub


@router.get("/hubs/{hub_id}/team", response=page_of(TeamRoleOut), auth=auth, tags=["team"])
def list_team(request, hub_id: int, limit: int = 100, offset: int = 0):
    """The hub's roles (coordinators of the hub or above, and the network)."""
    hub = _team_hub(request, hub_id)
    since = roles.roles_since(hub)

    def out(r: HubRole) -> dict:
        at = since.get(r.user_id)
        return {
            "id": r.pk,
            "user": r.user_id,
            "username": r.user.username,
            "role": r.role,
            "since": at.isoformat() if at else None,
        }

    team = hub.roles.select_related("user").order_by("role", "user__username")
    return paginate(team, limit, offset, out)


@router.patch("/hubs/{hub_id}/team/{role_id}", response=TeamRoleOut, auth=auth, tags=["team"])
def change_team_role(request, hub_id: int, role_id: int, payload: TeamRolePatch):
    hub = _team_hub(request, hub_id)
    role = roles.change_role(
        actor=request.user,
        role=get_object_or_404(HubRole, pk=role_id, hub=hub),
        new_role=payload.role,
    )
    at = roles.roles_since(hub).get(role.user_id)
    return {
        "id": role.pk,
        "user": role.user_id,
        "username": role.user.username,
        "role": role.role,
        "since": at.isoformat() if at else None,
    }


@router.delete("/hubs/{hub_id}/team/{role_id}", response={204: None}, auth=auth, tags=["team"])
def remove_team_role(request, hub_id: int, role_id: int):
    hub = _team_hub(request, hub_id)
    roles.remove_role(actor=request.user, role=get_object_or_404(HubRole, pk=role_id, hub=hub))
    return Status(204, None)


@router.get(
    "/hubs/{hub_id}/invitations", response=page_of(TeamInvitationOut), auth=auth, tags=["team"]
)
def list_invitations(request, hub_id: int, limit: int = 100, offset: int = 0):
    hub = _team_hub(request, hub_id)
    return paginate(hub.invitations.all(), limit, offset, invitation_out)


@router.post(
    "/hubs/{hub_id}/invitations", response={201: TeamInvitationOut}, auth=auth, tags=["team"]
)
def create_invitation(request, hub_id: int, payload: TeamInvitationIn):
    """Invite an e-mail address to a role; the link goes out by e-mail only."""
    hub = get_object_or_404(Hub, pk=hub_id)
    invitation, _raw = invitations.invite(
        actor=request.user, hub=hub, email=payload.email, role=payload.role
    )
    return Status(201, invitation_out(invitation))


@router.post(
    "/hubs/{hub_id}/invitations/{invitation_id}/{action}",
    response=TeamInvitationOut,
    auth=auth,
    tags=["team"],
)
def act_on_invitation(
    request, hub_id: int, invitation_id: int, action: Annotated[str, one_of(("resend", "revoke"))]
):
    """Resend (a new link; the old one stops working) or revoke an invitation."""
    hub = _team_hub(request, hub_id)
    invitation = get_object_or_404(Invitation, pk=invitation_id, hub=hub)
    if action == "revoke":
        invitation = invitations.revoke(actor=request.user, invitation=invitation)
    else:
        invitation, _raw = invitations.resend(actor=request.user, invitation=invitation)
    return invitation_out(invitation)
