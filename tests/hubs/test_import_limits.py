"""Imports are bounded (bytes, rows) and check every row before taking the write lock."""

import io
import zipfile
from io import StringIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import override_settings
from openpyxl import Workbook
from openpyxl.utils import get_column_letter

from echos.core.models import ActionLog
from echos.hubs import imports, services
from echos.hubs.imports import run_import
from echos.hubs.models import Membership, Organisation

pytestmark = pytest.mark.django_db


def org_rows(n: int, start: int = 0) -> str:
    return "".join(f"Limit Org {i},NO,research\n" for i in range(start, start + n))


def orgs_csv(n: int) -> bytes:
    return ("name,country,stakeholder_group\n" + org_rows(n)).encode()


def xlsx(rows) -> bytes:
    book = Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@override_settings(ECHOS_IMPORT_MAX_BYTES=1000)
def test_a_file_over_the_byte_limit_is_refused_unread(db, monkeypatch):
    def unread(*args, **kwargs):
        raise AssertionError("the file was parsed")

    monkeypatch.setattr(imports.steps, "read_rows", unread)  # where read_checked looks it up
    report = run_import("organisations", orgs_csv(100))
    assert not report.ok and len(report.errors) == 1
    message = report.errors[0].message
    assert "ECHOS_IMPORT_MAX_BYTES" in message and "1000" in message.replace("\xa0", "")
    assert not Organisation.objects.filter(name__startswith="Limit Org").exists()


@override_settings(ECHOS_IMPORT_MAX_ROWS=5)
def test_a_file_over_the_row_limit_is_refused_before_any_row_is_checked(db):
    checked = []
    # Bytes after the sixth row are not UTF-8: reading stops at the limit, before them.
    data = orgs_csv(6) + b"\xff\xfe broken\n" + org_rows(100, 6).encode()
    report = run_import("organisations", data, progress=checked.append)
    assert [(e.row, e.column) for e in report.errors] == [(7, None)]
    assert "5 rows" in report.errors[0].message
    assert "ECHOS_IMPORT_MAX_ROWS" in report.errors[0].message
    assert checked == []
    assert not Organisation.objects.filter(name__startswith="Limit Org").exists()


@override_settings(ECHOS_IMPORT_MAX_ROWS=5)
def test_exactly_the_row_limit_is_accepted(db):
    report = run_import("organisations", orgs_csv(5))
    assert report.ok, report.errors
    assert report.created == 5


@override_settings(ECHOS_IMPORT_MAX_ROWS=3)
def test_the_row_limit_applies_to_spreadsheets(db):
    rows = [["name", "country", "stakeholder_group"]]
    rows += [[f"Limit Org {i}", "NO", "research"] for i in range(10)]
    report = run_import("organisations", xlsx(rows), filename="orgs.xlsx")
    assert not report.ok and "ECHOS_IMPORT_MAX_ROWS" in report.errors[0].message
    assert not Organisation.objects.filter(name__startswith="Limit Org").exists()


