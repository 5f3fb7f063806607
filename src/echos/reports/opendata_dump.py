"""The open-data dump (issue #15 item 5): every app's public tables as CSV plus a Data Package.

Streamed: each table's rows go from a chunked database cursor straight to its CSV file, so memory
stays constant whatever the data size. Atomic: the dump is written into a temporary directory next
to the target and renamed into place at the end; a reader never sees half a dump. The zip served by
the open-data page is built from the finished dump the same way (temporary file, then rename).
"""

from __future__ import annotations

import csv
import json
import shutil
import tempfile
import zipfile
from collections.abc import Callable
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.conf import settings
from django.utils import timezone, translation

from echos.core import opendata

PACKAGE_NAME = "echos-open-data"
LICENCE = {
    "name": "CC-BY-4.0",
    "title": "Creative Commons Attribution 4.0 International",
    "path": "https://creativecommons.org/licenses/by/4.0/",
}
DESCRIPTOR = "datapackage.json"


def dump_dir() -> Path:
    """Where the nightly dump lives (under the data directory)."""
    return Path(settings.DATA_DIR) / "opendata" / "dump"


def zip_path() -> Path:
    return Path(settings.DATA_DIR) / "opendata" / "echos-open-data.zip"


def cell(value: Any) -> Any:
    """A value as the Table Schema's default format expects it in CSV."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime):
        if timezone.is_naive(value):
            value = value.replace(tzinfo=UTC)
        return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return format(value, "f")
    return value


def _resource(table: opendata.Table, rows: int) -> dict:
    return {
        "name": table.name.replace("_", "-"),
        "path": table.path,
        "title": table.title,
        "description": table.description,
        "profile": "tabular-data-resource",
        "format": "csv",
        "mediatype": "text/csv",
        "encoding": "utf-8",
        "schema": {
            "fields": [
                {"name": f.name, "type": f.type, "description": f.description} for f in table.fields
            ],
            "missingValues": [""],
        },
        "x_rows": rows,
    }


def write_table(table: opendata.Table, path: Path) -> int:
    """Stream one table into a CSV file with a header row; the number of rows written."""
    count = 0
    width = len(table.fields)
    with path.open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow([f.name for f in table.fields])
        for row in table.rows():
            if len(row) != width:
                raise ValueError(f"{table.name}: a row has {len(row)} values for {width} fields")
            writer.writerow([cell(v) for v in row])
            count += 1
    return count


def write_dump(
    target: Path,
    *,
    tables: list[opendata.Table] | None = None,
    progress: Callable[[int, int, str], None] | None = None,
) -> dict:
    """Write every public table and the ``datapackage.json`` into ``target``; its descriptor.

    ``target`` is replaced as a whole at the end (an existing dump stays readable until then).
    """
    with translation.override("en"):  # labels of the dump are English, whatever the caller's
        return _write_dump(target, opendata.tables() if tables is None else tables, progress)


def _write_dump(target: Path, tables: list[opendata.Table], progress) -> dict:
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=f".{target.name}-", dir=target.parent))
    try:
        (work / "data").mkdir()
        resources = []
        for i, table in enumerate(tables):
            if progress:
                progress(i, len(tables), table.name)
            rows = write_table(table, work / table.path)
            resources.append(_resource(table, rows))
        descriptor = {
            "name": PACKAGE_NAME,
            "title": "echos open data: Europe's National Cancer Mission Hubs",
            "description": (
                "Public facts of the echos platform: countries, hubs and their lifecycle, "
                "organisations and memberships, initiatives and synergies, public events, "
                "consultations' aggregate results, engagement records, library metadata, "
                "the ECHoS consortium. No personal data. Rows marked is_demo are invented."
            ),
            "profile": "tabular-data-package",
            "licenses": [LICENCE],
            "created": timezone.now().astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
            "resources": resources,
        }
        (work / DESCRIPTOR).write_text(json.dumps(descriptor, indent=2, ensure_ascii=False))
        if progress:
            progress(len(tables), len(tables), "")
        old = target.with_name(f".{target.name}-old")
        shutil.rmtree(old, ignore_errors=True)
        if target.exists():
            target.rename(old)
        work.rename(target)
        shutil.rmtree(old, ignore_errors=True)
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    return descriptor


def write_zip(source: Path, target: Path) -> Path:
    """Zip a finished dump into ``target`` (file by file, streamed), atomically."""
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}-", dir=target.parent)
    try:
        with open(fd, "wb") as raw, zipfile.ZipFile(raw, "w", zipfile.ZIP_DEFLATED) as archive:
            archive.write(source / DESCRIPTOR, DESCRIPTOR)
            for path in sorted((source / "data").glob("*.csv")):
                archive.write(path, f"data/{path.name}")
        Path(tmp).replace(target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return target


def build_published() -> dict:
    """Regenerate the published dump and its zip under the data directory (nightly)."""
    descriptor = write_dump(dump_dir())
    write_zip(dump_dir(), zip_path())
    return descriptor


def published_descriptor() -> dict | None:
    """The descriptor of the last published dump, None when none was built yet."""
    path = dump_dir() / DESCRIPTOR
    if not path.is_file() or not zip_path().is_file():
        return None
    return json.loads(path.read_text())
