"""echos backup / echos restore: a full round trip, and every refusal leaves everything unchanged."""

import hashlib
import io
import json
import os
import shutil
import tarfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from echos.site import backup

PDF = b"%PDF-1.4\n% minutes of the inception dialogue\n" + bytes(range(256)) * 40


# --- helpers ------------------------------------------------------------------------------------


def db_fingerprint() -> dict[str, tuple[int, str]]:
    """Row count and a checksum of the rows of every table, read with plain SQL."""
    qn = connection.ops.quote_name
    out = {}
    with connection.cursor() as cursor:
        for table in sorted(connection.introspection.table_names(cursor)):
            pk = connection.introspection.get_primary_key_column(cursor, table)
            cursor.execute(f"SELECT * FROM {qn(table)} ORDER BY {qn(pk) if pk else 1}")
            digest, count = hashlib.sha256(), 0
            for row in cursor.fetchall():
                row = tuple(bytes(v) if isinstance(v, memoryview) else v for v in row)
                digest.update(repr(row).encode() + b"\n")
                count += 1
            out[table] = (count, digest.hexdigest())
    return out


def media_fingerprint(root) -> dict[str, str]:
    return {
        os.path.relpath(os.path.join(d, f), root): hashlib.sha256(
            open(os.path.join(d, f), "rb").read()
        ).hexdigest()
        for d, _dirs, files in os.walk(root)
        for f in files
    }


def rewrite(source, target, *, manifest=None, members=None, drop_manifest=False):
    """Copy a backup archive, changing its manifest or the bytes of some members."""
    with tarfile.open(source, "r:gz") as tar, tarfile.open(target, "w:gz") as out:
        for member in tar.getmembers():
            data = tar.extractfile(member).read()
            if member.name == backup.MANIFEST:
                if drop_manifest:
                    continue
                if manifest:
                    data = json.dumps(manifest(json.loads(data))).encode()
            if members and member.name in members:
                data = members[member.name](data)
            member.size = len(data)
            out.addfile(member, io.BytesIO(data))
    return target


def refused(path, **options) -> str:
    """Run echos restore, expect a refusal with exit code 2, return its message."""
    with pytest.raises(CommandError) as exc:
        call_command("restore", str(path), verbosity=0, **options)
    assert exc.value.returncode == 2
    return str(exc.value)


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def evidence(personas, hubs, media):
    """A maturity draft of Norway's hub with an evidence file, a group with a permission."""
    from django.contrib.auth.models import Group, Permission

    from echos.assessment import services

    services.load_instruments()
    response = services.start_response(
        actor=personas["coord_no"],
        instrument=services.current_instrument(services.MATURITY),
        hub=hubs["norway"],
    )
    item = services.add_evidence(
        actor=personas["coord_no"],
        response=response,
        question="governance_level",
        upload=SimpleUploadedFile("minutes.pdf", PDF),
    )
    group = Group.objects.create(name="reviewers")
    group.permissions.add(Permission.objects.get(codename="change_hub"))
    personas["editor_no"].groups.add(group)
    return item


@pytest.fixture
def capabilities(hubs, personas):
    """Rows in the tables of events, participation and engagement, for the round trip."""
    from datetime import timedelta

    from django.utils import timezone

    from echos.engagement import services as engagement
    from echos.events import services as events
    from echos.participation import services as participation

    start = (timezone.now() + timedelta(days=9)).replace(tzinfo=None, microsecond=0)
    event = events.create_event(
        actor=None,
        hub=hubs["norway"],
        title="Citizen dialogue",
        description="Screening.",
        type="citizen_dialogue",
        format="in_person",
        languages=["nb"],
        start=start,
        end=start + timedelta(hours=2),
        time_zone="Europe/Oslo",
        status="published",
        sessions=[{"title": "Welcome", "start": start, "end": start + timedelta(hours=1)}],
    )
    events.register(event=event, name="Kari", email="kari@example.invalid", consent=True)
    now = timezone.now()
    consultation = participation.open_consultation(
        actor=None,
        hub=hubs["norway"],
        title="Priorities",
        description="Tell us.",
        opens_at=now - timedelta(days=1),
        closes_at=now + timedelta(days=5),
    )
    participation.submit_answer(
        consultation=consultation,
        answers={"role": "citizen", "objectives": ["prevention"], "screening_awareness": 3,
                 "involvement": "consult"},
        user=personas["member_no"],
    )  # fmt: skip
    participation.submit_proposal(
        hub=hubs["norway"], title="Screening bus", body="In the north.", user=personas["member_no"]
    )
    engagement.save_record(
        actor=None,
        hub=hubs["norway"],
        title="Patient panel",
        description="Letters reviewed.",
        date=now.date(),
        level="consult",
        stakeholder_groups=["patients"],
        language="nb",
        format="meeting",
    )


