"""Undo an audited change: network coordinators revert hub, membership, organisation and assessment
changes from the audit log. Each revert goes through the same services (so rules still apply) and is
itself audited, pointing at the entry it undid."""

from collections.abc import Callable
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import models, transaction
from django.utils.translation import gettext as _

from echos.core.audit import log_action
from echos.core.exceptions import Conflict, RuleViolation
from echos.core.models import ActionLog
from echos.core.roles import is_network_coordinator

REVERTERS: dict[str, Callable] = {}


def reverter(action: str):
    def register(fn):
        REVERTERS[action] = fn
        return fn

    return register


def _values(model: type[models.Model], stored: dict) -> dict:
    """Audit values (pks, ISO dates) back into model attribute values."""
    out = {}
    for name, value in stored.items():
        field: Any = model._meta.get_field(name)  # a concrete field: audit values name columns
        if field.is_relation:
            out[name] = (
                field.related_model.objects.filter(pk=value).first() if value is not None else None
            )
            if value is not None and out[name] is None:
                raise Conflict(
                    _("%(field)s %(pk)s no longer exists.") % {"field": name, "pk": value}, name
                )
        else:
            out[name] = field.to_python(value)
    return out


def can_revert(entry: ActionLog) -> bool:
    """Whether this kind of change can be undone."""
    return entry.action in REVERTERS


@transaction.atomic
def revert(*, actor, entry: ActionLog) -> ActionLog:
    """Undo one audited change; refused for other actions, for changes already reverted or superseded."""
    if actor is not None and not is_network_coordinator(actor):
        raise PermissionDenied(_("Only network coordinators revert changes."))
    if entry.action not in REVERTERS:
        raise RuleViolation(_("Changes of this kind cannot be reverted."), "action")
    if ActionLog.objects.filter(action="core.change.reverted", data__entry=entry.pk).exists():
        raise Conflict(_("This change has already been reverted."), "entry")
    REVERTERS[entry.action](entry, actor)
    return log_action(
        actor=actor,
        action="core.change.reverted",
        target=None,
        data={"entry": entry.pk, "action": entry.action, "target": entry.target_repr},
    )


@reverter("hubs.hub.updated")
def _hub_updated(entry, actor):
    from echos.hubs import services
    from echos.hubs.models import Hub

    hub = Hub.objects.filter(pk=entry.target_id).first()
    if hub is None:
        raise Conflict(_("The hub no longer exists."), "entry")
    old = {name: values[0] for name, values in entry.data["changed"].items()}
    services.update_hub(actor=None, hub=hub, **_values(Hub, old))


@reverter("hubs.hub.stage_changed")
def _stage_changed(entry, actor):
    from echos.hubs import services
    from echos.hubs.models import StageChange

    change = StageChange.objects.filter(pk=entry.data.get("stage_change")).first()
    if change is None:
        raise Conflict(_("That stage change was already removed."), "entry")
    services.delete_stage_change(actor=None, change=change)


@reverter("hubs.membership.created")
def _membership_created(entry, actor):
    from echos.hubs import services
    from echos.hubs.models import Membership

    membership = Membership.objects.filter(pk=entry.data["membership"]).first()
    if membership is None:
        raise Conflict(_("That membership was already removed."), "entry")
    services.delete_membership(actor=None, membership=membership)


@reverter("hubs.membership.updated")
def _membership_updated(entry, actor):
    from echos.hubs import services
    from echos.hubs.models import Membership

    membership = Membership.objects.filter(pk=entry.data["membership"]).first()
    if membership is None:
        raise Conflict(_("That membership no longer exists."), "entry")
    old = {name: values[0] for name, values in entry.data["changed"].items()}
    services.update_membership(actor=None, membership=membership, **_values(Membership, old))


@reverter("hubs.membership.deleted")
def _membership_deleted(entry, actor):
    from echos.hubs import services
    from echos.hubs.models import Hub, Membership

    hub = Hub.objects.filter(pk=entry.target_id).first()
    if hub is None:
        raise Conflict(_("The hub no longer exists."), "entry")
    stored = {k: v for k, v in entry.data.items() if k != "membership"}
    values = _values(Membership, stored)
    services.add_membership(actor=None, hub=hub, **values)


@reverter("hubs.organisation.updated")
def _organisation_updated(entry, actor):
    from echos.hubs import services
    from echos.hubs.models import Organisation

    organisation = Organisation.objects.filter(pk=entry.target_id).first()
    if organisation is None:
        raise Conflict(_("The organisation no longer exists."), "entry")
    old = {name: values[0] for name, values in entry.data["changed"].items()}
    services.update_organisation(
        actor=None, organisation=organisation, **_values(Organisation, old)
    )


@reverter("assessment.response.submitted")
def _response_submitted(entry, actor):
    """Withdraw a submission: it becomes superseded and the one it replaced is current again."""
    from echos.assessment.models import Response

    response = Response.objects.select_for_update().filter(pk=entry.target_id).first()
    if response is None or response.status != Response.Status.SUBMITTED:
        raise Conflict(_("Only the current submission can be withdrawn."), "entry")
    response.status = Response.Status.SUPERSEDED
    response.save(update_fields=["status", "updated_at"])
    if response.supersedes_id:
        Response.objects.filter(pk=response.supersedes_id).update(status=Response.Status.SUBMITTED)
