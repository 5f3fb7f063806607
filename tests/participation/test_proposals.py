"""Proposals, supports, comments, reports, moderation and the hub's answers."""

import re

import pytest
from django.core import mail
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction

from echos.core.exceptions import Conflict, RuleViolation
from echos.core.models import ActionLog
from echos.participation import services
from echos.participation.models import (
    BODY_MAX,
    TITLE_MAX,
    Comment,
    ModerationAction,
    Proposal,
    Report,
    Support,
)

pytestmark = pytest.mark.django_db


def token_in(message) -> str:
    return re.search(r"/participate/confirm/([^/\s]+)/", message.body).group(1)


def test_signed_in_proposal_is_published_at_once(proposal):
    assert proposal.is_confirmed and proposal.status == Proposal.Status.UNDER_CONSIDERATION
    assert list(Proposal.objects.public()) == [proposal]


def test_anonymous_proposal_waits_for_confirmation(hubs):
    p = services.submit_proposal(
        hub=hubs["norway"], title="Idea", body="Text", email="Anna@Example.org"
    )
    assert not Proposal.objects.public().exists()
    services.confirm(token_in(mail.outbox[-1]))
    assert list(Proposal.objects.public()) == [p]


@pytest.mark.parametrize(
    "field,values",
    [
        ("title", {"title": "x" * (TITLE_MAX + 1)}),
        ("body", {"body": "x" * (BODY_MAX + 1)}),
        ("title", {"title": "   "}),
        ("body", {"body": ""}),
        ("display_name", {"display_name": "x" * 81}),
    ],
)
def test_proposal_lengths_are_enforced_with_the_field_named(hubs, personas, field, values):
    data = {"title": "Idea", "body": "Text", **values}
    with pytest.raises(RuleViolation) as exc:
        services.submit_proposal(hub=hubs["norway"], user=personas["member_no"], **data)
    assert exc.value.field == field
    assert "characters" in exc.value.message or exc.value.message
    assert not Proposal.objects.exists()


def test_proposal_in_another_hubs_consultation_is_refused(hubs, personas, consultation):
    with pytest.raises(RuleViolation) as exc:
        services.submit_proposal(
            hub=hubs["portugal"], consultation=consultation, title="t", body="b",
            user=personas["member_no"],
        )  # fmt: skip
    assert exc.value.field == "consultation"


def test_one_support_per_account(proposal, citizen):
    services.support(proposal=proposal, user=citizen)
    with pytest.raises(Conflict):
        services.support(proposal=proposal, user=citizen)
    proposal.refresh_from_db()
    assert proposal.support_count == 1 and Support.objects.count() == 1


def test_one_support_per_email_and_count_after_confirmation(proposal):
    first = services.support(proposal=proposal, email="s@example.org")
    proposal.refresh_from_db()
    assert proposal.support_count == 0
    # A second support from the address: nothing stored, the address (not the visitor) is told.
    again = services.support(proposal=proposal, email="S@example.org ")
    assert again.pk == first.pk and Support.objects.count() == 1
    assert mail.outbox[-1].to == ["s@example.org"]
    assert "already supported" in mail.outbox[-1].subject
    services.confirm(token_in(mail.outbox[-1]))
    proposal.refresh_from_db()
    assert proposal.support_count == 1
    cache.clear()
    services.support(proposal=proposal, email="s@example.org")
    assert "nothing new was recorded" in mail.outbox[-1].body
    assert "/participate/confirm/" not in mail.outbox[-1].body
    proposal.refresh_from_db()
    assert proposal.support_count == 1 and Support.objects.count() == 1


def test_support_unique_in_the_database(proposal, citizen):
    Support.objects.create(proposal=proposal, user=citizen)
    with pytest.raises(IntegrityError), transaction.atomic():
        Support.objects.create(proposal=proposal, user=citizen)


def test_comments_count_and_length(proposal, citizen):
    services.comment(proposal=proposal, body="Good idea", user=citizen)
    proposal.refresh_from_db()
    assert proposal.comment_count == 1
    with pytest.raises(RuleViolation) as exc:
        services.comment(proposal=proposal, body="x" * 2001, user=citizen)
    assert exc.value.field == "body"
    assert Comment.objects.count() == 1


