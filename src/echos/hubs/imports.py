"""All-or-nothing import of organisations and memberships from CSV or XLSX files."""

import csv
import io
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from echos.core.exceptions import RuleViolation
from echos.core.models import Term
from echos.core.spreadsheets import unquote
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


def read_rows(data: bytes, filename: str = "") -> tuple[list[str], Iterator[tuple[int, dict]]]:
    """Header and (row number, values) pairs from CSV or XLSX bytes; row 1 is the header."""
    is_zip = data[:4] == b"PK\x03\x04"
    if filename.lower().endswith((".xlsx", ".xlsm")) or is_zip:
        if not is_zip:
            raise ImportFileError(
                _("The file is not an XLSX spreadsheet (it is not a valid Office Open XML file).")
            )
        return _read_xlsx(data)
    return _read_csv(data)


def _read_csv(data: bytes):
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise ImportFileError(
            _(
                "The file is not UTF-8 encoded (invalid byte 0x%(byte)02x on line %(line)d). "
                "Save it as “CSV UTF-8” and upload it again."
            )
            % {"byte": data[exc.start], "line": line}
        ) from None
    if "\x00" in text:
        raise ImportFileError(_("The file looks binary, not CSV text."))
    first = text.split("\n", 1)[0]
    delimiter = ";" if first.count(";") > first.count(",") else ","
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    try:
        header = [_header(h) for h in next(reader)]
    except StopIteration:
        raise ImportFileError(_("The file is empty.")) from None

    def rows():
        for number, values in enumerate(reader, start=2):
            if not any(v.strip() for v in values):
                continue
            cells = [unquote(v.strip()) for v in values]
            yield number, dict(zip(header, cells, strict=False))

    return header, rows()


def _read_xlsx(data: bytes):
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise ImportFileError(
            _("The file is not a readable XLSX spreadsheet (%(error)s).") % {"error": exc}
        ) from None
    sheet = book.worksheets[0]
    values = sheet.iter_rows(values_only=True)
    try:
        header = [_header(h) for h in next(values)]
    except StopIteration:
        raise ImportFileError(_("The spreadsheet is empty.")) from None

    def cell(v):
        if isinstance(v, datetime):
            return v.date().isoformat()
        if isinstance(v, date):
            return v.isoformat()
        if isinstance(v, float) and v.is_integer():
            return str(int(v))
        return "" if v is None else str(v).strip()

    def rows():
        for number, row in enumerate(values, start=2):
            cells = [cell(v) for v in row]
            if any(cells):
                yield number, dict(zip(header, cells, strict=False))

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


def _organisation_row(values: dict, *, actor, hub, seen: set) -> Organisation:
    country = services.resolve_country(values.get("country"))
    key = (country.pk, normalise_name(values.get("name", "")))
    if key in seen:
        raise RuleViolation(_("The same organisation appears earlier in this file."), "name")
    seen.add(key)
    return services.create_organisation(
        actor=actor,
        name=values.get("name", ""),
        country=country,
        region=services.resolve_region(values.get("region"), country),
        stakeholder_group=services.resolve_term(
            Term.Vocabulary.STAKEHOLDER_GROUPS, values.get("stakeholder_group"), "stakeholder_group"
        ),
        website=values.get("website", ""),
        description=values.get("description", ""),
    )


def _membership_row(values: dict, *, actor, hub: Hub, seen: set) -> Membership:
    ref = values.get("organisation", "")
    if not ref:
        raise RuleViolation(_("Name the organisation (id or name)."), "organisation")
    country = services.resolve_country(values.get("country") or hub.country_id)
    if ref.isdigit():
        org = Organisation.objects.filter(pk=int(ref)).first()
        if org is None:
            raise RuleViolation(_("No organisation with id %(id)s.") % {"id": ref}, "organisation")
    else:
        org = Organisation.objects.filter(
            country=country, normalised_name=normalise_name(ref)
        ).first()
        if org is None:
            if not values.get("stakeholder_group"):
                raise RuleViolation(
                    _(
                        "No organisation named %(name)r in %(country)s; add a stakeholder_group column to create it."
                    )
                    % {"name": ref, "country": country.pk},
                    "organisation",
                )
            org = services.create_organisation(
                actor=actor,
                name=ref,
                country=country,
                website=values.get("website", ""),
                stakeholder_group=services.resolve_term(
                    Term.Vocabulary.STAKEHOLDER_GROUPS,
                    values["stakeholder_group"],
                    "stakeholder_group",
                ),
            )
    role = values.get("role") or Membership.Role.MEMBER
    return services.add_membership(
        actor=actor,
        hub=hub,
        organisation=org,
        role=role,
        since=_parse_date(values.get("since", ""), "since"),
        until=_parse_date(values.get("until", ""), "until"),
    )


ROW_HANDLERS: dict[str, Callable] = {
    "organisations": _organisation_row,
    "memberships": _membership_row,
}


def run_import(
    kind: str,
    data: bytes,
    *,
    filename: str = "",
    actor=None,
    hub: Hub | None = None,
    progress: Callable[[int], None] | None = None,
) -> ImportReport:
    """Import every row or none: the report lists each bad row with its column and reason."""
    report = ImportReport(kind=kind)
    try:
        header, rows = read_rows(data, filename)
    except ImportFileError as exc:
        report.errors.append(RowError(1, None, str(exc)))
        return report
    missing = [c for c, (required, _help) in COLUMNS[kind].items() if required and c not in header]
    for column in missing:
        report.errors.append(RowError(1, column, _("Required column is missing.")))
    unknown = [c for c in header if c and c not in COLUMNS[kind]]
    for column in unknown:
        report.errors.append(
            RowError(
                1,
                column,
                _("Unknown column; expected: %(cols)s.") % {"cols": ", ".join(COLUMNS[kind])},
            )
        )
    if report.errors:
        return report
    handler = ROW_HANDLERS[kind]
    seen: set = set()
    with transaction.atomic():
        for number, values in rows:
            report.total += 1
            try:
                with transaction.atomic():
                    handler(values, actor=actor, hub=hub, seen=seen)
                report.created += 1
            except RuleViolation as exc:
                report.errors.append(RowError(number, exc.field, exc.message))
            except PermissionDenied:
                report.errors.append(
                    RowError(number, None, _("You are not allowed to change this."))
                )
            if progress:
                progress(report.total)
        if report.total == 0:
            report.errors.append(RowError(2, None, _("The file has a header but no rows.")))
        if report.errors:
            transaction.set_rollback(True)
            report.created = 0
    return report
