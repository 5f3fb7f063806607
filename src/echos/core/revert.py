"""Undo an audited change: network coordinators revert hub, membership, organisation and assessment
changes from the audit log. Each revert goes through the same services (so rules still apply) and is
itself audited, pointing at the entry it undid.

This module is the mechanism; the handlers live in their apps (``hubs/revert.py``,
``assessment/revert.py``), declared as ``revert_handlers`` on the app's config and imported on
first use (``core.registry.load_revert_handlers``)."""

from collections.abc import Callable
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import models, transaction
from django.utils.translation import gettext as _

from echos.core import registry
from echos.core.audit import log_action
from echos.core.exceptions import Conflict, RuleViolation
from echos.core.models import ActionLog
from echos.core.roles import is_network_coordinator

REVERTERS: dict[str, Callable] = {}
_loaded = False


def _load_handlers() -> None:
    """Import every app's revert handlers once, so that ``REVERTERS`` knows them all."""
    global _loaded
    if not _loaded:
        registry.load_revert_handlers()
        _loaded = True


def reverter(action: str):
    def register(fn):
        REVERTERS[action] = fn
        return fn

    return register


def audit_values(model: type[models.Model], stored: dict) -> dict:
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
    _load_handlers()
    return entry.action in REVERTERS


@transaction.atomic
def revert(*, actor, entry: ActionLog) -> ActionLog:
    """Undo one audited change; refused for other actions, for changes already reverted or superseded."""
    if actor is not None and not is_network_coordinator(actor):
        raise PermissionDenied(_("Only network coordinators revert changes."))
    _load_handlers()
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
