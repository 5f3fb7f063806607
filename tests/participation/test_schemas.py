"""The participation API's response schemas give the same JSON as the dicts the API built, and its
choices are checked by the one ``one_of`` helper (422 naming the field)."""

import pytest
from django.test import Client

from echos.core.api import page_of
from echos.participation import api, services
from echos.participation.schemas import (
    CommentOut,
    ConsultationDetailOut,
    ConsultationOut,
    ModerationOut,
    ProposalDetailOut,
    ProposalOut,
    ResultsOut,
)
from tests.participation.conftest import GOOD_ANSWERS

pytestmark = pytest.mark.django_db


def same_json(schema, data: dict) -> bool:
    """The schema renders ``data`` key for key and value for value."""
    return schema.model_validate(data).model_dump(mode="json") == data


def test_the_consultation_schemas_render_the_dicts_unchanged(
    consultation, closed_consultation, citizen, personas
):
    services.submit_answer(consultation=consultation, answers=GOOD_ANSWERS, user=citizen)
    services.publish_follow_up(
        actor=personas["network"], consultation=closed_consultation, text="We listened."
    )
    for c in (consultation, closed_consultation):  # follow-up absent and published
        assert same_json(ConsultationOut, api.consultation_out(c))
        detail = api.consultation_out(c, questions=True)
        assert detail["questions"] and same_json(ConsultationDetailOut, detail)
        assert same_json(ResultsOut, api.results_out(c))
    assert api.consultation_out(closed_consultation)["follow_up"] == "We listened."
    page = {"count": 1, "items": [api.consultation_out(consultation)]}
    assert same_json(page_of(ConsultationOut), page)


def test_the_proposal_schemas_render_the_dicts_unchanged(proposal, citizen, personas):
    anonymous = services.submit_proposal(
        hub=proposal.hub, title="No name", body="b", user=citizen, display_name=""
    )
    comment = services.comment(proposal=proposal, body="Yes.", user=citizen, display_name="Ola")
    services.answer_proposal(
        actor=personas["network"], proposal=proposal, status="in_progress", reason="On it"
    )
    entry = services.moderate(
        actor=personas["network"], target=comment, action="hide", reason="Off topic"
    )
    proposal.refresh_from_db()
    for p in (proposal, anonymous):  # answered or not, author shown or not
        assert same_json(ProposalOut, api.proposal_out(p))
        assert same_json(ProposalDetailOut, api.proposal_detail_out(p))
    assert api.proposal_detail_out(proposal)["moderation"] == []
    assert same_json(CommentOut, api.comment_out(comment))
    assert same_json(ModerationOut, api._moderation_out(entry))
    on_proposal = services.moderate(
        actor=personas["network"], target=proposal, action="hide", reason="Spam"
    )
    assert same_json(ModerationOut, api._moderation_out(on_proposal))
    assert same_json(ProposalDetailOut, api.proposal_detail_out(proposal))
    assert api.proposal_detail_out(proposal)["moderation"][0]["action"] == "hide"
    page = {"count": 1, "items": [api.proposal_out(anonymous)]}
    assert same_json(page_of(ProposalOut), page)


def test_a_bad_mode_or_answer_status_is_refused_naming_the_field(
    hubs, proposal, personas, token_client
):
    client = token_client(personas["network"])
    response = client.post(
        f"/api/v1/proposals/{proposal.pk}/answer",
        {"status": "maybe", "reason": "x"},
        content_type="application/json",
    )
    assert response.status_code == 422 and response.json()["errors"][0]["field"] == "status"
    response = client.post(
        "/api/v1/consultations",
        {
            "hub": hubs["norway"].pk,
            "title": "t",
            "description": "d",
            "opens_at": "2027-01-01T00:00:00Z",
            "closes_at": "2027-02-01T00:00:00Z",
            "mode": "secret",
        },
        content_type="application/json",
    )
    assert response.status_code == 422 and response.json()["errors"][0]["field"] == "mode"


def test_the_filters_kept_as_checks_still_answer_400_naming_the_field():
    """state and status filters stay checked in the views: the API tests expect 400 for them."""
    for url, field in (
        ("/api/v1/consultations?state=x", "state"),
        ("/api/v1/proposals?status=x", "status"),
    ):
        response = Client().get(url)
        assert response.status_code == 400 and response.json()["errors"][0]["field"] == field
