"""The one audit log: services call ``log_action`` inside their transaction."""

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.forms.models import model_to_dict

from echos.core.models import ActionLog


def log_action(*, actor, action: str, target: models.Model | None = None, data=None) -> ActionLog:
    """Record that ``actor`` did ``action`` (dotted name) to ``target``."""
    entry = ActionLog(
        actor=actor if actor is not None and actor.is_authenticated else None,
        action=action,
        data=jsonable(data or {}),
    )
    if target is not None:
        entry.target_type = ContentType.objects.get_for_model(target)
        entry.target_id = str(target.pk)
        entry.target_repr = str(target)[:300]
    entry.save()
    return entry


def entries_for(target: models.Model):
    """The audit entries of one object, newest first."""
    return ActionLog.objects.filter(
        target_type=ContentType.objects.get_for_model(target), target_id=str(target.pk)
    ).select_related("actor")


def snapshot(instance: models.Model, fields: list[str] | None = None) -> dict:
    """A JSON-safe dict of a model's field values, for before/after audit data."""
    return jsonable(model_to_dict(instance, fields=fields))


def diff(before: dict, after: dict) -> dict:
    """Fields whose values changed, as {field: [old, new]}."""
    return {k: [before.get(k), v] for k, v in after.items() if before.get(k) != v}


def jsonable(value):
    """Convert dates, model instances and sets into JSON-safe values."""
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set):
        return [jsonable(v) for v in value]
    if isinstance(value, models.Model):
        return value.pk
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if isinstance(value, str | int | float | bool) or value is None:
        return value
    return str(value)
