"""A backup made before the questionnaires layer (issue #11, WP3) restores into today's schema, and the
migrations that moved Instrument apply to a database of the old schema.

The fixture ``data/backup-0.1.0-pre-questionnaires.tar.gz`` was written by ``echos backup`` from the
demo database (``echos demo --no-serve``: reference data and every app's demo data) of commit
dab7b41, the last one with Instrument in assessment. It must never be regenerated: it stands for
the backups people made then. A later migration of an app the archive already knows makes the
restore refuse it ("older database schema"): declare a ``BackupUpgrade`` for that migration in
``echos/site/backup/upgrades.py`` (apps added later need nothing: they start empty).
"""

import json
import tarfile
from pathlib import Path

import pytest
from django.apps import apps
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from echos.assessment.models import Response
from echos.core.models import ActionLog, User
from echos.events.models import Event
from echos.participation.models import Consultation
from echos.questionnaires.models import Instrument
from echos.questionnaires.services import publish_instrument
from echos.site import backup
from echos.site.backup.upgrades import UPGRADES, plan_upgrade
from tests.core.test_backup import db_fingerprint, reference_after_flush, rewrite  # noqa: F401

OLD = Path(__file__).parent / "data" / "backup-0.1.0-pre-questionnaires.tar.gz"


def archived(member: str):
    with tarfile.open(OLD) as tar:
        data = tar.extractfile(member).read()
    if member.endswith(".jsonl"):
        return [json.loads(line) for line in data.splitlines()]
    return json.loads(data)


def old_instrument_type_id() -> int:
    return next(
        row[0]
        for row in archived("data/contenttypes.contenttype.jsonl")
        if row[1:] == ["assessment", "instrument"]
    )


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    yield settings.MEDIA_ROOT
    # The test's rollback gives back the content types of before the restore: forget the
    # restored ids cached meanwhile, or later tests would name the wrong models.
    ContentType.objects.clear_cache()


def test_a_backup_made_before_the_questionnaires_layer_restores(db, media):
    manifest = archived("manifest.json")
    assert "questionnaires" not in manifest["migrations"]
    assert "assessment.instrument" in {t["model"] for t in manifest["tables"]}
    type_id = old_instrument_type_id()
    instrument_entries = [row for row in archived("data/core.actionlog.jsonl") if row[3] == type_id]
    assert len(instrument_entries) >= 1

    call_command("restore", str(OLD), force=True, verbosity=0)
    ContentType.objects.clear_cache()

    # Every archived table is back with its rows, under today's label for the moved model.
    renamed = {"assessment.instrument": "questionnaires.instrument"}
    for table in manifest["tables"]:
        model = apps.get_model(renamed.get(table["model"], table["model"]))
        count = model._base_manager.count()
        if table["model"] in {"contenttypes.contenttype", "auth.permission"}:
            # and those of models the archive predates, as migrate creates them
            assert count >= table["rows"], table["model"]
        else:
            assert count == table["rows"], table["model"]
    archived_apps = {t["model"].split(".")[0] for t in manifest["tables"]} | {"questionnaires"}
    for model in backup.backed_up_models():
        if model._meta.app_label not in archived_apps:
            assert not model._base_manager.exists(), model._meta.label_lower

    # References to instruments resolve to the moved model.
    assert Instrument.objects.count() == 4
    event = Event.objects.exclude(questions=None).get()
    assert isinstance(event.questions, Instrument)
    assert event.questions.kind == Instrument.Kind.REGISTRATION
    consultations = list(Consultation.objects.select_related("instrument"))
    assert consultations and all(
        c.instrument.kind == Instrument.Kind.CONSULTATION for c in consultations
    )
    responses = Response.objects.select_related("instrument")
    assert responses.count() > 0
    assert {r.instrument.kind for r in responses} <= {"survey", "maturity"}

    # The content type kept its id, so the audit entries about instruments still name them.
    moved = ContentType.objects.get_for_model(Instrument)
    assert (moved.pk, moved.app_label) == (type_id, "questionnaires")
    assert not ContentType.objects.filter(app_label="assessment", model="instrument").exists()
    entries = ActionLog.objects.filter(target_type=moved)
    assert sorted(entries.values_list("pk", flat=True)) == sorted(
        row[0] for row in instrument_entries
    )
    for entry in entries:
        assert entry.target_type.model_class() is Instrument
        assert Instrument.objects.filter(pk=entry.target_id).exists()
    # Permissions on instruments are those of the archive, once.
    codenames = Permission.objects.filter(content_type=moved).values_list("codename", flat=True)
    assert sorted(codenames) == [
        "add_instrument",
        "change_instrument",
        "delete_instrument",
        "view_instrument",
    ]

    # The restored database takes new writes: sequences and the content type cache follow.
    definition = json.loads(json.dumps(event.questions.definition))
    definition["title"] = "Registration questions (after restore)"
    published = publish_instrument(definition)
    assert ActionLog.objects.filter(target_type=moved, target_id=str(published.pk)).exists()
    User.objects.create_user("after-restore")


