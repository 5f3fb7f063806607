"""The XLSX of a report: one sheet per section, numbers as numbers, dates as dates.

Written with openpyxl's write-only workbook (rows stream to the file; memory stays flat). Sheets:
the summary of key figures, the figures of every indicator, the monthly series, the Europe map's
table (network), the consortium's work packages and outputs (network), and "About" with every
definition and the EU funding acknowledgement.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from pathlib import Path
from typing import Any

from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from echos.reports import content

BOLD = Font(bold=True)
TITLE = Font(bold=True, size=14)
WRAP = Alignment(wrap_text=True, vertical="top")
DATE = "yyyy-mm-dd"


def _sheet(book: Workbook, title: str, widths: Sequence[int]):
    # Excel allows 31 characters and no []:*?/\ in a sheet name.
    name = "".join(c for c in title if c not in "[]:*?/\\")[:31]
    sheet = book.create_sheet(name)
    for i, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(i)].width = width
    sheet.freeze_panes = "A2"
    return sheet


def _header(sheet, labels: Iterable[str]) -> None:
    cells = []
    for label in labels:
        cell = WriteOnlyCell(sheet, value=str(label))
        cell.font = BOLD
        cells.append(cell)
    sheet.append(cells)


def _row(sheet, values: Iterable[Any], *, wrap: bool = False) -> None:
    cells = []
    for value in values:
        if isinstance(value, Promise):  # a lazily translated label
            value = str(value)
        cell = WriteOnlyCell(sheet, value=value)
        if hasattr(value, "isoformat"):
            cell.number_format = DATE
        if wrap:
            cell.alignment = WRAP
        cells.append(cell)
    sheet.append(cells)


def write(report: content.Report, target: Path) -> Path:
    """Write the report's workbook into ``target``."""
    with translation.override(report.spec.language):
        book = Workbook(write_only=True)
        _summary(book, report)
        _figures(book, report)
        _monthly(book, report)
        if report.map_rows:
            _countries(book, report)
        rows = content.consortium_rows(report.progress)
        if rows:
            _consortium(book, rows)
        _about(book, report)
        book.save(target)
    return target


def _summary(book: Workbook, report: content.Report) -> None:
    sheet = _sheet(book, _("Summary"), [48, 16, 16, 14, 28])
    _header(sheet, [_("Indicator"), _("This period"), _("Previous period"), _("Change"), _("Unit")])
    for b in report.kpis:
        value, previous = b.headline
        _row(sheet, [b.name, value, previous, b.change, b.unit])
    sheet.append([])
    for label, value in (
        (_("Report"), f"{report.title} — {report.subtitle}"),
        (_("Period start"), report.spec.start),
        (_("Period end"), report.spec.end),
        (_("Language"), report.spec.language),
        (_("Generated"), report.generated_at.date()),
    ):
        _row(sheet, [label, value])


def _figures(book: Workbook, report: content.Report) -> None:
    sheet = _sheet(book, _("Indicators"), [18, 44, 30, 40, 16, 16, 24, 18])
    _header(
        sheet,
        [_("Code"), _("Indicator"), _("Breakdown"), _("Figure"), _("This period"),
         _("Previous period"), _("Unit"), _("Key")],
    )  # fmt: skip
    for b in report.kpis:
        for key, label, value, previous in b.figures:
            _row(
                sheet, [b.code, b.name, b.breakdown, label or b.name, value, previous, b.unit, key]
            )


def _monthly(book: Workbook, report: content.Report) -> None:
    sheet = _sheet(book, _("By month"), [18, 44, 14, 16])
    _header(sheet, [_("Code"), _("Indicator"), _("Month"), _("Value")])
    for b in report.kpis:
        for month, value in b.monthly:
            year, number = month.split("-")
            _row(sheet, [b.code, b.name, _month(int(year), int(number)), value])


def _month(year: int, month: int) -> date:
    return date(year, month, 1)


def _countries(book: Workbook, report: content.Report) -> None:
    sheet = _sheet(book, _("Countries"), [10, 28, 30, 46])
    _header(sheet, [_("Code"), _("Country"), _("Stage of the national hub"), _("National hub")])
    for r in report.map_rows:
        _row(sheet, [r["code"], r["country"], r["stage_label"], r["hub"]])


def _consortium(book: Workbook, rows: dict) -> None:
    s = rows["s"]
    sheet = _sheet(book, _("Work packages"), [8, 56, 40, 10, 10, 10, 10])
    _header(
        sheet,
        [_("WP"), _("Title"), _("Lead"), _("Tasks"), _("Outputs"), _("Done"), _("Overdue")],
    )
    for w in s.work_packages:
        _row(sheet, [w.number, w.title, w.lead or "", w.tasks, w.outputs, w.outputs_done,
                     w.outputs_overdue])  # fmt: skip
    sheet = _sheet(book, _("Milestones and deliverables"), [10, 14, 60, 8, 10, 14, 16, 20, 10])
    _header(
        sheet,
        [_("Number"), _("Kind"), _("Title"), _("WP"), _("Due month"), _("Due date"),
         _("Level"), _("Status"), _("Overdue")],
    )  # fmt: skip
    for row in rows["outputs"]:
        o = row["o"]
        _row(sheet, [o.number, row["kind"], o.title, o.work_package, o.due_month, o.due_date,
                     row["dissemination"], row["status"], _("yes") if o.overdue else _("no")])  # fmt: skip
    sheet = _sheet(book, _("Programme facts"), [30, 30, 40, 40, 50, 14])
    _header(sheet, [_("Fact"), _("Value"), _("Publisher"), _("Source"), _("Link"), _("Checked")])
    for fact in s.facts:
        for value in fact.values:
            for src in value.sources:
                _row(sheet, [fact.label, value.value, src["publisher"], src["title"], src["url"],
                             src["checked"]])  # fmt: skip
    sheet = _sheet(book, _("Risks"), [20, 14])
    _header(sheet, [_("Level"), _("Open risks")])
    for label, n in rows["risks"]:
        _row(sheet, [str(label), n])


def _about(book: Workbook, report: content.Report) -> None:
    sheet = _sheet(book, _("About"), [18, 40, 70, 40, 40, 20])
    cell = WriteOnlyCell(sheet, value=f"{report.title} — {report.subtitle}")
    cell.font = TITLE
    sheet.append([cell])
    _row(sheet, [_("Funded by the European Union")])
    _row(sheet, [report.acknowledgement], wrap=False)
    _row(sheet, [_("Grant Agreement No"), content.GRANT])
    _row(sheet, [_("Licence of the figures"), "CC BY 4.0"])
    sheet.append([])
    _header(
        sheet,
        [_("Code"), _("Indicator"), _("Definition"), _("Numerator"), _("Denominator"), _("Unit")],
    )
    for b in report.kpis:
        _row(sheet, [b.code, b.name, b.definition, b.numerator, b.denominator, b.unit], wrap=True)
