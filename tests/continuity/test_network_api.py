"""The network side of the continuity API (issue #12 item 8 and the EUR rate table): network
coordinators only, with the denied twin of each allowed call for every persona; bad input refused
naming the field with nothing changed; figures equal to what the pages show."""

import json
from decimal import Decimal

import pytest
from django.core.signals import request_finished, request_started
from django.db import close_old_connections

from echos.continuity import network
from echos.continuity.models import EurRate, NetworkModel, NetworkScenario
from echos.core.models import ActionLog
from echos.core.revert import revert
from tests.schema_cases import (
    CHECKS,
    aim_at_real_rows,
    bearer_header,
    conformance_test,
    examples,
    load_schema,
    one_connection,  # noqa: F401 (a fixture)
)

API = "/api/v1/continuity"
MODEL = {
    "start": "2027-01",
    "months": 60,
    "balance": "100000",
    "secretariat_costs": "300000",
    "shared_services": "50000",
    "eu_funding": "200000",
    "eu_funding_end": "2028-12",
    "eu_probability": "1",
    "formula": "flat",
    "contribution_total": "150000",
    "contribution_probability": "0.9",
    "stopping_hubs": 1,
}
OTHERS = ["coord_no", "coord_pt", "editor_no", "member_no"]


def _json(client, method, url, body=None):
    return getattr(client, method)(url, json.dumps(body or {}), content_type="application/json")


@pytest.fixture
def net(personas, token_client, norway_model):
    client = token_client(personas["network"])
    assert _json(client, "put", f"{API}/network/model", MODEL).status_code == 200
    return client


def test_every_read_is_for_network_coordinators_only(net, personas, token_client):
    scenario = _json(
        net, "post", f"{API}/network/scenarios", {"name": "Two stop", "stopping_hubs": 1}
    ).json()
    urls = [
        "/network",
        "/network/model",
        "/network/projection?runs=200&seed=3",
        "/network/scenarios",
        "/network/scenarios/compare",
        f"/network/scenarios/{scenario['id']}",
    ]
    for url in urls:
        assert net.get(API + url).status_code == 200, url
        for persona in OTHERS:
            assert token_client(personas[persona]).get(API + url).status_code == 403, (url, persona)
        assert token_client(None).get(API + url).status_code == 401, url


def test_every_write_is_for_network_coordinators_only(net, personas, token_client):
    row = NetworkScenario.objects.create(name="Kept", stopping_hubs=1)
    EurRate.objects.create(currency="NOK", units_per_eur=Decimal("11.5"))
    before = network.current().secretariat_costs
    logged = ActionLog.objects.count()
    writes = [
        ("put", "/network/model", {**MODEL, "secretariat_costs": "1"}),
        ("post", "/network/scenarios", {"name": "Mine", "stopping_hubs": 1}),
        ("put", f"/network/scenarios/{row.pk}", {"name": "Taken", "stopping_hubs": 1}),
        ("delete", f"/network/scenarios/{row.pk}", None),
        ("put", "/rates/NOK", {"units_per_eur": "1"}),
        ("delete", "/rates/NOK", None),
        ("put", "/rates/SEK", {"units_per_eur": "11"}),
    ]
    for method, url, body in writes:
        for persona in [*OTHERS, "anonymous"]:
            answer = _json(token_client(personas[persona]), method, API + url, body)
            assert answer.status_code == (401 if persona == "anonymous" else 403), (url, persona)
    assert network.current().secretariat_costs == before
    assert NetworkScenario.objects.get().name == "Kept"
    assert dict(EurRate.objects.values_list("currency", "units_per_eur")) == {
        "NOK": Decimal("11.5")
    }
    assert ActionLog.objects.count() == logged
    # The allowed twins.
    for method, url, body in writes:
        answer = _json(net, method, API + url, body)
        assert answer.status_code in (200, 201, 204), (url, answer.content)


