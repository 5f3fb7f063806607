"""The content type of Instrument follows the model from assessment to questionnaires (WP3).

Used by the migration ``0002_content_types`` (with historical models) and by the restore of a
backup made before the move (``echos.site.backup.upgrades``, with the installed models).
"""

from typing import Any, cast

from django.db import models

# The migrations that moved Instrument: a backup made before them holds assessment.instrument.
MIGRATIONS = frozenset(
    {
        ("questionnaires", "0001_initial"),
        ("questionnaires", "0002_content_types"),
        ("assessment", "0002_instrument_to_questionnaires"),
        ("events", "0003_questions_to_questionnaires"),
        ("participation", "0002_instrument_to_questionnaires"),
    }
)
RENAMED_MODELS = {"assessment.instrument": "questionnaires.instrument"}


def move_content_type(
    content_type_model: type[models.Model],
    *,
    model: str,
    from_app: str,
    to_app: str,
    using: str,
) -> None:
    """Give the content type of ``from_app.model`` the label ``to_app``, keeping its id.

    Audit entries (core.ActionLog), admin log entries and permissions refer to content types by
    id, so they keep pointing at the moved model. If ``migrate`` already created a content type
    for the new label (post_migrate runs between migrations), what refers to that one is moved to
    the old row (permissions the old row already has are dropped) and the new row is deleted.
    """
    manager = content_type_model._base_manager.using(using)
    old: Any = manager.filter(app_label=from_app, model=model).first()
    if old is None:
        return
    new = manager.filter(app_label=to_app, model=model).first()
    if new is not None:
        for relation in content_type_model._meta.related_objects:
            if not relation.one_to_many:
                continue
            related_model = cast(type[models.Model], relation.related_model)
            related = related_model._base_manager.using(using)
            field = relation.field.name
            moved = related.filter(**{field: new})
            if {"codename"} <= {f.name for f in related_model._meta.fields}:
                kept = related.filter(**{field: old}).values("codename")
                moved.filter(codename__in=kept).delete()
            moved.update(**{field: old})
        new.delete()
    old.app_label = to_app
    old.save(update_fields=["app_label"])


def instrument_to_questionnaires(content_type_model: type[models.Model], using: str) -> None:
    """assessment.instrument → questionnaires.instrument."""
    move_content_type(
        content_type_model,
        model="instrument",
        from_app="assessment",
        to_app="questionnaires",
        using=using,
    )
