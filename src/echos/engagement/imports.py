"""Spreadsheet imports of a hub's stakeholder register and engagement records (issue #14): all rows
or none.

The hubs imports' steps are reused (``echos.hubs.imports.steps``), so the bounds, the order of
work and every message are those of the organisations' imports: ``read_checked`` (the file's
bounds first: bytes, columns, rows), ``permitted`` (asked once for the whole file), then
``check_and_write`` (every row checked with reads only, outside any transaction, against what the
plan read in batches beforehand; only a file without a single problem is written, in one short
transaction of batched inserts with the audit entries, after re-checking under the lock what
others stored meanwhile). The report lists each bad row with its column and reason.
"""

from collections.abc import Callable

from django.utils.translation import gettext as _

from echos.core.models import Term
from echos.engagement import permissions as record_perms
from echos.engagement import register
from echos.engagement.import_plans import PARTICIPANTS_PREFIX, Plan, RecordPlan, StakeholderPlan
from echos.hubs.imports import (
    ImportReport,
    RowError,
    check_and_write,
    permitted,
    read_checked,
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
    report = ImportReport(kind=kind)
    if hub is None:
        report.add(RowError(1, None, _("Choose the hub the file belongs to (--hub ID).")))
        return report
    groups = {t.code: t for t in Term.objects.of(Term.Vocabulary.STAKEHOLDER_GROUPS)}
    records = read_checked(
        source,
        filename,
        columns=COLUMNS[kind],
        known=lambda column: known_column(kind, column, groups),
        report=report,
        max_bytes=max_bytes,
        max_rows=max_rows,
    )
    if records is None:
        return report
    allowed = (
        register.can_edit_register(actor, hub)
        if kind == "stakeholders"
        else record_perms.can_record_engagement(actor, hub)
    )
    if not permitted(allowed, actor, report):
        return report
    plan: Plan = (StakeholderPlan if kind == "stakeholders" else RecordPlan)(
        actor=actor, hub=hub, groups=groups
    )
    plan.prefetch(records)
    check_and_write(
        records,
        check=plan.row,
        write=plan.write,
        report=report,
        progress=progress,
        column=lambda field: FIELD_COLUMN.get(field or "", field),
    )
    return report
