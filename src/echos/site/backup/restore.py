"""Reading, verifying and restoring a backup written by ``create``."""

from __future__ import annotations

import hashlib
import json
import shutil
import tarfile
import tempfile
import time
import zlib
from pathlib import Path, PurePosixPath
from typing import IO, cast

from django.contrib.contenttypes.models import ContentType
from django.core.management.color import no_style
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.migrations.executor import MigrationExecutor

import echos
from echos.site.backup.create import (
    BATCH,
    CHUNK,
    FORMAT,
    FORMAT_VERSION,
    MANIFEST,
    MIGRATE_CREATED,
    STAGING_PREFIX,
    BackupError,
    Progress,
    Summary,
    _decoder,
    _fields,
    _media_root,
    backed_up_models,
    table_digest,
)
from echos.site.backup.upgrades import UpgradePlan, after_load, plan_upgrade

EMPTY_SHA256 = hashlib.sha256().hexdigest()

# --- reading and verifying an archive -----------------------------------------------------------


def _member_path(name: str, prefix: str) -> str | None:
    """The safe relative path of an archive member under ``prefix/``, or None."""
    pure = PurePosixPath(name)
    if pure.is_absolute() or len(pure.parts) < 2 or pure.parts[0] != prefix:
        return None
    rest = pure.parts[1:]
    if any(part in ("", ".", "..") or "\\" in part for part in rest):
        return None
    return "/".join(rest)


def _check_manifest(manifest, path: Path) -> dict:
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BackupError(f"{path} is not an echos backup: its manifest.json is not an echos one.")
    version = manifest.get("format_version")
    if version != FORMAT_VERSION:
        raise BackupError(
            f"{path} uses backup format version {version!r}, but this echos "
            f"({echos.__version__}) reads format version {FORMAT_VERSION} only: restore it with "
            f"the echos version that made it ({manifest.get('echos_version', 'unknown')}) or newer."
        )
    try:
        for table in manifest["tables"]:
            assert isinstance(table["model"], str) and isinstance(table["columns"], list)
            assert isinstance(table["rows"], int) and isinstance(table["file"], str)
            assert isinstance(table["file_sha256"], str) and isinstance(table["rows_sha256"], str)
        for entry in manifest["media"]:
            assert isinstance(entry["path"], str) and isinstance(entry["size"], int)
            assert _member_path(f"media/{entry['path']}", "media") == entry["path"]
        assert isinstance(manifest["migrations"], dict)
    except (KeyError, TypeError, AssertionError):
        raise BackupError(f"{path} is corrupted: its manifest.json is incomplete.") from None
    return manifest


def check_compatible(manifest: dict, path: Path, using: str = DEFAULT_DB_ALIAS) -> UpgradePlan:
    """Refuse an archive whose schema (migrations, tables, columns) differs from this database.

    An archive made before known upgrades or before an app existed fits (``upgrades.py``): the
    returned plan says how its rows are loaded.
    """
    connection = connections[using]
    executor = MigrationExecutor(connection)
    pending = executor.migration_plan(executor.loader.graph.leaf_nodes())
    if pending:
        raise BackupError(
            f"The database is not migrated ({len(pending)} migrations to apply): "
            "run `echos migrate` first, then restore."
        )
    current = set(executor.loader.applied_migrations)
    archived = {(app, name) for app, names in manifest["migrations"].items() for name in names}
    made_by = manifest.get("echos_version", "unknown")
    if archived - current:
        names = ", ".join(f"{a}.{n}" for a, n in sorted(archived - current))
        raise BackupError(
            f"{path} was made by a newer database schema (echos {made_by}; migrations unknown "
            f"here: {names}): upgrade echos and run `echos migrate`, then restore."
        )
    plan = plan_upgrade(
        current - archived, manifest["migrations"], [t["model"] for t in manifest["tables"]]
    )
    if current - archived - plan.covered:
        names = ", ".join(f"{a}.{n}" for a, n in sorted(current - archived - plan.covered))
        raise BackupError(
            f"{path} was made by an older database schema (echos {made_by}; it lacks the "
            f"migrations {names}): restore it with echos {made_by}, then upgrade and migrate."
        )
    expected = {m._meta.label_lower: m for m in backed_up_models(using)}
    archived_models = {plan.current_label(t["model"]): t for t in manifest["tables"]}
    missing = {
        label for label in set(expected) - set(archived_models) if not plan.starts_empty(label)
    }
    extra = set(archived_models) - set(expected)
    if missing or extra:
        raise BackupError(
            f"{path} does not hold the tables of this echos (missing: "
            f"{', '.join(sorted(missing)) or '-'}; unknown: {', '.join(sorted(extra)) or '-'})."
        )
    for label, model in expected.items():
        if label not in archived_models:
            continue  # a table of an app the archive predates: restored empty
        columns = [f.attname for f in _fields(model)]
        archived_columns = {
            plan.current_column(label, c) for c in archived_models[label]["columns"]
        } | plan.added_columns(label)
        if sorted(archived_columns) != sorted(columns):
            raise BackupError(f"{path}: the columns of {label} differ from this echos' schema.")
    return plan


