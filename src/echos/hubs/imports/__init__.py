"""All-or-nothing import of organisations and memberships from CSV or XLSX files.

Bounds: besides the bytes and rows, a header has at most MAX_COLUMNS columns and only that many
are read from any row; empty rows count towards a bound of twice ECHOS_IMPORT_MAX_ROWS; an XLSX
file is checked before openpyxl opens it (unpacked size, number of shared strings), and its
declared sheet size is ignored; at most MAX_ERRORS problems are listed, then how many more.

Locking: SQLite lets one writer in at a time, so an import must never hold the write lock while
it reads a file. A file is refused before its rows are checked when it exceeds
ECHOS_IMPORT_MAX_BYTES or ECHOS_IMPORT_MAX_ROWS (read as a stream, stopping at the first row too
many); every row is then checked with reads only, outside any transaction; a file without a
problem is written in one short transaction of batched inserts, which first re-checks, under the
lock, what others stored meanwhile.

One module per step — ``limits`` (columns and bounds), ``reading`` (CSV and XLSX as a stream of
rows), ``rows`` (one row of each kind), ``plan`` (checked with reads, then written at once),
``report`` (bad rows listed), ``steps`` (the steps every import takes: the file read within its
bounds, the permission, every row checked then all written, shared with other apps' imports) and
``run`` (the whole import) — and their public names here, so that
callers write ``from echos.hubs import imports`` and ``imports.run_import(...)``.
"""

from echos.hubs.imports.limits import (
    BATCH,
    BIGGEST_ID,
    COLUMNS,
    MAX_COLUMNS,
    MAX_ERRORS,
    MAX_HEADER_CHARS,
    STRINGS_PER_ROW,
    XLSX_UNPACKED_FACTOR,
    ImportFileError,
    TooManyRows,
)
from echos.hubs.imports.plan import _Plan, audit_entry, chunks, is_id
from echos.hubs.imports.reading import read_rows
from echos.hubs.imports.report import ImportReport, RowError
from echos.hubs.imports.rows import ROW_HANDLERS
from echos.hubs.imports.run import run_import
from echos.hubs.imports.steps import (
    Changed,
    Columns,
    Record,
    check_and_write,
    permitted,
    read_checked,
)

__all__ = [
    "BATCH",
    "BIGGEST_ID",
    "COLUMNS",
    "MAX_COLUMNS",
    "MAX_ERRORS",
    "MAX_HEADER_CHARS",
    "ROW_HANDLERS",
    "STRINGS_PER_ROW",
    "XLSX_UNPACKED_FACTOR",
    "Changed",
    "Columns",
    "ImportFileError",
    "ImportReport",
    "Record",
    "RowError",
    "TooManyRows",
    "_Plan",
    "audit_entry",
    "check_and_write",
    "chunks",
    "is_id",
    "permitted",
    "read_checked",
    "read_rows",
    "run_import",
]
