"""Export of a hub's impact model (CSV and XLSX): read back, numbers as numbers, formulas
neutralised, the same figures as the page and the API, public like the page, bounded queries."""

import csv
import io
import json
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from openpyxl import load_workbook

from echos.engagement import exports_impact, impact

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "coord_pt", "member_no", "editor_no", "coord_no", "network"]
HOSTILE = '=HYPERLINK("http://evil.example/","click")'


@pytest.fixture
def model(hubs, make_record):
    element = impact.save_element(actor=None, hub=hubs["norway"], stage="outputs", title=HOSTILE)
    computed = impact.save_indicator(
        actor=None,
        element=element,
        name="Citizen dialogues held",
        unit="dialogues",
        baseline=0,
        target=20,
        computation="citizen_dialogues_held",
    )
    entered = impact.save_indicator(
        actor=None,
        element=element,
        name="+Member organisations",
        unit="organisations",
        baseline="2.5",
        target=40,
    )
    impact.save_value(
        actor=None,
        indicator=entered,
        period_start="2025-01-01",
        period_end="2025-06-30",
        actual="10.25",
    )
    impact.save_indicator(actor=None, element=element, name="No value yet", unit="u")
    today = timezone.localdate()
    for days in (1, 200, 400):
        make_record(format="citizen_dialogue", date=today - timedelta(days=days))
    return {"hub": hubs["norway"], "computed": computed, "entered": entered}


def _csv(content: bytes) -> list[dict]:
    return list(csv.DictReader(io.StringIO(content.decode("utf-8"))))


def _xlsx(content: bytes) -> list[dict]:
    sheet = load_workbook(io.BytesIO(content))["indicators"]
    header, *rows = sheet.iter_rows(values_only=True)
    assert list(header) == exports_impact.HEADER
    return [dict(zip(header, row, strict=True)) for row in rows]


def test_csv_has_one_row_per_indicator_per_period_and_neutralises_formulas(client, model):
    hub = model["hub"]
    response = client.get(f"/engagement/hubs/{hub.pk}/impact.csv")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert f'filename="impact-model-hub-{hub.pk}.csv"' in response["Content-Disposition"]
    rows = _csv(response.content)
    assert list(rows[0]) == exports_impact.HEADER
    computed = [r for r in rows if r["indicator"] == "Citizen dialogues held"]
    assert len(computed) == impact.QUARTERS
    assert {r["accumulation"] for r in computed} == {"cumulative"}
    # The hostile element title and the indicator starting with "+" are shown as text.
    assert {r["element"] for r in rows} == {"'" + HOSTILE}
    entered = [r for r in rows if r["indicator"] == "'+Member organisations"]
    assert len(entered) == 1
    assert entered[0]["actual"] == "10.25" and entered[0]["baseline"] == "2.5"
    assert entered[0]["cumulative"] == "" and entered[0]["percent_of_target"] == "21"
    empty = [r for r in rows if r["indicator"] == "No value yet"]
    assert len(empty) == 1 and empty[0]["period_start"] == "" and empty[0]["actual"] == ""


def test_xlsx_keeps_numbers_as_numbers_and_formulas_as_text(client, model):
    response = client.get(f"/engagement/hubs/{model['hub'].pk}/impact.xlsx")
    assert response.status_code == 200
    assert response["Content-Type"] == exports_impact.CONTENT_TYPES["xlsx"]
    rows = _xlsx(response.content)
    assert {r["element"] for r in rows} == {HOSTILE}  # a string cell, not a formula
    sheet = load_workbook(io.BytesIO(response.content))["indicators"]
    assert {c.data_type for c in sheet["B"][1:]} == {"s"}
    (entered,) = [r for r in rows if r["indicator"] == "+Member organisations"]
    assert entered["actual"] == 10.25 and entered["baseline"] == 2.5
    assert entered["target"] == 40 and isinstance(entered["target"], int)
    assert entered["percent_of_target"] == 21 and entered["cumulative"] is None
    computed = [r for r in rows if r["indicator"] == "Citizen dialogues held"]
    assert all(isinstance(r["cumulative"], int) for r in computed)