@pytest.fixture
def archive(evidence, tmp_path):
    path = tmp_path / "echos.tar.gz"
    call_command("backup", str(path), verbosity=0)
    return path


@pytest.fixture
def reference_after_flush(django_db_blocker):
    """Set up before transactional_db, so torn down after its flush: reload the reference data."""
    yield
    from django.contrib.contenttypes.models import ContentType

    from echos.core.reference import load_reference

    with django_db_blocker.unblock():
        ContentType.objects.clear_cache()
        load_reference()


# --- round trip ---------------------------------------------------------------------------------


def test_backup_wipe_restore_gives_back_every_row_and_file(
    reference_after_flush, transactional_db, evidence, capabilities, media, tmp_path
):
    from django.contrib.auth.models import Group
    from django.contrib.contenttypes.models import ContentType

    from echos.assessment.models import Evidence
    from echos.core.models import User
    from echos.hubs.models import Hub

    before, files = db_fingerprint(), media_fingerprint(media)
    for model in backup.backed_up_models():
        assert model._meta.db_table in before
    for table in (
        "hubs_hub",
        "assessment_evidence",
        "core_user",
        "core_user_groups",
        "auth_group_permissions",
        "events_event",
        "events_session",
        "events_registration",
        "participation_consultation",
        "participation_answer",
        "participation_answertally",
        "participation_proposal",
        "engagement_engagementrecord",
    ):
        assert before[table][0] > 0, table
    assert list(files) == [evidence.file.name]

    path = tmp_path / "echos.tar.gz"
    call_command("backup", str(path), verbosity=0)
    assert oct(path.stat().st_mode & 0o777) == "0o600"
    with tarfile.open(path) as tar:
        assert tar.getnames()[0] == "manifest.json"
        manifest = json.loads(tar.extractfile("manifest.json").read())
    assert manifest["format_version"] == backup.FORMAT_VERSION
    assert manifest["database"]["vendor"] == connection.vendor
    assert "0001_initial" in manifest["migrations"]["core"]
    tables = {t["table"]: t for t in manifest["tables"]}
    assert tables["hubs_hub"]["rows"] == before["hubs_hub"][0] == 4
    assert [m["path"] for m in manifest["media"]] == [evidence.file.name]

    # Wipe: a freshly flushed database (only the content types and permissions that migrate
    # creates, with other ids) and no media files.
    call_command("flush", interactive=False, verbosity=0)
    shutil.rmtree(media)
    assert not Hub.objects.exists() and not backup.non_empty_tables()
    assert db_fingerprint() != before

    call_command("restore", str(path), verbosity=0)

    assert db_fingerprint() == before
    assert media_fingerprint(media) == files
    assert Evidence.objects.get().file.read() == PDF
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".echos-restore")]
    # Sequences follow the restored rows and the content type cache the restored ids.
    User.objects.create_user("after-restore")
    Group.objects.create(name="after-restore")
    assert ContentType.objects.get_for_model(Hub).model_class() is Hub
    assert Hub.objects.get(name="Bergen hub").parent.parent.name == "Kreftmisjonshub Norge"


# --- refusals -----------------------------------------------------------------------------------


@pytest.fixture
def unchanged(archive, media, tmp_path):
    """Check after the test that the database, the media files and the folders are unchanged."""
    before, files = db_fingerprint(), media_fingerprint(media)
    entries = sorted(p.name for p in tmp_path.iterdir())
    yield
    assert db_fingerprint() == before
    assert media_fingerprint(media) == files
    assert sorted(p.name for p in tmp_path.iterdir()) == entries


