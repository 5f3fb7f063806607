"""The two matching endpoints this API mounts: the batch pairing (the command's body) and a hub's
peer suggestions, with bad input named and private scores kept private."""

import json


def _hub(pk, levels, capacity=1, seeking=True):
    return {
        "id": pk,
        "levels": levels,
        "capacity": capacity,
        "languages": ["en"],
        "seeking": seeking,
    }


def test_pair_answers_the_optimal_pairing(client):
    body = [
        _hub("a", {"funding": 1, "governance": 2}, capacity=0),
        _hub("b", {"funding": 5, "governance": 4}, seeking=False),
    ]
    response = client.post(
        "/api/v1/exchange/pair", data=json.dumps(body), content_type="application/json"
    )
    assert response.status_code == 200, response.content
    data = response.json()
    assert [(p["mentee"], p["mentor"]) for p in data["pairs"]] == [("a", "b")]
    assert data["benefits"]["a"]["b"] == data["total_benefit"] > 0
    assert data["pairs"][0]["reasons"]


def test_pair_names_the_field_of_bad_input(client):
    body = [_hub("a", {"funding": 9}), _hub("b", {"funding": 2})]
    response = client.post(
        "/api/v1/exchange/pair", data=json.dumps(body), content_type="application/json"
    )
    assert response.status_code == 400
    assert "levels" in (response.json()["errors"][0]["field"] or "")
    dup = [_hub("a", {"funding": 2}), _hub("a", {"funding": 3})]
    response = client.post(
        "/api/v1/exchange/pair", data=json.dumps(dup), content_type="application/json"
    )
    assert response.status_code == 400


def test_peers_of_a_hub(hubs, client):
    response = client.get(f"/api/v1/exchange/hubs/{hubs['portugal'].pk}/peers")
    assert response.status_code == 200
    data = response.json()
    assert data["hub"] == hubs["portugal"].pk and data["maturity_shown"] is False
    assert client.get("/api/v1/exchange/hubs/999999/peers").status_code == 404