def test_any_signed_in_token_reads_the_rates(net, personas, token_client):
    saved = _json(net, "put", f"{API}/rates/nok", {"units_per_eur": "11.5"})
    assert saved.status_code == 200
    assert saved.json() == net.get(f"{API}/rates").json()["items"][0]
    for persona in OTHERS:
        answer = token_client(personas[persona]).get(f"{API}/rates")
        assert answer.status_code == 200
        assert answer.json()["items"][0] == {
            **answer.json()["items"][0],
            "currency": "NOK",
            "units_per_eur": "11.50000000",
        }
    assert token_client(None).get(f"{API}/rates").status_code == 401


def test_the_network_view_shows_what_the_page_shows(net, personas, login, hubs):
    from echos.continuity import services

    # Norway starts in debt: its cliff is its first month, within the next 12.
    services.save_settings(actor=None, hub=hubs["norway"], start="2027-01", balance="-100")
    page = login(personas["network"]).get("/continuity/network/")
    data = net.get(f"{API}/network").json()
    assert data["hubs"] == page.context["hubs_count"] == 1
    assert [(c["hub"], c["cliff"], c["runway_months"]) for c in data["cliffs"]] == [
        (r["hub_id"], r["cliff_month"], r["runway"]) for r in page.context["cliffs"]
    ]
    assert data["cliffs"][0]["name"] == "Cancer Mission Hub Norway"
    assert [(d["hub"], d["funder"]) for d in data["dependent"]] == [
        (r.hub_id, r.top_funder) for r in page.context["dependent"]
    ]
    assert [
        (m["label"], Decimal(m["expected_income"]), m["share_percent"]) for m in data["mix"]
    ] == [
        (str(m["type"]), Decimal(m["amount"]).quantize(Decimal("0.01")), m["share"])
        for m in page.context["mix"]
    ]
    assert sum(m["share_percent"] for m in data["mix"]) == pytest.approx(100, abs=0.2)
    assert data["countries"] == [
        {"country": c["code"], "score": c["score"]} for c in page.context["countries"]
    ]


def test_projection_and_comparison_equal_the_page(net, personas, login):
    page = login(personas["network"]).get("/continuity/network/model/")
    projection = net.get(f"{API}/network/projection").json()
    assert projection["hubs"] == page.context["hubs"] == 2
    assert [(m, p) for m, p in page.context["coverage"]] == [
        (int(k), v) for k, v in projection["coverage"].items()
    ]
    assert [float(f["p50"]) for f in projection["fan"]] == [f["p50"] for f in page.context["fan"]]
    rows = page.context["rows"]
    assert [(r["name"], r["runway"], r["cliff"], r["coverage_24"]) for r in rows] == [
        (r["name"], r["runway"], r["cliff"], r["coverage_24"]) for r in projection["comparison"]
    ]
    assert projection["comparison"][1]["name"].startswith("Without the 1 largest")
    assert projection["runway_months"] == rows[0]["runway"]
    assert len(projection["months"]) == 60
    assert Decimal(projection["comparison"][1]["gap"]) == rows[1]["gap"]
    # Seeded: the same seed gives the same figures.
    again = net.get(f"{API}/network/projection?runs=500&seed=7").json()
    assert again == net.get(f"{API}/network/projection?runs=500&seed=7").json()
    assert again["runs"] == 500


