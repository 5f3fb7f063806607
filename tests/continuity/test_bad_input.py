"""The issue's "Bad input" list through the forms and the API: the field is named, nothing changes."""

import json
from decimal import Decimal

import pytest

from echos.continuity.models import CostLine, EurRate, FundingStream, HubModel, Scenario

STREAM = {
    "name": "Grant",
    "source_type": "eu_grant",
    "amount": "1000",
    "currency": "EUR",
    "period": "year",
    "start": "2027-01",
    "end": "2027-12",
    "probability": "1",
    "slip_months": "0",
}

CASES = [
    ({"amount": "-5"}, "amount"),
    ({"end": "2026-12"}, "end"),
    ({"probability": "1.5"}, "probability"),
    ({"probability": "-0.1"}, "probability"),
    ({"currency": "XYZ"}, "currency"),
    ({"currency": "NOK"}, "currency"),  # a real currency without a rate in the table
    ({"start": "2027-13"}, "start"),
    ({"start": "January"}, "start"),
]


@pytest.mark.parametrize(("change", "field"), CASES)
def test_stream_form_names_the_field(norway_model, personas, login, change, field):
    hub = norway_model["hub"]
    before = FundingStream.objects.count()
    response = login(personas["coord_no"]).post(
        f"/continuity/hubs/{hub.pk}/stream/new/", {**STREAM, **change}
    )
    assert response.status_code == 422
    assert field in response.context["form"].errors, response.context["form"].errors
    assert FundingStream.objects.count() == before


@pytest.mark.parametrize(("change", "field"), CASES)
def test_stream_api_names_the_field(norway_model, personas, token_client, change, field):
    hub = norway_model["hub"]
    before = FundingStream.objects.count()
    body = {**STREAM, **change}
    response = token_client(personas["coord_no"]).post(
        f"/api/v1/continuity/hubs/{hub.pk}/streams",
        json.dumps(body),
        content_type="application/json",
    )
    assert response.status_code in (400, 422), response.content
    assert field in [e["field"] for e in response.json()["errors"]], response.json()
    assert FundingStream.objects.count() == before


def test_missing_rate_names_the_currency_and_a_rate_fixes_it(norway_model, personas, token_client):
    hub = norway_model["hub"]
    client = token_client(personas["coord_no"])
    body = {**STREAM, "currency": "NOK", "amount": "115000"}
    url = f"/api/v1/continuity/hubs/{hub.pk}/streams"
    response = client.post(url, json.dumps(body), content_type="application/json")
    assert "NOK" in response.json()["errors"][0]["message"]
    EurRate.objects.create(currency="NOK", units_per_eur=Decimal("11.5"))
    assert client.post(url, json.dumps(body), content_type="application/json").status_code == 201
    projection = client.get(f"/api/v1/continuity/hubs/{hub.pk}/projection").json()
    # 12,000 EUR grant + 115,000 NOK = 10,000 EUR a year: 1,833.33 a month in 2027.
    assert Decimal(projection["months"][0]["income"]) == Decimal("1833.33")


def test_negative_fte_and_horizon_over_120(norway_model, personas, login):
    hub = norway_model["hub"]
    client = login(personas["coord_no"])
    cost = {
        "name": "Staff",
        "category": "staff",
        "fte": "-1",
        "amount": "10",
        "currency": "EUR",
        "period": "month",
        "start": "2027-01",
    }
    response = client.post(f"/continuity/hubs/{hub.pk}/cost/new/", cost)
    assert "fte" in response.context["form"].errors
    assert CostLine.objects.count() == 1
    settings = {"start": "2027-01", "months": "121", "balance": "0", "currency": "EUR"}
    response = client.post(f"/continuity/hubs/{hub.pk}/", settings)
    assert "months" in response.context["form"].errors
    assert HubModel.objects.get(hub=hub).months == 36


def test_scenario_naming_a_deleted_stream_is_refused(norway_model, personas, token_client, login):
    hub = norway_model["hub"]
    client = token_client(personas["coord_no"])
    body = {"name": "Gone", "changes": [{"op": "remove_stream", "stream": "999999"}]}
    response = client.post(
        f"/api/v1/continuity/hubs/{hub.pk}/scenarios",
        json.dumps(body),
        content_type="application/json",
    )
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "changes[0].stream"
    assert not Scenario.objects.exists()
    page = login(personas["coord_no"]).post(
        f"/continuity/hubs/{hub.pk}/scenario/new/",
        {"name": "Gone", "changes": json.dumps(body["changes"])},
    )
    assert page.status_code == 422 and "changes[0].stream" in page.content.decode()


