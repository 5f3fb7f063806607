"""All-or-nothing import of organisations and memberships from CSV or XLSX files.

Bounds: besides the bytes and rows, a header has at most MAX_COLUMNS columns and only that many
are read from any row; empty rows count towards a bound of twice ECHOS_IMPORT_MAX_ROWS; an XLSX
file is checked before openpyxl opens it (unpacked size, number of shared strings), and its
declared sheet size is ignored; at most MAX_ERRORS problems are listed, then how many more.

Locking: SQLite lets one writer in at a time, so an import must never hold the write lock while
it reads a file. A file is refused before its rows are checked when it exceeds
ECHOS_IMPORT_MAX_BYTES or ECHOS_IMPORT_MAX_ROWS (read as a stream, stopping at the first row too
many); every row is then checked with reads only, outside any transaction; a file without a
problem is written in one short transaction of batched inserts, which first re-checks, under the
lock, what others stored meanwhile.
"""

import csv
import io
import itertools
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import cast

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext as _

from echos.core.audit import jsonable, snapshot
from echos.core.exceptions import RuleViolation, guard
from echos.core.models import ActionLog, Term
from echos.core.rules import check_web_address
from echos.core.spreadsheets import unquote
from echos.hubs import permissions as perms
from echos.hubs import services
from echos.hubs.models import Hub, Membership, Organisation, normalise_name

# Column name -> (required, help). The README documents the same table.
COLUMNS = {
    "organisations": {
        "name": (True, "Organisation name"),
        "country": (True, "ISO 3166-1 alpha-2 code, e.g. NO"),
        "stakeholder_group": (True, "Code from the stakeholder_groups vocabulary, e.g. research"),
        "region": (False, "ISO 3166-2 code, e.g. NO-03"),
        "website": (False, "https://…"),
        "description": (False, "Free text"),
    },
    "memberships": {
        "organisation": (True, "Organisation id, or its exact name"),
        "country": (False, "Organisation's country when matching by name (default: the hub's)"),
        "role": (False, "coordinating_group, founding_member, member (default) or observer"),
        "since": (False, "YYYY-MM-DD"),
        "until": (False, "YYYY-MM-DD"),
        "stakeholder_group": (
            False,
            "Creates the organisation when no organisation matches the name",
        ),
        "website": (False, "Used only when the organisation is created"),
    },
}


# XLSX is zipped XML: allow it to unpack to this many times the upload limit.
XLSX_UNPACKED_FACTOR = 5
# A header wider than this is refused as a whole; no row is read wider than this plus one.
MAX_COLUMNS = 50
# A CSV header line longer than this (in characters) is refused.
MAX_HEADER_CHARS = 10_000
# Problems listed in a report; the rest are counted in one last line.
MAX_ERRORS = 100
# Shared strings an XLSX may hold per row allowed: the widest kind's columns, plus one.
STRINGS_PER_ROW = max(len(columns) for columns in COLUMNS.values()) + 1
# Rows per query when reading stored data and writing the file's rows.
BATCH = 500
BIGGEST_ID = 2**63 - 1


class ImportFileError(Exception):
    """The file as a whole cannot be read."""


@dataclass
class RowError:
    row: int
    column: str | None
    message: str

    def __str__(self) -> str:
        where = _("row %(row)d") % {"row": self.row}
        if self.column:
            where += _(", column %(column)s") % {"column": self.column}
        return f"{where}: {self.message}"