def test_a_spreadsheet_that_unpacks_far_beyond_the_limit_is_refused(db):
    rows = [["name", "country", "stakeholder_group", "description"]]
    rows += [[f"Limit Org {i}", "NO", "research", f"{i}" + "x" * 30_000] for i in range(50)]
    data = xlsx(rows)
    report = run_import("organisations", data, filename="orgs.xlsx", max_bytes=len(data) // 2)
    assert not report.ok
    assert "ECHOS_IMPORT_MAX_BYTES" in report.errors[0].message  # smaller than the file itself
    report = run_import("organisations", data, filename="orgs.xlsx", max_bytes=len(data) * 2)
    assert not report.ok and "unpacks" in report.errors[0].message


def test_a_csv_field_beyond_the_csv_reader_limit_is_a_message(db):
    data = b"name,country,stakeholder_group,description\nX,NO,research," + b"y" * 200_000 + b"\n"
    report = run_import("organisations", data)
    assert not report.ok and "Line 2" in report.errors[0].message


@override_settings(ECHOS_IMPORT_MAX_BYTES=200)
def test_the_import_page_names_the_byte_limit(hubs, personas, login):
    client = login(personas["coord_no"])
    upload = SimpleUploadedFile("o.csv", orgs_csv(20), content_type="text/csv")
    response = client.post("/organisations/import/", {"file": upload})
    assert response.status_code == 422
    assert "ECHOS_IMPORT_MAX_BYTES" in response.content.decode()
    assert not Organisation.objects.filter(name__startswith="Limit Org").exists()


@override_settings(ECHOS_IMPORT_MAX_ROWS=2)
def test_the_import_page_names_the_row_limit(hubs, personas, login):
    client = login(personas["coord_no"])
    upload = SimpleUploadedFile("o.csv", orgs_csv(3), content_type="text/csv")
    response = client.post("/organisations/import/", {"file": upload})
    assert response.status_code == 422
    assert "ECHOS_IMPORT_MAX_ROWS" in response.content.decode()


@override_settings(ECHOS_IMPORT_MAX_ROWS=2)
def test_the_command_keeps_the_limit_unless_raised_by_a_flag(hubs, tmp_path):
    path = tmp_path / "orgs.csv"
    path.write_bytes(orgs_csv(3))
    err = StringIO()
    with pytest.raises(CommandError, match="nothing was imported"):
        call_command("import", "organisations", str(path), stderr=err)
    assert "ECHOS_IMPORT_MAX_ROWS" in err.getvalue()
    out = StringIO()
    call_command("import", "organisations", str(path), "--max-rows", "3", stdout=out, stderr=err)
    assert "Imported 3 organisations" in out.getvalue()
    with pytest.raises(CommandError, match="nothing was imported"):
        call_command(
            "import", "organisations", str(path), "--max-rows", "3", "--max-bytes", "10", stderr=err
        )
    assert "ECHOS_IMPORT_MAX_BYTES" in err.getvalue()


def test_rows_are_checked_outside_any_transaction_and_written_in_one(hubs, monkeypatch):
    depth = len(connection.atomic_blocks)  # the test's own transaction, if any
    checked, writes = [], []
    handler = imports.ROW_HANDLERS["memberships"]

    def checking(number, values, plan):
        checked.append(len(connection.atomic_blocks))
        return handler(number, values, plan)

    bulk_create = Membership.objects.bulk_create

    def writing(objs, **kwargs):
        writes.append((len(connection.atomic_blocks), len(objs)))
        return bulk_create(objs, **kwargs)

    monkeypatch.setitem(imports.ROW_HANDLERS, "memberships", checking)
    monkeypatch.setattr(Membership.objects, "bulk_create", writing)
    Membership.objects.filter(hub=hubs["vestland"]).delete()
    data = (
        "organisation,role,stakeholder_group\n"
        "Oslo Cancer Cluster,member,\n"
        "Norwegian Cancer Society,observer,\n"
        "Brand New Network,member,patients\n"
    )
    report = run_import("memberships", data.encode(), hub=hubs["vestland"])
    assert report.ok, report.errors
    assert checked == [depth] * 3  # no transaction, so no write lock, while checking
    assert writes == [(depth + 1, 3)]  # one insert of every row inside one transaction
    assert hubs["vestland"].memberships.count() == 3
    assert ActionLog.objects.filter(action="hubs.membership.created").count() >= 3


def test_every_bad_row_is_listed_without_a_write_lock(hubs, monkeypatch):
    def no_write(*args, **kwargs):
        raise AssertionError("a transaction was opened for a file with bad rows")

    monkeypatch.setattr(imports._Plan, "write", no_write)
    data = "organisation,role\nGhost One,member\nOslo Cancer Cluster,chief\nGhost Two,member\n"
    report = run_import("memberships", data.encode(), hub=hubs["vestland"])
    assert [(e.row, e.column) for e in report.errors] == [
        (2, "organisation"),
        (3, "role"),
        (4, "organisation"),
    ]


def test_overlapping_rows_in_one_file_are_refused(hubs):
    Membership.objects.filter(hub=hubs["vestland"]).delete()
    data = (
        "organisation,role,since,until\n"
        "Oslo Cancer Cluster,member,2020-01-01,2022-12-31\n"
        "Oslo Cancer Cluster,observer,2022-06-01,\n"
        "Oslo Cancer Cluster,observer,2023-01-01,\n"
    )
    report = run_import("memberships", data.encode(), hub=hubs["vestland"])
    assert [(e.row, e.column) for e in report.errors] == [(3, "organisation")]
    assert not hubs["vestland"].memberships.exists()


def test_a_conflict_stored_while_the_file_was_checked_writes_nothing(hubs):
    def meanwhile(done: int) -> None:
        if done == 2:  # someone registers the same organisation before the write
            services.create_organisation(
                actor=None,
                name="Limit Org 1",
                country=hubs["norway"].country,
                stakeholder_group=hubs["occ"].stakeholder_group,
            )

    report = run_import("organisations", orgs_csv(3), progress=meanwhile)
    assert [(e.row, e.column) for e in report.errors] == [(3, "name")]
    assert "while the file was checked" in report.errors[0].message
    assert list(
        Organisation.objects.filter(name__startswith="Limit Org").values_list("name", flat=True)
    ) == ["Limit Org 1"]


@pytest.mark.parametrize("who", ["coord_no", "network"])
def test_imported_memberships_get_the_state_the_service_gives(hubs, personas, who):
    actor = personas[who]
    Membership.objects.filter(hub__in=[hubs["vestland"], hubs["bergen"]]).delete()
    data = b"organisation,role\nOslo Cancer Cluster,member\n"
    report = run_import("memberships", data, actor=actor, hub=hubs["vestland"])
    assert report.ok, report.errors
    imported = hubs["vestland"].memberships.get()
    added = services.add_membership(actor=actor, hub=hubs["bergen"], organisation=hubs["occ"])
    assert imported.status == added.status
    assert (imported.decided_by_id, imported.decided_at is None) == (
        added.decided_by_id,
        added.decided_at is None,
    )
    entry = ActionLog.objects.get(
        action="hubs.membership.created", target_id=str(hubs["vestland"].pk)
    )
    assert entry.data["membership"] == imported.pk and entry.data["status"] == imported.status


def test_an_organisation_id_beyond_any_column_is_not_found(hubs):
    data = "organisation,role\n99999999999999999999999,member\n²,member\n".encode()
    report = run_import("memberships", data, hub=hubs["vestland"])
    assert [(e.row, e.column) for e in report.errors] == [(2, "organisation"), (3, "organisation")]


def test_the_page_and_the_command_hand_over_a_stream_not_the_whole_file(
    hubs, personas, login, tmp_path, monkeypatch
):
    sources = []
    original = imports.run_import

    def recording(kind, source, **kwargs):
        sources.append(source)
        return original(kind, source, **kwargs)

    monkeypatch.setattr(imports, "run_import", recording)
    upload = SimpleUploadedFile("o.csv", orgs_csv(2), content_type="text/csv")
    login(personas["coord_no"]).post("/organisations/import/", {"file": upload})
    path = tmp_path / "orgs.csv"
    path.write_bytes(orgs_csv(2).replace(b"Limit", b"Other"))
    monkeypatch.setattr("echos.hubs.management.commands.import.run_import", recording)
    call_command("import", "organisations", str(path), stdout=StringIO(), stderr=StringIO())
    assert len(sources) == 2 and not any(isinstance(s, bytes) for s in sources)


def test_a_pending_imported_membership_asks_the_representatives_after_the_commit(
    hubs, personas, make_user, django_capture_on_commit_callbacks
):
    from django.core import mail

    from echos.hubs.models import Person

    rep = make_user("ncs-representative", email="rep@example.invalid")
    Person.objects.create(organisation=hubs["ncs"], name="Representative", user=rep)
    Membership.objects.filter(hub=hubs["vestland"]).delete()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        report = run_import(
            "memberships",
            b"organisation,role\nNorwegian Cancer Society,member\n",
            actor=personas["coord_no"],
            hub=hubs["vestland"],
        )
    assert report.ok, report.errors
    assert hubs["vestland"].memberships.get().status == Membership.Status.PENDING
    assert ["rep@example.invalid"] in [m.to for m in mail.outbox]


# Hand-written XLSX parts, so a test can declare what a spreadsheet program never would.
XLSX_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
XLSX_RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
XLSX_DOC = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml"


def raw_xlsx(rows: list[list[str]], *, dimension: str = "", extra_strings: int = 0) -> bytes:
    """An XLSX with ``rows`` as {row number: cells} stored as shared strings."""
    strings = [v for _r, cells in rows for v in cells] + ["ab"] * extra_strings
    sheet_rows = "".join(
        f'<row r="{r}">'
        + "".join(
            f'<c r="{get_column_letter(i)}{r}" t="s"><v>{strings.index(v)}</v></c>'
            for i, v in enumerate(cells, start=1)
        )
        + "</row>"
        for r, cells in rows
    )
    dim = f'<dimension ref="{dimension}"/>' if dimension else ""
    parts = {
        "[Content_Types].xml": (
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            f'<Override PartName="/xl/workbook.xml" ContentType="{XLSX_TYPE}.sheet.main+xml"/>'
            f'<Override PartName="/xl/worksheets/sheet1.xml" ContentType="{XLSX_TYPE}.worksheet+xml"/>'
            f'<Override PartName="/xl/sharedStrings.xml" ContentType="{XLSX_TYPE}.sharedStrings+xml"/>'
            "</Types>"
        ),
        "_rels/.rels": (
            f'<Relationships xmlns="{XLSX_RELS}"><Relationship Id="rId1" '
            f'Type="{XLSX_DOC}/officeDocument" Target="xl/workbook.xml"/></Relationships>'
        ),
        "xl/workbook.xml": (
            f'<workbook xmlns="{XLSX_MAIN}" xmlns:r="{XLSX_DOC}"><sheets>'
            '<sheet name="S" sheetId="1" r:id="rId1"/></sheets></workbook>'
        ),
        "xl/_rels/workbook.xml.rels": (
            f'<Relationships xmlns="{XLSX_RELS}">'
            f'<Relationship Id="rId1" Type="{XLSX_DOC}/worksheet" Target="worksheets/sheet1.xml"/>'
            f'<Relationship Id="rId2" Type="{XLSX_DOC}/sharedStrings" Target="sharedStrings.xml"/>'
            "</Relationships>"
        ),
        "xl/worksheets/sheet1.xml": (
            f'<worksheet xmlns="{XLSX_MAIN}">{dim}<sheetData>{sheet_rows}</sheetData></worksheet>'
        ),
        "xl/sharedStrings.xml": (
            f'<sst xmlns="{XLSX_MAIN}">'
            + "".join(f"<si><t>{s}</t></si>" for s in strings)
            + "</sst>"
        ),
    }
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in parts.items():
            archive.writestr(name, '<?xml version="1.0" encoding="UTF-8"?>' + text)
    return out.getvalue()


ORG_HEADER = ["name", "country", "stakeholder_group"]


@pytest.fixture
def rows_read(monkeypatch):
    """Every row openpyxl hands over, with its width; a runaway read stops the test at once."""
    from openpyxl.worksheet._read_only import ReadOnlyWorksheet

    seen: list[int] = []
    original = ReadOnlyWorksheet._cells_by_row

    def counting(self, *args, **kwargs):
        for row in original(self, *args, **kwargs):
            seen.append(len(row))
            if len(seen) > 1000:
                raise AssertionError("the import read rows without a bound")
            yield row

    monkeypatch.setattr(ReadOnlyWorksheet, "_cells_by_row", counting)
    return seen


@override_settings(ECHOS_IMPORT_MAX_ROWS=5)
def test_a_spreadsheet_declaring_a_huge_sheet_is_read_only_as_far_as_the_limit(db, rows_read):
    rows = [(1, ORG_HEADER), (2, ["Limit Org 0", "NO", "research"])]
    rows.append((1_048_576, ["Limit Org 1", "NO", "research"]))
    data = raw_xlsx(rows, dimension="A1:XFD1048576")
    assert len(data) < 3000
    report = run_import("organisations", data, filename="orgs.xlsx")
    assert not report.ok and len(report.errors) == 1
    assert "ECHOS_IMPORT_MAX_ROWS" in report.errors[0].message
    assert "empty" in report.errors[0].message
    # Empty rows count: reading stops after 2 × 5 rows past the header, each as wide as needed.
    assert len(rows_read) <= 2 * 5 + 2
    assert max(rows_read) <= imports.MAX_COLUMNS + 1
    assert not Organisation.objects.filter(name__startswith="Limit Org").exists()


@override_settings(ECHOS_IMPORT_MAX_ROWS=5)
def test_a_few_empty_rows_between_the_rows_of_a_spreadsheet_are_fine(db, rows_read):
    rows = [(1, ORG_HEADER), (2, ["Limit Org 0", "NO", "research"])]
    rows.append((9, ["Limit Org 1", "NO", "research"]))
    report = run_import(
        "organisations", raw_xlsx(rows, dimension="A1:XFD1048576"), filename="o.xlsx"
    )
    assert report.ok, report.errors
    assert report.created == 2


@override_settings(ECHOS_IMPORT_MAX_ROWS=5)
def test_a_spreadsheet_with_more_shared_strings_than_cells_allowed_is_refused_unopened(
    db, monkeypatch
):
    def unopened(*args, **kwargs):
        raise AssertionError("openpyxl opened the file")

    monkeypatch.setattr("openpyxl.load_workbook", unopened)
    rows = [(1, ORG_HEADER), (2, ["Limit Org 0", "NO", "research"])]
    data = raw_xlsx(rows, extra_strings=5000)
    assert len(data) < 5000
    report = run_import("organisations", data, filename="orgs.xlsx")
    assert not report.ok and len(report.errors) == 1
    assert "shared strings" in report.errors[0].message
    assert "ECHOS_IMPORT_MAX_ROWS" in report.errors[0].message


@override_settings(ECHOS_IMPORT_MAX_ROWS=5)
def test_shared_strings_within_the_limit_are_read(db):
    rows = [(1, ORG_HEADER), (2, ["Limit Org 0", "NO", "research"])]
    report = run_import("organisations", raw_xlsx(rows, extra_strings=10), filename="o.xlsx")
    assert report.ok, report.errors


def test_a_spreadsheet_unpacking_to_eight_times_the_byte_limit_is_refused(db):
    rows = [["name", "country", "stakeholder_group", "description"]]
    rows += [[f"Limit Org {i}", "NO", "research", "x" * 20_000] for i in range(20)]
    data = xlsx(rows)
    unpacked = sum(i.file_size for i in zipfile.ZipFile(io.BytesIO(data)).infolist())
    max_bytes = unpacked // 8
    assert len(data) < max_bytes
    report = run_import("organisations", data, filename="orgs.xlsx", max_bytes=max_bytes)
    assert not report.ok and "unpacks" in report.errors[0].message


def test_a_csv_header_with_too_many_columns_is_one_error(db, monkeypatch):
    def unchecked(*args, **kwargs):
        raise AssertionError("a row was checked")

    monkeypatch.setitem(imports.ROW_HANDLERS, "organisations", unchecked)
    header = ",".join(["name", "country", "stakeholder_group"] + [f"c{i}" for i in range(500)])
    report = run_import("organisations", (header + "\nX,NO,research\n").encode())
    assert len(report.errors) == 1
    message = report.errors[0].message
    assert str(imports.MAX_COLUMNS) in message and "stakeholder_group" in message


def test_a_spreadsheet_header_with_too_many_columns_is_one_error(db, rows_read):
    header = ORG_HEADER + [f"c{i}" for i in range(2000)]
    report = run_import("organisations", raw_xlsx([(1, header)]), filename="o.xlsx")
    assert len(report.errors) == 1 and str(imports.MAX_COLUMNS) in report.errors[0].message
    assert max(rows_read) <= imports.MAX_COLUMNS + 1


def test_a_very_long_csv_header_line_is_refused(db):
    report = run_import("organisations", b"name" + b"x" * 100_000 + b"\nX\n")
    assert len(report.errors) == 1
    assert "header" in report.errors[0].message and "characters" in report.errors[0].message


def test_a_few_unknown_columns_are_still_each_named(db):
    report = run_import(
        "organisations", b"name,country,stakeholder_group,extra,notes\nX,NO,research,,\n"
    )
    assert [(e.row, e.column) for e in report.errors] == [(1, "extra"), (1, "notes")]


def test_the_errors_listed_are_capped_with_a_count_of_the_rest(db):
    bad = "".join(f"Limit Org {i},XX,research\n" for i in range(137))
    report = run_import("organisations", ("name,country,stakeholder_group\n" + bad).encode())
    assert not report.ok
    assert len(report.errors) == 100 + 1  # MAX_ERRORS, then the count of the rest
    assert all(e.column == "country" for e in report.errors[:-1])
    assert "37" in report.errors[-1].message and report.errors[-1].column is None
    assert report.as_dict()["errors"][-1]["message"] == report.errors[-1].message


def test_the_command_counts_every_problem_not_only_those_listed(db, tmp_path):
    path = tmp_path / "o.csv"
    bad = "".join(f"Limit Org {i},XX,research\n" for i in range(137))
    path.write_text("name,country,stakeholder_group\n" + bad, encoding="utf-8")
    with pytest.raises(CommandError, match="^137 problem"):
        call_command("import", "organisations", str(path), stderr=io.StringIO())


def test_the_import_page_lists_at_most_the_capped_errors(hubs, personas, login):
    bad = "".join(f"Limit Org {i},XX,research\n" for i in range(600))
    upload = SimpleUploadedFile(
        "o.csv", ("name,country,stakeholder_group\n" + bad).encode(), content_type="text/csv"
    )
    response = login(personas["coord_no"]).post("/organisations/import/", {"file": upload})
    assert response.status_code == 422
    body = response.content.decode()
    assert body.count("Unknown country code") == 100  # MAX_ERRORS
    assert "500 more" in body


@override_settings(ECHOS_IMPORT_MAX_ROWS=5)
def test_empty_csv_lines_count_towards_twice_the_row_limit(db):
    data = orgs_csv(2) + b"\n" * 20 + b"Limit Org 9,NO,research\n"
    report = run_import("organisations", data)
    assert [e.row for e in report.errors] == [12]
    assert "empty" in report.errors[0].message
    assert run_import("organisations", orgs_csv(2) + b"\n" * 5 + orgs_csv(1)[32:]).ok
