"""A hub's or country's own answers are to the mapping survey or the maturity model only: event
registration questions and consultation questionnaires are answered through their own flows."""

import json

import pytest

from echos.assessment import services
from echos.assessment.models import Response
from echos.core.exceptions import RuleViolation
from echos.core.models import Country
from echos.events.services import standard_questions
from echos.participation.services import standard_instrument
from echos.questionnaires.models import Instrument

pytestmark = pytest.mark.django_db


@pytest.fixture
def other_instruments(db):
    return {"registration": standard_questions(), "consultation": standard_instrument()}


def post_response(client, code: str, hub) -> object:
    return client.post(
        "/api/v1/responses",
        json.dumps({"instrument": code, "hub": hub.pk}),
        content_type="application/json",
    )


@pytest.mark.parametrize("name", ["maturity", "mapping"])
def test_api_opens_hub_answers_to_mapping_and_maturity(
    instruments, hubs, personas, token_client, name
):
    answer = post_response(
        token_client(personas["coord_no"]), instruments[name].code, hubs["norway"]
    )
    assert answer.status_code == 201
    assert Response.objects.get(pk=answer.json()["id"]).instrument == instruments[name]


@pytest.mark.parametrize("name", ["registration", "consultation"])
def test_api_refuses_hub_answers_to_other_instruments(
    instruments, other_instruments, hubs, personas, token_client, name
):
    answer = post_response(
        token_client(personas["coord_no"]), other_instruments[name].code, hubs["norway"]
    )
    assert answer.status_code == 422
    assert [e["field"] for e in answer.json()["errors"]] == ["instrument"]
    assert not Response.objects.exists()


@pytest.mark.parametrize("name", ["registration", "consultation"])
def test_service_refuses_other_instruments_for_a_country(other_instruments, hubs, personas, name):
    """No route around the API: the service itself refuses, for a hub or a country alike."""
    with pytest.raises(RuleViolation) as refused:
        services.start_response(
            actor=personas["network"],
            instrument=other_instruments[name],
            country=Country.objects.get(pk="IS"),
        )
    assert refused.value.field == "instrument"
    assert not Response.objects.exists()


def test_service_accepts_a_country_answering_the_mapping_survey(instruments, hubs, personas):
    response = services.start_response(
        actor=personas["network"],
        instrument=instruments["mapping"],
        country=Country.objects.get(pk="IS"),
    )
    assert response.country_id == "IS" and response.instrument.kind == Instrument.Kind.SURVEY


def test_pages_start_only_mapping_and_maturity(
    instruments, other_instruments, hubs, personas, login
):
    client = login(personas["coord_no"])
    started = client.post("/assessment/start/mapping/", {"hub": hubs["norway"].pk})
    assert started.status_code == 302 and Response.objects.count() == 1
    for code in ("registration", "consultation", other_instruments["consultation"].code):
        refused = client.post(f"/assessment/start/{code}/", {"hub": hubs["norway"].pk})
        assert refused.status_code == 404
    assert Response.objects.count() == 1
