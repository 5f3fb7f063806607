"""Activities, initiatives, decisions and links through services, pages and API, with permissions."""

import json

import pytest
from django.core.exceptions import PermissionDenied

from echos.core.exceptions import RuleViolation
from echos.synergies import services
from echos.synergies.models import Activity, Decision, Initiative, SynergyLink

pytestmark = pytest.mark.django_db


@pytest.fixture
def catalogue(db):
    for key, name, text in [
        (
            "screen-net",
            "Colorectal screening network",
            "Organised colorectal cancer screening with faecal tests.",
        ),
        ("back-to-work", "Back to work", "Return to work of cancer survivors with employers."),
        ("kids-care", "Childhood cancer care", "Paediatric oncology networks for children."),
    ]:
        services.save_initiative(
            actor=None,
            key=key,
            name=name,
            programme="other",
            description=text,
            objectives=["prevention"] if key == "screen-net" else [],
        )
    return {i.key: i for i in Initiative.objects.all()}


@pytest.fixture
def activity(hubs, catalogue):
    return services.save_activity(
        actor=None,
        hub=hubs["norway"],
        title="Tarmscreening",
        description="Screening for tarmkreft med avføringstest.",
        language="nb",
        objectives=["prevention"],
        policy_areas=["health"],
    )


def test_activity_rules(hubs, personas):
    with pytest.raises(RuleViolation) as exc:
        services.save_activity(
            actor=None, hub=hubs["norway"], title="x", description="y", language="zz"
        )
    assert exc.value.field == "source_language"
    with pytest.raises(RuleViolation) as exc:
        services.save_activity(
            actor=None, hub=hubs["norway"], title="x", description=" ", language="en"
        )
    assert exc.value.field == "description"
    from datetime import date

    with pytest.raises(RuleViolation) as exc:
        services.save_activity(
            actor=None,
            hub=hubs["norway"],
            title="x",
            description="y",
            language="en",
            start=date(2026, 2, 1),
            end=date(2026, 1, 1),
        )
    assert exc.value.field == "end"
    with pytest.raises(RuleViolation) as exc:
        services.save_activity(
            actor=None,
            hub=hubs["norway"],
            title="x",
            description="y",
            language="en",
            objectives=["world_peace"],
        )
    assert exc.value.field == "objectives"
    with pytest.raises(PermissionDenied):
        services.save_activity(
            actor=personas["coord_pt"],
            hub=hubs["norway"],
            title="x",
            description="y",
            language="en",
        )


def test_accepting_makes_a_link_and_rejecting_hides_the_pair(activity, catalogue, personas):
    from echos.synergies.matching import suggestions

    keys = [r["initiative"] for r in suggestions(activity)["initiatives"]]
    assert keys[0] == "screen-net"
    services.decide(
        actor=personas["coord_no"],
        activity=activity,
        verdict="accepted",
        initiative=catalogue["screen-net"],
        score=0.9,
    )
    link = SynergyLink.objects.get(activity=activity)
    assert link.status == "proposed" and link.initiative.key == "screen-net"
    services.decide(
        actor=personas["coord_no"],
        activity=activity,
        verdict="rejected",
        initiative=catalogue["kids-care"],
    )
    assert "kids-care" not in [r["initiative"] for r in suggestions(activity)["initiatives"]]
    services.update_link(
        actor=personas["coord_no"], link=link, status="collaborating", notes="Joint webinar"
    )
    link.refresh_from_db()
    assert link.status == "collaborating" and link.notes == "Joint webinar"
    with pytest.raises(RuleViolation):
        services.update_link(actor=personas["coord_no"], link=link, status="married")
    with pytest.raises(PermissionDenied):
        services.decide(
            actor=personas["coord_pt"],
            activity=activity,
            verdict="accepted",
            initiative=catalogue["back-to-work"],
        )


def test_related_activities_come_from_other_hubs_only(activity, hubs):
    same_hub = services.save_activity(
        actor=None,
        hub=hubs["norway"],
        title="Tarmkreft 2",
        description="Screening for tarmkreft.",
        language="nb",
    )
    other = services.save_activity(
        actor=None,
        hub=hubs["portugal"],
        title="Rastreio do cancro colorretal",
        description="Rastreio do cancro do cólon com teste de sangue oculto nas fezes.",
        language="pt",
    )
    from echos.synergies.matching import suggestions

    related = [r["object"] for r in suggestions(activity)["activities"]]
    assert other in related and same_hub not in related


