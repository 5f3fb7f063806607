"""Revert handlers of the network of support, registered with ``core.revert.reverter`` (declared as
``revert_handlers`` on ``ExchangeConfig``). Each undo goes through the exchange services, so their
rules still apply; stage changes recorded from a roadmap or a dialogue are reverted as the
lifecycle's own ``hubs.hub.stage_changed`` entries."""

from datetime import date

from django.db import transaction
from django.utils.translation import gettext as _

from echos.core.audit import log_action
from echos.core.exceptions import Conflict
from echos.core.models import ActionLog
from echos.core.revert import reverter
from echos.exchange import profiles, roadmap, sessions, twinning
from echos.exchange.models import (
    Commitment,
    ExchangeSession,
    Invitation,
    RoadmapStep,
    SupportRequest,
    Twinning,
)
from echos.hubs.models import Hub


def _date(value) -> date | None:
    return date.fromisoformat(value) if value else None


@reverter("exchange.roadmap_step.updated")
def _step_updated(entry: ActionLog, actor) -> None:
    step = RoadmapStep.objects.filter(pk=entry.data.get("step")).first()
    if step is None:
        raise Conflict(_("The roadmap step no longer exists."), "entry")
    old = {name: values[0] for name, values in entry.data["changed"].items()}
    for name in ("due", "completed_on"):
        if name in old:
            old[name] = _date(old[name])
    for name in ("owner", "evidence", "link"):
        if name in old and old[name] is None:
            old[name] = ""
    roadmap.update_step(actor=None, step=step, **old)


@reverter("exchange.commitment.created")
def _commitment_created(entry: ActionLog, actor) -> None:
    commitment = Commitment.objects.filter(pk=entry.target_id).first()
    if commitment is None:
        raise Conflict(_("That commitment was already removed."), "entry")
    with transaction.atomic():
        log_action(
            actor=actor,
            action="exchange.commitment.deleted",
            target=commitment,
            data={"what": commitment.what},
        )
        commitment.delete()


@reverter("exchange.commitment.updated")
def _commitment_updated(entry: ActionLog, actor) -> None:
    commitment = Commitment.objects.filter(pk=entry.target_id).first()
    if commitment is None:
        raise Conflict(_("That commitment no longer exists."), "entry")
    before = entry.data["before"]
    sessions.update_commitment(
        actor=None,
        commitment=commitment,
        hub=before["hub"],
        owner=before["owner"],
        what=before["what"],
        due=_date(before["due"]),
        status=before["status"],
        done_on=_date(before["done_on"]),
    )


@reverter("exchange.session.updated")
def _session_updated(entry: ActionLog, actor) -> None:
    session = ExchangeSession.objects.filter(pk=entry.target_id).first()
    if session is None:
        raise Conflict(_("The session no longer exists."), "entry")
    sessions.update_session(actor=None, session=session, **entry.data["before"])


@reverter("exchange.invitation.created")
def _invitation_created(entry: ActionLog, actor) -> None:
    invitation = Invitation.objects.filter(pk=entry.data.get("invitation")).first()
    if invitation is None:
        raise Conflict(_("That invitation was already removed."), "entry")
    sessions.remove_invitation(actor=None, invitation=invitation)


@reverter("exchange.twinning.updated")
def _twinning_updated(entry: ActionLog, actor) -> None:
    t = Twinning.objects.filter(pk=entry.target_id).first()
    if t is None:
        raise Conflict(_("The agreement no longer exists."), "entry")
    before = dict(entry.data["before"])
    before["start"], before["end"] = _date(before["start"]), _date(before["end"])
    twinning.update_twinning(actor=None, twinning=t, **before)


@reverter("exchange.profile.updated")
def _profile_updated(entry: ActionLog, actor) -> None:

    hub = Hub.objects.filter(pk=entry.target_id).first()
    if hub is None:
        raise Conflict(_("The hub no longer exists."), "entry")
    profiles.restore_profile(actor=actor, hub=hub, before=entry.data["before"])


@reverter("exchange.request.status_changed")
def _request_status(entry: ActionLog, actor) -> None:
    r = SupportRequest.objects.filter(pk=entry.target_id).first()
    if r is None:
        raise Conflict(_("The request no longer exists."), "entry")
    old = entry.data["status"][0]
    SupportRequest.objects.filter(pk=r.pk).update(
        status=old, closed_at=None if old != "closed" else r.closed_at
    )
    log_action(
        actor=actor, action="exchange.request.status_restored", target=r, data={"status": old}
    )
