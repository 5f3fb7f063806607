"""Running an import: bounds first, then every row checked, then all written or nothing."""

from collections.abc import Callable
from typing import cast

from echos.hubs import permissions as perms
from echos.hubs.imports.limits import COLUMNS
from echos.hubs.imports.plan import _Plan
from echos.hubs.imports.report import ImportReport
from echos.hubs.imports.rows import ROW_HANDLERS
from echos.hubs.imports.steps import check_and_write, permitted, read_checked
from echos.hubs.models import Hub


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
    report = ImportReport(kind=kind)
    records = read_checked(
        source,
        filename,
        columns=COLUMNS[kind],
        report=report,
        max_bytes=max_bytes,
        max_rows=max_rows,
    )
    if records is None or not permitted(_allowed(kind, actor, hub), actor, report):
        return report
    plan = _Plan(actor=actor, hub=hub)
    plan.prefetch(
        records,
        "organisation" if kind == "memberships" else "name",
        hub.country_id if hub is not None else None,
    )
    handler = ROW_HANDLERS[kind]
    check_and_write(
        records,
        check=lambda number, values: handler(number, values, plan),
        write=plan.write,
        report=report,
        progress=progress,
    )
    return report


def _allowed(kind: str, actor, hub: Hub | None) -> bool:
    """The services' own permission predicates, asked once for the whole file."""
    if kind == "memberships":
        return perms.can_edit_hub(actor, cast(Hub, hub))  # a memberships file has its hub
    return perms.is_network_coordinator(actor) or perms.editable_hubs(actor).exists()
