"""Named network scenarios: the hub scenarios' changes and "N hubs stop", compared in the same table
and chart as the hub scenarios; refused bad input naming the field; roles; revert."""

import json
from decimal import Decimal

import pytest

from echos.continuity import compute, network
from echos.continuity.engine.projection import project
from echos.continuity.models import NetworkScenario
from echos.core.models import ActionLog

MODEL = {
    "start": "2027-01",
    "months": "60",
    "balance": "100000",
    "secretariat_costs": "300000",
    "shared_services": "50000",
    "eu_funding": "200000",
    "eu_funding_end": "2028-12",
    "eu_probability": "1",
    "formula": "flat",
    "contribution_total": "150000",
    "contribution_probability": "0.9",
    "stopping_hubs": "1",
}


@pytest.fixture
def net(hubs, personas, login):
    client = login(personas["network"])
    assert client.post("/continuity/network/model/", MODEL).status_code == 302
    return client


def _post(client, name, changes, stopping=0, url="/continuity/network/scenarios/new/"):
    return client.post(
        url, {"name": name, "description": "", "changes": json.dumps(changes),
              "stopping_hubs": str(stopping)}
    )  # fmt: skip


def test_each_change_kind_and_hubs_stopping_compared_with_the_hub_table(net):
    hub_stream = next(
        s.id for s in network.build(network.current(), network.this_month()).streams
        if s.id.startswith("hub:")
    )  # fmt: skip
    scenarios = {
        "No EU money": [{"op": "remove_stream", "stream": "eu"}],
        "EU late": [{"op": "delay_stream", "stream": "eu", "months": 6}],
        "Half a hub": [{"op": "scale_stream", "stream": hub_stream, "factor": "0.5"}],
        "Audit cost": [{"op": "add_cost", "line": {"id": "audit", "category": "other",
                        "amount": "20000", "period": "year"}}],
        "Lean secretariat": [{"op": "scale_cost", "cost": "secretariat", "factor": "0.5"}],
        "No shared services": [{"op": "remove_cost", "cost": "shared_services"}],
        "Fees": [{"op": "add_membership_fees", "line": {"id": "fees", "amount": "40000",
                  "period": "year"}}],
    }  # fmt: skip
    for name, changes in scenarios.items():
        assert _post(net, name, changes).status_code == 302, name
    assert _post(net, "Two hubs stop", [], stopping=2).status_code == 302
    page = net.get("/continuity/network/model/")
    assert page.status_code == 200
    rows = {r["name"]: r for r in page.context["rows"]}
    assert len(rows) == 2 + len(scenarios) + 1
    base = page.context["rows"][0]
    assert rows["No EU money"]["runway"] <= base["runway"]
    assert rows["Lean secretariat"]["runway"] >= base["runway"]
    assert rows["Fees"]["runway_delta"] >= 0 and "gap_delta" in rows["Audit cost"]
    html = page.content.decode()
    # The hub scenarios' table and chart.
    assert 'id="network-comparison"' in html and 'id="scenario-chart"' in html
    assert "Change in runway" in html
    assert [d["name"] for d in page.context["spec"]["data"]["values"]] == list(rows)
    # The figures are those of the shared comparison code on the same models.
    model = network.build(network.current(), network.this_month())
    expected = project(network.scenario_model(model, [], 2))
    assert rows["Two hubs stop"]["runway"] == expected.runway_months
    assert compute.comparison([("x", model)])[0]["runway"] == base["runway"]


@pytest.mark.parametrize(
    ("changes", "stopping", "field"),
    [
        ([{"op": "remove_stream", "stream": "hub:999999"}], 0, "changes[0].stream"),
        ([{"op": "scale_cost", "cost": "nope", "factor": "1"}], 0, "changes[0].cost"),
        ([{"op": "delay_stream", "stream": "eu", "months": 0}], 0, "changes[0].months"),
        ([{"op": "explode"}], 0, "changes[0].op"),
        ({"op": "remove_stream"}, 0, "changes"),
        ([], 0, "changes"),
        ([], 999, "stopping_hubs"),
    ],
)
def test_bad_scenarios_are_refused_naming_the_field(net, changes, stopping, field):
    response = _post(net, "Bad", changes, stopping)
    assert response.status_code == 422
    assert field in response.content.decode()
    assert not NetworkScenario.objects.exists()


def test_only_network_coordinators_store_network_scenarios(net, personas, login):
    for persona in ("coord_no", "editor_no", "member_no"):
        client = login(personas[persona])
        assert _post(client, "Mine", [], stopping=1).status_code == 403
        assert client.get("/continuity/network/model/").status_code == 403
    assert not NetworkScenario.objects.exists()
    assert _post(net, "Ours", [], stopping=1).status_code == 302
    row = NetworkScenario.objects.get()
    for persona in ("coord_no", "member_no"):
        client = login(personas[persona])
        assert client.post(f"/continuity/network/scenarios/{row.pk}/delete/").status_code == 403
        edit = _post(client, "Taken", [], 1, url=f"/continuity/network/scenarios/{row.pk}/edit/")
        assert edit.status_code == 403
    row.refresh_from_db()
    assert row.name == "Ours"
    anonymous = net.__class__()
    assert _post(anonymous, "Anon", [], 1).status_code in (302, 403)
    assert NetworkScenario.objects.count() == 1


def test_edit_delete_and_revert(net, personas, login):
    assert _post(net, "Cut", [{"op": "remove_stream", "stream": "eu"}]).status_code == 302
    row = NetworkScenario.objects.get()
    url = f"/continuity/network/scenarios/{row.pk}/edit/"
    assert net.get(url).status_code == 200
    assert _post(net, "Cut later", [], 1, url=url).status_code == 302
    row.refresh_from_db()
    assert row.name == "Cut later" and row.stopping_hubs == 1

    def revert(action):
        entry = ActionLog.objects.filter(action=action).latest("pk")
        return net.post(
            "/admin/core/actionlog/",
            {"action": "revert_changes", "_selected_action": [entry.pk]},
            follow=True,
        )

    assert "Reverted" in revert("continuity.network_scenario.updated").content.decode()
    row.refresh_from_db()
    assert row.name == "Cut" and row.changes == [{"op": "remove_stream", "stream": "eu"}]
    assert net.post(f"/continuity/network/scenarios/{row.pk}/delete/").status_code == 302
    assert not NetworkScenario.objects.exists()
    assert "Reverted" in revert("continuity.network_scenario.deleted").content.decode()
    back = NetworkScenario.objects.get()
    assert back.name == "Cut" and back.stopping_hubs == 0
    assert Decimal(str(network.current().secretariat_costs)) == Decimal("300000")
