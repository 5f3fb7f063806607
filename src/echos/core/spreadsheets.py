"""CSV and XLSX handed to people: text that a spreadsheet application would run as a formula is
written so that it shows as text (CSV and formula injection)."""

import csv

# A cell starting with one of these is evaluated by Excel, LibreOffice or Google Sheets.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_text(value):
    """A CSV cell: text that starts like a formula gets a leading apostrophe, which spreadsheet
    applications take as "this is text"; every other value is returned as it is."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def unquote(value: str) -> str:
    """The text ``safe_text`` quoted, read back from a CSV (imports of our own exports)."""
    if value.startswith("'") and value[1:].startswith(FORMULA_START):
        return value[1:]
    return value


class SafeWriter:
    """``csv.writer`` whose cells go through ``safe_text``."""

    def __init__(self, stream, **options):
        self._writer = csv.writer(stream, **options)

    def writerow(self, row):
        return self._writer.writerow([safe_text(v) for v in row])

    def writerows(self, rows):
        for row in rows:
            self.writerow(row)


def append_row(sheet, values) -> None:
    """Append ``values`` to a write-only openpyxl sheet, text kept as text.

    openpyxl stores a string beginning with "=" as a formula; such a cell is written as a string
    instead, with its exact text (no apostrophe needed in XLSX).
    """
    from openpyxl.cell import WriteOnlyCell  # lazy: openpyxl is heavy; CSV callers never need it

    cells = []
    for value in values:
        if isinstance(value, str) and value.startswith("="):
            cell = WriteOnlyCell(sheet, value=value)
            cell.data_type = "s"
            value = cell
        cells.append(value)
    sheet.append(cells)
