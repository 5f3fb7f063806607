"""Reports of proposals and comments, and the moderators' decisions (audited and listed)."""

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from echos.core.audit import log_action
from echos.core.exceptions import Conflict, RuleViolation, guard
from echos.hubs.models import Hub
from echos.participation import permissions as perms
from echos.participation.models import REASON_MAX, Comment, ModerationAction, Proposal, Report
from echos.participation.services._common import _text

AUDIT_VERBS = {"hide": "hidden", "restore": "restored", "dismiss": "reports_dismissed"}


def report(*, target, reason: str, details: str = "", user=None) -> Report:
    """Anyone flags a proposal or a comment for the hub's moderators."""
    if reason not in Report.Reason.values:
        raise RuleViolation(_("Choose why you report this."), "reason")
    details = _text(
        details,
        "details",
        REASON_MAX,
        required=reason == Report.Reason.OTHER,
        message=_("Say what is wrong."),
    )
    field = "proposal" if isinstance(target, Proposal) else "comment"
    return Report.objects.create(
        **{field: target},
        reason=reason,
        details=details,
        reporter=user if getattr(user, "is_authenticated", False) else None,
    )


def _target_hub(target) -> Hub:
    return target.hub if isinstance(target, Proposal) else target.proposal.hub


@transaction.atomic
def moderate(*, actor, target, action: str, reason: str) -> ModerationAction:
    """Hide, restore or dismiss the reports of a proposal or comment, with a reason; audited and listed."""
    hub = _target_hub(target)
    guard(perms.can_moderate(actor, hub), actor)
    if action not in ModerationAction.Action.values:
        raise RuleViolation(_("Choose hide, restore or dismiss."), "action")
    reason = _text(
        reason, "reason", REASON_MAX, required=True, message=_("Give the reason for this decision.")
    )
    given = target
    target = type(target).objects.select_for_update().get(pk=target.pk)
    if action == ModerationAction.Action.HIDE and target.is_hidden:
        raise Conflict(_("This is already hidden."), "action")
    if action == ModerationAction.Action.RESTORE and not target.is_hidden:
        raise Conflict(_("This is not hidden."), "action")
    if action in (ModerationAction.Action.HIDE, ModerationAction.Action.RESTORE):
        target.is_hidden = action == ModerationAction.Action.HIDE
        target.hidden_reason = reason if target.is_hidden else ""
        target.save(update_fields=["is_hidden", "hidden_reason"])
        given.is_hidden, given.hidden_reason = target.is_hidden, target.hidden_reason
        if isinstance(target, Comment) and target.confirmed_at is not None:
            step = -1 if target.is_hidden else 1
            Proposal.objects.filter(pk=target.proposal_id).update(
                comment_count=F("comment_count") + step
            )
    field = "proposal" if isinstance(target, Proposal) else "comment"
    Report.objects.filter(**{field: target}, resolved_at__isnull=True).update(
        resolved_at=timezone.now()
    )
    entry = ModerationAction.objects.create(
        hub=hub,
        **{field: target},
        action=action,
        reason=reason,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
    )
    log_action(
        actor=actor,
        action=f"participation.{field}.{AUDIT_VERBS[action]}",
        target=target,
        data={"reason": reason, "hub": hub.pk},
    )
    return entry
