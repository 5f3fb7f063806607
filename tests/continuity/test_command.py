"""`echos continuity project`: JSON and CSV output, stdin, and exit 2 naming the field."""

import csv
import io
import json
import sys

import pytest
from django.core.management import call_command

MODEL = {
    "start": "2027-01",
    "months": 36,
    "balance": "5000",
    "currency": "EUR",
    "streams": [
        {"id": "core", "type": "national_public", "amount": "500", "period": "month",
         "start": "2027-01", "end": None, "probability": 1},
        {"id": "eu", "type": "eu_grant", "amount": 6000, "period": "year", "start": "2027-04",
         "end": None, "probability": 0.7, "slip_months": 0},
    ],
    "costs": [
        {"id": "staff", "category": "staff", "amount": "1000", "period": "month",
         "start": "2027-01", "end": None},
    ],
}  # fmt: skip


def run(*args, stdin=None, monkeypatch=None):
    out, err = io.StringIO(), io.StringIO()
    if stdin is not None:
        monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(stdin.encode())))
    call_command("continuity", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def refused(*args):
    """The exit code and the error output of a run that is expected to stop."""
    err = io.StringIO()
    with pytest.raises(SystemExit) as exit_:
        call_command("continuity", *args, stdout=io.StringIO(), stderr=err)
    return exit_.value.code, err.getvalue()


@pytest.fixture
def model_file(tmp_path):
    path = tmp_path / "model.json"
    path.write_text(json.dumps(MODEL))
    return path


def test_json_output(model_file):
    out, _ = run("project", "--model", str(model_file), "--runs", "2000", "--seed", "1")
    data = json.loads(out)
    assert set(data) == {"months", "cliff", "runway_months", "coverage"}
    assert len(data["months"]) == 36
    assert data["months"][0] == {
        "month": "2027-01",
        "income": "500.00",
        "costs": "1000.00",
        "balance": "4500.00",
    }
    # 5000 at -500 a month: below zero in the eleventh month.
    assert data["cliff"] == "2027-11" and data["runway_months"] == 10
    assert data["coverage"]["12"] == pytest.approx(0.7, abs=0.05)
    again, _ = run("project", "--model", str(model_file), "--runs", "2000", "--seed", "1")
    assert again == out


def test_csv_output(model_file):
    out, _ = run(
        "project", "--model", str(model_file), "--format", "csv", "--runs", "500", "--seed", "2"
    )
    rows = list(csv.reader(io.StringIO(out)))
    assert rows[0] == ["month", "income", "costs", "balance"]
    assert rows[1] == ["2027-01", "500.00", "1000.00", "4500.00"]
    assert rows[37] == []
    measures = dict(r for r in rows[39:])
    assert measures["cliff"] == "2027-11" and measures["runway_months"] == "10"
    assert set(measures) == {"cliff", "runway_months", "coverage_12", "coverage_24", "coverage_36"}


def test_model_from_stdin(monkeypatch):
    out, _ = run(
        "project", "--model", "-", "--runs", "100", stdin=json.dumps(MODEL), monkeypatch=monkeypatch
    )
    assert json.loads(out)["runway_months"] == 10


@pytest.mark.parametrize(
    "change,message",
    [
        ({"streams": [dict(MODEL["streams"][0]), dict(MODEL["streams"][1], probability=2)]},
         "error: streams[1].probability: must be between 0 and 1"),
        ({"months": 121}, "error: months: must be between 1 and 120"),
        ({"currency": "XYZ"}, "error: currency: must be an ISO 4217 currency code"),
        ({"start": "2027-1"}, "error: start: must be a month written YYYY-MM"),
    ],
)  # fmt: skip
def test_bad_model_exits_2_naming_the_field(tmp_path, change, message):
    path = tmp_path / "bad.json"
    path.write_text(json.dumps({**MODEL, **change}))
    assert refused("project", "--model", str(path)) == (2, message + "\n")


@pytest.mark.parametrize(
    "args,content,field",
    [
        (["--runs", "100001"], json.dumps(MODEL), "runs"),
        (["--runs", "0"], json.dumps(MODEL), "runs"),
        ([], "{not json", "--model"),
        ([], b"\xff\xfe".decode("latin-1"), "--model"),
        ([], "[]", "model"),
    ],
)
def test_bad_run_count_or_file_exits_2(tmp_path, args, content, field):
    path = tmp_path / "m.json"
    path.write_text(content, encoding="latin-1")
    code, err = refused("project", "--model", str(path), *args)
    assert code == 2 and err.startswith(f"error: {field}: ")


def test_missing_file_exits_2(tmp_path):
    code, err = refused("project", "--model", str(tmp_path / "nope.json"))
    assert code == 2 and "no such file" in err
