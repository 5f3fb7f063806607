"""Background work of the hubs capability (see settings.HUEY): membership confirmation requests."""

from huey.contrib.djhuey import db_task

from echos.hubs.models import Membership


@db_task(retries=3, retry_delay=60)
def send_membership_request(membership_id: int) -> int:
    """Ask the organisation's representatives to confirm a membership; retried when the mail
    server is unavailable. Answers how many addresses were written to."""
    # cycle: the membership services queue this task (services.memberships imports this module)
    from echos.hubs import services

    membership = (
        Membership.objects.select_related("hub", "organisation").filter(pk=membership_id).first()
    )
    if membership is None or not membership.is_pending:  # removed or decided meanwhile
        return 0
    return services.send_membership_request_now(membership)


@db_task(retries=3, retry_delay=60)
def send_invitation_email(invitation_id: int, raw: str, language: str) -> bool:
    """Send a team invitation; retried when the mail server is unavailable."""
    # cycle: the invitation services queue this task
    from echos.hubs.models import Invitation
    from echos.hubs.services import invitations

    invitation = Invitation.objects.select_related("hub", "invited_by").filter(pk=invitation_id)
    found = invitation.first()
    if found is None:  # erased meanwhile
        return False
    return invitations.send_invitation_now(found, raw, language)
