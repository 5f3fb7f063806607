"""The network view tells the demo's three stories; the network model and the rate table."""

from decimal import Decimal

import pytest

from echos.continuity.models import EurRate, NetworkModel


@pytest.fixture
def demo(db):
    from echos.continuity.demo import load_demo as continuity_demo
    from echos.hubs.demo import load_demo as hubs_demo
    from echos.hubs.models import Hub

    hubs_demo()
    assert continuity_demo() == {"continuity hubs": 3}
    return list(Hub.objects.filter(is_demo=True, level="national").order_by("pk")[:3])


def test_network_view_lists_the_three_demo_stories(demo, make_user, login):
    healthy, cliff, single = demo
    network = make_user("continuity-network", is_network_coordinator=True)
    response = login(network).get("/continuity/network/")
    context = response.context
    cliffs = [r["hub_id"] for r in context["cliffs"]]
    dependent = [r.hub_id for r in context["dependent"]]
    assert cliff.pk in cliffs and healthy.pk not in cliffs and single.pk not in cliffs
    assert single.pk in dependent and healthy.pk not in dependent
    assert {m["type"] for m in context["mix"]} >= {"EU grant", "National public funding"}
    assert context["countries"] and 'id="score-map"' in response.content.decode()


def test_demo_cliff_hub_page_and_scenario(demo, make_user, login):
    _healthy, cliff, _single = demo
    network = make_user("continuity-network", is_network_coordinator=True)
    client = login(network)
    page = client.get(f"/continuity/hubs/{cliff.pk}/")
    assert page.status_code == 200 and page.context["baseline"].cliff is not None
    rows = client.get(f"/continuity/hubs/{cliff.pk}/scenarios/").context["rows"]
    assert len(rows) == 2 and rows[1]["runway_delta"] > 0


def test_network_model_and_what_if(demo, make_user, login):
    network = make_user("continuity-network", is_network_coordinator=True)
    client = login(network)
    data = {
        "start": "2027-01",
        "months": "60",
        "balance": "100000",
        "secretariat_costs": "300000",
        "shared_services": "50000",
        "eu_funding": "200000",
        "eu_funding_end": "2028-12",
        "eu_probability": "1",
        "formula": "population",
        "contribution_total": "150000",
        "contribution_probability": "0.9",
        "stopping_hubs": "2",
    }
    response = client.post("/continuity/network/model/", data)
    assert response.status_code == 302
    page = client.get("/continuity/network/model/")
    rows = page.context["rows"]
    assert len(rows) == 2 and rows[1]["runway"] <= rows[0]["runway"]
    bad = client.post("/continuity/network/model/", {**data, "start": "2027-13"})
    assert bad.status_code == 422 and "start" in bad.context["form"].errors
    assert NetworkModel.objects.get().start == "2027-01"


def test_rate_table_is_for_network_coordinators(personas, login):
    assert (
        login(personas["coord_no"])
        .post("/continuity/network/rates/", {"currency": "NOK", "units_per_eur": "11.5"})
        .status_code
        == 403
    )
    assert not EurRate.objects.exists()
    response = login(personas["network"]).post(
        "/continuity/network/rates/", {"currency": "nok", "units_per_eur": "11.5"}
    )
    assert response.status_code == 302
    assert EurRate.objects.get().units_per_eur == Decimal("11.5")
    bad = login(personas["network"]).post(
        "/continuity/network/rates/", {"currency": "XYZ", "units_per_eur": "2"}
    )
    assert "currency" in bad.context["form"].errors
