"""Consistent backups of the whole database and the uploaded files, and their verified restore.

An archive is one ``.tar.gz`` file:

- ``manifest.json`` (always the first member): format and echos version, creation time, database
  vendor, the applied migrations per app, and per table the row count, the columns, a SHA-256 of
  the data file and a SHA-256 of the rows in a canonical form; the list of media files with their
  size and SHA-256;
- ``data/<app>.<model>.jsonl``: one JSON list per row, ordered by primary key, for every model
  (auto-created many-to-many tables, content types and permissions included, with their own
  primary keys, so every reference stays valid), read inside one read-only snapshot transaction;
- ``media/<path>``: every file under ``MEDIA_ROOT`` (evidence files...).

Restore reads the manifest, refuses foreign, corrupted, unknown-format or schema-mismatched archives
and non-empty databases (unless forced) before touching anything, then replaces every row in one
transaction (foreign keys deferred, sequences reset, constraints and row checksums checked before
commit) and finally swaps the media files in.
"""

from __future__ import annotations

import base64
import datetime
import decimal
import hashlib
import io
import json
import os
import shutil
import tarfile
import tempfile
import time
import uuid
import zlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from graphlib import CycleError, TopologicalSorter
from pathlib import Path, PurePosixPath
from typing import IO, Any, cast

from django.apps import apps
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.management.color import no_style
from django.db import DEFAULT_DB_ALIAS, connections, models, router, transaction
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone
from django.utils.duration import duration_string

import echos

FORMAT = "echos-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
STAGING_PREFIX = ".echos-restore-"
# Rows that ``migrate`` creates by itself: a database holding only these counts as empty.
MIGRATE_CREATED = {"contenttypes.contenttype", "auth.permission"}
BATCH = 1000
CHUNK = 1024 * 1024

Progress = Callable[[str], None]


class BackupError(Exception):
    """The backup or restore was refused; the message says why and what to do."""


@dataclass
class Summary:
    """What a backup or restore did."""

    path: Path
    tables: int = 0
    rows: int = 0
    media_files: int = 0
    media_bytes: int = 0
    archive_bytes: int = 0
    seconds: float = 0.0
    manifest: dict = field(default_factory=dict)


# --- models, rows and their canonical form -----------------------------------------------------


def backed_up_models(using: str = DEFAULT_DB_ALIAS) -> list[type[models.Model]]:
    """Every model stored in the database, parents before the models that reference them."""
    candidates = [
        model
        for model in apps.get_models(include_auto_created=True)
        if model._meta.managed
        and not model._meta.proxy
        and router.allow_migrate_model(using, model)
    ]
    known = set(candidates)
    graph: TopologicalSorter[Any] = TopologicalSorter()
    for model in candidates:
        targets: set[Any] = {
            f.related_model
            for f in model._meta.local_concrete_fields
            if f.is_relation and f.related_model in known and f.related_model is not model
        }
        graph.add(model, *sorted(targets, key=lambda m: m._meta.label_lower))
    try:
        return list(graph.static_order())
    except CycleError:
        # Foreign keys are deferred during restore, so any order loads; this one just reads well.
        return candidates


def _fields(model) -> list[models.Field]:
    return list(model._meta.local_concrete_fields)


def _encoder(f: models.Field) -> Callable:
    if isinstance(f, models.JSONField):
        return lambda value: value

    def encode(value):
        if value is None or isinstance(value, (bool, int, float, str)):
            return value
        if isinstance(value, (datetime.datetime, datetime.date, datetime.time)):
            return value.isoformat()
        if isinstance(value, datetime.timedelta):
            return duration_string(value)
        if isinstance(value, (decimal.Decimal, uuid.UUID)):
            return str(value)
        if isinstance(value, (bytes, bytearray, memoryview)):
            return base64.b64encode(bytes(value)).decode("ascii")
        raise BackupError(f"Cannot back up a {type(value).__name__} value of {f}.")

    return encode


def _decoder(f: models.Field) -> Callable:
    if isinstance(f, models.JSONField):
        return lambda value: value
    return lambda value: None if value is None else f.to_python(value)


def _rows(model, using: str) -> Iterator[list]:
    """The rows of a model's table, ordered by primary key, in their JSON form."""
    fields = _fields(model)
    encoders = [_encoder(f) for f in fields]
    queryset = (
        model._base_manager.using(using)
        .order_by(model._meta.pk.attname)
        .values_list(*[f.attname for f in fields])
    )
    for row in queryset.iterator(chunk_size=BATCH):
        yield [encode(value) for encode, value in zip(encoders, row, strict=True)]