def non_empty_tables(using: str = DEFAULT_DB_ALIAS) -> dict[str, int]:
    """Tables holding rows other than those ``migrate`` creates, with their row counts."""
    return {
        model._meta.label_lower: count
        for model in backed_up_models(using)
        if model._meta.label_lower not in MIGRATE_CREATED
        and (count := model._base_manager.using(using).count())
    }


def _open_target(target: Path):
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        return open(target, "wb")  # noqa: SIM115
    except OSError as exc:
        raise BackupError(f"Cannot write {target}: {exc}") from None


def _write(out, chunk: bytes, target: Path) -> None:
    try:
        out.write(chunk)
    except OSError as exc:
        raise BackupError(f"Cannot write {target}: {exc}") from None


def _read_archive(path: Path, data_dir: Path | None, media_dir: Path | None, before_body) -> dict:
    """Read and verify the whole archive; write data and media files out if directories are given.

    ``before_body(manifest)`` runs once the manifest is read, before the rest is.
    """
    if not path.is_file():
        raise BackupError(f"{path} does not exist.")
    with open(path, "rb") as fh:
        if fh.read(2) != b"\x1f\x8b":
            raise BackupError(f"{path} is not an echos backup (not a .tar.gz archive).")
    manifest = None
    try:
        with tarfile.open(path, mode="r|gz") as tar:
            expected: dict[str, tuple[str, int | None, str]] = {}
            seen: set[str] = set()
            for member in tar:
                if manifest is None:
                    if member.name != MANIFEST or not member.isfile():
                        raise BackupError(
                            f"{path} is not an echos backup: it has no manifest.json."
                        )
                    try:
                        manifest = json.loads(cast(IO[bytes], tar.extractfile(member)).read())
                    except (ValueError, UnicodeDecodeError):
                        raise BackupError(
                            f"{path} is corrupted or not an echos backup: its manifest.json is not "
                            "valid JSON."
                        ) from None
                    _check_manifest(manifest, path)
                    expected = {
                        t["file"]: ("data", None, t["file_sha256"]) for t in manifest["tables"]
                    }
                    expected.update(
                        {
                            f"media/{m['path']}": ("media", m["size"], m["sha256"])
                            for m in manifest["media"]
                        }
                    )
                    before_body(manifest)
                    continue
                if member.name not in expected or member.name in seen or not member.isfile():
                    raise BackupError(f"{path} is corrupted: unexpected member {member.name!r}.")
                seen.add(member.name)
                kind, size, sha256 = expected[member.name]
                if size is not None and member.size != size:
                    raise BackupError(f"{path} is corrupted: {member.name} has the wrong size.")
                target = None
                if kind == "data" and data_dir is not None:
                    target = data_dir / PurePosixPath(member.name).name
                elif kind == "media" and media_dir is not None:
                    # _check_manifest accepted every media path
                    target = media_dir.joinpath(
                        *cast(str, _member_path(member.name, "media")).split("/")
                    )
                digest = hashlib.sha256()
                source = cast(IO[bytes], tar.extractfile(member))  # a file: checked above
                out = _open_target(target) if target is not None else None
                try:
                    while chunk := source.read(CHUNK):
                        digest.update(chunk)
                        if out:
                            _write(out, chunk, cast(Path, target))
                finally:
                    if out:
                        out.close()
                if digest.hexdigest() != sha256:
                    raise BackupError(
                        f"{path} is corrupted: {member.name} does not match its checksum."
                    )
            if manifest is None:
                raise BackupError(f"{path} is not an echos backup: it has no manifest.json.")
            missing = sorted(set(expected) - seen)
            if missing:
                raise BackupError(
                    f"{path} is corrupted or truncated: {len(missing)} members are missing "
                    f"(first: {missing[0]})."
                )
    except BackupError:
        raise
    except (tarfile.TarError, EOFError, zlib.error, OSError) as exc:
        # The file starts like gzip, so it was an archive: damaged or truncated.
        raise BackupError(f"{path} is corrupted or truncated ({exc}).") from None
    return manifest


