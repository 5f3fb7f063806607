"""Roadmap steps and sessions attach library resources; each viewer sees only those they may read."""

import json

import pytest

from echos.core.exceptions import RuleViolation
from echos.core.models import Country
from echos.exchange import roadmap, sessions
from tests.exchange.helpers import make_session


@pytest.fixture
def resources(hubs):
    from echos.library import services

    def make(title, **kw):
        return services.create_resource(
            actor=None,
            title=title,
            description="",
            language="en",
            file=None,
            type="guideline",
            tags=[],
            url="https://example.org/" + title.replace(" ", "-"),
            **kw,
        )

    return {
        "public": make("Hub set-up guide"),
        "hub": make("Norway team plan", hub=hubs["norway"], visibility="hub"),
    }


def test_step_resources_listed_by_visibility(hubs, personas, resources, token_client):
    r = roadmap.create_roadmap(actor=None, country=Country.objects.get(pk="PT"))
    step = r.steps.get(code="terms_of_reference")
    roadmap.update_step(
        actor=None, step=step, resources=[resources["public"].pk, resources["hub"].pk]
    )

    def titles(user):
        data = token_client(user).get("/api/v1/exchange/roadmaps/PT").json()
        found = next(s for s in data["steps"] if s["code"] == "terms_of_reference")
        return {x["title"] for x in found["resources"]}

    assert titles(None) == {"Hub set-up guide"}
    assert titles(personas["coord_no"]) == {"Hub set-up guide", "Norway team plan"}


def test_a_hidden_resource_cannot_be_attached(hubs, personas, resources, token_client):
    roadmap.create_roadmap(actor=None, country=Country.objects.get(pk="PT"))
    response = token_client(personas["coord_pt"]).patch(
        "/api/v1/exchange/roadmaps/PT/steps/mandate",
        data=json.dumps({"resources": [resources["hub"].pk]}),
        content_type="application/json",
    )
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "resources"


def test_session_resources(hubs, personas, resources, login):
    s = make_session(hubs["norway"])
    sessions.update_session(actor=personas["coord_no"], session=s, resources=[resources["hub"].pk])
    assert (
        "Norway team plan" in login(personas["coord_no"]).get(s.get_absolute_url()).content.decode()
    )
    assert "Norway team plan" not in login(None).get(s.get_absolute_url()).content.decode()
    with pytest.raises(RuleViolation) as err:
        sessions.update_session(actor=personas["coord_no"], session=s, resources=[999999])
    assert err.value.field == "resources"


def test_resources_attached_from_the_pages(hubs, personas, resources, login):
    r = roadmap.create_roadmap(actor=None, country=Country.objects.get(pk="PT"))
    step = r.steps.get(code="mandate")
    client = login(personas["coord_pt"])
    assert "Hub set-up guide" in client.get("/exchange/roadmaps/PT/").content.decode()
    response = client.post(
        f"/exchange/steps/{step.pk}/",
        {"mandate-status": "todo", "mandate-resources": [resources["public"].pk]},
    )
    assert response.status_code == 302
    assert list(step.resources.all()) == [resources["public"]]
    # Portugal's team cannot read Norway's hub resource, so it is not offered and is refused.
    client.post(
        f"/exchange/steps/{step.pk}/",
        {"mandate-status": "todo", "mandate-resources": [resources["hub"].pk]},
    )
    assert list(step.resources.all()) == [resources["public"]]
    s = make_session(hubs["norway"])
    response = login(personas["coord_no"]).post(
        f"/exchange/sessions/{s.pk}/edit/", {"resources": [resources["hub"].pk]}
    )
    assert response.status_code == 302
    assert list(s.resources.all()) == [resources["hub"]]
