"""`echos kpis list` and `echos kpis figures`: the figures of ``core.kpis`` and of the API (JSON
parses, CSV reads back); each bad option is a CommandError naming it; `-o` still writes the
catalogue."""

import csv
import io
import json

import pytest
from django.core.management import CommandError, call_command

from echos.core import kpis
from echos.reports import kpi_docs

pytestmark = pytest.mark.django_db
BASE = "/api/v1/reports/kpis"


def run(*args) -> str:
    out = io.StringIO()
    call_command("kpis", *args, stdout=out)
    return out.getvalue()


def test_output_still_writes_the_catalogue(tmp_path):
    target = tmp_path / "kpis.md"
    assert "Wrote" in run("-o", str(target))
    assert target.read_text("utf-8") == kpi_docs.render()


def test_list_names_every_kpi():
    text = run("list")
    data = json.loads(run("list", "--format", "json"))
    assert [k["code"] for k in data] == [k.code for k in kpis.catalogue()]
    for kpi in kpis.catalogue():
        assert kpi.code in text


def test_figures_are_the_services_and_the_apis(hubs, client):
    data = json.loads(
        run("figures", "HUB-HUBS-LEVEL", "--period", "2025-01:2025-06", "--format", "json")
    )
    api = client.get(
        f"{BASE}/HUB-HUBS-LEVEL/figures", {"start": "2025-01", "end": "2025-06"}
    ).json()
    assert data == api
    start, end = kpis.parse_period("2025-01", "2025-06")
    result = kpis.compute("HUB-HUBS-LEVEL", start, end)
    assert [f["value"] for f in data["figures"]] == [f.value for f in result.figures]
    assert sum(f["value"] for f in data["figures"]) > 0


def test_hub_scope_and_monthly_series(hubs, client):
    hub = str(hubs["norway"].pk)
    args = ["figures", "HUB-HUBS-LEVEL", "--period", "2025-01:2025-06", "--hub", hub, "--monthly"]
    data = json.loads(run(*args, "--format", "json"))
    api = client.get(
        f"{BASE}/HUB-HUBS-LEVEL/monthly", {"start": "2025-01", "end": "2025-06", "hub": hub}
    ).json()
    assert data == api
    rows = list(csv.DictReader(io.StringIO(run(*args, "--format", "csv"))))
    assert {r["start"] for r in rows} == {m["start"] for m in api["months"]}
    first = api["months"][0]["figures"][0]
    assert [
        r["value"] for r in rows if r["start"] == "2025-01-01" and r["key"] == first["key"]
    ] == [str(first["value"])]
    text = run(*args)
    assert text.startswith("HUB-HUBS-LEVEL:") and "2025-06" in text


def test_default_period_is_the_last_twelve_months(hubs):
    data = json.loads(run("figures", "HUB-HUBS-LEVEL", "--format", "json"))
    start, end = kpis.default_period()
    assert (data["start"], data["end"]) == (start.isoformat(), end.isoformat())


@pytest.mark.parametrize(
    ("args", "named"),
    [
        (["figures", "NOPE-1"], "CODE"),
        (["figures", "HUB-HUBS-LEVEL", "--period", "2025-13:2025-06"], "--period"),
        (["figures", "HUB-HUBS-LEVEL", "--period", "2025-06:2025-01"], "--period"),
        (["figures", "HUB-HUBS-LEVEL", "--period", "2025-01:2999-12"], "--period"),
        (["figures", "HUB-HUBS-LEVEL", "--period", "2020-01:2025-06"], "--period"),
        (["figures", "HUB-HUBS-LEVEL", "--hub", "999999"], "--hub"),
        (["figures", "HUB-HUBS-LEVEL", "--hub", "x"], "--hub"),
        (["figures", "HUB-COUNTRIES-STAGE", "--hub", "{hub}"], "--hub"),
        (["figures", "HUB-HUBS-LEVEL", "--format", "pdf"], "--format"),
        (["list", "--format", "csv"], "--format"),
    ],
)
def test_bad_options_name_the_option(hubs, args, named):
    with pytest.raises(CommandError) as info:
        run(*[a.format(hub=hubs["norway"].pk) for a in args])
    assert named in str(info.value)