# --- restore ------------------------------------------------------------------------------------


def _load(manifest: dict, data_dir: Path, using: str, say: Progress, plan: UpgradePlan) -> int:
    connection = connections[using]
    order = backed_up_models(using)
    archived = {t["model"]: t for t in manifest["tables"]}
    # Today's label → the archive's table; a new app's tables are empty in an older archive.
    tables = {
        label: archived.get(plan.archived_label(label), {"model": label, "rows": 0, "file": None})
        for label in (m._meta.label_lower for m in order)
    }
    rows = 0
    with transaction.atomic(using=using):
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                # TRUNCATE (which also locks the tables against concurrent writers) refuses to
                # run while deferred checks of earlier writes in an enclosing transaction wait.
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            elif connection.vendor == "sqlite":
                cursor.execute("PRAGMA defer_foreign_keys = ON")
            db_tables = [m._meta.db_table for m in order]
            for sql in connection.ops.sql_flush(no_style(), db_tables, allow_cascade=False):
                cursor.execute(sql)
            if connection.vendor == "postgresql":
                cursor.execute("SET CONSTRAINTS ALL DEFERRED")
        for model in order:
            table = tables[model._meta.label_lower]
            if table["file"] is None:
                continue  # a table of an app the archive predates: left empty
            fields_by_name = {f.attname: f for f in _fields(model)}
            columns = [plan.current_column(model._meta.label_lower, c) for c in table["columns"]]
            decoders = [_decoder(fields_by_name[c]) for c in columns]
            # Fields an additive upgrade added since the archive was made take their default
            # (the instance below carries it): inserted too, never left to the database.
            declared = plan.added_columns(model._meta.label_lower)
            added = [
                f
                for a, f in fields_by_name.items()
                if a not in columns and (f.has_default() or a in declared)
            ]
            fields = [fields_by_name[c] for c in columns] + added
            manager = model._base_manager.using(using)
            batch: list = []

            def flush(batch=batch, fields=fields, manager=manager):
                if batch:
                    manager._insert(batch, fields=fields, raw=True, using=using)
                    batch.clear()

            with open(data_dir / PurePosixPath(table["file"]).name, encoding="utf-8") as fh:
                for line in fh:
                    values = json.loads(line)
                    kwargs = {
                        c: decode(v) for c, decode, v in zip(columns, decoders, values, strict=True)
                    }
                    batch.append(model(**kwargs))
                    rows += 1
                    if len(batch) >= BATCH:
                        flush()
                flush()
        with connection.cursor() as cursor:
            for sql in connection.ops.sequence_reset_sql(no_style(), order):
                cursor.execute(sql)
        say(f"Loaded {rows} rows; checking constraints and checksums…")
        connection.check_constraints(table_names=db_tables)
        for model in order:
            table = tables[model._meta.label_lower]
            expected = (table["rows"], table.get("rows_sha256", EMPTY_SHA256))
            archived_columns = table.get("columns")
            if archived_columns is not None:
                label = model._meta.label_lower
                archived_columns = [plan.current_column(label, c) for c in archived_columns]
            if table_digest(model, using, archived_columns) != expected:
                raise BackupError(
                    f"The rows of {table['model']} read back differ from the archive; "
                    "nothing was restored."
                )
        if plan:
            say("Upgrading the restored rows to this schema…")
            after_load(plan, using)
    return rows


