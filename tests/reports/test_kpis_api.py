"""The KPI API: catalogue, figures, monthly series; who may read what (with denied twins); an
unknown code is a 404 naming it, a bad period a 422 naming the parameter."""

import pytest

from echos.core import kpis

ROLES = ["anonymous", "coord_pt", "member_no", "editor_no", "coord_no", "network"]
BASE = "/api/v1/reports/kpis"
PERIOD = {"start": "2025-01", "end": "2025-06"}


def test_catalogue_lists_every_installed_kpi(client, db):
    body = client.get(BASE).json()
    assert body["count"] == len(kpis.catalogue())
    first = body["items"][0]
    for field in ("code", "name", "definition", "numerator", "denominator", "unit", "owner"):
        assert first[field]
    assert client.get(f"{BASE}/HUB-HUBS-LEVEL").json()["url"] == "/reports/kpis/HUB-HUBS-LEVEL/"


def test_unknown_code_is_a_404_naming_it(client, db):
    for path in ("", "/figures", "/monthly"):
        response = client.get(f"{BASE}/NOPE-1{path}")
        assert response.status_code == 404
        assert "NOPE-1" in response.json()["detail"]
        assert response.json()["errors"][0]["field"] == "code"


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"start": "2025-13", "end": "2025-06"}, "start"),
        ({"start": "2025-06", "end": "2025-01"}, "end"),
        ({"start": "2025-01", "end": "2999-12"}, "end"),
        ({"start": "2020-01", "end": "2025-06"}, "start"),
        ({"start": "2025-01"}, "end"),
    ],
)
def test_bad_period_is_a_422_naming_the_parameter(client, db, params, field):
    for path in ("figures", "monthly"):
        response = client.get(f"{BASE}/HUB-HUBS-LEVEL/{path}", params)
        assert response.status_code == 422, response.json()
        assert response.json()["errors"][0]["field"] == field


def test_network_only_kpi_refuses_a_hub(client, hubs):
    response = client.get(
        f"{BASE}/HUB-COUNTRIES-STAGE/figures", {**PERIOD, "hub": hubs["norway"].pk}
    )
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "hub"


def test_unknown_hub_is_404(client, db):
    assert (
        client.get(f"{BASE}/HUB-HUBS-LEVEL/figures", {**PERIOD, "hub": 999999}).status_code == 404
    )


@pytest.mark.parametrize("role", ROLES)
def test_public_kpi_is_open_to_everyone_at_both_scopes(personas, hubs, token_client, role):
    client = token_client(personas[role])
    assert client.get(f"{BASE}/HUB-HUBS-LEVEL/figures", PERIOD).status_code == 200
    hub = {**PERIOD, "hub": hubs["norway"].pk}
    assert client.get(f"{BASE}/HUB-HUBS-LEVEL/figures", hub).status_code == 200


@pytest.mark.parametrize("role", ROLES)
def test_restricted_kpi_network_scope_is_for_network_coordinators(personas, token_client, role):
    response = token_client(personas[role]).get(f"{BASE}/SYN-LINKS-STATUS/figures", PERIOD)
    expected = 200 if role == "network" else 401 if role == "anonymous" else 403
    assert response.status_code == expected


@pytest.mark.parametrize("role", ROLES)
def test_restricted_kpi_hub_scope_is_for_the_hub_team(personas, hubs, token_client, role):
    params = {**PERIOD, "hub": hubs["norway"].pk}
    response = token_client(personas[role]).get(f"{BASE}/SYN-LINKS-STATUS/monthly", params)
    allowed = {"editor_no", "coord_no", "network"}
    expected = 200 if role in allowed else 401 if role == "anonymous" else 403
    assert response.status_code == expected


def test_monthly_series(client, hubs):
    body = client.get(f"{BASE}/HUB-HUBS-LEVEL/monthly", PERIOD).json()
    assert [m["start"] for m in body["months"]] == [f"2025-0{m}-01" for m in range(1, 7)]
    assert body["months"][-1]["end"] == "2025-06-30"
    assert body["months"][0]["figures"][0]["key"] == "national"
