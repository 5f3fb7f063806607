"""The permission matrix of the network of support, on the site and the API: each allowed case has
its denied twin, and a denied change leaves everything as it was (and no audit entry)."""

import json
from datetime import date

import pytest

from echos.core.models import ActionLog, Country
from echos.exchange import roadmap, sessions, support, twinning
from echos.exchange.models import RoadmapStep, SupportRequest, Twinning
from tests.exchange.helpers import make_session


@pytest.fixture
def objects(hubs, personas):
    r = roadmap.create_roadmap(actor=None, country=Country.objects.get(pk="PT"))
    t = twinning.create_twinning(
        actor=None,
        title="Regional twinning",
        hubs=[hubs["vestland"], hubs["bergen"]],
        dimensions=["governance"],
        goals="Share governance practice.",
        start=date(2025, 1, 1),
        end=date(2025, 6, 30),
    )
    private = support.create_request(
        actor=None,
        hub=hubs["portugal"],
        title="Private question",
        text="About our mandate.",
        visibility="private",
    )
    s = make_session(hubs["norway"])
    c = sessions.add_commitment(
        actor=None,
        session=s,
        hub=hubs["portugal"],
        owner="Demo owner",
        what="Share",
        due=date(2026, 1, 1),
    )
    return {"roadmap": r, "twinning": t, "private": private, "session": s, "commitment": c}


def _patch(client, url, body):
    return client.patch(url, data=json.dumps(body), content_type="application/json")


def _post(client, url, body):
    return client.post(url, data=json.dumps(body), content_type="application/json")


ROADMAP = [
    ("coord_pt", 200),
    ("network", 200),
    ("coord_no", 403),
    ("editor_no", 403),
    ("member_no", 403),
]


@pytest.mark.parametrize("who, status", ROADMAP)
def test_roadmap_step_api(objects, personas, token_client, who, status):
    before = ActionLog.objects.count()
    response = _patch(
        token_client(personas[who]),
        "/api/v1/exchange/roadmaps/PT/steps/mandate",
        {"owner": "Demo owner", "status": "in_progress"},
    )
    assert response.status_code == status
    step = RoadmapStep.objects.get(roadmap=objects["roadmap"], code="mandate")
    if status == 200:
        assert step.owner == "Demo owner"
        assert ActionLog.objects.filter(action="exchange.roadmap_step.updated").exists()
    else:
        assert step.owner == "" and step.status == "todo"
        assert ActionLog.objects.count() == before


def test_roadmap_write_needs_a_token(objects, token_client):
    assert (
        _patch(
            token_client(None), "/api/v1/exchange/roadmaps/PT/steps/mandate", {"owner": "x"}
        ).status_code
        == 401
    )
    assert token_client(None).get("/api/v1/exchange/roadmaps/PT").status_code == 200  # public read


@pytest.mark.parametrize("who, status", ROADMAP)
def test_roadmap_step_page(objects, personas, login, who, status):
    step = objects["roadmap"].steps.get(code="mandate")
    response = login(personas[who]).post(
        f"/exchange/steps/{step.pk}/",
        {"mandate-owner": "Demo owner", "mandate-status": "in_progress"},
    )
    assert response.status_code == (302 if status == 200 else 403)
    step.refresh_from_db()
    assert (step.owner == "Demo owner") == (status == 200)


TWINNING = [
    ("coord_no", 200),
    ("network", 200),
    ("coord_pt", 403),
    ("editor_no", 403),
    ("member_no", 403),
]


@pytest.mark.parametrize("who, status", TWINNING)
def test_twinning_api(objects, personas, token_client, who, status):
    client = token_client(personas[who])
    url = f"/api/v1/exchange/twinnings/{objects['twinning'].pk}"
    assert client.get(url).status_code == status
    response = _patch(client, url, {"outcome": "Changed"})
    assert response.status_code == status
    objects["twinning"].refresh_from_db()
    assert (objects["twinning"].outcome == "Changed") == (status == 200)


@pytest.mark.parametrize("who, status", TWINNING)
def test_twinning_page(objects, personas, login, who, status):
    client = login(personas[who])
    t = objects["twinning"]
    assert client.get(t.get_absolute_url()).status_code == status
    response = client.post(f"/exchange/twinnings/{t.pk}/notes/", {"text": "A note"})
    assert response.status_code == (302 if status == 200 else 403)
    assert t.notes.exists() == (status == 200)


def test_twinning_list_shows_only_ones_own(objects, personas, token_client):
    assert token_client(personas["coord_pt"]).get("/api/v1/exchange/twinnings").json()["count"] == 0
    assert token_client(personas["coord_no"]).get("/api/v1/exchange/twinnings").json()["count"] == 1


PRIVATE = [("coord_pt", 200), ("network", 200), ("coord_no", 403), ("member_no", 403)]


@pytest.mark.parametrize("who, status", PRIVATE)
def test_private_request_api(objects, personas, token_client, who, status):
    client = token_client(personas[who])
    url = f"/api/v1/exchange/requests/{objects['private'].pk}"
    assert client.get(url).status_code == status
    response = _post(client, url + "/status", {"status": "closed"})
    assert response.status_code == status
    objects["private"].refresh_from_db()
    assert (objects["private"].status == "closed") == (status == 200)


