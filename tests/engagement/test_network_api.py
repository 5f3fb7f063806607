"""The network and use case API: filters with errors naming the parameter, who may read and write
(with denied twins), no personal data, snapshots and comparisons."""

import json
from datetime import timedelta

import networkx as nx
import pytest
from django.utils import timezone

from echos.engagement.models import NetworkSnapshot, Stakeholder, UseCase

API = "/api/v1/engagement-network"


@pytest.fixture
def network(hubs, make_record, terms):
    from echos.hubs import services

    today = timezone.localdate()
    media = services.create_organisation(
        actor=None, name="Register-only broadcaster", country=hubs["norway"].country,
        stakeholder_group=terms["media"],
    )  # fmt: skip
    Stakeholder.objects.create(
        hub=hubs["norway"], organisation=media, group=terms["media"], influence=5, interest=1,
        notes="SECRET REGISTER NOTE",
    )  # fmt: skip
    make_record(title="Patients' dialogue", date=today - timedelta(days=30), level="involve")
    make_record(
        title="Round table", date=today - timedelta(days=40), stakeholder_groups=["research"],
        organisations=[hubs["aicib"].pk, hubs["occ"].pk],
    )  # fmt: skip
    return {"media": media}


def errors(response) -> dict:
    return {e["field"]: e["message"] for e in response.json()["errors"]}


def test_public_map_of_a_hub(hubs, network, token_client):
    r = token_client(None).get(API, {"hub": hubs["norway"].pk})
    assert r.status_code == 200
    body = r.json()
    labels = {n["label"] for n in body["nodes"]}
    assert {"Patients' dialogue", "Round table", "Oslo Cancer Cluster", "AICIB"} <= labels
    assert "Register-only broadcaster" not in labels and not body["includes_register"]
    assert body["summary"]["records_in_period"] == 2
    assert "AICIB" in {b["label"] for b in body["bridges"]}
    text = r.content.decode()
    assert (
        "SECRET" not in text and "contact@example.invalid" not in text and "influence" not in text
    )


@pytest.mark.parametrize(
    "who,sees",
    [("anonymous", False), ("member_no", False), ("coord_pt", False), ("editor_no", True),
     ("coord_no", True), ("network", True)],
)  # fmt: skip
def test_register_in_the_api_for_the_team_only(hubs, network, personas, token_client, who, sees):
    body = token_client(personas[who]).get(API, {"hub": hubs["norway"].pk}).json()
    assert ("Register-only broadcaster" in {n["label"] for n in body["nodes"]}) is sees
    assert body["includes_register"] is sees


@pytest.mark.parametrize(
    "query,field",
    [
        ({"group": "astronauts"}, "group"),
        ({"objective": "nothing"}, "objective"),
        ({"start": "2025-05-01", "end": "2025-01-01"}, "end"),
        ({"start": "2010-01-01", "end": "2025-01-01"}, "end"),
        ({"hub": 999999}, "hub"),
        ({"limit": 0}, "limit"),
    ],
)
def test_bad_parameters_are_named(db, token_client, query, field):
    r = token_client(None).get(API, query)
    assert r.status_code == 400
    assert field in errors(r)


def test_nodes_are_paged_and_edges_stay_inside_the_page(hubs, network, token_client):
    body = token_client(None).get(API, {"hub": hubs["norway"].pk, "limit": 2}).json()
    assert len(body["nodes"]) == 2 and body["node_count"] > 2
    ids = {n["id"] for n in body["nodes"]}
    assert all(e["source"] in ids and e["target"] in ids for e in body["edges"])


def test_exports_are_read_back_by_networkx(hubs, network, token_client, tmp_path):
    for fmt, reader in (("gexf", nx.read_gexf), ("graphml", nx.read_graphml)):
        r = token_client(None).get(f"{API}/export/{fmt}", {"hub": hubs["norway"].pk})
        assert r.status_code == 200
        path = tmp_path / f"g.{fmt}"
        path.write_bytes(r.content)
        g = reader(path)
        assert {d["label"] for _n, d in g.nodes(data=True)} >= {"Round table", "AICIB"}
    assert token_client(None).get(f"{API}/export/csv").status_code == 422


def snapshot(client, hub, **extra):
    return client.post(
        f"{API}/snapshots",
        json.dumps({"hub": hub.pk if hub else None, "label": "Now", **extra}),
        content_type="application/json",
    )


@pytest.mark.parametrize(
    "who,status",
    [("anonymous", 401), ("member_no", 403), ("coord_pt", 403), ("editor_no", 201),
     ("coord_no", 201), ("network", 201)],
)  # fmt: skip
def test_who_may_save_and_read_hub_snapshots(hubs, network, personas, token_client, who, status):
    client = token_client(personas[who])
    r = snapshot(client, hubs["norway"])
    assert r.status_code == status
    listing = client.get(f"{API}/snapshots", {"hub": hubs["norway"].pk})
    assert listing.status_code == (200 if status == 201 else status)


def test_whole_network_snapshots_are_the_networks(network, personas, token_client):
    assert snapshot(token_client(personas["coord_no"]), None).status_code == 403
    r = snapshot(token_client(personas["network"]), None)
    assert r.status_code == 201 and r.json()["hub"] is None


