"""Imports are all-or-nothing and name every bad row; exports round-trip."""

import io
import json
from io import StringIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from openpyxl import Workbook, load_workbook

from echos.hubs.imports import run_import
from echos.hubs.models import Membership, Organisation

pytestmark = pytest.mark.django_db

GOOD_ORGS = (
    "name,country,stakeholder_group,region,website\n"
    "Haukeland University Hospital,NO,healthcare_providers,NO-46,https://helse-bergen.no\n"
    "Instituto Português de Oncologia,PT,healthcare_providers,PT-13,\n"
)


def xlsx(rows) -> bytes:
    book = Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_good_csv_imports_every_row(db):
    report = run_import("organisations", GOOD_ORGS.encode())
    assert report.ok and report.created == 2
    assert Organisation.objects.get(name__startswith="Instituto").region_id == "PT-13"


def test_utf8_with_bom_and_semicolons_are_accepted(db):
    data = "\ufeff" + GOOD_ORGS.replace(",", ";")
    report = run_import("organisations", data.encode("utf-8"))
    assert report.ok, report.errors
    assert Organisation.objects.filter(name="Instituto Português de Oncologia").exists()


def test_wrong_encoding_is_reported_and_nothing_written(db):
    report = run_import("organisations", GOOD_ORGS.encode("latin-1"))
    assert not report.ok
    assert "UTF-8" in report.errors[0].message and "line 3" in report.errors[0].message
    assert not Organisation.objects.exists()


def test_every_bad_row_is_reported_and_nothing_is_imported(hubs):
    data = (
        "name,country,stakeholder_group,region\n"
        "Good One,NO,research,\n"
        "Bad Country,ZZ,research,\n"
        ",NO,research,\n"
        "Bad Region,NO,research,PT-13\n"
        "Bad Group,NO,wizards,\n"
        "Oslo Cancer Cluster,NO,research,\n"
        "Twice,SE,research,\n"
        "twice,SE,research,\n"
    )
    before = Organisation.objects.count()
    report = run_import("organisations", data.encode())
    found = {(e.row, e.column) for e in report.errors}
    assert found == {
        (3, "country"),
        (4, "name"),
        (5, "region"),
        (6, "stakeholder_group"),
        (7, "name"),
        (9, "name"),
    }
    assert Organisation.objects.count() == before
    assert report.created == 0


def test_missing_and_unknown_columns_are_named(db):
    report = run_import("organisations", b"name,colour\nX,blue\n")
    assert {e.column for e in report.errors} == {"country", "stakeholder_group", "colour"}


def test_xlsx_import(hubs):
    data = xlsx(
        [
            ["organisation", "role", "since", "stakeholder_group"],
            ["Oslo Cancer Cluster", "observer", None, None],
            ["New Patient Network", "member", "2025-01-15", "patients"],
        ]
    )
    Membership.objects.filter(hub=hubs["vestland"]).delete()
    report = run_import("memberships", data, filename="members.xlsx", hub=hubs["vestland"])
    assert report.ok, report.errors
    assert hubs["vestland"].memberships.count() == 2
    assert Organisation.objects.get(name="New Patient Network").stakeholder_group.code == "patients"


def test_a_file_named_xlsx_that_is_not_a_spreadsheet(db):
    report = run_import("organisations", b"name,country\nx,NO\n", filename="orgs.xlsx")
    assert not report.ok and "XLSX" in report.errors[0].message


def test_a_corrupt_zip_is_not_a_500(db):
    report = run_import("organisations", b"PK\x03\x04garbage", filename="orgs.xlsx")
    assert not report.ok and report.errors[0].row == 1


def test_membership_rows_with_bad_dates_and_unknown_orgs(hubs):
    data = (
        "organisation,role,since,until\n"
        "Oslo Cancer Cluster,member,2025-01-01,2024-01-01\n"
        "Nobody Knows,member,,\n"
        "Norwegian Cancer Society,chief,,\n"
        "Norwegian Cancer Society,member,01/02/2025,\n"
    )
    report = run_import("memberships", data.encode(), hub=hubs["vestland"])
    assert [(e.row, e.column) for e in report.errors] == [
        (2, "until"),
        (3, "organisation"),
        (4, "role"),
        (5, "since"),
    ]
    assert not hubs["vestland"].memberships.exists()


def test_import_command_and_its_errors(hubs, tmp_path):
    good = tmp_path / "orgs.csv"
    good.write_text(GOOD_ORGS, encoding="utf-8")
    out, err = StringIO(), StringIO()
    call_command("import", "organisations", str(good), stdout=out, stderr=err)
    assert "Imported 2 organisations" in out.getvalue()
    bad = tmp_path / "members.csv"
    bad.write_text("organisation,role\nGhost Org,member\n", encoding="utf-8")
    with pytest.raises(CommandError, match="nothing was imported"):
        call_command("import", "memberships", str(bad), "--hub", str(hubs["norway"].pk), stderr=err)
    assert "row 2, column organisation" in err.getvalue()


def test_import_page_for_coordinators(hubs, personas, login):
    client = login(personas["coord_no"])
    upload = SimpleUploadedFile(
        "m.csv", b"organisation,role\nGhost Org,member\n", content_type="text/csv"
    )
    response = client.post(f"/hubs/{hubs['vestland'].pk}/members/import/", {"file": upload})
    assert response.status_code == 422
    assert "Ghost Org" in response.content.decode()
    upload = SimpleUploadedFile("m.csv", b"organisation,role\nOslo Cancer Cluster,member\n")
    response = client.post(f"/hubs/{hubs['vestland'].pk}/members/import/", {"file": upload})
    assert response.status_code == 302
    assert hubs["vestland"].memberships.filter(organisation=hubs["occ"]).exists()
    denied = login(personas["coord_pt"]).get(f"/hubs/{hubs['vestland'].pk}/members/import/")
    assert denied.status_code == 403


@pytest.mark.parametrize("fmt", ["csv", "json", "xlsx"])
@pytest.mark.parametrize("kind", ["hubs", "organisations", "memberships"])
def test_export_formats(hubs, tmp_path, kind, fmt):
    path = tmp_path / f"out.{fmt}"
    call_command("export", kind, "--format", fmt, "--output", str(path), stderr=StringIO())
    expected = {"hubs": 4, "organisations": 3, "memberships": 3}[kind]
    if fmt == "csv":
        lines = path.read_text(encoding="utf-8").strip().splitlines()
        assert len(lines) == expected + 1 and lines[0].startswith("id,")
    elif fmt == "json":
        rows = json.loads(path.read_text(encoding="utf-8"))
        assert len(rows) == expected and "id" in rows[0]
    else:
        sheet = load_workbook(path).active
        assert sheet.max_row == expected + 1


def test_exported_organisations_import_elsewhere(hubs, tmp_path):
    path = tmp_path / "orgs.csv"
    call_command("export", "organisations", "--output", str(path), stderr=StringIO())
    rows = path.read_text(encoding="utf-8").splitlines()
    header = "name,country,stakeholder_group\n"
    body = "\n".join(
        ",".join([r.split(",")[1] + " copy", r.split(",")[2], r.split(",")[4]]) for r in rows[1:]
    )
    report = run_import("organisations", (header + body).encode())
    assert report.ok and report.created == 3


def test_exported_memberships_say_whether_the_organisation_confirmed(hubs, tmp_path):
    path = tmp_path / "m.json"
    call_command("export", "memberships", "--format", "json", "--output", str(path))
    assert {row["status"] for row in json.loads(path.read_text(encoding="utf-8"))} == {"confirmed"}
