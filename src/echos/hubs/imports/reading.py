"""Reading a CSV or XLSX file as a stream of rows, refusing what exceeds the bounds."""

import csv
import io
import itertools
import zipfile
from collections.abc import Iterator
from datetime import date, datetime
from xml.etree.ElementTree import ParseError

from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from echos.core.spreadsheets import unquote
from echos.hubs.imports.limits import (
    MAX_COLUMNS,
    MAX_HEADER_CHARS,
    STRINGS_PER_ROW,
    XLSX_UNPACKED_FACTOR,
    ImportFileError,
    TooManyRows,
)


def _header(name) -> str:
    return str(name or "").strip().lower().replace(" ", "_").replace("-", "_")


def read_rows(
    source,
    filename: str = "",
    *,
    max_bytes: int | None = None,
    max_rows: int | None = None,
) -> tuple[list[str], Iterator[tuple[int, dict]]]:
    """Header and (row number, values) pairs from CSV or XLSX, read as a stream; row 1 is the header.

    ``source`` is bytes or a seekable binary file; rows are produced one at a time, so a caller
    that stops early never reads the rest of the file. Empty rows are skipped but counted: reading
    more than twice ``max_rows`` rows after the header raises TooManyRows. No row is read wider
    than MAX_COLUMNS + 1 cells from an XLSX sheet.
    """
    max_rows = settings.ECHOS_IMPORT_MAX_ROWS if max_rows is None else max_rows
    read_limit = 2 * max_rows
    stream = io.BytesIO(source) if isinstance(source, bytes | bytearray) else source
    stream.seek(0)
    is_zip = stream.read(4) == b"PK\x03\x04"
    stream.seek(0)
    if filename.lower().endswith((".xlsx", ".xlsm")) or is_zip:
        if not is_zip:
            raise ImportFileError(
                _("The file is not an XLSX spreadsheet (it is not a valid Office Open XML file).")
            )
        limit = settings.ECHOS_IMPORT_MAX_BYTES if max_bytes is None else max_bytes
        return _read_xlsx(stream, limit * XLSX_UNPACKED_FACTOR, max_rows, read_limit)
    return _read_csv(stream, read_limit)


def _text_lines(stream) -> Iterator[str]:
    """Decode the file line by line, naming the line of the first byte that is not UTF-8."""
    for line_number, raw in enumerate(stream, start=1):
        if line_number == 1 and raw.startswith(b"\xef\xbb\xbf"):
            raw = raw[3:]
        try:
            line = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise ImportFileError(
                _(
                    "The file is not UTF-8 encoded (invalid byte 0x%(byte)02x on line %(line)d). "
                    "Save it as “CSV UTF-8” and upload it again."
                )
                % {"byte": raw[exc.start], "line": line_number}
            ) from None
        if "\x00" in line:
            raise ImportFileError(_("The file looks binary, not CSV text."))
        yield line


def _read_csv(stream, read_limit: int):
    lines = _text_lines(stream)
    try:
        first = next(lines)
    except StopIteration:
        raise ImportFileError(_("The file is empty.")) from None
    if len(first) > MAX_HEADER_CHARS:
        raise ImportFileError(
            _("The header line is %(length)d characters long; the limit is %(limit)d.")
            % {"length": len(first), "limit": MAX_HEADER_CHARS}
        )
    delimiter = ";" if first.count(";") > first.count(",") else ","
    reader = csv.reader(itertools.chain([first], lines), delimiter=delimiter)

    def records():
        try:
            yield from reader
        except csv.Error as exc:
            raise ImportFileError(
                _("Line %(line)d cannot be read as CSV (%(error)s).")
                % {"line": reader.line_num, "error": exc}
            ) from None

    values = records()
    try:
        header = [_header(h) for h in next(values)]
    except StopIteration:
        raise ImportFileError(_("The file is empty.")) from None

    def rows():
        for number, row in enumerate(values, start=2):
            if number - 1 > read_limit:
                raise TooManyRows(number, read_limit)
            if not any(v.strip() for v in row):
                continue
            cells = [unquote(v.strip()) for v in row[: len(header)]]
            yield number, dict(zip(header, cells, strict=False))

    return header, rows()


def _count_shared_strings(archive: zipfile.ZipFile, limit: int) -> int:
    """The number of shared strings, counted as a stream and stopping one past ``limit``."""
    # lazy: openpyxl is heavy and only XLSX files need it; defusedxml's iterparse when installed
    from openpyxl.xml.functions import iterparse

    names = [n for n in archive.namelist() if n.lower().endswith("sharedstrings.xml")]
    count = 0
    for name in names:
        with archive.open(name) as part:
            for _event, element in iterparse(part, events=("end",)):
                if element.tag.rsplit("}", 1)[-1] == "si":
                    count += 1
                    if count > limit:
                        return count
                element.clear()
    return count


def _check_xlsx(stream, unpacked_limit: int, max_rows: int) -> None:
    """Refuse, before openpyxl opens it, a file that would unpack or hold far more than an
    import can use: openpyxl keeps every shared string in memory even in read-only mode."""
    archive = zipfile.ZipFile(stream)
    unpacked = sum(i.file_size for i in archive.infolist())
    if unpacked > unpacked_limit:
        raise ImportFileError(
            _("The spreadsheet unpacks to %(size)s, more than the limit of %(limit)s.")
            % {"size": filesizeformat(unpacked), "limit": filesizeformat(unpacked_limit)}
        )
    strings_limit = (max_rows + 1) * STRINGS_PER_ROW
    if _count_shared_strings(archive, strings_limit) > strings_limit:
        raise ImportFileError(
            _(
                "The spreadsheet holds more than %(limit)d shared strings, more than "
                "%(limit_rows)d rows (ECHOS_IMPORT_MAX_ROWS) can use. Save only the rows to import "
                "in a new file."
            )
            % {"limit": strings_limit, "limit_rows": max_rows}
        )


def _read_xlsx(stream, unpacked_limit: int, max_rows: int, read_limit: int):
    from openpyxl import load_workbook  # lazy: openpyxl is heavy and only XLSX files need it

    try:
        _check_xlsx(stream, unpacked_limit, max_rows)
        stream.seek(0)
        book = load_workbook(stream, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, ParseError) as exc:
        raise ImportFileError(
            _("The file is not a readable XLSX spreadsheet (%(error)s).") % {"error": exc}
        ) from None
    sheet = book.worksheets[0]
    if hasattr(sheet, "reset_dimensions"):  # read-only: ignore the size the file declares
        sheet.reset_dimensions()
    # One column more than allowed, so a header too wide is seen; one row more than the read
    # limit, so a file too long is seen.
    values = sheet.iter_rows(max_col=MAX_COLUMNS + 1, max_row=read_limit + 2, values_only=True)
    try:
        header = [_header(h) for h in next(values)]
    except StopIteration:
        book.close()
        raise ImportFileError(_("The spreadsheet is empty.")) from None
    while header and not header[-1]:
        header.pop()

    def cell(v):
        if isinstance(v, datetime):
            return v.date().isoformat()
        if isinstance(v, date):
            return v.isoformat()
        if isinstance(v, float) and v.is_integer():
            return str(int(v))
        return "" if v is None else str(v).strip()

    def rows():
        try:
            for number, row in enumerate(values, start=2):
                if number - 1 > read_limit:
                    raise TooManyRows(number, read_limit)
                cells = [cell(v) for v in row[: len(header)]]
                if any(cells):
                    yield number, dict(zip(header, cells, strict=False))
        finally:
            book.close()

    return header, rows()