@dataclass
class ImportReport:
    kind: str
    total: int = 0
    created: int = 0
    errors: list[RowError] = field(default_factory=list)
    unlisted: int = 0  # problems found beyond MAX_ERRORS
    problems: int = 0  # every problem found, listed or not

    def add(self, error: RowError) -> None:
        """List the problem, or only count it once MAX_ERRORS are listed."""
        self.problems += 1
        if len(self.errors) < MAX_ERRORS:
            self.errors.append(error)
        else:
            self.unlisted += 1

    def close(self) -> "ImportReport":
        """One last line saying how many problems were not listed."""
        if self.unlisted:
            self.errors.append(
                RowError(
                    self.errors[-1].row,
                    None,
                    _("… and %(count)d more problems, not listed (the first %(limit)d are).")
                    % {"count": self.unlisted, "limit": MAX_ERRORS},
                )
            )
            self.unlisted = 0
        return self

    @property
    def ok(self) -> bool:
        return not self.errors

    def as_dict(self) -> dict:
        return {
            "kind": self.kind,
            "ok": self.ok,
            "total": self.total,
            "created": self.created,
            "errors": [
                {"row": e.row, "column": e.column, "message": e.message} for e in self.errors
            ],
        }


def _header(name) -> str:
    return str(name or "").strip().lower().replace(" ", "_").replace("-", "_")


class TooManyRows(ImportFileError):
    """More rows were read, empty ones included, than any import may have."""

    def __init__(self, row: int, limit: int):
        super().__init__(
            _(
                "The file has more than %(limit)d rows after the header, counting empty ones "
                "(twice ECHOS_IMPORT_MAX_ROWS). Remove the empty rows or split the file."
            )
            % {"limit": limit}
        )
        self.row = row


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
    from openpyxl.xml.functions import iterparse  # defusedxml's, when it is installed

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
    from xml.etree.ElementTree import ParseError

    from openpyxl import load_workbook

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


def _parse_date(value: str, column: str):
    if not value:
        return None
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        raise RuleViolation(
            _("%(value)r is not a date (use YYYY-MM-DD).") % {"value": value}, column
        ) from None


def _chunks(items: list, size: int = BATCH) -> Iterator[list]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _audit_entry(*, actor, action: str, target, data: dict) -> ActionLog:
    """The entry ``log_action`` would save, left unsaved so a whole file is logged in one insert."""
    return ActionLog(
        actor=actor if actor is not None and actor.is_authenticated else None,
        action=action,
        data=jsonable(data),
        target_type=ContentType.objects.get_for_model(target),
        target_id=str(target.pk),
        target_repr=str(target)[:300],
    )