def test_scenarios_crud_compare_and_audit(net, personas, login):
    body = {"name": "EU late", "changes": [{"op": "delay_stream", "stream": "eu", "months": 6}]}
    created = _json(net, "post", f"{API}/network/scenarios", body)
    assert created.status_code == 201
    pk = created.json()["id"]
    assert net.get(f"{API}/network/scenarios").json()["count"] == 1
    changed = _json(net, "put", f"{API}/network/scenarios/{pk}", {**body, "stopping_hubs": 1})
    assert changed.json()["stopping_hubs"] == 1
    compare = net.get(f"{API}/network/scenarios/compare").json()
    page = login(personas["network"]).get("/continuity/network/model/")
    assert [(r["name"], r["runway"], r["runway_delta"]) for r in compare["rows"]] == [
        (r["name"], r["runway"], r["runway_delta"]) for r in page.context["rows"]
    ]
    assert compare["rows"][-1]["name"] == "EU late" and compare["errors"] == []
    assert _json(net, "delete", f"{API}/network/scenarios/{pk}").status_code == 204
    assert not NetworkScenario.objects.exists()
    actions = list(
        ActionLog.objects.filter(action__startswith="continuity.network_scenario").values_list(
            "action", flat=True
        )
    )
    assert sorted(actions) == sorted(
        ["continuity.network_scenario." + a for a in ("created", "updated", "deleted")]
    )


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"name": "Bad", "changes": [{"op": "remove_stream", "stream": "hub:999999"}]},
         "changes[0].stream"),
        ({"name": "Bad", "changes": [{"op": "scale_cost", "cost": "nope", "factor": "1"}]},
         "changes[0].cost"),
        ({"name": "Bad", "changes": [{"op": "explode"}]}, "changes[0].op"),
        ({"name": "Bad", "changes": []}, "changes"),
        ({"name": " ", "stopping_hubs": 1}, "name"),
        ({"name": "Bad", "stopping_hubs": 3}, "stopping_hubs"),
        ({"name": "Bad", "stopping_hubs": 1001}, "stopping_hubs"),
        ({"name": "Bad", "changes": "eu"}, "changes"),
    ],
)  # fmt: skip
def test_bad_scenarios_name_the_field_and_change_nothing(net, body, field):
    row = NetworkScenario.objects.create(name="Kept", stopping_hubs=1)
    logged = ActionLog.objects.count()
    for method, url in (
        ("post", f"{API}/network/scenarios"),
        ("put", f"{API}/network/scenarios/{row.pk}"),
    ):
        answer = _json(net, method, url, body)
        assert answer.status_code in (400, 422), answer.content
        assert field in [e["field"] for e in answer.json()["errors"]], answer.json()
    row.refresh_from_db()
    assert (row.name, row.stopping_hubs, NetworkScenario.objects.count()) == ("Kept", 1, 1)
    assert ActionLog.objects.count() == logged


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"start": "2027-13"}, "start"),
        ({"months": 121}, "months"),
        ({"eu_funding_end": "soon"}, "eu_funding_end"),
        ({"secretariat_costs": "-1"}, "secretariat_costs"),
        ({"eu_probability": "1.5"}, "eu_probability"),
        ({"formula": "lottery"}, "formula"),
        ({"balance": "1.005"}, "balance"),
        ({"contribution_total": None}, "contribution_total"),
    ],
)
def test_bad_network_model_names_the_field_and_changes_nothing(net, change, field):
    before = NetworkModel.objects.values().get()
    logged = ActionLog.objects.count()
    answer = _json(net, "put", f"{API}/network/model", {**MODEL, **change})
    assert answer.status_code in (400, 422), answer.content
    assert field in [e["field"] for e in answer.json()["errors"]], answer.json()
    assert NetworkModel.objects.values().get() == before
    assert ActionLog.objects.count() == logged


def test_network_model_round_trip_is_audited_and_revertible(net, personas, login):
    got = net.get(f"{API}/network/model").json()
    assert got["secretariat_costs"] == "300000.00" and got["stopping_hubs"] == 1
    changed = _json(net, "put", f"{API}/network/model", {**MODEL, "secretariat_costs": "250000"})
    assert changed.json()["secretariat_costs"] == "250000.00"
    entry = ActionLog.objects.filter(action="continuity.network_model.updated").latest("pk")
    assert entry.data["before"]["secretariat_costs"] in ("300000.00", "300000")
    admin = login(personas["network"])
    reverted = admin.post(
        "/admin/core/actionlog/",
        {"action": "revert_changes", "_selected_action": [entry.pk]},
        follow=True,
    )
    assert "Reverted" in reverted.content.decode()
    assert network.current().secretariat_costs == Decimal("300000")


