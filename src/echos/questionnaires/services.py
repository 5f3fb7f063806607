"""Publishing instruments and the refusal of invalid answers, shared by every questionnaire flow."""

import json
from pathlib import Path
from typing import cast

from django.db import models, transaction
from django.utils.translation import gettext as _

from echos.core.audit import log_action
from echos.core.exceptions import RuleViolation
from echos.questionnaires import engine
from echos.questionnaires.models import Instrument


class AnswersInvalid(RuleViolation):
    """Answers failed validation; ``errors`` maps each question code to its message."""

    def __init__(self, errors: dict[str, str]):
        first = next(iter(errors))
        super().__init__(_("%(n)d answer(s) need attention.") % {"n": len(errors)}, first)
        self.errors = errors


@transaction.atomic
def publish_instrument(definition: dict, *, actor=None) -> Instrument:
    """Make ``definition`` the current version of its instrument.

    Unchanged definitions are kept; a changed one replaces the current version in place while
    nobody has answered it, and otherwise becomes a new version so old responses keep theirs.
    """
    engine.parse(definition)
    code = definition["code"]
    current = Instrument.objects.select_for_update().filter(code=code, is_current=True).first()
    fields = {
        "kind": definition["kind"],
        "title": definition["title"],
        "description": definition.get("description", ""),
        "definition": definition,
    }
    if current and current.definition == definition:
        return current
    if current and not _answered(current):
        for key, value in fields.items():
            setattr(current, key, value)
        current.save()
        log_action(
            actor=actor,
            action="questionnaires.instrument.updated",
            target=current,
            data={"version": current.version},
        )
        return current
    version = 1
    if current:
        current.is_current = False
        current.save(update_fields=["is_current"])
        version = current.version + 1
    created = Instrument.objects.create(code=code, version=version, **fields)
    log_action(
        actor=actor,
        action="questionnaires.instrument.published",
        target=created,
        data={"version": version},
    )
    return created


def _answered(instrument: Instrument) -> bool:
    """Whether any row of a higher app (a response, a consultation...) refers to this version."""
    return any(
        cast(type[models.Model], relation.related_model)
        ._base_manager.filter(**{relation.field.name: instrument})
        .exists()
        for relation in Instrument._meta.related_objects
    )


def publish_directory(path: Path) -> list[Instrument]:
    """Publish every ``*.json`` definition in ``path``, in name order (idempotent)."""
    return [
        publish_instrument(json.loads(item.read_text(encoding="utf-8")))
        for item in sorted(path.glob("*.json"))
    ]
