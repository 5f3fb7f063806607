"""One figure, one value: the same KPI for the same period and scope gives the same number on the
dashboard page, in the API and from ``core.kpis.compute``.

To add a place where figures appear (the XLSX report, the open data), write a reader
``(client_for, code, start, end, hub) -> {key: value}`` (``client_for(role, api=False)`` gives a
persona's client) and add it to ``READERS``: every KPI of the catalogue is then checked there too,
at network and hub scope. A reader returns None where it does not apply (the test is skipped).
"""

import re
import tempfile
from datetime import date
from html import unescape
from pathlib import Path

import pytest
from django.urls import reverse

from echos.core import kpis
from tests.reports.kpi_data import make_event, register

START, END = date(2025, 1, 1), date(2025, 6, 30)
PARAMS = {"start": "2025-01", "end": "2025-06"}


def _number(text: str):
    text = unescape(text).strip()
    if text in ("not available", ""):
        return None
    value = float(text)
    return int(value) if value.is_integer() else value


def read_dashboard(client_for, code, start, end, hub):
    """The figures in the KPI's table on the network or hub dashboard."""
    url = reverse("reports:network") if hub is None else reverse("reports:hub", args=[hub.pk])
    html = client_for("network").get(url, PARAMS).content.decode()
    table = re.search(rf'<table class="striped" data-kpi="{code}">(.*?)</table>', html, re.S)
    assert table, code
    cells = re.findall(r'<td data-key="([^"]*)">(.*?)</td>', table.group(1))
    return {key: _number(value) for key, value in cells if key != "total"}


def read_api(client_for, code, start, end, hub):
    """The figures of ``GET /api/v1/reports/kpis/{code}/figures``."""
    params = {**PARAMS, **({"hub": hub.pk} if hub is not None else {})}
    body = (
        client_for("network", api=True).get(f"/api/v1/reports/kpis/{code}/figures", params).json()
    )
    return {f["key"]: f["value"] for f in body["figures"]}


def read_monthly_sum(client_for, code, start, end, hub):
    """A flow KPI's months add up to its period (additive KPIs only; others are skipped)."""
    kpi = kpis.get(code)
    if kpi.kind != "flow" or not kpi.additive:
        return None
    totals: dict = {}
    for result in kpis.monthly(kpi, start, end, hub):
        for f in result.figures:
            totals[f.key] = totals.get(f.key, 0) + (f.value or 0)
    return totals


def read_xlsx(client_for, code, start, end, hub):
    """The figures of the KPI in the XLSX report's "Indicators" sheet (its Key column)."""
    from openpyxl import load_workbook

    from echos.reports import content, jobs

    kind, hub_id = ("network", None) if hub is None else ("hub", hub.pk)
    with tempfile.TemporaryDirectory() as tmp:
        spec = content.ReportSpec(kind, hub_id, start, end, "en", "xlsx")
        book = load_workbook(jobs.write(spec, Path(tmp) / "r.xlsx"), read_only=True)
        rows = list(book["Indicators"].iter_rows(min_row=2, values_only=True))
        book.close()
    return {r[7] or "": r[4] for r in rows if r[0] == code}  # an empty cell reads None


def read_open_data(client_for, code, start, end, hub):
    """The KPI in the open data's ``kpi_figures`` table (public KPIs at network scope): a stock
    is its month of ``end``; an additive flow the sum of its months (others are skipped)."""
    import csv

    from echos.core import opendata
    from echos.reports import opendata_dump

    kpi = kpis.get(code)
    if hub is not None or not kpi.public or (kpi.kind == "flow" and not kpi.additive):
        return None
    table = next(t for t in opendata.tables() if t.name == "kpi_figures")
    with tempfile.TemporaryDirectory() as tmp:
        opendata_dump.write_dump(Path(tmp) / "dump", tables=[table])
        with (Path(tmp) / "dump" / table.path).open() as f:
            rows = list(csv.DictReader(f))
    totals: dict = {}
    months = set()
    for row in rows:
        first = date.fromisoformat(row["period_start"])
        last = date.fromisoformat(row["period_end"])
        key, value = row["key"], _number(row["value"])
        if row["kpi"] != code or not (start <= first and last <= end):
            continue
        months.add(first)
        if kpi.kind == "stock":
            if first.month == end.month and first.year == end.year:
                totals[key] = value
        else:
            totals[key] = totals.get(key, 0) + (value or 0)
    if len(months) < kpis.month_count(start, end):
        return None  # the period lies outside the open data's last 36 months
    return totals


READERS = {
    "dashboard": read_dashboard,
    "api": read_api,
    "monthly": read_monthly_sum,
    "xlsx": read_xlsx,
    "open_data": read_open_data,
}


@pytest.fixture
def data(hubs):
    """A little of everything in the first half of 2025."""
    from echos.core.models import Term
    from echos.engagement.models import EngagementRecord

    event = make_event(hubs["norway"], date(2025, 2, 1), audiences=",citizens,youth,")
    register(event, "citizens", n=2)
    register(event, "researchers")
    register(make_event(hubs["bergen"], date(2025, 5, 3)), "youth", status="attended")
    level = Term.objects.of("engagement_levels").first()
    EngagementRecord.objects.create(
        hub=hubs["vestland"],
        title="Round table",
        description="D",
        date=date(2025, 3, 1),
        level=level,
        format="meeting",
        language="no",
    )
    return hubs


@pytest.fixture
def client_for(personas, login, token_client):
    """A client of a persona: signed in for pages, with a bearer token for the API."""
    return lambda role, api=False: (token_client if api else login)(personas[role])


def pytest_generate_tests(metafunc):
    if "case" in metafunc.fixturenames:
        cases = [
            (k.code, scope, reader)
            for k in kpis.catalogue()
            for scope in k.scopes
            for reader in READERS
        ]
        metafunc.parametrize("case", cases, ids=["-".join(c) for c in cases])


def test_one_figure_one_value(case, data, client_for):
    code, scope, reader = case
    hub = None if scope == "network" else data["norway"]
    expected = {f.key: f.value for f in kpis.compute(code, START, END, hub).figures}
    found = READERS[reader](client_for, code, START, END, hub)
    if found is None:
        pytest.skip(f"{reader} does not apply to {code}")
    assert found == expected