class _Plan:
    """What the file asks for, checked with reads only; ``write`` then stores it all at once.

    Stored organisations and the hub's current members are read in batches before the rows are
    checked, so a row costs no query unless it touches something already stored (the services'
    ``validate_*`` then decide, with their own messages). The write re-checks those conflicts
    under the transaction, since others may have written meanwhile.
    """

    def __init__(self, *, actor, hub: Hub | None):
        self.actor = actor
        self.hub = hub
        self.organisations: dict[tuple, Organisation] = {}  # (country, normalised name) -> new
        self.memberships: list[Membership] = []
        self.periods: dict[object, list[Membership]] = {}  # organisation -> this file's rows
        self.row_of: dict[int, int] = {}  # id(planned object) -> row number
        self.stored: dict[tuple, Organisation] = {}  # (country, normalised name) -> stored
        self.by_pk: dict[int, Organisation] = {}
        self.members: set[int] = set()  # organisations with a membership of the hub
        self._cache: dict[tuple, object] = {}

    def cached(self, function: Callable, *args):
        """``function(*args)``, or its RuleViolation, computed once per distinct arguments."""
        key = (function.__name__, *args)
        if key not in self._cache:
            try:
                self._cache[key] = function(*args)
            except RuleViolation as exc:
                self._cache[key] = exc
        found = self._cache[key]
        if isinstance(found, RuleViolation):
            raise found
        return found

    def prefetch(self, records: list[tuple[int, dict]], name_column: str, default_country) -> None:
        """Read in batches the stored organisations (and memberships) the rows may refer to."""
        names, pks = set(), set()
        for _number, values in records:
            ref = (values.get(name_column) or "").strip()
            if name_column == "organisation" and _is_id(ref):
                if int(ref) <= BIGGEST_ID:  # a larger number is no id: "no organisation with id"
                    pks.add(int(ref))
            elif ref:
                country = (values.get("country") or default_country or "").strip().upper()
                names.add((country, normalise_name(ref)))
        for chunk in _chunks(sorted(pks)):
            self.by_pk.update(Organisation.objects.in_bulk(chunk))
        countries = {c for c, _n in names}
        for chunk in _chunks(sorted({n for _c, n in names})):
            for org in Organisation.objects.filter(
                country_id__in=countries, normalised_name__in=chunk
            ):
                self.stored[(org.country_id, org.normalised_name)] = org
        if self.hub is not None:
            self.members = set(self.hub.memberships.values_list("organisation_id", flat=True))

    def new_organisation(self, number: int, **fields) -> Organisation:
        """An organisation to create, checked against the stored ones and this file's others."""
        org = Organisation(**fields)
        org.name = (org.name or "").strip()
        key = (org.country_id, normalise_name(org.name))
        if not org.name or key in self.stored:
            services.validate_organisation(org)  # refuses it with the service's own message
        check_web_address(org.website, "website")
        if key in self.organisations:
            raise RuleViolation(_("The same organisation appears earlier in this file."), "name")
        self.organisations[key] = org
        self.row_of[id(org)] = number
        return org

    def add_membership(self, number: int, m: Membership) -> None:
        """A membership to create: the service's rules, then overlaps within the file."""
        org = m.organisation
        if m.role not in Membership.Role.values or (m.since and m.until and m.until < m.since):
            services.validate_membership(m)  # refuses it with the service's own message
        if org.pk in self.members:
            services.validate_membership(m)
        earlier = self.periods.setdefault(org.pk or id(org), [])
        if any(_overlaps(m, other) for other in earlier):
            raise RuleViolation(
                _("%(org)s appears earlier in this file for an overlapping period.") % {"org": org},
                "organisation",
            )
        earlier.append(m)
        self.memberships.append(m)
        self.row_of[id(m)] = number

    def recheck(self) -> None:
        """Under the write transaction: what others stored since the rows were checked."""
        planned = list(self.organisations.values())
        for chunk in _chunks(planned):
            taken = set(
                Organisation.objects.filter(
                    country_id__in={o.country_id for o in chunk},
                    normalised_name__in=[normalise_name(o.name) for o in chunk],
                ).values_list("country_id", "normalised_name")
            )
            for org in chunk:
                if (org.country_id, normalise_name(org.name)) in taken:
                    self._refuse(org, services.validate_organisation, org)
        if self.hub is None:
            return
        ids = sorted({m.organisation.pk for m in self.memberships if m.organisation.pk})
        members: set[int] = set()
        for chunk in _chunks(ids):
            members.update(
                self.hub.memberships.filter(organisation_id__in=chunk).values_list(
                    "organisation_id", flat=True
                )
            )
        for m in self.memberships:
            if m.organisation.pk in members - self.members:
                self._refuse(m, services.validate_membership, m)

    def _refuse(self, obj, validate: Callable, *args) -> None:
        try:
            validate(*args)
        except RuleViolation as exc:
            raise _Changed(self.row_of[id(obj)], exc.field, exc.message) from None

    def write(self) -> int:
        """Store every planned organisation and membership with their audit entries; call inside
        one transaction. Memberships get the confirmation state ``services.add_membership`` gives
        (confirmed when the importer may decide for the organisation, else pending, with the
        request to the organisation's representatives sent after the commit)."""
        self.recheck()
        organisations = list(self.organisations.values())
        for org in organisations:
            org.normalised_name = normalise_name(org.name)
        Organisation.objects.bulk_create(organisations, batch_size=BATCH)
        entries = [
            _audit_entry(
                actor=self.actor,
                action="hubs.organisation.created",
                target=org,
                data=snapshot(org, services.ORGANISATION_FIELDS),
            )
            for org in organisations
        ]
        now = timezone.now()
        decided_by = self.actor if self.actor is not None and self.actor.is_authenticated else None
        for m in self.memberships:
            if self.cached(services.confirmed_at_once, self.actor, m.organisation):
                m.status, m.decided_at, m.decided_by = Membership.Status.CONFIRMED, now, decided_by
            else:
                m.status = Membership.Status.PENDING
        Membership.objects.bulk_create(self.memberships, batch_size=BATCH)
        fields = ["organisation", *services.MEMBERSHIP_FIELDS, "status"]
        entries += [
            _audit_entry(
                actor=self.actor,
                action="hubs.membership.created",
                target=self.hub,
                data={"membership": m.pk, **snapshot(m, fields)},
            )
            for m in self.memberships
        ]
        ActionLog.objects.bulk_create(entries, batch_size=BATCH)
        pending = [m.pk for m in self.memberships if m.status == Membership.Status.PENDING]
        if pending:
            from echos.hubs.tasks import send_membership_request

            transaction.on_commit(lambda: [send_membership_request(pk) for pk in pending])
        return len(self.memberships) if self.hub is not None else len(organisations)


