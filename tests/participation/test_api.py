"""The participation API: public reads of published content, token writes per permission."""

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from echos.participation import services
from echos.participation.models import Consultation, Proposal
from tests.participation.conftest import GOOD_ANSWERS

pytestmark = pytest.mark.django_db


def test_openapi_builds_with_participation_operations():
    schema = Client().get("/api/v1/openapi.json")
    assert schema.status_code == 200
    paths = schema.json()["paths"]
    assert "/api/v1/consultations/{consultation_id}/results" in paths
    assert "/api/v1/proposals/{proposal_id}/moderation" in paths
    ids = [op["operationId"] for p in paths.values() for op in p.values()]
    assert len(ids) == len(set(ids))


def test_consultation_list_detail_and_filters(consultation, closed_consultation, hubs):
    client = Client()
    listed = client.get("/api/v1/consultations?limit=1").json()
    assert listed["count"] == 2 and len(listed["items"]) == 1
    open_only = client.get("/api/v1/consultations?state=open").json()
    assert [c["id"] for c in open_only["items"]] == [consultation.pk]
    bad = client.get("/api/v1/consultations?state=soon")
    assert bad.status_code == 400 and bad.json()["errors"][0]["field"] == "state"
    assert client.get("/api/v1/consultations?limit=0").json()["errors"][0]["field"] == "limit"
    detail = client.get(f"/api/v1/consultations/{consultation.pk}").json()
    assert detail["state"] == "open" and detail["questions"][0]["code"] == "role"
    assert {"value": "citizen", "label": "A citizen"} in detail["questions"][0]["options"]
    assert client.get("/api/v1/consultations/999999").status_code == 404


def test_results_from_tallies_public_once_closed(
    consultation, closed_consultation, citizen, personas, token_client
):
    services.submit_answer(consultation=consultation, answers=GOOD_ANSWERS, user=citizen)
    assert Client().get(f"/api/v1/consultations/{consultation.pk}/results").status_code == 403
    team = token_client(personas["coord_no"]).get(
        f"/api/v1/consultations/{consultation.pk}/results"
    )
    assert team.status_code == 200
    data = team.json()
    assert data["answers"] == 1 and not data["final"]
    role = next(q for q in data["questions"] if q["code"] == "role")
    assert {"value": "citizen", "label": "A citizen", "count": 1} in role["options"]
    closed = Client().get(f"/api/v1/consultations/{closed_consultation.pk}/results")
    assert closed.status_code == 200 and closed.json()["final"]


def test_create_consultation_with_token(hubs, personas, token_client):
    now = timezone.now()
    payload = {
        "hub": hubs["norway"].pk,
        "title": "API consultation",
        "description": "Made over the API",
        "opens_at": now.isoformat(),
        "closes_at": (now + timedelta(days=3)).isoformat(),
        "languages": ["nb"],
    }
    assert (
        Client().post("/api/v1/consultations", payload, content_type="application/json").status_code
        == 401
    )
    denied = token_client(personas["coord_pt"]).post(
        "/api/v1/consultations", payload, content_type="application/json"
    )
    assert denied.status_code == 403
    client = token_client(personas["editor_no"])
    bad = client.post(
        "/api/v1/consultations",
        {**payload, "closes_at": (now - timedelta(days=1)).isoformat()},
        content_type="application/json",
    )
    assert bad.status_code == 400 and bad.json()["errors"][0]["field"] == "closes_at"
    missing = client.post(
        "/api/v1/consultations", {"hub": hubs["norway"].pk}, content_type="application/json"
    )
    assert missing.status_code == 422
    assert {e["field"] for e in missing.json()["errors"]} >= {"title", "opens_at"}
    unknown = client.post(
        "/api/v1/consultations", {**payload, "hub": 999999}, content_type="application/json"
    )
    assert unknown.status_code == 400 and unknown.json()["errors"][0]["field"] == "hub"
    created = client.post("/api/v1/consultations", payload, content_type="application/json")
    assert created.status_code == 201 and created.json()["questions"]
    assert Consultation.objects.count() == 1


def test_proposals_list_filters_and_hidden_excluded(proposal, hubs, personas, consultation):
    other = services.submit_proposal(
        hub=hubs["norway"], consultation=consultation, title="Second", body="b",
        user=personas["coord_pt"],
    )  # fmt: skip
    services.submit_proposal(hub=hubs["norway"], title="Pending", body="b", email="p@example.org")
    client = Client()
    data = client.get(f"/api/v1/proposals?hub={hubs['norway'].pk}").json()
    assert data["count"] == 2
    assert "Pending" not in [p["title"] for p in data["items"]]
    assert [
        p["id"]
        for p in client.get(f"/api/v1/proposals?consultation={consultation.pk}").json()["items"]
    ] == [other.pk]
    assert client.get("/api/v1/proposals?status=nope").status_code == 400
    assert client.get(f"/api/v1/proposals/{proposal.pk}").json()["author"] == "Kari"
    services.moderate(actor=personas["network"], target=proposal, action="hide", reason="Spam")
    assert client.get(f"/api/v1/proposals/{proposal.pk}").status_code == 404
    assert client.get("/api/v1/proposals").json()["count"] == 1


def test_answer_and_moderate_over_the_api(proposal, personas, token_client, citizen):
    url = f"/api/v1/proposals/{proposal.pk}/answer"
    denied = token_client(personas["member_no"]).post(
        url, {"status": "accepted"}, content_type="application/json"
    )
    assert denied.status_code == 403
    client = token_client(personas["coord_no"])
    bad = client.post(url, {"status": "not_taken"}, content_type="application/json")
    assert bad.status_code == 400 and bad.json()["errors"][0]["field"] == "reason"
    ok = client.post(
        url, {"status": "in_progress", "reason": "Working on it"}, content_type="application/json"
    )
    assert ok.status_code == 200 and ok.json()["status"] == "in_progress"
    comment = services.comment(proposal=proposal, body="Spam", user=citizen)
    mod = f"/api/v1/comments/{comment.pk}/moderation"
    assert (
        token_client(personas["editor_no"])
        .post(mod, {"action": "hide", "reason": "x"}, content_type="application/json")
        .status_code
        == 403
    )
    hidden = client.post(mod, {"action": "hide", "reason": "Spam"}, content_type="application/json")
    assert hidden.status_code == 201 and hidden.json()["action"] == "hide"
    again = client.post(mod, {"action": "hide", "reason": "Spam"}, content_type="application/json")
    assert again.status_code == 409
    assert Client().get(f"/api/v1/proposals/{proposal.pk}").json()["comment_list"] == []
    pmod = f"/api/v1/proposals/{proposal.pk}/moderation"
    assert (
        client.post(
            pmod, {"action": "explode", "reason": "x"}, content_type="application/json"
        ).status_code
        == 400
    )
    assert (
        client.post(
            pmod, {"action": "hide", "reason": "Off topic"}, content_type="application/json"
        ).status_code
        == 201
    )
    assert Proposal.objects.public().count() == 0
