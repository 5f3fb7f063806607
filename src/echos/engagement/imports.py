"""Spreadsheet imports of a hub's stakeholder register and engagement records (issue #14): all rows
or none.

The hubs imports' machinery is reused: ``read_rows`` (CSV and XLSX as a bounded stream), the
report (each bad row named with its row, column and reason, at most MAX_ERRORS listed) and the same
order of work: the file's bounds first (bytes, rows, columns), then every row checked with reads
only, outside any transaction, against what was read in batches beforehand; only a file without a
single problem is written, in one short transaction of batched inserts with the audit entries,
after re-checking under the lock what others stored meanwhile.
"""

import io
import itertools
from collections.abc import Callable

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from echos.core.exceptions import RuleViolation, guard
from echos.core.models import Term
from echos.engagement import permissions as record_perms
from echos.engagement import register
from echos.engagement.import_plans import (
    PARTICIPANTS_PREFIX,
    Changed,
    Plan,
    RecordPlan,
    StakeholderPlan,
)
from echos.hubs.imports import (
    MAX_COLUMNS,
    ImportFileError,
    ImportReport,
    RowError,
    TooManyRows,
    read_rows,
)
from echos.hubs.models import Hub

# Column -> (required, help). ``participants:<group code>`` columns come on top of the records'.
COLUMNS = {
    "stakeholders": {
        "organisation": (True, "Organisation id, or its exact name"),
        "country": (False, "Organisation's country when matching by name (default: the hub's)"),
        "stakeholder_group": (False, "stakeholder_groups code (default: the organisation's)"),
        "sector": (False, "Penta Helix sector override: public, academia, industry, …"),
        "influence": (True, "1 to 5"),
        "interest": (True, "1 to 5"),
        "status": (False, "to_approach (default), engaged, partner or dormant"),
        "owner": (False, "User name of a coordinator or editor of the hub"),
        "notes": (False, "Free text, internal to the hub team"),
    },
    "engagement": {
        "title": (True, "Title of the engagement"),
        "description": (True, "What happened and with whom (no private persons)"),
        "date": (True, "YYYY-MM-DD"),
        "end_date": (False, "YYYY-MM-DD"),
        "status": (False, "held (default), planned or cancelled"),
        "level": (True, "engagement_levels code: inform, consult, involve, collaborate, empower"),
        "stakeholder_groups": (True, "stakeholder_groups codes separated by ;"),
        "organisations": (False, "Organisation ids or exact names separated by ;"),
        "participants": (False, "Total number of participants"),
        "participants:<group>": (False, "Participants of one group, e.g. participants:patients"),
        "format": (True, "meeting, workshop, penta_helix_workshop, consultation, …"),
        "language": (True, "ISO 639-1 code, e.g. pl"),
        "region": (False, "ISO 3166-2 code in the hub's country"),
        "objectives": (False, "objectives codes separated by ;"),
        "policy_areas": (False, "policy_areas codes separated by ;"),
        "outcomes": (False, "Outcome notes"),
    },
}

# A service's field name -> the column that holds it.
FIELD_COLUMN = {"group": "stakeholder_group", "sector_override": "sector"}


def import_stakeholders(source, **kwargs) -> ImportReport:
    """Add every row of the file to the hub's register, or none."""
    return _run("stakeholders", source, **kwargs).close()


def import_records(source, **kwargs) -> ImportReport:
    """Record every row of the file as an engagement of the hub, or none."""
    return _run("engagement", source, **kwargs).close()


def known_column(kind: str, column: str, groups: dict[str, Term]) -> bool:
    """A column the kind accepts (``participants:<code>`` of a known group for records)."""
    if kind == "engagement" and column.startswith(PARTICIPANTS_PREFIX):
        return column[len(PARTICIPANTS_PREFIX) :] in groups
    return column in COLUMNS[kind] and not column.startswith(PARTICIPANTS_PREFIX)


def _size(stream) -> int:
    stream.seek(0, io.SEEK_END)
    size = stream.tell()
    stream.seek(0)
    return size


def _run(
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
    if hub is None:
        report.add(RowError(1, None, _("Choose the hub the file belongs to (--hub ID).")))
        return report
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
    groups = {t.code: t for t in Term.objects.of(Term.Vocabulary.STAKEHOLDER_GROUPS)}
    expected = ", ".join(COLUMNS[kind])
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
            return report
        for column, (required, _help) in COLUMNS[kind].items():
            if required and column not in header:
                report.add(RowError(1, column, _("Required column is missing.")))
        for column in header:
            if column and not known_column(kind, column, groups):
                report.add(
                    RowError(
                        1, column, _("Unknown column; expected: %(cols)s.") % {"cols": expected}
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
    allowed = (
        register.can_edit_register(actor, hub)
        if kind == "stakeholders"
        else record_perms.can_record_engagement(actor, hub)
    )
    try:
        guard(allowed, actor)
    except PermissionDenied:
        report.add(RowError(1, None, _("You are not allowed to change this.")))
        return report
    plan: Plan = (StakeholderPlan if kind == "stakeholders" else RecordPlan)(
        actor=actor, hub=hub, groups=groups
    )
    plan.prefetch(records)
    for number, values in records:
        report.total += 1
        try:
            plan.row(number, values)
        except RuleViolation as exc:
            report.add(RowError(number, FIELD_COLUMN.get(exc.field or "", exc.field), exc.message))
        if progress:
            progress(report.total)
    if report.errors:
        return report
    try:
        with transaction.atomic():
            report.created = plan.write()
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
    return report
