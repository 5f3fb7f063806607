"""The XLSX report: one sheet per section, numbers as numbers, dates as dates, bold headers."""

from datetime import date, datetime

import pytest
from openpyxl import load_workbook

from echos.reports import jobs
from tests.reports.kpi_data import make_event
from tests.reports.test_pdf import spec

pytestmark = pytest.mark.django_db


def test_network_xlsx_sheets_numbers_and_dates(hubs, report_kpis, tmp_path):
    make_event(hubs["norway"], date(2025, 2, 3))
    path = jobs.write(spec(format="xlsx"), tmp_path / "r.xlsx")
    book = load_workbook(path)
    assert book.sheetnames == ["Summary", "Indicators", "By month", "Countries", "About"]

    summary = book["Summary"]
    assert summary["A1"].value == "Indicator" and summary["A1"].font.bold
    rows = {r[0]: r for r in summary.iter_rows(min_row=2, values_only=True) if r and r[0]}
    assert rows["Hubs by level (test)"][1:5] == (4, 4, 0, "hubs")
    assert isinstance(rows["Hubs by level (test)"][1], int)
    assert rows["Events held (test)"][1] == 1
    assert isinstance(rows["Period start"][1], datetime)  # a date cell, not text
    assert rows["Period start"][1].date() == date(2025, 1, 1)

    figures = list(book["Indicators"].iter_rows(min_row=2, values_only=True))
    national = next(r for r in figures if r[0] == "T-HUBS-LEVEL" and r[3] == "National")
    assert national[4] == 2 and isinstance(national[4], int)

    months = list(book["By month"].iter_rows(min_row=2, values_only=True))
    assert [(m[2].date(), m[3]) for m in months if m[0] == "T-EVENTS"][:2] == [
        (date(2025, 1, 1), 0),
        (date(2025, 2, 1), 1),
    ]
    about = [c for row in book["About"].iter_rows(values_only=True) for c in row if c]
    assert "Funded by the European Union" in about and "101104587" in about
    assert any("Neither the European Union nor the granting authority" in str(c) for c in about)
    assert "Events that start in the period." in about  # the written definition
    assert book["Indicators"].column_dimensions["B"].width > 20


def test_hub_xlsx_has_no_country_sheet(hubs, report_kpis, tmp_path):
    path = jobs.write(
        spec(format="xlsx", kind="hub", hub_id=hubs["portugal"].pk), tmp_path / "h.xlsx"
    )
    book = load_workbook(path)
    assert "Countries" not in book.sheetnames
    rows = {r[0]: r for r in book["Summary"].iter_rows(min_row=2, values_only=True) if r and r[0]}
    assert rows["Hubs by level (test)"][1] == 1


def test_xlsx_in_german_has_german_sheet_names(hubs, report_kpis, tmp_path):
    path = jobs.write(spec(format="xlsx", language="de"), tmp_path / "de.xlsx")
    names = load_workbook(path).sheetnames
    assert len(names) == 5 and all(len(n) <= 31 for n in names)
