"""Building blocks shared by the apps' privacy sections (``<app>/privacy.py``)."""

from typing import Any

from django.db import models


def iso(value: Any) -> Any:
    """A date or time as ISO 8601 text for the export; None when empty."""
    return value.isoformat() if value else None


def target(obj: models.Model | None) -> dict | None:
    """A reference to an object in the export: its type, id and name."""
    if obj is None:
        return None
    return {"type": obj._meta.label_lower, "id": obj.pk, "name": str(obj)}


def owned(model: Any, user: Any, **filters: Any) -> Any:
    """``model``'s rows matching ``filters``, none when there is no account."""
    return model.objects.filter(**filters) if user is not None else model.objects.none()


def unlink(user: Any, kept: list[tuple[Any, str, str]], *, apply: bool) -> dict[str, int]:
    """Count, and with ``apply`` clear, the person's link on rows that stay without them.

    ``kept`` lists ``(model, field, count key)``: the rows are shared records (responses,
    activities…) whose content outlives the person.
    """
    counts = {
        key: model.objects.filter(**{fk: user}).count() if user else 0 for model, fk, key in kept
    }
    if apply and user is not None:
        for model, fk, _key in kept:
            model.objects.filter(**{fk: user}).update(**{fk: None})
    return counts