def test_corrupted_archives_are_refused(archive, unchanged, tmp_path):
    flipped = tmp_path / "flipped.tar.gz"
    data = bytearray(archive.read_bytes())
    for i in range(len(data) // 2, len(data) // 2 + 16):
        data[i] ^= 0xFF
    flipped.write_bytes(bytes(data))
    assert "is corrupted" in refused(flipped, force=True)

    truncated = tmp_path / "truncated.tar.gz"
    truncated.write_bytes(archive.read_bytes()[: archive.stat().st_size // 2])
    assert "corrupted or truncated" in refused(truncated, force=True)

    def edit(data):
        return data.replace(b"Bergen hub", b"Bergen HUB")

    tampered = rewrite(archive, tmp_path / "tampered.tar.gz", members={"data/hubs.hub.jsonl": edit})
    message = refused(tampered, force=True)
    assert "is corrupted: data/hubs.hub.jsonl does not match its checksum" in message

    def swap(data):
        return PDF[::-1]

    with tarfile.open(archive) as tar:
        name = next(n for n in tar.getnames() if n.startswith("media/"))
    bad_media = rewrite(archive, tmp_path / "media.tar.gz", members={name: swap})
    assert f"{name} does not match its checksum" in refused(bad_media, force=True)

    for path in (flipped, truncated, tampered, bad_media):
        path.unlink()


def test_foreign_files_are_refused(archive, unchanged, tmp_path):
    noise = tmp_path / "noise.tar.gz"
    noise.write_bytes(os.urandom(4096))
    assert "is not an echos backup (not a .tar.gz archive)" in refused(noise, force=True)

    other = tmp_path / "other.tar.gz"
    with tarfile.open(other, "w:gz") as tar:
        info = tarfile.TarInfo("notes.txt")
        info.size = 5
        tar.addfile(info, io.BytesIO(b"hello"))
    assert "is not an echos backup: it has no manifest.json" in refused(other, force=True)

    no_manifest = rewrite(archive, tmp_path / "no-manifest.tar.gz", drop_manifest=True)
    assert "it has no manifest.json" in refused(no_manifest, force=True)

    def foreign(manifest):
        return {"name": "some other tool", "files": []}

    alien = rewrite(archive, tmp_path / "alien.tar.gz", manifest=foreign)
    assert "is not an echos backup" in refused(alien, force=True)

    assert "does not exist" in refused(tmp_path / "missing.tar.gz", force=True)
    for path in (noise, other, no_manifest, alien):
        path.unlink()


def test_unknown_format_and_other_schemas_are_refused(archive, unchanged, tmp_path):
    def future_format(manifest):
        return {**manifest, "format_version": 99}

    future = rewrite(archive, tmp_path / "future.tar.gz", manifest=future_format)
    message = refused(future, force=True)
    assert "backup format version 99" in message and "reads format version 1 only" in message

    def newer_schema(manifest):
        migrations = dict(manifest["migrations"])
        migrations["hubs"] = [*migrations["hubs"], "0099_from_the_future"]
        return {**manifest, "migrations": migrations}

    newer = rewrite(archive, tmp_path / "newer.tar.gz", manifest=newer_schema)
    message = refused(newer, force=True)
    assert "newer database schema" in message and "hubs.0099_from_the_future" in message

    def older_schema(manifest):
        return {**manifest, "migrations": {**manifest["migrations"], "synergies": []}}

    older = rewrite(archive, tmp_path / "older.tar.gz", manifest=older_schema)
    message = refused(older, force=True)
    assert "older database schema" in message and "synergies.0001_initial" in message

    for path in (future, newer, older):
        path.unlink()


def test_a_database_with_data_is_not_overwritten_without_force(archive, unchanged, tmp_path):
    message = refused(archive)
    assert "The database is not empty" in message and "--force" in message
    assert "hubs.hub (4)" in message or "core." in message

    out = io.StringIO()
    call_command("restore", str(archive), check=True, stdout=out)
    assert "is a valid echos backup" in out.getvalue()

    assert (
        "already exists"
        in (pytest.raises(CommandError, call_command, "backup", str(archive)).value.args[0])
    )


def test_restore_with_force_replaces_newer_data(archive, media, tmp_path):
    from echos.hubs.models import Hub

    before, files = db_fingerprint(), media_fingerprint(media)
    Hub.objects.filter(name="Bergen hub").update(name="Renamed")
    (media / "stray.txt").write_text("not in the backup")

    call_command("restore", str(archive), force=True, verbosity=0)

    assert db_fingerprint() == before
    assert media_fingerprint(media) == files