def _canonical(row: list) -> bytes:
    """One row as canonical JSON: the same rows give the same bytes on SQLite and PostgreSQL."""
    return json.dumps(row, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def table_digest(model, using: str = DEFAULT_DB_ALIAS) -> tuple[int, str]:
    """Row count and SHA-256 of a model's rows in canonical form (what the manifest records)."""
    digest, count = hashlib.sha256(), 0
    for row in _rows(model, using):
        digest.update(_canonical(row) + b"\n")
        count += 1
    return count, digest.hexdigest()


def migration_state(connection) -> dict[str, list[str]]:
    """The applied migrations of every app, as recorded in the database."""
    executor = MigrationExecutor(connection)
    state: dict[str, list[str]] = {}
    for app_label, name in sorted(executor.loader.applied_migrations):
        state.setdefault(app_label, []).append(name)
    return state


@contextmanager
def _snapshot(connection):
    """A read transaction, so every table is read as of the same moment."""
    if connection.in_atomic_block:
        # Already inside a transaction (a caller's or a test's): it is the snapshot.
        yield
    elif connection.vendor == "postgresql":
        with transaction.atomic(using=connection.alias):
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            yield
    elif connection.vendor == "sqlite":
        # A deferred transaction reads one WAL snapshot without blocking writers (Django's own
        # atomic() would BEGIN IMMEDIATE, taking the write lock for the whole backup).
        connection.ensure_connection()
        with connection.cursor() as cursor:
            cursor.execute("BEGIN DEFERRED")
        try:
            yield
        finally:
            with connection.cursor() as cursor:
                cursor.execute("ROLLBACK")
    else:
        with transaction.atomic(using=connection.alias):
            yield


# --- media --------------------------------------------------------------------------------------


def _media_root() -> Path:
    return Path(settings.MEDIA_ROOT)


def _media_files(root: Path) -> Iterator[tuple[str, Path]]:
    """Regular files under MEDIA_ROOT as (archive-relative posix path, path), sorted."""
    if not root.is_dir():
        return
    for dirpath, dirnames, filenames in os.walk(root):
        here = Path(dirpath)
        if here == root:
            dirnames[:] = [d for d in dirnames if not d.startswith(STAGING_PREFIX)]
        dirnames.sort()
        for name in sorted(filenames):
            path = here / name
            if path.is_symlink() or not path.is_file():
                continue
            yield path.relative_to(root).as_posix(), path


def _sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        while chunk := fh.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


class _HashingReader(io.RawIOBase):
    """Wraps a file object and hashes what is read through it."""

    def __init__(self, fh):
        self.fh, self.sha256, self.size = fh, hashlib.sha256(), 0

    def readable(self):
        return True

    def read(self, size=-1):
        data = self.fh.read(size)
        self.sha256.update(data)
        self.size += len(data)
        return data


# --- backup -------------------------------------------------------------------------------------


def create_backup(
    path,
    *,
    overwrite: bool = False,
    using: str = DEFAULT_DB_ALIAS,
    progress: Progress | None = None,
) -> Summary:
    """Write a consistent snapshot of the database and the media files to ``path`` (.tar.gz)."""
    started = time.monotonic()
    say = progress or (lambda message: None)
    path = Path(path)
    if path.exists() and not overwrite:
        raise BackupError(f"{path} already exists: choose another name or use --force.")
    if not path.parent.is_dir():
        raise BackupError(f"The folder {path.parent} does not exist.")
    connection = connections[using]
    summary = Summary(path=path)
    with tempfile.TemporaryDirectory(prefix="echos-backup-") as tmp:
        tables = []
        with _snapshot(connection):
            migrations = migration_state(connection)
            for model in backed_up_models(using):
                label = model._meta.label_lower
                member = f"data/{label}.jsonl"
                file_digest, row_digest, count = hashlib.sha256(), hashlib.sha256(), 0
                with open(Path(tmp) / f"{label}.jsonl", "wb") as out:
                    for row in _rows(model, using):
                        line = (
                            json.dumps(row, ensure_ascii=False, separators=(",", ":")).encode()
                            + b"\n"
                        )
                        out.write(line)
                        file_digest.update(line)
                        row_digest.update(_canonical(row) + b"\n")
                        count += 1
                tables.append(
                    {
                        "model": label,
                        "table": model._meta.db_table,
                        "file": member,
                        "columns": [f.attname for f in _fields(model)],
                        "rows": count,
                        "rows_sha256": row_digest.hexdigest(),
                        "file_sha256": file_digest.hexdigest(),
                    }
                )
                summary.rows += count
        summary.tables = len(tables)
        say(f"Read {summary.rows} rows from {summary.tables} tables.")
        # Media after the database: a file uploaded meanwhile is kept as an unused extra, and
        # uploaded files are never rewritten in place.
        root = _media_root()
        media: list[dict[str, Any]] = [
            {"path": rel, "size": p.stat().st_size, "sha256": _sha256_file(p)}
            for rel, p in _media_files(root)
        ]
        summary.media_files = len(media)
        summary.media_bytes = sum(m["size"] for m in media)
        created = timezone.now()
        manifest = {
            "format": FORMAT,
            "format_version": FORMAT_VERSION,
            "echos_version": echos.__version__,
            "created_at": created.isoformat(),
            "database": {"vendor": connection.vendor},
            "migrations": migrations,
            "tables": tables,
            "media": media,
        }
        partial = path.with_name(f".{path.name}.partial")
        fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)  # personal data
        try:
            with os.fdopen(fd, "wb") as raw, tarfile.open(fileobj=raw, mode="w:gz") as tar:
                mtime = int(created.timestamp())

                def add(name, size, fileobj):
                    info = tarfile.TarInfo(name)
                    info.size, info.mtime, info.mode = size, mtime, 0o600
                    tar.addfile(info, fileobj)

                body = json.dumps(manifest, indent=1, ensure_ascii=False).encode()
                add(MANIFEST, len(body), io.BytesIO(body))
                for table in tables:
                    local = Path(tmp) / f"{table['model']}.jsonl"
                    with open(local, "rb") as fh:
                        add(table["file"], local.stat().st_size, fh)
                for entry in media:
                    try:
                        with open(root / entry["path"], "rb") as fh:
                            reader = _HashingReader(fh)
                            add(f"media/{entry['path']}", entry["size"], reader)
                    except OSError:
                        reader = None
                    if reader is None or reader.sha256.hexdigest() != entry["sha256"]:
                        raise BackupError(
                            f"The media file {entry['path']} changed during the backup: "
                            "run it again."
                        )
            os.replace(partial, path)
        except BaseException:
            partial.unlink(missing_ok=True)
            raise
    summary.manifest = manifest
    summary.archive_bytes = path.stat().st_size
    summary.seconds = time.monotonic() - started
    return summary


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


