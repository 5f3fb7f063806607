"""Export and erasure of a person's participation; retention of unconfirmed contributions."""

from datetime import timedelta

import pytest
from django.utils import timezone

from echos.participation import privacy, services
from echos.participation.models import (
    Answer,
    AnswerTally,
    Comment,
    Consultation,
    Proposal,
    Report,
    Support,
)
from tests.participation.conftest import GOOD_ANSWERS

pytestmark = pytest.mark.django_db


@pytest.fixture
def footprint(consultation, proposal, citizen):
    """The citizen answered, proposed, supported, commented and reported, partly by e-mail."""
    services.submit_answer(consultation=consultation, answers=GOOD_ANSWERS, user=citizen)
    mine = services.submit_proposal(
        hub=proposal.hub, title="My idea", body="Body", user=citizen, display_name="Ola N."
    )
    services.support(proposal=proposal, user=citizen)
    services.comment(proposal=proposal, body="Agreed", user=citizen, display_name="Ola N.")
    services.comment(proposal=proposal, body="Pending one", email="Ola@Example.org")
    services.report(target=proposal, reason="spam", user=citizen)
    return mine


def test_collect_finds_everything_by_account_and_email(footprint, citizen):
    data = privacy.collect(citizen, ["OLA@example.org"])
    assert data["consultation_answers"][0]["answers"]["role"] == "citizen"
    assert [p["title"] for p in data["proposals"]] == ["My idea"]
    assert len(data["supports"]) == 1
    assert {c["body"] for c in data["comments"]} == {"Agreed", "Pending one"}
    assert data["reports"][0]["reason"] == "spam"
    assert privacy.collect(None, ["nobody@example.org"]) == {
        "consultation_answers": [],
        "proposals": [],
        "supports": [],
        "comments": [],
        "reports": [],
    }


def test_erase_removes_identity_and_keeps_aggregates(footprint, citizen, consultation, proposal):
    dry = privacy.erase(citizen, ["ola@example.org"], apply=False)
    assert dry["proposals_anonymised"] == 1 and Proposal.objects.filter(user=citizen).exists()
    counts = privacy.erase(citizen, ["ola@example.org"])
    assert counts == dry
    assert counts["consultation_answers_anonymised"] == 1
    assert counts["proposals_anonymised"] == 1
    assert counts["pending_comments_deleted"] == 1
    assert counts["reports_anonymised"] == 1
    assert privacy.collect(citizen, ["ola@example.org"])["proposals"] == []
    answer = Answer.objects.get()
    assert answer.user is None and answer.email == "" and answer.answers["role"] == "citizen"
    assert (
        AnswerTally.objects.get(consultation=consultation, question="role", option="citizen").count
        == 1
    )
    mine = Proposal.objects.get(pk=footprint.pk)
    assert mine.body == "Body" and mine.display_name == "" and mine.user is None
    proposal.refresh_from_db()
    assert proposal.support_count == 1 and Support.objects.get().user is None
    assert Comment.objects.get().display_name == "" and Report.objects.get().reporter is None
    again = privacy.erase(citizen, ["ola@example.org"])
    assert not any(again.values())


def test_retention_purges_old_pending_and_old_emails(consultation, closed_consultation):
    pending = services.submit_answer(
        consultation=consultation, answers=GOOD_ANSWERS, email="slow@example.org"
    )
    Answer.objects.filter(pk=pending.pk).update(created_at=timezone.now() - timedelta(days=8))
    kept = Answer.objects.create(
        consultation=closed_consultation,
        email="old@example.org",
        answers={},
        confirmed_at=timezone.now() - timedelta(days=200),
    )
    Consultation.objects.filter(pk=closed_consultation.pk).update(
        opens_at=timezone.now() - timedelta(days=130),
        closes_at=timezone.now() - timedelta(days=100),
    )
    rules = {r.key: r for r in privacy.retention_rules()}
    assert rules["participation_pending"].limit == 7
    assert rules["participation_pending"].apply() == 1
    assert Answer.objects.filter(pk=pending.pk).exists()  # counting only
    assert rules["participation_pending"].apply(apply=True) == 1
    assert not Answer.objects.filter(pk=pending.pk).exists()
    assert rules["participation_emails"].apply(apply=True) == 1
    kept.refresh_from_db()
    assert kept.email == ""


def test_retention_rule_switched_off_by_setting(settings, consultation):
    settings.ECHOS_RETENTION_PENDING_DAYS = 0
    Answer.objects.create(
        consultation=consultation, email="p@example.org", answers={},
        created_at=timezone.now() - timedelta(days=30),
    )  # fmt: skip
    rule = next(r for r in privacy.retention_rules() if r.key == "participation_pending")
    assert rule.apply(apply=True) == 0 and Answer.objects.count() == 1
