"""Imports of a hub's stakeholders and engagement records: good files, bad rows named with row,
column and reason, nothing half-written, the bounds, the CLI and the upload page."""

import io
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.utils import timezone
from openpyxl import Workbook

from echos.core.models import ActionLog
from echos.engagement.imports import import_records, import_stakeholders
from echos.engagement.models import EngagementRecord, ParticipantCount, Stakeholder
from echos.engagement.register import add_stakeholder

pytestmark = pytest.mark.django_db

YESTERDAY = (timezone.localdate() - timedelta(days=1)).isoformat()
TOMORROW = (timezone.localdate() + timedelta(days=1)).isoformat()


def csv(*lines: str) -> bytes:
    return ("\n".join(lines) + "\n").encode()


def errors(report) -> list[tuple[int, str | None]]:
    return [(e.row, e.column) for e in report.errors]


STAKEHOLDERS = csv(
    "organisation,country,stakeholder_group,sector,influence,interest,status,owner,notes",
    "Oslo Cancer Cluster,,,industry,5,4,partner,editor-no,Hosts the hub's events",
    "AICIB,PT,research,,2,3,,,",
)


def test_good_stakeholder_file(hubs, personas):
    report = import_stakeholders(
        STAKEHOLDERS, filename="s.csv", actor=personas["coord_no"], hub=hubs["norway"]
    )
    assert report.ok, report.errors
    assert report.created == 2
    occ = Stakeholder.objects.get(organisation=hubs["occ"])
    assert (occ.sector, occ.influence, occ.owner, occ.status) == (
        "industry",
        5,
        personas["editor_no"],
        "partner",
    )
    assert Stakeholder.objects.get(organisation=hubs["aicib"]).status == "to_approach"
    assert ActionLog.objects.filter(action="engagement.stakeholder.added").count() == 2


def test_good_stakeholder_xlsx(hubs):
    book = Workbook()
    sheet = book.active
    sheet.append(["organisation", "influence", "interest"])
    sheet.append([hubs["ncs"].pk, 3, 3])
    out = io.BytesIO()
    book.save(out)
    report = import_stakeholders(out.getvalue(), filename="s.xlsx", hub=hubs["norway"])
    assert report.ok, report.errors
    assert Stakeholder.objects.get().organisation == hubs["ncs"]


def test_bad_stakeholder_rows_are_all_named_and_nothing_is_written(hubs, personas):
    add_stakeholder(
        actor=None, hub=hubs["norway"], organisation=hubs["ncs"], influence=1, interest=1
    )
    data = csv(
        "organisation,country,influence,interest,owner,status,stakeholder_group",
        "Oslo Cancer Cluster,,5,4,,,",  # good
        "Oslo Cancer Cluster,,5,4,,,",  # twice in the file
        "Norwegian Cancer Society,,2,2,,,",  # already in the register
        "Nobody Ltd,,2,2,,,",  # unknown organisation
        "AICIB,PT,7,2,,,",  # influence out of range
        "AICIB,PT,2,0,,,",  # interest out of range
        "AICIB,PT,2,2,member-no,,",  # owner not on the team
        "AICIB,PT,2,2,,asleep,",  # unknown status
        "AICIB,XX,2,2,,,",  # unknown country
        "AICIB,PT,2,2,,,aliens",  # unknown group
        "99999999,,2,2,,,",  # unknown id
    )
    report = import_stakeholders(
        data, filename="s.csv", actor=personas["coord_no"], hub=hubs["norway"]
    )
    assert errors(report) == [
        (3, "organisation"),
        (4, "organisation"),
        (5, "organisation"),
        (6, "influence"),
        (7, "interest"),
        (8, "owner"),
        (9, "status"),
        (10, "country"),
        (11, "stakeholder_group"),
        (12, "organisation"),
    ]
    assert "between 1 and 5" in report.errors[3].message
    assert Stakeholder.objects.count() == 1  # only the one stored before
    assert ActionLog.objects.filter(action="engagement.stakeholder.added").count() == 1


