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
commit) and finally swaps the media files in. An archive made before a declared schema upgrade (a
model that moved between apps) or before an app existed is brought forward while it is restored
(``upgrades.py``).
"""

from echos.site.backup.create import (
    FORMAT,
    FORMAT_VERSION,
    MANIFEST,
    BackupError,
    Summary,
    backed_up_models,
    create_backup,
    migration_state,
    table_digest,
)
from echos.site.backup.restore import check_compatible, non_empty_tables, restore_backup

__all__ = [
    "FORMAT",
    "FORMAT_VERSION",
    "MANIFEST",
    "BackupError",
    "Summary",
    "backed_up_models",
    "check_compatible",
    "create_backup",
    "migration_state",
    "non_empty_tables",
    "restore_backup",
    "table_digest",
]