def test_snapshot_read_and_compare(hubs, network, personas, token_client):
    client = token_client(personas["coord_no"])
    today = timezone.localdate()
    old = snapshot(client, hubs["norway"], start=str(today - timedelta(days=900)),
                   end=str(today - timedelta(days=700))).json()  # fmt: skip
    now = snapshot(client, hubs["norway"]).json()
    assert now["summary"]["records_in_period"] == 2
    assert f"org:{network['media'].pk}" in now["isolated"]
    r = client.get(f"{API}/compare", {"a": now["id"], "b": old["id"]})
    assert r.status_code == 200
    body = r.json()
    assert body["a"] == old["id"] and body["b"] == now["id"]  # earlier period first
    rows = {row["measure"]: row for row in body["summary"]}
    assert rows["records"]["a"] == 0 and rows["records"]["b"] == 2
    other = token_client(personas["coord_pt"])
    assert other.get(f"{API}/snapshots/{now['id']}").status_code == 403
    assert other.get(f"{API}/compare", {"a": now["id"], "b": old["id"]}).status_code == 403
    assert client.get(f"{API}/snapshots/{now['id']}").status_code == 200
    assert NetworkSnapshot.objects.count() == 2


def test_snapshot_with_bad_period_names_the_field(hubs, personas, token_client):
    r = snapshot(token_client(personas["coord_no"]), hubs["norway"], start="2025-05-01",
                 end="2025-01-01")  # fmt: skip
    assert r.status_code == 400 and "end" in errors(r)


USE_CASE = {
    "title": "Patient data centre",
    "description": "d",
    "mission_action": "European Cancer Patient Digital Centre",
    "groups": ["patients", "healthcare_providers"],
}


@pytest.mark.parametrize(
    "who,status",
    [("anonymous", 401), ("member_no", 403), ("coord_no", 403), ("network", 201)],
)
def test_only_network_coordinators_write_use_cases(personas, token_client, who, status):
    r = token_client(personas[who]).post(
        "/api/v1/use-cases", json.dumps(USE_CASE), content_type="application/json"
    )
    assert r.status_code == status
    assert UseCase.objects.exists() is (status == 201)


def test_use_case_crud_and_coverage(hubs, personas, token_client, make_record):
    client = token_client(personas["network"])
    created = client.post(
        "/api/v1/use-cases", json.dumps(USE_CASE), content_type="application/json"
    )
    pk = created.json()["id"]
    bad = client.post(
        "/api/v1/use-cases",
        json.dumps({**USE_CASE, "groups": ["patients", "astronauts"]}),
        content_type="application/json",
    )
    assert bad.status_code == 400 and "astronauts" in errors(bad)["groups"]
    patched = client.patch(
        f"/api/v1/use-cases/{pk}", json.dumps({"title": "New"}), content_type="application/json"
    )
    assert patched.json()["title"] == "New" and patched.json()["groups"] == USE_CASE["groups"]
    today = timezone.localdate()
    make_record(date=today - timedelta(days=5), level="involve",
                stakeholder_groups=["patients", "healthcare_providers"])  # fmt: skip
    make_record(hub=hubs["portugal"], date=today - timedelta(days=5), level="empower",
                stakeholder_groups=["patients"], language="pt", region=None)  # fmt: skip
    make_record(hub=hubs["vestland"], date=today - timedelta(days=5), level="consult",
                stakeholder_groups=["patients"])  # fmt: skip
    cov = token_client(None).get(f"/api/v1/use-cases/{pk}/coverage").json()
    by_hub = {h["hub"]: h for h in cov["hubs"]}
    assert by_hub[hubs["norway"].pk]["complete"]
    assert by_hub[hubs["portugal"].pk]["missing"] == ["healthcare_providers"]
    assert hubs["vestland"].pk not in by_hub  # consulting is below "involve"
    assert cov["per_group"] == {"patients": 2, "healthcare_providers": 1}
    assert cov["complete"] == 1 and cov["partial"] == 1 and cov["none"] == 2
    r = token_client(None).get(f"/api/v1/use-cases/{pk}/coverage", {"start": "2025-02-01",
                                                                       "end": "2025-01-01"})  # fmt: skip
    assert r.status_code == 400 and "end" in errors(r)
    assert token_client(personas["coord_no"]).delete(f"/api/v1/use-cases/{pk}").status_code == 403
    assert client.delete(f"/api/v1/use-cases/{pk}").status_code == 204
    assert token_client(None).get(f"/api/v1/use-cases/{pk}").status_code == 404


def test_openapi_documents_the_network_and_use_case_operations(db, token_client):
    schema = token_client(None).get("/api/v1/openapi.json").json()
    paths = schema["paths"]
    for path in (
        "/api/v1/engagement-network",
        "/api/v1/engagement-network/export/{fmt}",
        "/api/v1/engagement-network/snapshots",
        "/api/v1/engagement-network/compare",
        "/api/v1/use-cases/{use_case_id}/coverage",
    ):
        assert path in paths, path
    export = paths["/api/v1/engagement-network/export/{fmt}"]["get"]["responses"]["200"]
    assert set(export["content"]) == {"application/gexf+xml", "application/graphml+xml"}
