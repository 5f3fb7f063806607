"""The synergies API's response schemas give the same JSON as the dicts its views build."""

import pytest
from django.test import RequestFactory

from echos.core.api import page_of
from echos.synergies import api, batch, jobs, services
from echos.synergies.models import SynergyLink
from echos.synergies.schemas import (
    ActivityOut,
    InitiativeOut,
    LinkOut,
    MatchJobOut,
    MatchRowOut,
    SuggestionsOut,
)

pytestmark = pytest.mark.django_db


def same_json(schema, data, **dump) -> bool:
    """The schema renders ``data`` key for key and value for value."""
    return schema.model_validate(data).model_dump(mode="json", **dump) == data


def test_the_schemas_render_the_dicts_unchanged(hubs, personas):
    initiative = services.save_initiative(
        actor=None,
        key="screen-net",
        name="Screening network",
        programme="other",
        description="Organised screening of colorectal cancer with faecal tests.",
        objectives=["prevention"],
    )
    assert same_json(InitiativeOut, api.initiative_out(initiative))
    activity = services.save_activity(
        actor=None,
        hub=hubs["norway"],
        title="Tarmscreening",
        description="Screening for colorectal cancer with faecal tests in Vestland.",
        language="en",
        objectives=["prevention"],
    )
    assert same_json(ActivityOut, api.activity_out(activity))
    assert same_json(page_of(ActivityOut), {"count": 1, "items": [api.activity_out(activity)]})
    found = api.activity_synergies(RequestFactory().get("/"), activity.pk, mode="lexical")
    assert same_json(SuggestionsOut, found)
    services.decide(actor=None, activity=activity, verdict="accepted", initiative=initiative)
    assert same_json(LinkOut, api.link_out(SynergyLink.objects.get()))
    docs = [{"id": "a1", "title": "Screening", "description": "Colorectal screening in clinics."}]
    inits = [{"id": "i1", "name": "Screening", "description": "Faecal tests for screening."}]
    for explain in (False, True):
        rows = batch.run(
            batch.initiatives(inits), batch.activities(docs), top=2, mode="lexical", explain=explain
        )
        assert all(same_json(MatchRowOut, row, exclude_unset=True) for row in rows)
    job = jobs.start_match_job(
        owner=personas["network"],
        request={"initiatives": inits, "activities": docs, "top": 2, "mode": "lexical"},
    )
    assert same_json(MatchJobOut, jobs.job_out(job), exclude_unset=True)


def test_a_bad_choice_is_refused_naming_the_field(hubs, personas, token_client, client):
    activity = services.save_activity(
        actor=None, hub=hubs["norway"], title="T", description="Screening.", language="en"
    )
    bad_mode = client.get(f"/api/v1/activities/{activity.pk}/synergies?mode=psychic")
    batch_mode = client.post(
        "/api/v1/synergies/match",
        {"initiatives": [], "activities": [], "mode": "psychic"},
        content_type="application/json",
    )
    verdict = token_client(personas["network"]).post(
        f"/api/v1/activities/{activity.pk}/decisions",
        {"verdict": "maybe"},
        content_type="application/json",
    )
    for response, field in [(bad_mode, "mode"), (batch_mode, "mode"), (verdict, "verdict")]:
        assert response.status_code == 422, response.content
        assert [e["field"] for e in response.json()["errors"]] == [field]