def test_the_export_gives_the_figures_of_the_page_and_the_api(client, model):
    hub = model["hub"]
    view = next(v for v in impact.impact_model(hub).indicators if v.indicator == model["computed"])
    rows = _xlsx(client.get(f"/engagement/hubs/{hub.pk}/impact.xlsx").content)
    computed = [r for r in rows if r["indicator"] == "Citizen dialogues held"]
    last = computed[-1]
    assert last["cumulative"] == view.value == 3  # every dialogue since the first one
    assert last["percent_of_target"] == view.percent == 15
    page = client.get(f"/engagement/hubs/{hub.pk}/impact/").content.decode()
    assert f'<span class="indicator-latest">{view.value}</span>' in page
    api = client.get(f"/api/v1/impact/hubs/{hub.pk}").json()
    api_computed = api["elements"][0]["indicators"][0]
    assert api_computed["latest"] == last["cumulative"]
    assert [v["cumulative"] for v in api_computed["values"]] == [r["cumulative"] for r in computed]
    assert [v["actual"] for v in api_computed["values"]] == [r["actual"] for r in computed]


@pytest.mark.parametrize("role", ROLES)
def test_the_export_is_public_like_the_page(role, personas, login, token_client, model):
    hub = model["hub"]
    page = login(personas[role]).get(f"/engagement/hubs/{hub.pk}/impact.csv")
    api = token_client(personas[role]).get(f"/api/v1/impact/hubs/{hub.pk}/export?format=xlsx")
    assert (page.status_code, api.status_code) == (200, 200)
    assert _xlsx(api.content)


def test_no_person_in_the_export(client, model, personas):
    content = client.get(f"/engagement/hubs/{model['hub'].pk}/impact.csv").content.decode()
    for user in personas.values():
        if user is not None:
            assert user.get_username() not in content


def test_unknown_hub_or_format(client, model):
    hub = model["hub"]
    assert client.get("/engagement/hubs/999999/impact.csv").status_code == 404
    assert client.get(f"/engagement/hubs/{hub.pk}/impact.pdf").status_code == 404
    assert client.get("/api/v1/impact/hubs/999999/export").status_code == 404
    response = client.get(f"/api/v1/impact/hubs/{hub.pk}/export?format=pdf")
    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == ["format"]


def test_api_export_defaults_to_csv(client, model):
    response = client.get(f"/api/v1/impact/hubs/{model['hub'].pk}/export")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    assert len(_csv(response.content)) == impact.QUARTERS + 2


def test_the_page_links_the_exports(client, model):
    html = client.get(f"/engagement/hubs/{model['hub'].pk}/impact/").content.decode()
    assert f"/engagement/hubs/{model['hub'].pk}/impact.csv" in html
    assert f"/engagement/hubs/{model['hub'].pk}/impact.xlsx" in html


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_export_query_count_does_not_grow_with_the_model(fmt, client, model, make_record):
    url = f"/engagement/hubs/{model['hub'].pk}/impact.{fmt}"

    def grow(n):
        for k in range(n):
            e = impact.save_element(actor=None, hub=model["hub"], stage="impact", title=f"E{k}")
            impact.save_indicator(
                actor=None, element=e, name=f"O{k}", computation="organisations_engaged"
            )
            make_record(date=timezone.localdate() - timedelta(days=10 + k))

    grow(2)
    small = _queries(client, url)
    grow(6)
    assert _queries(client, url) == small


def test_api_takes_accumulation_and_baseline_date_naming_the_field(personas, token_client, model):
    api = token_client(personas["coord_no"])
    url = f"/api/v1/impact/elements/{model['computed'].element_id}/indicators"

    def post(body):
        return api.post(url, json.dumps(body), content_type="application/json")

    bad = post({"name": "X", "accumulation": "sum"})
    assert bad.status_code == 422 and [e["field"] for e in bad.json()["errors"]] == ["accumulation"]
    ok = post(
        {
            "name": "Dialogues per quarter",
            "computation": "citizen_dialogues_held",
            "accumulation": "per_period",
            "baseline_date": "2025-01-01",
        }
    )
    assert ok.status_code == 201
    body = ok.json()
    assert (body["accumulation"], body["baseline_date"]) == ("per_period", "2025-01-01")
    assert all(v["cumulative"] is None for v in body["values"])
    assert not body["values"][-1]["is_complete"]
    assert body["latest_period_end"] == body["values"][-2]["period_end"]
    default = post({"name": "Entered", "unit": "u"})
    assert default.json()["accumulation"] == "per_period"
    patched = api.patch(
        f"/api/v1/impact/indicators/{default.json()['id']}",
        json.dumps({"accumulation": "cumulative"}),
        content_type="application/json",
    )
    assert patched.status_code == 200 and patched.json()["accumulation"] == "cumulative"