def _swap_media(staging: Path, root: Path) -> None:
    """Replace the contents of MEDIA_ROOT by the staged files (MEDIA_ROOT may be a mount point)."""
    root.mkdir(parents=True, exist_ok=True)
    old = Path(tempfile.mkdtemp(prefix=STAGING_PREFIX + "old-", dir=root.parent))
    moved = []
    try:
        for entry in sorted(root.iterdir()):
            if not entry.name.startswith(STAGING_PREFIX):
                shutil.move(entry, old / entry.name)
                moved.append(entry.name)
        for entry in sorted(staging.iterdir()):
            shutil.move(entry, root / entry.name)
    except BaseException:
        for name in moved:  # put the previous files back
            if not (root / name).exists():
                shutil.move(old / name, root / name)
        raise
    shutil.rmtree(old, ignore_errors=True)


def restore_backup(
    path,
    *,
    force: bool = False,
    check_only: bool = False,
    using: str = DEFAULT_DB_ALIAS,
    progress: Progress | None = None,
) -> Summary:
    """Verify ``path`` and replace the database and media files by its contents.

    Nothing changes unless the whole archive is readable, matches its checksums and this schema,
    and the database is empty (or ``force``). With ``check_only`` only the verification runs.
    """
    started = time.monotonic()
    say = progress or (lambda message: None)
    path = Path(path)
    summary = Summary(path=path)
    root = _media_root()

    plan = UpgradePlan()

    def before_body(manifest):
        nonlocal plan
        plan = check_compatible(manifest, path, using)
        if not force and not check_only:
            filled = non_empty_tables(using)
            if filled:
                listed = ", ".join(
                    f"{label} ({count})" for label, count in list(filled.items())[:5]
                )
                raise BackupError(
                    f"The database is not empty ({listed}{'…' if len(filled) > 5 else ''}): "
                    "restoring replaces all of it. Use --force to overwrite it."
                )

    staging = None
    with tempfile.TemporaryDirectory(prefix="echos-restore-") as tmp:
        try:
            if not check_only:
                try:
                    root.parent.mkdir(parents=True, exist_ok=True)
                    staging = Path(tempfile.mkdtemp(prefix=STAGING_PREFIX, dir=root.parent))
                except OSError as exc:
                    raise BackupError(f"Cannot stage media files next to {root}: {exc}") from None
            manifest = _read_archive(
                path, None if check_only else Path(tmp), staging, before_body=before_body
            )
            summary.manifest = manifest
            summary.tables = len(manifest["tables"])
            summary.media_files = len(manifest["media"])
            summary.media_bytes = sum(m["size"] for m in manifest["media"])
            say(
                f"{path}: echos {manifest.get('echos_version')} backup of "
                f"{manifest.get('created_at')}, verified."
            )
            if check_only:
                summary.rows = sum(t["rows"] for t in manifest["tables"])
            else:
                summary.rows = _load(manifest, Path(tmp), using, say, plan)
                ContentType.objects.clear_cache()
                _swap_media(cast(Path, staging), root)  # staged unless check_only
        finally:
            if staging is not None:
                shutil.rmtree(staging, ignore_errors=True)
    summary.archive_bytes = path.stat().st_size
    summary.seconds = time.monotonic() - started
    return summary