def check_compatible(manifest: dict, path: Path, using: str = DEFAULT_DB_ALIAS) -> None:
    """Refuse an archive whose schema (migrations, tables, columns) differs from this database."""
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
    if current - archived:
        names = ", ".join(f"{a}.{n}" for a, n in sorted(current - archived))
        raise BackupError(
            f"{path} was made by an older database schema (echos {made_by}; it lacks the "
            f"migrations {names}): restore it with echos {made_by}, then upgrade and migrate."
        )
    expected = {m._meta.label_lower: m for m in backed_up_models(using)}
    archived_models = {t["model"]: t for t in manifest["tables"]}
    if set(expected) != set(archived_models):
        missing = sorted(set(expected) - set(archived_models))
        extra = sorted(set(archived_models) - set(expected))
        raise BackupError(
            f"{path} does not hold the tables of this echos (missing: {', '.join(missing) or '-'};"
            f" unknown: {', '.join(extra) or '-'})."
        )
    for label, model in expected.items():
        columns = [f.attname for f in _fields(model)]
        if sorted(archived_models[label]["columns"]) != sorted(columns):
            raise BackupError(f"{path}: the columns of {label} differ from this echos' schema.")


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


def _load(manifest: dict, data_dir: Path, using: str, say: Progress) -> int:
    connection = connections[using]
    order = backed_up_models(using)
    tables = {t["model"]: t for t in manifest["tables"]}
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
            fields_by_name = {f.attname: f for f in _fields(model)}
            columns = table["columns"]
            decoders = [_decoder(fields_by_name[c]) for c in columns]
            fields = [fields_by_name[c] for c in columns]
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
            if table_digest(model, using) != (table["rows"], table["rows_sha256"]):
                raise BackupError(
                    f"The rows of {table['model']} read back differ from the archive; "
                    "nothing was restored."
                )
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

    def before_body(manifest):
        check_compatible(manifest, path, using)
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
                summary.rows = _load(manifest, Path(tmp), using, say)
                ContentType.objects.clear_cache()
                _swap_media(cast(Path, staging), root)  # staged unless check_only
        finally:
            if staging is not None:
                shutil.rmtree(staging, ignore_errors=True)
    summary.archive_bytes = path.stat().st_size
    summary.seconds = time.monotonic() - started
    return summary