def test_header_problems(hubs):
    report = import_stakeholders(csv("organisation,colour", "AICIB,red"), hub=hubs["norway"])
    assert errors(report) == [(1, "influence"), (1, "interest"), (1, "colour")]


def test_bounds(hubs):
    rows = csv("organisation,influence,interest", *["AICIB,1,1"] * 5)
    report = import_stakeholders(rows, hub=hubs["norway"], max_rows=3)
    assert not report.ok and "more than 3 rows" in report.errors[0].message
    report = import_stakeholders(rows, hub=hubs["norway"], max_bytes=10)
    assert not report.ok and "limit" in report.errors[0].message
    assert import_stakeholders(b"", hub=hubs["norway"]).errors[0].message
    assert not Stakeholder.objects.exists()


def test_not_allowed(hubs, personas):
    for user in ("member_no", "coord_pt"):
        report = import_stakeholders(STAKEHOLDERS, actor=personas[user], hub=hubs["norway"])
        assert not report.ok
    assert not Stakeholder.objects.exists()


RECORD_HEADER = (
    "title,description,date,end_date,status,level,stakeholder_groups,organisations,participants,"
    "participants:patients,participants:citizens,format,language,region,objectives,policy_areas"
)


def test_good_record_file(hubs, personas):
    data = csv(
        RECORD_HEADER,
        f"Penta Helix workshop,Five sectors around one table,{YESTERDAY},,held,involve,patients;citizens,"
        f"Norwegian Cancer Society;{hubs['occ'].pk},,12,30,penta_helix_workshop,nb,NO-03,prevention,health",
        f"Planned dialogue,Next month,{TOMORROW},,planned,consult,authorities,,,,,policy_dialogue,en,,,",
    )
    report = import_records(data, filename="r.csv", actor=personas["editor_no"], hub=hubs["norway"])
    assert report.ok, report.errors
    assert report.created == 2
    workshop = EngagementRecord.objects.get(title="Penta Helix workshop")
    assert workshop.participants == 42
    assert {c.group.code: c.count for c in ParticipantCount.objects.filter(record=workshop)} == {
        "patients": 12,
        "citizens": 30,
    }
    assert {o.name for o in workshop.organisations.all()} == {
        "Norwegian Cancer Society",
        "Oslo Cancer Cluster",
    }
    assert [t.code for t in workshop.objectives.all()] == ["prevention"]
    assert workshop.region_id == "NO-03" and workshop.created_by == personas["editor_no"]
    assert ActionLog.objects.filter(action="engagement.record.created").count() == 2


def test_bad_record_rows_are_all_named_and_nothing_is_written(hubs):
    good = f"Good,Fine,{YESTERDAY},,held,consult,patients,,,,,meeting,nb,,,"
    data = csv(
        RECORD_HEADER,
        good,
        f"Future,Held tomorrow,{TOMORROW},,held,consult,patients,,,,,meeting,nb,,,",
        f"Negative,Count,{YESTERDAY},,held,consult,patients,,,-3,,meeting,nb,,,",
        f"Level,Unknown,{YESTERDAY},,held,shout,patients,,,,,meeting,nb,,,",
        f"Group,Missing,{YESTERDAY},,held,consult,patients,,,,4,meeting,nb,,,",
        f"Total,Wrong,{YESTERDAY},,held,consult,patients,,99,5,,meeting,nb,,,",
        f"Org,Unknown,{YESTERDAY},,held,consult,patients,Nobody Ltd,,,,meeting,nb,,,",
        "Date,Bad,31/12/2024,,held,consult,patients,,,,,meeting,nb,,,",
        f"Region,Abroad,{YESTERDAY},,held,consult,patients,,,,,meeting,nb,PT-11,,",
        f"Format,Unknown,{YESTERDAY},,held,consult,patients,,,,,dance,nb,,,",
        f",No title,{YESTERDAY},,held,consult,patients,,,,,meeting,nb,,,",
    )
    report = import_records(data, hub=hubs["norway"])
    assert errors(report) == [
        (3, "date"),
        (4, "participants:patients"),
        (5, "level"),
        (6, "participants:citizens"),
        (7, "participants"),
        (8, "organisations"),
        (9, "date"),
        (10, "region"),
        (11, "format"),
        (12, "title"),
    ]
    assert not EngagementRecord.objects.exists()
    assert not ParticipantCount.objects.exists()