@pytest.mark.parametrize("who, status", PRIVATE)
def test_private_request_page(objects, personas, login, who, status):
    client = login(personas[who])
    r = objects["private"]
    assert client.get(r.get_absolute_url()).status_code == status
    response = client.post(f"/exchange/requests/{r.pk}/answers/", {"text": "An answer"})
    assert response.status_code == (302 if status == 200 else 403)
    assert r.answers.exists() == (status == 200)


def test_asked_hub_reads_and_answers_a_private_request(objects, personas, token_client):
    r = objects["private"]
    r.asked_hubs.add(objects["session"].event.hub)
    client = token_client(personas["coord_no"])
    assert client.get(f"/api/v1/exchange/requests/{r.pk}").status_code == 200
    response = _post(client, f"/api/v1/exchange/requests/{r.pk}/answers", {"text": "Try this"})
    assert response.status_code == 201
    assert response.json()["status"] == "answered"
    assert response.json()["hours_to_first_answer"] is not None
    # Answering does not let it close the request.
    assert (
        _post(client, f"/api/v1/exchange/requests/{r.pk}/status", {"status": "closed"}).status_code
        == 403
    )


def test_private_requests_are_not_listed_to_others(objects, personas, token_client):
    support.create_request(
        actor=None, hub=objects["session"].event.hub, title="Open", text="Network-wide"
    )
    titles = {
        i["title"]
        for i in token_client(personas["coord_no"]).get("/api/v1/exchange/requests").json()["items"]
    }
    assert titles == {"Open"}
    assert token_client(None).get("/api/v1/exchange/requests").status_code == 401
    assert SupportRequest.objects.count() == 2


def test_requests_only_in_ones_own_hubs_name(hubs, personas, token_client):
    body = {"hub": hubs["portugal"].pk, "title": "t", "text": "x"}
    assert (
        _post(token_client(personas["coord_no"]), "/api/v1/exchange/requests", body).status_code
        == 403
    )
    assert (
        _post(token_client(personas["coord_pt"]), "/api/v1/exchange/requests", body).status_code
        == 201
    )


COMMITMENT = [("coord_no", 200), ("coord_pt", 200), ("network", 200), ("member_no", 403)]


@pytest.mark.parametrize("who, status", COMMITMENT)
def test_commitment_done_by_organisers_and_the_committed_hub(
    objects, personas, token_client, who, status
):
    c = objects["commitment"]
    response = _patch(
        token_client(personas[who]), f"/api/v1/exchange/commitments/{c.pk}", {"status": "done"}
    )
    assert response.status_code == status
    c.refresh_from_db()
    assert (c.status == "done") == (status == 200)


def test_only_organisers_add_commitments(objects, personas, token_client, hubs):
    url = f"/api/v1/exchange/sessions/{objects['session'].pk}/commitments"
    body = {"hub": hubs["portugal"].pk, "owner": "Demo", "what": "x", "due": "2026-02-01"}
    assert _post(token_client(personas["coord_pt"]), url, body).status_code == 403
    assert _post(token_client(personas["coord_no"]), url, body).status_code == 201


def test_recording_a_roadmap_stage_needs_the_lifecycle_right(objects, personas, token_client, hubs):
    r = objects["roadmap"]
    roadmap.update_step(actor=None, step=r.steps.get(code="inception_dialogue"), status="done")
    assert (
        _post(
            token_client(personas["coord_no"]), "/api/v1/exchange/roadmaps/PT/stage", {}
        ).status_code
        == 403
    )
    hubs["portugal"].refresh_from_db()
    assert hubs["portugal"].stage == "no_structure"
    response = _post(token_client(personas["coord_pt"]), "/api/v1/exchange/roadmaps/PT/stage", {})
    assert response.status_code == 201, response.content
    hubs["portugal"].refresh_from_db()
    assert hubs["portugal"].stage == "inception_dialogue"


def test_bad_input_names_the_field(objects, personas, token_client, hubs):
    client = token_client(personas["coord_no"])
    body = {
        "title": "t",
        "hubs": [hubs["norway"].pk, hubs["norway"].pk],
        "dimensions": ["funding"],
        "goals": "g",
        "start": "2025-01-01",
        "end": "2025-06-01",
    }
    response = _post(client, "/api/v1/exchange/twinnings", body)
    assert response.status_code == 400 and response.json()["errors"][0]["field"] == "hubs"
    body.update(hubs=[hubs["norway"].pk, hubs["vestland"].pk], end="2024-01-01")
    response = _post(client, "/api/v1/exchange/twinnings", body)
    assert response.status_code == 400 and response.json()["errors"][0]["field"] == "end"
    assert Twinning.objects.count() == 1


def test_named_owners_are_not_shown_to_the_public(objects, personas, token_client, login):
    s = objects["session"]
    url = f"/api/v1/exchange/sessions/{s.pk}"
    assert token_client(None).get(url).json()["commitments"][0]["owner"] == ""
    assert (
        token_client(personas["member_no"]).get(url).json()["commitments"][0]["owner"]
        == "Demo owner"
    )
    assert "Demo owner" not in login(None).get(s.get_absolute_url()).content.decode()
    assert "Demo owner" in login(personas["coord_pt"]).get(s.get_absolute_url()).content.decode()
