"""The lifecycle of a hub: stage changes dated in its history, checked by the stage guards
that higher apps declare (``core.registry.stage_guards``, looked up here at each change)."""

from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from echos.core.audit import log_action, snapshot
from echos.core.exceptions import RuleViolation, guard
from echos.core.registry import stage_guards
from echos.core.rules import check_web_address
from echos.hubs import permissions as perms
from echos.hubs.models import STAGE_ORDER, Hub, Stage, StageChange


def stage_at(hub: Hub, on: date, exclude: StageChange | None = None) -> tuple[str, date | None]:
    """The stage in effect on a date, from the recorded history."""
    changes = hub.stage_changes.filter(date__lte=on)
    if exclude is not None:
        changes = changes.exclude(pk=exclude.pk)
    latest = changes.order_by("-date", "-recorded_at", "-id").first()
    return (latest.stage, latest.date) if latest else (Stage.NO_STRUCTURE, None)


def _refresh_current_stage(hub: Hub) -> None:
    latest = hub.stage_changes.order_by("-date", "-recorded_at", "-id").first()
    hub.stage = latest.stage if latest else Stage.NO_STRUCTURE
    hub.stage_since = latest.date if latest else None
    hub.save(update_fields=["stage", "stage_since", "updated_at"])


@transaction.atomic
def record_stage_change(
    *, actor, hub: Hub, stage: str, date: date, evidence: str = "", link: str = "", reason: str = ""
) -> StageChange:
    """Move a hub to a lifecycle stage on a date; moving back needs a reason."""
    guard(perms.can_change_stage(actor, hub), actor)
    if stage not in Stage.values:
        raise RuleViolation(_("Unknown stage %(stage)r.") % {"stage": stage}, "stage")
    if date is None:
        raise RuleViolation(_("Give the date of the change."), "date")
    if date > timezone.localdate():
        raise RuleViolation(_("A stage change cannot be dated in the future."), "date")
    check_web_address(link, "link")
    missing = [m for check in stage_guards() for m in check(hub, stage, date)]
    if missing:
        raise RuleViolation(
            _("The hub cannot move to this stage yet: %(missing)s")
            % {"missing": "; ".join(str(m) for m in missing)},
            "stage",
        )
    previous, since = stage_at(hub, date)
    if stage == previous:
        raise RuleViolation(
            _("The hub was already at this stage on that date (since %(since)s).")
            % {"since": since},
            "stage",
        )
    if STAGE_ORDER[stage] < STAGE_ORDER[previous] and not (reason or "").strip():
        raise RuleViolation(
            _("Moving back from %(previous)s needs a reason.")
            % {"previous": Stage(previous).label},
            "reason",
        )
    change = StageChange.objects.create(
        hub=hub,
        stage=stage,
        date=date,
        evidence=evidence.strip(),
        link=link,
        reason=reason.strip(),
        recorded_by=actor if actor is not None and actor.is_authenticated else None,
    )
    old = hub.stage
    _refresh_current_stage(hub)
    log_action(
        actor=actor,
        action="hubs.hub.stage_changed",
        target=hub,
        data={
            "from": old,
            "to": hub.stage,
            "recorded": stage,
            "date": date,
            "evidence": evidence,
            "link": link,
            "reason": reason,
            "stage_change": change.pk,
        },
    )
    return change


@transaction.atomic
def delete_stage_change(*, actor, change: StageChange) -> None:
    """Remove a wrongly recorded stage change (the audit log keeps it)."""
    hub = change.hub
    guard(perms.can_change_stage(actor, hub), actor)
    log_action(
        actor=actor,
        action="hubs.stage_change.deleted",
        target=hub,
        data=snapshot(change, ["stage", "date", "evidence", "link", "reason"]),
    )
    change.delete()
    _refresh_current_stage(hub)
