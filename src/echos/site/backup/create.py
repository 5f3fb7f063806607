"""Writing a backup: one consistent snapshot of the database and the media files (see the
package docstring for the archive format)."""

from __future__ import annotations

import base64
import datetime
import decimal
import hashlib
import io
import json
import os
import tarfile
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from graphlib import CycleError, TopologicalSorter
from pathlib import Path
from typing import Any

from django.apps import apps
from django.conf import settings
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


def _rows(model, using: str, columns: list[str] | None = None) -> Iterator[list]:
    """The rows of a model's table, ordered by primary key, in their JSON form (only ``columns``,
    in that order, when given: an archive made before an additive upgrade lacks the new ones)."""
    fields = _fields(model)
    if columns is not None:
        by_name = {f.attname: f for f in fields}
        fields = [by_name[c] for c in columns]
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


def table_digest(
    model, using: str = DEFAULT_DB_ALIAS, columns: list[str] | None = None
) -> tuple[int, str]:
    """Row count and SHA-256 of a model's rows in canonical form (what the manifest records)."""
    digest, count = hashlib.sha256(), 0
    for row in _rows(model, using, columns):
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
