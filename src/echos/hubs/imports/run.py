"""Running an import: bounds first, then every row checked, then all written or nothing."""

import io
import itertools
from collections.abc import Callable
from typing import cast

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from echos.core.exceptions import RuleViolation, guard
from echos.hubs import permissions as perms
from echos.hubs.imports.limits import COLUMNS, MAX_COLUMNS, ImportFileError, TooManyRows
from echos.hubs.imports.plan import _Changed, _Plan
from echos.hubs.imports.reading import read_rows
from echos.hubs.imports.report import ImportReport, RowError
from echos.hubs.imports.rows import ROW_HANDLERS
from echos.hubs.models import Hub


def _size(stream) -> int:
    stream.seek(0, io.SEEK_END)
    size = stream.tell()
    stream.seek(0)
    return size


def run_import(
    kind: str,
    source,
    **kwargs,
) -> ImportReport:
    """Import every row or none: the report lists each bad row with its column and reason.

    ``source`` is bytes or a seekable binary file. A file over ``max_bytes`` or ``max_rows``
    (settings ECHOS_IMPORT_MAX_BYTES and ECHOS_IMPORT_MAX_ROWS by default) is refused before its
    rows are checked. Every row is then checked with reads only, outside any transaction, so
    other people's writes go on meanwhile; only a file without a single problem is written, in
    one short transaction of batched inserts with the audit entries and confirmation states the
    services give one by one. At most MAX_ERRORS problems are listed, then how many more.
    """
    return _run_import(kind, source, **kwargs).close()


def _run_import(
    kind: str,
    source,
    *,
    filename: str = "",
    actor=None,
    hub: Hub | None = None,
    progress: Callable[[int], None] | None = None,
    max_bytes: int | None = None,
    max_rows: int | None = None,
) -> ImportReport:
    max_bytes = settings.ECHOS_IMPORT_MAX_BYTES if max_bytes is None else max_bytes
    max_rows = settings.ECHOS_IMPORT_MAX_ROWS if max_rows is None else max_rows
    report = ImportReport(kind=kind)
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
        return report
    try:
        header, rows = read_rows(stream, filename, max_bytes=max_bytes, max_rows=max_rows)
        if len(header) > MAX_COLUMNS:
            report.add(
                RowError(
                    1,
                    None,
                    _("The header has more than %(limit)d columns; expected: %(cols)s.")
                    % {"limit": MAX_COLUMNS, "cols": ", ".join(COLUMNS[kind])},
                )
            )
            return report
        missing = [
            c for c, (required, _help) in COLUMNS[kind].items() if required and c not in header
        ]
        for column in missing:
            report.add(RowError(1, column, _("Required column is missing.")))
        unknown = [c for c in header if c and c not in COLUMNS[kind]]
        for column in unknown:
            report.add(
                RowError(
                    1,
                    column,
                    _("Unknown column; expected: %(cols)s.") % {"cols": ", ".join(COLUMNS[kind])},
                )
            )
        if report.errors:
            return report
        records = list(itertools.islice(rows, max_rows + 1))
    except TooManyRows as exc:
        report.add(RowError(exc.row, None, str(exc)))
        return report
    except ImportFileError as exc:
        report.add(RowError(1, None, str(exc)))
        return report
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
        return report
    if not records:
        report.add(RowError(2, None, _("The file has a header but no rows.")))
        return report
    try:
        _guard(kind, actor, hub)
    except PermissionDenied:
        report.add(RowError(1, None, _("You are not allowed to change this.")))
        return report
    plan = _Plan(actor=actor, hub=hub)
    plan.prefetch(
        records,
        "organisation" if kind == "memberships" else "name",
        hub.country_id if hub is not None else None,
    )
    handler = ROW_HANDLERS[kind]
    for number, values in records:
        report.total += 1
        try:
            handler(number, values, plan)
        except RuleViolation as exc:
            report.add(RowError(number, exc.field, exc.message))
        if progress:
            progress(report.total)
    if report.errors:
        return report
    try:
        with transaction.atomic():
            report.created = plan.write()
    except _Changed as exc:
        report.add(
            RowError(
                exc.row,
                exc.field,
                _("%(error)s (stored by someone else while the file was checked)")
                % {"error": exc.message},
            )
        )
    except IntegrityError:
        report.add(
            RowError(1, None, _("The data changed while the file was checked; upload it again."))
        )
    return report


def _guard(kind: str, actor, hub: Hub | None) -> None:
    """The services' own permission checks, asked once for the whole file."""
    if kind == "memberships":
        guard(perms.can_edit_hub(actor, cast(Hub, hub)), actor)  # a memberships file has its hub
    else:
        guard(perms.is_network_coordinator(actor) or perms.editable_hubs(actor).exists(), actor)
