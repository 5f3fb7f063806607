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


def test_pair_answers_400_naming_the_field_for_any_bad_body(client):
    """Not an array, not JSON, not UTF-8, an item not an object: 400 naming the field, never 422."""
    cases = [
        (json.dumps({"id": "a"}), "hubs"),
        (json.dumps("text"), "hubs"),
        ("[{", None),  # not JSON: the site's middleware answers first, naming the body
        (b"\xff\xfe[", None),
        (json.dumps([1]), "hubs[0]"),
        (json.dumps([{"id": "a"}]), "hubs[0].levels"),
    ]
    for body, field in cases:
        response = client.post("/api/v1/exchange/pair", data=body, content_type="application/json")
        assert response.status_code == 400, (body, response.content)
        named = response.json()["errors"][0]["field"]
        assert named == field if field else named in ("hubs", "body"), body


def test_pair_body_is_documented_in_the_openapi_schema(client):
    schema = client.get("/api/v1/openapi.json").json()
    operation = schema["paths"]["/api/v1/exchange/pair"]["post"]
    body = operation["requestBody"]["content"]["application/json"]["schema"]
    assert body["type"] == "array"
    assert set(body["items"]["required"]) == {"id", "levels", "capacity", "languages", "seeking"}
    assert "400" in operation["responses"] or 400 in operation["responses"]
