"""`echos engagement …`: each subcommand on small data gives the figures of the services and the
API (JSON parses, CSV and XLSX read back); each bad option is a CommandError naming it."""

import csv
import io
import json
from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.utils import timezone
from openpyxl import load_workbook

from echos.engagement import coverage, impact, services, suggestions, usecases

pytestmark = pytest.mark.django_db
PERIOD = ["--start", "2025-01-01", "--end", "2025-12-31"]


def run(*args) -> str:
    out = io.StringIO()
    call_command("engagement", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def records(hubs, make_record):
    make_record()
    make_record(level="involve", stakeholder_groups=["research"], participants=5)
    return hubs["norway"]


def test_coverage_json_is_the_api_answer(records, client):
    data = json.loads(run("coverage", str(records.pk), *PERIOD, "--format", "json"))
    api = client.get(
        "/api/v1/engagement-coverage",
        {"hub": records.pk, "start": "2025-01-01", "end": "2025-12-31"},
    ).json()
    assert data == api
    assert data["records"] == 2
    row = next(r for r in data["matrix"] if r["group"] == "research")
    assert row["counts"]["involve"] == 1 and row["deepest"] == "involve"


def test_coverage_csv_and_text(records):
    text = run("coverage", str(records.pk), *PERIOD, "--format", "csv")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0][0] == "group" and rows[0][-2:] == ["total", "deepest"]
    patients = next(r for r in rows if r and r[0] == "patients")
    report = coverage.hub_coverage(records, start=timezone.datetime(2025, 1, 1).date(),
                                   end=timezone.datetime(2025, 12, 31).date())  # fmt: skip
    expected = next(r for r in report.rows if r.group.code == "patients")
    assert int(patients[-2]) == expected.total == 1
    assert ["sector", "reaches"] in rows and ["quarter", "records", "participants"] in rows
    out = run("coverage", str(records.pk), *PERIOD)
    assert "2 records" in out and "Penta Helix" in out and "2025 Q4" in out


def test_suggestions_are_the_public_rules_unless_as_user(records, personas, make_record):
    record = make_record(date=timezone.localdate() - timedelta(days=30))
    for i in range(suggestions.OVERDUE_PILE):
        services.save_follow_up(
            actor=None,
            record=record,
            title=f"Send the minutes {i}",
            owner=personas["coord_no"],
            due_date=timezone.localdate() - timedelta(days=3),
        )
    public = json.loads(run("suggestions", str(records.pk), "--format", "json"))
    team = json.loads(
        run("suggestions", str(records.pk), "--format", "json", "--as-user", "coordinator-no")
    )
    assert "overdue_follow_ups" not in {s["rule"] for s in public["items"]}
    assert "overdue_follow_ups" in {s["rule"] for s in team["items"]}
    assert public["items"] and "- [" in run("suggestions", str(records.pk))


def test_network_json_gexf_and_graphml(records, tmp_path, client):
    data = json.loads(run("network", "--hub", str(records.pk), *PERIOD))
    api = client.get(
        "/api/v1/engagement-network",
        {"hub": records.pk, "start": "2025-01-01", "end": "2025-12-31"},
    ).json()
    assert data["summary"] == api["summary"] and data["node_count"] == api["node_count"]
    assert {n["id"] for n in data["nodes"]} == {n["id"] for n in api["nodes"]}
    assert data["includes_register"] is False
    for fmt in ("gexf", "graphml"):
        target = tmp_path / f"net.{fmt}"
        assert "Wrote" in run("network", *PERIOD, "--format", fmt, "-o", str(target))
        assert target.read_text("utf-8").startswith("<?xml")