def test_unknown_participants_group_column(hubs):
    report = import_records(csv(RECORD_HEADER + ",participants:martians", "x"), hub=hubs["norway"])
    assert errors(report) == [(1, "participants:martians")]


def test_progress_is_reported_per_row(hubs):
    seen = []
    import_stakeholders(STAKEHOLDERS, hub=hubs["norway"], progress=seen.append)
    assert seen == [1, 2]


def test_no_hub(hubs):
    assert not import_records(csv(RECORD_HEADER), hub=None).ok


# The command ------------------------------------------------------------------------------------


def test_cli_imports_stakeholders(hubs, personas, tmp_path, capsys):
    path = tmp_path / "stakeholders.csv"
    path.write_bytes(STAKEHOLDERS)
    call_command("import", "stakeholders", str(path), "--hub", str(hubs["norway"].pk))
    assert "Imported 2 stakeholders." in capsys.readouterr().out
    assert Stakeholder.objects.count() == 2


def test_cli_imports_records(hubs, tmp_path, capsys):
    path = tmp_path / "records.csv"
    path.write_bytes(
        csv(RECORD_HEADER, f"CLI,Imported,{YESTERDAY},,held,inform,citizens,,,,250,campaign,nb,,,")
    )
    call_command("import", "engagement", str(path), "--hub", str(hubs["norway"].pk))
    assert "Imported 1 engagement." in capsys.readouterr().out
    assert EngagementRecord.objects.get().participants == 250


def test_cli_refuses_a_bad_file_naming_rows(hubs, tmp_path, capsys):
    path = tmp_path / "stakeholders.csv"
    path.write_bytes(csv("organisation,influence,interest", "AICIB,1,1", "AICIB,9,1"))
    with pytest.raises(CommandError, match="nothing was imported"):
        call_command("import", "stakeholders", str(path), "--hub", str(hubs["norway"].pk))
    assert "row 3, column influence" in capsys.readouterr().err
    assert not Stakeholder.objects.exists()


def test_cli_needs_a_hub(hubs, tmp_path):
    path = tmp_path / "s.csv"
    path.write_bytes(STAKEHOLDERS)
    with pytest.raises(CommandError, match="--hub"):
        call_command("import", "stakeholders", str(path))


def test_cli_still_imports_organisations(hubs, tmp_path, capsys):
    path = tmp_path / "o.csv"
    path.write_bytes(csv("name,country,stakeholder_group", "New Org,NO,research"))
    call_command("import", "organisations", str(path))
    assert "Imported 1 organisations." in capsys.readouterr().out


# The page ---------------------------------------------------------------------------------------


def test_upload_page(hubs, personas, login):
    url = f"/engagement/hubs/{hubs['norway'].pk}/import/stakeholders/"
    client = login(personas["editor_no"])
    page = client.get(url)
    assert 'id="import-progress"' in page.content.decode()
    bad = client.post(
        url,
        {"file": SimpleUploadedFile("s.csv", csv("organisation,influence,interest", "AICIB,0,1"))},
    )
    assert bad.status_code == 422
    assert 'id="import-errors"' in bad.content.decode() and "influence" in bad.content.decode()
    good = client.post(url, {"file": SimpleUploadedFile("s.csv", STAKEHOLDERS)})
    assert good.status_code == 302
    assert Stakeholder.objects.count() == 2


@pytest.mark.parametrize(
    ("persona", "status"),
    [("anonymous", 302), ("member_no", 403), ("coord_pt", 403), ("coord_no", 200)],
)
def test_upload_page_access(hubs, personas, login, persona, status):
    for kind in ("stakeholders", "engagement"):
        url = f"/engagement/hubs/{hubs['norway'].pk}/import/{kind}/"
        assert login(personas[persona]).get(url).status_code == status
