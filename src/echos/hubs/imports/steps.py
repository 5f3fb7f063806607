"""The steps every spreadsheet import takes, whatever its rows hold, for this app and the ones above.

An import calls them in this order, stopping at the first that puts a problem in the report:
``read_checked`` (the file's bytes, header and rows within bounds), ``permitted`` (the actor may
change the data at all), then, once its plan has read what it needs in batches,
``check_and_write`` (every row checked with reads only, then all written in one transaction, or
nothing). The bounds and their messages live here only, so that every import refuses a file the
same way, in the same words.
"""

import io
import itertools
from collections.abc import Callable, Mapping
from typing import IO

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from echos.core.exceptions import RuleViolation, guard
from echos.hubs.imports.limits import MAX_COLUMNS, ImportFileError, TooManyRows
from echos.hubs.imports.reading import read_rows
from echos.hubs.imports.report import ImportReport, RowError

# A row of a file: its number (the header is row 1) and its values by column.
Record = tuple[int, dict]
# Column name -> (required, help), the table each import documents.
Columns = Mapping[str, tuple[bool, str]]


class Changed(Exception):
    """A row checked fine, but others stored something contradicting it before the write."""

    def __init__(self, row: int, column: str | None, message: str):
        super().__init__(message)
        self.row, self.column, self.message = row, column, message


def _size(stream: IO[bytes]) -> int:
    stream.seek(0, io.SEEK_END)
    size = stream.tell()
    stream.seek(0)
    return size


def read_checked(
    source: bytes | bytearray | IO[bytes],
    filename: str,
    *,
    columns: Columns,
    report: ImportReport,
    known: Callable[[str], bool] | None = None,
    max_bytes: int | None = None,
    max_rows: int | None = None,
) -> list[Record] | None:
    """The file's rows, or None once the report names why the file is refused as a whole.

    ``source`` is bytes or a seekable binary file, CSV or XLSX (``filename`` tells which when the
    content does not). Refused, in this order: a file over ``max_bytes`` (before anything is
    read), a header wider than MAX_COLUMNS, a missing required column and an unknown one (all of
    them listed), a file that cannot be read, more than ``max_rows`` rows, no row at all.
    ``known`` says which header cells are columns (default: those of ``columns``); the messages
    list ``columns`` as expected. ``max_bytes`` and ``max_rows`` default to the settings
    ECHOS_IMPORT_MAX_BYTES and ECHOS_IMPORT_MAX_ROWS. Rows are read as a stream, stopping at the
    first row too many.
    """
    max_bytes = settings.ECHOS_IMPORT_MAX_BYTES if max_bytes is None else max_bytes
    max_rows = settings.ECHOS_IMPORT_MAX_ROWS if max_rows is None else max_rows
    is_known = known if known is not None else columns.__contains__
    stream = io.BytesIO(source) if isinstance(source, bytes | bytearray) else source
    size = _size(stream)
    if size > max_bytes:
        report.add(
            RowError(
                1,
                None,
                _(
                    "The file is %(size)s; the limit is %(limit)s (ECHOS_IMPORT_MAX_BYTES). "
                    "Split it into smaller files."
                )
                % {"size": filesizeformat(size), "limit": filesizeformat(max_bytes)},
            )
        )
        return None
    expected = ", ".join(columns)
    try:
        header, rows = read_rows(stream, filename, max_bytes=max_bytes, max_rows=max_rows)
        if len(header) > MAX_COLUMNS:
            report.add(
                RowError(
                    1,
                    None,
                    _("The header has more than %(limit)d columns; expected: %(cols)s.")
                    % {"limit": MAX_COLUMNS, "cols": expected},
                )
            )
            return None
        for column, (required, _help) in columns.items():
            if required and column not in header:
                report.add(RowError(1, column, _("Required column is missing.")))
        for column in header:
            if column and not is_known(column):
                report.add(
                    RowError(
                        1, column, _("Unknown column; expected: %(cols)s.") % {"cols": expected}
                    )
                )
        if report.errors:
            return None
        records = list(itertools.islice(rows, max_rows + 1))
    except TooManyRows as exc:
        report.add(RowError(exc.row, None, str(exc)))
        return None
    except ImportFileError as exc:
        report.add(RowError(1, None, str(exc)))
        return None
    if len(records) > max_rows:
        report.add(
            RowError(
                records[max_rows][0],
                None,
                _(
                    "The file has more than %(limit)d rows, the limit (ECHOS_IMPORT_MAX_ROWS). "
                    "Split it into smaller files."
                )
                % {"limit": max_rows},
            )
        )
        return None
    if not records:
        report.add(RowError(2, None, _("The file has a header but no rows.")))
        return None
    return records


def permitted(allowed: bool, actor, report: ImportReport) -> bool:
    """Whether the actor may import at all (actor None is the system); if not, the report says so.

    Asked once for the whole file, with the services' own permission predicate as ``allowed``.
    """
    try:
        guard(allowed, actor)
    except PermissionDenied:
        report.add(RowError(1, None, _("You are not allowed to change this.")))
        return False
    return True


def check_and_write(
    records: list[Record],
    *,
    check: Callable[[int, dict], None],
    write: Callable[[], int],
    report: ImportReport,
    progress: Callable[[int], None] | None = None,
    column: Callable[[str | None], str | None] | None = None,
) -> None:
    """Check every row, then write them all in one transaction if none has a problem.

    ``check(number, values)`` raises RuleViolation for a bad row (its field named as the column,
    or through ``column`` when the two differ) and is called for every row, so that the report
    lists every problem; ``progress`` is told how many rows are checked after each. ``write()``
    stores every row at once and returns how many things it created (``report.created``); it
    raises Changed when others stored meanwhile what contradicts a row. Nothing is written when
    any row, or the write, fails.
    """
    for number, values in records:
        report.total += 1
        try:
            check(number, values)
        except RuleViolation as exc:
            named = column(exc.field) if column is not None else exc.field
            report.add(RowError(number, named, exc.message))
        if progress:
            progress(report.total)
    if report.errors:
        return
    try:
        with transaction.atomic():
            report.created = write()
    except Changed as exc:
        report.add(
            RowError(
                exc.row,
                exc.column,
                _("%(error)s (stored by someone else while the file was checked)")
                % {"error": exc.message},
            )
        )
    except IntegrityError:
        report.add(
            RowError(1, None, _("The data changed while the file was checked; upload it again."))
        )