def test_another_hubs_model_is_403_and_nothing_changes(norway_model, personas, token_client):
    grant = norway_model["grant"]
    response = token_client(personas["coord_pt"]).put(
        f"/api/v1/continuity/streams/{grant.pk}",
        json.dumps({**STREAM, "amount": "1"}),
        content_type="application/json",
    )
    assert response.status_code == 403
    grant.refresh_from_db()
    assert grant.amount == Decimal("12000")


@pytest.mark.parametrize(
    ("body", "query", "field"),
    [
        ({"start": "2027-1", "months": 12, "balance": "0", "currency": "EUR"}, "", "start"),
        ({"start": "2027-01", "months": 121, "balance": "0", "currency": "EUR"}, "", "months"),
        (
            {
                "start": "2027-01",
                "months": 12,
                "balance": "0",
                "currency": "EUR",
                "streams": [
                    {
                        "id": "a",
                        "type": "eu_grant",
                        "amount": "1",
                        "period": "once",
                        "probability": 2,
                    }
                ],
            },
            "",
            "streams[0].probability",
        ),
        (
            {"start": "2027-01", "months": 12, "balance": "0", "currency": "EUR"},
            "?runs=100001",
            "runs",
        ),
        ({"start": "2027-01", "months": 12, "balance": "0", "currency": "ZZZ"}, "", "currency"),
    ],
)
def test_project_endpoint_names_the_field(client, body, query, field):
    response = client.post(
        f"/api/v1/continuity/project{query}", json.dumps(body), content_type="application/json"
    )
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == field


def test_project_endpoint_answers_like_the_command(client, db):
    body = {
        "start": "2027-01",
        "months": 24,
        "balance": "1000",
        "currency": "EUR",
        "streams": [
            {
                "id": "g",
                "type": "eu_grant",
                "amount": "6000",
                "period": "year",
                "start": "2027-01",
                "end": "2027-12",
                "probability": 1,
            }
        ],
        "costs": [
            {
                "id": "c",
                "category": "staff",
                "amount": "600",
                "period": "month",
                "start": "2027-01",
                "end": None,
            }
        ],
    }
    response = client.post(
        "/api/v1/continuity/project?runs=100&seed=1",
        json.dumps(body),
        content_type="application/json",
    )
    data = response.json()
    assert response.status_code == 200
    assert data["months"][0] == {
        "month": "2027-01",
        "income": "500.00",
        "costs": "600.00",
        "balance": "900.00",
    }
    # -100 a month in 2027 (balance 1,000 -> -200 at month 11? no: 1,000 - 100 x 10 = 0 in 2027-10),
    # below zero first in 2027-11.
    assert data["cliff"] == "2027-11" and data["runway_months"] == 10


def test_canvas_key_partner_must_be_a_member_and_versions_are_kept(
    norway_model, personas, hubs, token_client
):
    hub = norway_model["hub"]
    client = token_client(personas["coord_no"])
    url = f"/api/v1/continuity/hubs/{hub.pk}/canvas"
    bad = client.post(
        url, json.dumps({"key_partners": [hubs["aicib"].pk]}), content_type="application/json"
    )
    assert bad.status_code == 400 and bad.json()["errors"][0]["field"] == "key_partners"
    unknown = client.post(
        url, json.dumps({"stakeholder_segments": ["aliens"]}), content_type="application/json"
    )
    assert unknown.json()["errors"][0]["field"] == "stakeholder_segments"
    assert client.get(f"{url}/versions").json()["count"] == 0
    for text in ("First", "Second"):
        body = {
            "value_proposition": text,
            "key_partners": [hubs["occ"].pk],
            "stakeholder_segments": ["patients"],
        }
        assert (
            client.post(url, json.dumps(body), content_type="application/json").status_code == 201
        )
    versions = client.get(f"{url}/versions").json()
    assert [v["value_proposition"] for v in versions["items"]] == ["Second", "First"]
    assert versions["items"][0]["number"] == 2
