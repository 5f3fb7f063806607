"""Exports never hand a spreadsheet application a formula typed by somebody else."""

import csv
import io

import pytest
from openpyxl import Workbook, load_workbook

from echos.core.models import Term
from echos.core.spreadsheets import SafeWriter, append_row, safe_text, unquote
from echos.hubs.exports import export
from echos.hubs.models import Organisation


@pytest.mark.parametrize("text", ["=1+1", "+47 22 00 00 00", "-2+3", "@SUM(A1)", "\tx", "\rx"])
def test_text_starting_like_a_formula_is_quoted(text):
    assert safe_text(text) == "'" + text
    assert unquote(safe_text(text)) == text  # our imports read our exports back exactly


@pytest.mark.parametrize("value", ["Oslo", "", 3, -2, 1.5, None, "a=b"])
def test_other_values_are_unchanged(value):
    assert safe_text(value) == value


def test_xlsx_keeps_the_exact_text_as_a_string():
    book = Workbook(write_only=True)
    append_row(book.create_sheet("s"), ['=HYPERLINK("http://evil.example")', "ok", 7])
    out = io.BytesIO()
    book.save(out)
    cell = load_workbook(io.BytesIO(out.getvalue()))["s"]["A1"]
    assert cell.data_type == "s" and cell.value == '=HYPERLINK("http://evil.example")'


def test_safe_writer_quotes_cells():
    out = io.StringIO()
    SafeWriter(out).writerows([["=cmd|' /C calc'!A0", 1]])
    assert next(csv.reader(io.StringIO(out.getvalue()))) == ["'=cmd|' /C calc'!A0", "1"]


def test_organisation_export_quotes_a_formula_name(db, hubs):
    research = Term.objects.get(vocabulary="stakeholder_groups", code="research")
    Organisation.objects.create(name="=HYPERLINK(1)", country_id="NO", stakeholder_group=research)
    for fmt in ("csv", "xlsx"):
        out = io.BytesIO()
        export("organisations", fmt, out)
        if fmt == "csv":
            assert "'=HYPERLINK(1)" in out.getvalue().decode()
        else:
            sheet = load_workbook(io.BytesIO(out.getvalue())).active
            cells = [c for row in sheet.iter_rows() for c in row if c.value == "=HYPERLINK(1)"]
            assert cells and all(c.data_type == "s" for c in cells)