def test_use_cases_list_and_coverage(records, client):
    case = usecases.save_use_case(
        actor=None,
        title="Survivorship card",
        description="Survivors and researchers shape the card together.",
        mission_action="Cancer survivorship smart card",
        groups=["research", "patients"],
        source="",
    )
    assert "Survivorship card" in run("use-cases")
    assert json.loads(run("use-cases", "--format", "json"))[0]["id"] == case.pk
    data = json.loads(run("use-cases", str(case.pk), *PERIOD, "--format", "json"))
    api = client.get(
        f"/api/v1/use-cases/{case.pk}/coverage", {"start": "2025-01-01", "end": "2025-12-31"}
    ).json()
    assert data["hubs"] == api["hubs"] and data["per_group"] == api["per_group"]
    assert data["partial"] == 1 and data["hubs"][0]["missing"] == ["patients"]
    assert "Survivorship card" in run("use-cases", str(case.pk), *PERIOD)


@pytest.fixture
def model(records):
    element = impact.save_element(actor=None, hub=records, stage="outputs", title="Dialogues")
    impact.save_indicator(
        actor=None,
        element=element,
        name="Citizen dialogues held",
        unit="dialogues",
        baseline=0,
        target=20,
        computation="citizen_dialogues_held",
    )
    return records


def test_impact_text_csv_and_xlsx(model, tmp_path, client):
    text = run("impact", str(model.pk), "--format", "csv")
    api = client.get(f"/api/v1/impact/hubs/{model.pk}/export", {"format": "csv"})
    rows = list(csv.DictReader(io.StringIO(text)))
    assert rows and {r["indicator"] for r in rows} == {"Citizen dialogues held"}
    assert text.encode() == api.content
    target = tmp_path / "impact.xlsx"
    run("impact", str(model.pk), "--format", "xlsx", "-o", str(target))
    sheet = load_workbook(target).active
    assert [c.value for c in next(sheet.iter_rows())][:3] == ["stage", "element", "indicator"]
    assert "Citizen dialogues held" in run("impact", str(model.pk))


def test_follow_ups_list_and_digest(records, hubs, personas, make_record):
    record = make_record()
    today = timezone.localdate()
    personas["coord_no"].email = "coordinator@example.invalid"
    personas["coord_no"].save()
    for title, due in (("Late minutes", today - timedelta(days=2)), ("Plan", today + timedelta(3))):
        services.save_follow_up(
            actor=None, record=record, title=title, owner=personas["coord_no"], due_date=due
        )
    out = run("follow-ups", "--hub", str(records.pk))
    assert "Late minutes" in out and "Plan" in out
    overdue = run("follow-ups", "--overdue")
    assert "Late minutes" in overdue and "Plan" not in overdue
    assert "No open" in run("follow-ups", "--hub", str(hubs["portugal"].pk))
    mail.outbox.clear()
    assert "1 e-mails" in run("digest") and len(mail.outbox) == 1
    assert "0 e-mails" in run("digest")


@pytest.mark.parametrize(
    ("args", "named"),
    [
        (["coverage", "999999"], "HUB_ID"),
        (["coverage", "abc"], "HUB_ID"),
        (["coverage", "{hub}", "--start", "2025-13-01"], "--start"),
        (["coverage", "{hub}", "--start", "2025-06-01", "--end", "2025-01-01"], "--end"),
        (["coverage", "{hub}", "--format", "pdf"], "--format"),
        (["suggestions", "{hub}", "--as-user", "nobody"], "--as-user"),
        (["suggestions", "{hub}", "--end", "yesterday"], "--end"),
        (["network", "--group", "aliens"], "--group"),
        (["network", "--objective", "nope"], "--objective"),
        (["network", "--hub", "999999"], "--hub"),
        (["network", "--start", "2025-06-01", "--end", "2025-01-01"], "--end"),
        (["network", "--format", "png"], "--format"),
        (["use-cases", "999999"], "ID"),
        (["use-cases", "x"], "ID"),
        (["impact", "{hub}", "--format", "xlsx"], "--output"),
        (["impact", "{hub}", "--format", "pdf"], "--format"),
        (["follow-ups", "--hub", "0"], "--hub"),
    ],
)
def test_bad_options_name_the_option(records, args, named):
    with pytest.raises(CommandError) as info:
        run(*[a.format(hub=records.pk) for a in args])
    assert named in str(info.value)