class _Changed(Exception):
    """A row checked fine, but others stored something contradicting it before the write."""

    def __init__(self, row: int, field: str | None, message: str):
        super().__init__(message)
        self.row, self.field, self.message = row, field, message


def _is_id(ref: str) -> bool:
    return ref.isascii() and ref.isdigit()


def _overlaps(a: Membership, b: Membership) -> bool:
    starts_before_other_ends = b.until is None or a.since is None or a.since <= b.until
    ends_after_other_starts = a.until is None or b.since is None or a.until >= b.since
    return starts_before_other_ends and ends_after_other_starts


def _organisation_row(number: int, values: dict, plan: _Plan) -> None:
    country = plan.cached(services.resolve_country, values.get("country"))
    plan.new_organisation(
        number,
        name=values.get("name", ""),
        country=country,
        region=plan.cached(services.resolve_region, values.get("region"), country),
        stakeholder_group=plan.cached(
            services.resolve_term,
            Term.Vocabulary.STAKEHOLDER_GROUPS,
            values.get("stakeholder_group"),
            "stakeholder_group",
        ),
        website=values.get("website", ""),
        description=values.get("description", ""),
    )


def _membership_row(number: int, values: dict, plan: _Plan) -> None:
    ref = values.get("organisation", "")
    if not ref:
        raise RuleViolation(_("Name the organisation (id or name)."), "organisation")
    country = plan.cached(
        services.resolve_country, values.get("country") or cast(Hub, plan.hub).country_id
    )
    if _is_id(ref):
        org = plan.by_pk.get(int(ref))
        if org is None:
            raise RuleViolation(_("No organisation with id %(id)s.") % {"id": ref}, "organisation")
    else:
        key = (country.pk, normalise_name(ref))
        org = plan.organisations.get(key) or plan.stored.get(key)
        if org is None:
            if not values.get("stakeholder_group"):
                raise RuleViolation(
                    _(
                        "No organisation named %(name)r in %(country)s; add a stakeholder_group column to create it."
                    )
                    % {"name": ref, "country": country.pk},
                    "organisation",
                )
            org = plan.new_organisation(
                number,
                name=ref,
                country=country,
                website=values.get("website", ""),
                stakeholder_group=plan.cached(
                    services.resolve_term,
                    Term.Vocabulary.STAKEHOLDER_GROUPS,
                    values["stakeholder_group"],
                    "stakeholder_group",
                ),
            )
    plan.add_membership(
        number,
        Membership(
            hub=plan.hub,
            organisation=org,
            role=values.get("role") or Membership.Role.MEMBER,
            since=_parse_date(values.get("since", ""), "since"),
            until=_parse_date(values.get("until", ""), "until"),
        ),
    )


ROW_HANDLERS: dict[str, Callable] = {
    "organisations": _organisation_row,
    "memberships": _membership_row,
}


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