def test_hide_and_restore_with_reasons_audit_and_history(proposal, personas):
    services.report(target=proposal, reason="offensive", details="Rude")
    entry = services.moderate(
        actor=personas["coord_no"], target=proposal, action="hide", reason="Insults"
    )
    proposal.refresh_from_db()
    assert proposal.is_hidden and proposal.hidden_reason == "Insults"
    assert not Proposal.objects.public().exists()
    assert Report.objects.get().resolved_at is not None
    assert ActionLog.objects.filter(action="participation.proposal.hidden").count() == 1
    with pytest.raises(Conflict):
        services.moderate(actor=personas["coord_no"], target=proposal, action="hide", reason="x")
    with pytest.raises(RuleViolation) as exc:
        services.moderate(actor=personas["network"], target=proposal, action="restore", reason=" ")
    assert exc.value.field == "reason"
    services.moderate(
        actor=personas["network"], target=proposal, action="restore", reason="Edited by author"
    )
    proposal.refresh_from_db()
    assert not proposal.is_hidden
    assert ActionLog.objects.filter(action="participation.proposal.restored").count() == 1
    assert [m.action for m in ModerationAction.objects.order_by("at", "id")] == [
        entry.action,
        "restore",
    ]


def test_hidden_comment_leaves_the_count_and_comes_back(proposal, personas, citizen):
    c = services.comment(proposal=proposal, body="Spam spam", user=citizen)
    services.moderate(actor=personas["coord_no"], target=c, action="hide", reason="Spam")
    proposal.refresh_from_db()
    assert proposal.comment_count == 0 and not Comment.objects.public().exists()
    assert ActionLog.objects.filter(action="participation.comment.hidden").exists()
    services.moderate(actor=personas["coord_no"], target=c, action="restore", reason="Fine")
    proposal.refresh_from_db()
    assert proposal.comment_count == 1


def test_hidden_proposal_cannot_be_supported_or_commented(proposal, personas, citizen):
    services.moderate(actor=personas["network"], target=proposal, action="hide", reason="Spam")
    with pytest.raises(RuleViolation):
        services.support(proposal=proposal, user=citizen)
    with pytest.raises(RuleViolation):
        services.comment(proposal=proposal, body="hi", user=citizen)


def test_moderation_is_refused_to_editors_members_and_other_hubs(proposal, personas):
    for who in ("editor_no", "member_no", "coord_pt"):
        with pytest.raises(PermissionDenied):
            services.moderate(actor=personas[who], target=proposal, action="hide", reason="x")
    assert not ModerationAction.objects.exists()


def test_report_needs_a_known_reason_and_details_for_other(proposal):
    with pytest.raises(RuleViolation) as exc:
        services.report(target=proposal, reason="boring")
    assert exc.value.field == "reason"
    with pytest.raises(RuleViolation) as exc:
        services.report(target=proposal, reason="other")
    assert exc.value.field == "details"
    services.report(target=proposal, reason="other", details="Duplicate of another")
    assert Report.objects.count() == 1


def test_hub_answer_requires_reason_for_not_taken(proposal, personas):
    with pytest.raises(RuleViolation) as exc:
        services.answer_proposal(
            actor=personas["coord_no"], proposal=proposal, status="not_taken", reason=" "
        )
    assert exc.value.field == "reason"
    proposal.refresh_from_db()
    assert proposal.status == "under_consideration"
    with pytest.raises(RuleViolation) as exc:
        services.answer_proposal(actor=personas["coord_no"], proposal=proposal, status="maybe")
    assert exc.value.field == "status"
    services.answer_proposal(
        actor=personas["editor_no"], proposal=proposal, status="not_taken", reason="Out of scope"
    )
    proposal.refresh_from_db()
    assert proposal.status == "not_taken" and proposal.answer == "Out of scope"
    services.answer_proposal(actor=personas["coord_no"], proposal=proposal, status="accepted")
    assert ActionLog.objects.filter(action="participation.proposal.answered").count() == 2


def test_hub_answer_refused_to_members_and_other_hubs(proposal, personas):
    for who in ("member_no", "coord_pt"):
        with pytest.raises(PermissionDenied):
            services.answer_proposal(actor=personas[who], proposal=proposal, status="accepted")