def test_an_old_backup_missing_another_migration_is_still_refused(db, media, tmp_path):
    """The upgrade covers the migrations of the move, not any other one the archive lacks."""

    def older(manifest):
        migrations = dict(manifest["migrations"])
        migrations["events"] = ["0001_initial"]
        return {**manifest, "migrations": migrations}

    before = db_fingerprint()
    path = rewrite(OLD, tmp_path / "older.tar.gz", manifest=older)
    with pytest.raises(CommandError) as exc:
        call_command("restore", str(path), force=True, verbosity=0)
    message = str(exc.value)
    assert "older database schema" in message and "events.0002_calendar_index" in message
    assert "questionnaires" not in message
    assert db_fingerprint() == before


def test_the_upgrade_applies_only_to_archives_that_lack_all_its_migrations():
    upgrade = UPGRADES[0]  # the questionnaires move; the others are additive
    missing = set(upgrade.migrations)
    migrations = archived("manifest.json")["migrations"]
    models = [t["model"] for t in archived("manifest.json")["tables"]]
    plan = plan_upgrade(missing, migrations, models)
    assert plan.upgrades == [upgrade] and plan.covered == missing and not plan.new_apps
    assert plan.current_label("assessment.instrument") == "questionnaires.instrument"
    assert plan.archived_label("questionnaires.instrument") == "assessment.instrument"

    # Half of the move (an archive of no real version) is covered by nothing: refused.
    partial = missing - {("questionnaires", "0002_content_types")}
    plan = plan_upgrade(partial, migrations, models)
    assert not plan.upgrades and not plan.covered and not plan.new_apps

    # An app the archive predates (no migration, no table) starts empty; one with tables does not.
    plan = plan_upgrade(
        {("library", "0001_initial"), ("synergies", "0001_initial")},
        {"synergies": []},
        ["synergies.activity"],
    )
    assert plan.new_apps == {"library"} and plan.covered == {("library", "0001_initial")}
    assert plan.starts_empty("library.resource") and not plan.starts_empty("synergies.activity")


def test_the_move_migrates_a_database_of_the_old_schema(
    reference_after_flush,  # noqa: F811
    transactional_db,
):
    """Back to the old schema (Instrument in assessment) and forward again: rows, the content type
    id and the audit entries stay; a content type created meanwhile is merged into the old one."""
    instrument = publish_instrument(
        {
            "code": "wp3-check",
            "kind": "consultation",
            "title": "Check",
            "sections": [
                {
                    "code": "s",
                    "title": "S",
                    "questions": [{"code": "q", "type": "text", "text": "Q"}],
                }
            ],
        }
    )
    type_id = ContentType.objects.get_for_model(Instrument).pk
    entry = ActionLog.objects.get(target_type_id=type_id, target_id=str(instrument.pk))
    executor = MigrationExecutor(connection)
    leaves = executor.loader.graph.leaf_nodes()
    try:
        call_command("migrate", "questionnaires", "zero", verbosity=0)
        executor.loader.build_graph()
        assert ("assessment", "0002_instrument_to_questionnaires") not in (
            executor.loader.applied_migrations
        )
        ContentType.objects.clear_cache()
        old = ContentType.objects.get(pk=type_id)
        assert (old.app_label, old.model) == ("assessment", "instrument")
        # Code of today running meanwhile creates a content type for the moved model, with a
        # permission and an audit entry on it: the forward migration merges them into the old one.
        meanwhile = ContentType.objects.get_for_model(Instrument)
        assert meanwhile.pk != type_id and meanwhile.app_label == "questionnaires"
        Permission.objects.create(content_type=meanwhile, codename="add_instrument", name="Add")
        later = ActionLog.objects.create(
            action="questionnaires.instrument.updated",
            target_type=meanwhile,
            target_id=str(instrument.pk),
        )
        with connection.cursor() as cursor:
            cursor.execute("SELECT code FROM assessment_instrument WHERE id = %s", [instrument.pk])
            assert cursor.fetchone() == ("wp3-check",)
    finally:
        call_command("migrate", verbosity=0)
        ContentType.objects.clear_cache()
    assert set(MigrationExecutor(connection).loader.graph.leaf_nodes()) == set(leaves)
    assert not MigrationExecutor(connection).migration_plan(leaves)
    moved = ContentType.objects.get(app_label="questionnaires", model="instrument")
    assert moved.pk == type_id
    assert ContentType.objects.filter(model="instrument").count() == 1
    for audit in (entry, later):
        audit.refresh_from_db()
        assert audit.target_type_id == type_id
        assert audit.target_type.model_class() is Instrument
    assert Permission.objects.filter(content_type=moved, codename="add_instrument").count() == 1
    assert Instrument.objects.get(pk=instrument.pk).code == "wp3-check"
