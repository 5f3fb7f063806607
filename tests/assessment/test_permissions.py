"""Who answers, reads answers and evidence, and sees scores: pages and API alike."""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from echos.assessment import services

pytestmark = pytest.mark.django_db

ROLES = ["network", "coord_no", "coord_pt", "editor_no", "member_no", "anonymous"]


@pytest.fixture
def submitted(instruments, hubs, personas, levels_answers):
    """Norway's submitted (private) assessment with an evidence file."""
    response = services.start_response(
        actor=personas["coord_no"], instrument=instruments["maturity"], hub=hubs["norway"]
    )
    evidence = services.add_evidence(
        actor=personas["coord_no"],
        response=response,
        question="governance_level",
        upload=SimpleUploadedFile("minutes.pdf", b"%PDF-1.4 minutes"),
    )
    services.submit_response(
        actor=personas["coord_no"], response=response, answers=levels_answers(3)
    )
    response.refresh_from_db()
    return response, evidence


READERS = {"network", "coord_no", "editor_no"}


@pytest.mark.parametrize("role", ROLES)
def test_reading_answers_and_evidence(submitted, personas, login, token_client, role):
    response, evidence = submitted
    client = login(personas[role])
    page = client.get(f"/assessment/responses/{response.pk}/")
    download = client.get(f"/assessment/evidence/{evidence.pk}/")
    api = token_client(personas[role]).get(f"/api/v1/responses/{response.pk}")
    if role in READERS:
        assert page.status_code == 200 and "minutes.pdf" in page.content.decode()
        assert download.status_code == 200
        assert download["Content-Disposition"].startswith("attachment")
        assert download["Content-Type"] == "application/octet-stream"
        assert api.status_code == 200 and api.json()["answers"]["governance_level"] == 3
    else:
        assert page.status_code == 403
        assert download.status_code in (302, 403)
        assert api.status_code == 403


@pytest.mark.parametrize("role", ROLES)
def test_public_answers_are_readable_by_everyone(submitted, personas, login, role):
    response, _evidence = submitted
    response.is_public = True
    response.save()
    assert login(personas[role]).get(f"/assessment/responses/{response.pk}/").status_code == 200


@pytest.mark.parametrize(
    ("role", "hub", "allowed"),
    [
        ("network", "portugal", True),
        ("coord_no", "norway", True),
        ("coord_no", "bergen", True),
        ("coord_no", "portugal", False),
        ("coord_pt", "norway", False),
        ("editor_no", "norway", True),
        ("member_no", "norway", False),
    ],
)
def test_who_answers_for_a_hub(instruments, hubs, personas, token_client, role, hub, allowed):
    body = json.dumps({"instrument": "ncmh-maturity", "hub": hubs[hub].pk})
    response = token_client(personas[role]).post(
        "/api/v1/responses", body, content_type="application/json"
    )
    assert response.status_code == (201 if allowed else 403)


def test_only_the_respondent_changes_a_draft(instruments, hubs, personas, token_client):
    draft = services.start_response(
        actor=personas["coord_no"], instrument=instruments["maturity"], hub=hubs["norway"]
    )
    body = json.dumps({"answers": {"governance_level": 4}})
    other = token_client(personas["editor_no"]).patch(
        f"/api/v1/responses/{draft.pk}", body, content_type="application/json"
    )
    assert other.status_code == 403
    own = token_client(personas["coord_no"]).patch(
        f"/api/v1/responses/{draft.pk}", body, content_type="application/json"
    )
    assert own.status_code == 200 and own.json()["answers"] == {"governance_level": 4}


@pytest.mark.parametrize("role", ROLES)
def test_scores_of_a_hub(submitted, hubs, personas, login, role):
    status = login(personas[role]).get(f"/assessment/hubs/{hubs['norway'].pk}/").status_code
    assert status == (200 if role in {"network", "coord_no", "editor_no", "member_no"} else 403)


@pytest.mark.parametrize("role", ROLES)
def test_network_view_and_mapping_analysis_are_for_the_secretariat(
    submitted, personas, login, token_client, role
):
    client = login(personas[role])
    for url in ["/assessment/network/", "/assessment/mapping/", "/assessment/network/maturity.csv"]:
        status = client.get(url).status_code
        assert status == (200 if role == "network" else (302 if role == "anonymous" else 403)), url
    api = token_client(personas[role]).get("/api/v1/maturity")
    assert api.status_code == (200 if role == "network" else (401 if role == "anonymous" else 403))