def test_too_many_hubs_stopping_is_a_400_naming_the_field(net):
    assert (
        _json(net, "put", f"{API}/network/model", {**MODEL, "stopping_hubs": 5}).status_code == 200
    )
    for url in ("/network/projection", "/network/scenarios/compare"):
        answer = net.get(API + url)
        assert answer.status_code == 400
        assert answer.json()["errors"][0]["field"] == "stopping_hubs"


@pytest.mark.parametrize(
    ("currency", "body", "field"),
    [
        ("XXY", {"units_per_eur": "2"}, "currency"),
        ("EUR", {"units_per_eur": "2"}, "currency"),
        ("NOK", {"units_per_eur": "0"}, "units_per_eur"),
        ("NOK", {"units_per_eur": "-3"}, "units_per_eur"),
        ("NOK", {"units_per_eur": "abc"}, "units_per_eur"),
        ("NOK", {}, "units_per_eur"),
        ("NOKK", {"units_per_eur": "2"}, "currency"),
    ],
)
def test_bad_rates_name_the_field_and_change_nothing(net, currency, body, field):
    EurRate.objects.create(currency="NOK", units_per_eur=Decimal("11.5"))
    logged = ActionLog.objects.count()
    answer = _json(net, "put", f"{API}/rates/{currency}", body)
    assert answer.status_code in (400, 422), answer.content
    assert field in [e["field"] for e in answer.json()["errors"]], answer.json()
    assert list(EurRate.objects.values_list("currency", "units_per_eur")) == [
        ("NOK", Decimal("11.5"))
    ]
    assert ActionLog.objects.count() == logged
    missing = _json(net, "delete", f"{API}/rates/SEK")
    assert missing.status_code == 400 and missing.json()["errors"][0]["field"] == "currency"


def test_rates_saved_and_deleted_are_audited_and_revertible(net, personas):
    assert _json(net, "put", f"{API}/rates/NOK", {"units_per_eur": "11.5"}).status_code == 200
    assert _json(net, "put", f"{API}/rates/NOK", {"units_per_eur": "12"}).status_code == 200
    assert _json(net, "delete", f"{API}/rates/NOK").status_code == 204
    entries = list(ActionLog.objects.filter(action__startswith="continuity.rate.").order_by("pk"))
    assert [e.action for e in entries] == ["continuity.rate.saved"] * 2 + [
        "continuity.rate.deleted"
    ]
    assert entries[1].data["before"] == "11.50000000"
    revert(actor=personas["network"], entry=entries[2])
    assert EurRate.objects.get().units_per_eur == Decimal("12")


# The network operations against their OpenAPI schema with a network coordinator's token, so that
# every generated input reaches the handlers and services (tests/continuity/test_api_schema.py
# sends a hub coordinator's token, which these operations refuse with 403).
EXAMPLES = examples(15)
REAL: dict[str, list] = {}
schema = load_schema(
    seed=20261205, max_examples=EXAMPLES, path_regex="^/api/v1/continuity/(network|rates)"
)
aim_at_real_rows(schema, REAL, path_kinds={"pk": "scenario", "currency": "currency"}, body_kinds={})


@pytest.fixture
def network_data(net):
    # `net` went through Django's test client, which connects close_old_connections again after
    # each request; schemathesis calls the WSGI app directly, so keep the connection open again
    # (one_connection reconnects them at teardown). Without this PostgreSQL loses the test's
    # transaction after the first request.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    scenario = NetworkScenario.objects.create(
        name="EU late", changes=[{"op": "delay_stream", "stream": "eu", "months": 6}]
    )
    EurRate.objects.create(currency="NOK", units_per_eur=Decimal("11.5"))
    REAL.update({"scenario": [scenario.pk], "currency": ["NOK", "SEK"]})
    yield
    REAL.clear()


@conformance_test(schema, EXAMPLES)
def test_network_api_conforms_to_its_schema(case, network_data, personas):
    case.call_and_validate(headers=bearer_header(personas["network"]), checks=CHECKS)
