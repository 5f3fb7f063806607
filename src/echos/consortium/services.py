"""Writes to the consortium's records: one guarded, validated, audited save or delete for every
kind of record, so pages, admin and API refuse the same input with the same field named."""

from typing import TypeVar

from django.core.exceptions import ValidationError
from django.db import models, transaction

from echos.consortium import permissions as perms
from echos.core.audit import log_action
from echos.core.exceptions import RuleViolation, guard

M = TypeVar("M", bound=models.Model)


def validate(obj: models.Model) -> None:
    """Run the model's checks; the first problem becomes a ``RuleViolation`` naming its field."""
    try:
        obj.full_clean()
    except ValidationError as exc:
        if hasattr(exc, "error_dict"):
            field, errors = next(iter(exc.error_dict.items()))
            field_name = None if field == "__all__" else field
            raise RuleViolation(str(errors[0].messages[0]), field_name) from exc
        raise RuleViolation(str(exc.messages[0])) from exc


def _action(obj: models.Model, verb: str) -> str:
    return f"consortium.{obj._meta.model_name}.{verb}"


@transaction.atomic
def save_record(*, actor, obj: M, changes: dict | None = None) -> M:
    """Create or change a record (network coordinators; ``actor=None`` is the loader)."""
    guard(perms.can_edit_consortium(actor), actor)
    creating = obj.pk is None
    names = {f.name for f in obj._meta.get_fields()}
    for key, value in (changes or {}).items():
        if key not in names:
            raise RuleViolation("Unknown field.", key)
        setattr(obj, key, value)
    validate(obj)
    obj.save()
    log_action(
        actor=actor,
        action=_action(obj, "created" if creating else "changed"),
        target=obj,
        data={k: str(v) for k, v in (changes or {}).items()},
    )
    return obj


@transaction.atomic
def delete_record(*, actor, obj: models.Model) -> None:
    """Delete a record (network coordinators); a record others depend on is refused."""
    guard(perms.can_edit_consortium(actor), actor)
    log_action(actor=actor, action=_action(obj, "deleted"), target=obj)
    try:
        with transaction.atomic():
            obj.delete()
    except models.ProtectedError as exc:
        raise RuleViolation("Other records depend on this one; change them first.") from exc