def test_only_network_coordinators_edit_the_catalogue(personas, catalogue, token_client):
    body = {
        "name": "New initiative",
        "programme": "other",
        "description": "About cancer registries.",
    }
    denied = token_client(personas["coord_no"]).post(
        "/api/v1/initiatives", json.dumps(body), content_type="application/json"
    )
    assert denied.status_code == 403
    created = token_client(personas["network"]).post(
        "/api/v1/initiatives", json.dumps(body), content_type="application/json"
    )
    assert created.status_code == 201 and created.json()["key"] == "new-initiative"


def test_activity_api_and_synergies_endpoint(hubs, personas, catalogue, token_client, client):
    c = token_client(personas["coord_no"])
    body = {
        "hub": hubs["vestland"].pk,
        "title": "Arbeid etter kreft",
        "language": "nb",
        "description": "Tilbake til arbeid etter kreftbehandling, sammen med arbeidsgivere.",
        "objectives": ["quality_of_life"],
        "policy_areas": ["employment"],
    }
    made = c.post("/api/v1/activities", json.dumps(body), content_type="application/json")
    assert made.status_code == 201, made.content
    aid = made.json()["id"]
    bad = c.post(
        "/api/v1/activities",
        json.dumps({**body, "language": "klingon"}),
        content_type="application/json",
    )
    assert bad.status_code == 400 and bad.json()["errors"][0]["field"] == "source_language"
    found = client.get(f"/api/v1/activities/{aid}/synergies?limit=2").json()
    assert (
        len(found["initiatives"]) == 2 and found["initiatives"][0]["initiative"] == "back-to-work"
    )
    decided = c.post(
        f"/api/v1/activities/{aid}/decisions",
        json.dumps({"verdict": "accepted", "initiative": "back-to-work"}),
        content_type="application/json",
    )
    assert decided.status_code == 201 and decided.json()["link"]["status"] == "proposed"
    link_id = decided.json()["link"]["id"]
    moved = c.patch(
        f"/api/v1/synergy-links/{link_id}",
        json.dumps({"status": "contacted"}),
        content_type="application/json",
    )
    assert moved.status_code == 200 and moved.json()["status"] == "contacted"
    assert (
        token_client(personas["coord_pt"])
        .patch(
            f"/api/v1/synergy-links/{link_id}",
            json.dumps({"status": "concluded"}),
            content_type="application/json",
        )
        .status_code
        == 403
    )
    assert client.get("/api/v1/activities/1/synergies?limit=0").status_code in (400, 404)


def test_pages(activity, hubs, personas, login, catalogue):
    client = login(personas["coord_no"])
    page = client.get(activity.get_absolute_url()).content.decode()
    assert "Colorectal screening network" in page and "Accept" in page
    response = client.post(
        f"/synergies/activities/{activity.pk}/decide/",
        {"initiative": "screen-net", "verdict": "accepted", "score": "0.8"},
    )
    assert (
        response.status_code == 302
        and Decision.objects.filter(activity=activity, verdict="accepted").exists()
    )
    anonymous = login(None).get(activity.get_absolute_url()).content.decode()
    assert "Accept" not in anonymous
    for url in [
        "/synergies/",
        "/synergies/matrix/",
        "/synergies/matrix/?country=NO",
        "/synergies/graph/",
        f"/synergies/hubs/{hubs['norway'].pk}/",
        "/synergies/initiatives/screen-net/",
    ]:
        assert login(None).get(url).status_code == 200, url
    matrix = login(None).get("/synergies/matrix/?country=NO").content.decode()
    assert 'class="gap"' in matrix
    new = client.post(
        f"/synergies/hubs/{hubs['norway'].pk}/activities/new/",
        {
            "title": "Skole uten røyk",
            "description": "Forebygging av røyking i skolen.",
            "source_language": "nb",
            "objectives": ["prevention"],
            "policy_areas": ["education"],
        },
    )
    assert new.status_code == 302
    assert Activity.objects.get(title="Skole uten røyk").policy_areas.get().code == "education"
    assert (
        login(personas["coord_pt"])
        .get(f"/synergies/hubs/{hubs['norway'].pk}/activities/new/")
        .status_code
        == 403
    )


def test_initiative_website_must_be_a_web_address(personas, catalogue, token_client):
    body = {
        "name": "Scripted initiative",
        "programme": "other",
        "description": "About cancer registries.",
        "website": "javascript:alert(1)",
    }
    refused = token_client(personas["network"]).post(
        "/api/v1/initiatives", json.dumps(body), content_type="application/json"
    )
    assert refused.status_code == 400 and refused.json()["errors"][0]["field"] == "website"
    assert not Initiative.objects.filter(name="Scripted initiative").exists()
