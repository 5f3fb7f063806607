"""Consultation answers: one per person, closed refused, e-mail confirmation, tallies, follow-up."""

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.utils import timezone

from echos.core.abuse import make_token
from echos.core.exceptions import Conflict, RuleViolation
from echos.core.models import ActionLog
from echos.participation import services
from echos.participation.models import PENDING_HOURS, Answer, AnswerTally, Consultation
from echos.questionnaires.services import AnswersInvalid
from tests.participation.conftest import GOOD_ANSWERS

pytestmark = pytest.mark.django_db


def link_token(body: str) -> str:
    """The token of the confirmation link in an e-mail."""
    return re.search(r"/participate/confirm/([^/\s]+)/", body).group(1)


def tally(consultation, question, option=""):
    return AnswerTally.objects.get(
        consultation=consultation, question=question, option=option
    ).count


def test_opening_creates_tally_cells_and_audit(consultation):
    cells = set(
        AnswerTally.objects.filter(consultation=consultation).values_list("question", "option")
    )
    assert ("role", "") in cells and ("role", "citizen") in cells
    assert ("screening_awareness", "4") in cells
    assert ("idea", "") in cells and not any(q == "idea" and o for q, o in cells)
    assert consultation.instrument.kind == "consultation"
    assert ActionLog.objects.filter(action="participation.consultation.opened").count() == 1


def test_account_answer_is_counted_at_once(consultation, citizen):
    answer = services.submit_answer(consultation=consultation, answers=GOOD_ANSWERS, user=citizen)
    assert answer.is_confirmed and answer.email == ""
    assert answer.answers["screening_awareness"] == 3
    consultation.refresh_from_db()
    assert consultation.confirmed_count == 1
    assert tally(consultation, "role", "citizen") == 1
    assert tally(consultation, "objectives", "prevention") == 1
    assert tally(consultation, "objectives", "quality_of_life") == 1
    assert tally(consultation, "objectives") == 1
    assert tally(consultation, "screening_awareness", "3") == 1
    assert tally(consultation, "idea") == 1
    assert tally(consultation, "events_interest") == 0
    assert mail.outbox == []


def test_second_answer_of_same_account_is_refused(consultation, citizen):
    services.submit_answer(consultation=consultation, answers=GOOD_ANSWERS, user=citizen)
    with pytest.raises(Conflict) as exc:
        services.submit_answer(consultation=consultation, answers=GOOD_ANSWERS, user=citizen)
    assert "already" in exc.value.message
    assert Answer.objects.count() == 1
    assert tally(consultation, "role", "citizen") == 1


def test_anonymous_answer_is_pending_until_confirmed(consultation):
    answer = services.submit_answer(
        consultation=consultation, answers=GOOD_ANSWERS, email="  Ola@Example.ORG "
    )
    assert answer.email == "ola@example.org" and not answer.is_confirmed
    assert tally(consultation, "role", "citizen") == 0
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["ola@example.org"]
    token = link_token(mail.outbox[0].body)
    kind, confirmed = services.confirm(token)
    assert kind == "answer" and confirmed.is_confirmed
    consultation.refresh_from_db()
    assert consultation.confirmed_count == 1
    assert tally(consultation, "role", "citizen") == 1
    # Confirming twice changes nothing.
    services.confirm(token)
    assert tally(consultation, "role", "citizen") == 1


def test_second_answer_of_same_email_is_not_stored_and_the_address_is_told(consultation):
    """Case-insensitively one answer per address; the second submitter is not told (no
    Conflict: that would reveal the address took part), the address is."""
    first = services.submit_answer(
        consultation=consultation, answers=GOOD_ANSWERS, email="a@example.org"
    )
    mail.outbox.clear()
    other = {**GOOD_ANSWERS, "role": "patient"}
    again = services.submit_answer(consultation=consultation, answers=other, email="A@EXAMPLE.org")
    assert again.pk == first.pk and again.answers["role"] == "citizen"
    assert Answer.objects.count() == 1
    (notice,) = mail.outbox
    assert notice.to == ["a@example.org"] and "already answered" in notice.subject
    assert "nothing new was recorded" in notice.body
    # Still pending: the notice carries a working confirmation link of the earlier answer.
    services.confirm(link_token(notice.body))
    assert (
        tally(consultation, "role", "citizen") == 1 and tally(consultation, "role", "patient") == 0
    )
    # Once confirmed: the next notice has no link, and nothing is counted twice.
    cache.clear()
    services.submit_answer(consultation=consultation, answers=other, email="a@example.org")
    assert "/participate/confirm/" not in mail.outbox[-1].body
    consultation.refresh_from_db()
    assert consultation.confirmed_count == 1 and Answer.objects.count() == 1


def test_database_refuses_duplicates_even_without_the_service_check(consultation, citizen):
    Answer.objects.create(consultation=consultation, email="x@example.org", answers={})
    with pytest.raises(IntegrityError), transaction.atomic():
        Answer.objects.create(consultation=consultation, email="x@example.org", answers={})
    Answer.objects.create(consultation=consultation, user=citizen, answers={})
    with pytest.raises(IntegrityError), transaction.atomic():
        Answer.objects.create(consultation=consultation, user=citizen, answers={})
    # Erased identities (empty e-mail, no account) do not collide.
    Answer.objects.create(consultation=consultation, answers={})
    Answer.objects.create(consultation=consultation, answers={})


def test_expired_pending_answer_makes_room_for_a_new_one(consultation):
    old = services.submit_answer(
        consultation=consultation, answers=GOOD_ANSWERS, email="late@example.org"
    )
    Answer.objects.filter(pk=old.pk).update(
        created_at=timezone.now() - timedelta(hours=PENDING_HOURS + 1)
    )
    new = services.submit_answer(
        consultation=consultation, answers=GOOD_ANSWERS, email="late@example.org"
    )
    assert list(Answer.objects.values_list("pk", flat=True)) == [new.pk]


def test_answer_after_closing_is_refused_and_nothing_written(closed_consultation, citizen):
    with pytest.raises(RuleViolation) as exc:
        services.submit_answer(consultation=closed_consultation, answers=GOOD_ANSWERS, user=citizen)
    assert exc.value.field == "consultation" and "closed" in exc.value.message
    assert Answer.objects.count() == 0 and mail.outbox == []


def test_answer_before_opening_is_refused(consultation, citizen):
    Consultation.objects.filter(pk=consultation.pk).update(
        opens_at=timezone.now() + timedelta(days=1), closes_at=timezone.now() + timedelta(days=3)
    )
    consultation.refresh_from_db()
    with pytest.raises(RuleViolation, match="not open yet"):
        services.submit_answer(consultation=consultation, answers=GOOD_ANSWERS, user=citizen)


def test_invalid_answers_name_the_question_and_write_nothing(consultation, citizen):
    bad = {**GOOD_ANSWERS, "role": "astronaut", "objectives": ["a", "b"], "idea": "x" * 2001}
    bad.pop("involvement")
    with pytest.raises(AnswersInvalid) as exc:
        services.submit_answer(consultation=consultation, answers=bad, user=citizen)
    assert set(exc.value.errors) == {"role", "objectives", "idea", "involvement"}
    assert Answer.objects.count() == 0
    assert tally(consultation, "screening_awareness", "3") == 0


def test_hidden_conditional_answer_is_not_stored(consultation, citizen):
    answers = {**GOOD_ANSWERS, "barriers": ["cost"]}
    answer = services.submit_answer(consultation=consultation, answers=answers, user=citizen)
    assert "barriers_other" not in answer.answers
    assert tally(consultation, "barriers_other") == 0


def test_invalid_email_is_refused(consultation):
    with pytest.raises(RuleViolation) as exc:
        services.submit_answer(consultation=consultation, answers=GOOD_ANSWERS, email="nope")
    assert exc.value.field == "email"
    with pytest.raises(RuleViolation):
        services.submit_answer(consultation=consultation, answers=GOOD_ANSWERS, email="")
    assert Answer.objects.count() == 0


def test_account_only_consultation_refuses_anonymous(consultation):
    consultation.mode = Consultation.Mode.ACCOUNT
    consultation.save()
    with pytest.raises(RuleViolation, match="Sign in"):
        services.submit_answer(
            consultation=consultation, answers=GOOD_ANSWERS, email="a@example.org"
        )


def test_forged_and_expired_and_foreign_tokens_are_refused(consultation):
    answer = services.submit_answer(
        consultation=consultation, answers=GOOD_ANSWERS, email="a@example.org"
    )
    token = services.confirmation_token("answer", answer)
    with pytest.raises(RuleViolation, match="not valid"):
        services.confirm(token[:-3] + ("AAA" if not token.endswith("AAA") else "BBB"))
    with pytest.raises(RuleViolation, match="not valid"):
        services.confirm(make_token("events.register", {"k": "answer", "id": answer.pk}))
    with pytest.raises(RuleViolation, match="not valid"):
        services.confirm(make_token(services.TOKEN_PURPOSE, {"k": "user", "id": 1}))
    with pytest.raises(RuleViolation, match="expired"):
        _confirm_later(token)
    answer.refresh_from_db()
    assert not answer.is_confirmed
    assert tally(consultation, "role", "citizen") == 0


def _confirm_later(token):
    """Confirm as if PENDING_HOURS and a minute had passed since the token was made."""
    from unittest import mock

    later = timezone.now().timestamp() + PENDING_HOURS * 3600 + 60
    with mock.patch("django.core.signing.time.time", return_value=later):
        return services.confirm(token)


def test_tallies_match_answers(consultation, make_user):
    import random

    rng = random.Random(3)
    expected: dict[tuple[str, str], int] = {}
    for i in range(40):
        answers = {
            "role": rng.choice(["citizen", "patient", "carer"]),
            "objectives": rng.sample(["prevention", "understanding", "equitable_access"], 2),
            "screening_awareness": rng.randint(1, 4),
            "involvement": "inform",
        }
        services.submit_answer(consultation=consultation, answers=answers, user=make_user(f"p{i}"))
        for key in [
            ("role", answers["role"]),
            ("screening_awareness", str(answers["screening_awareness"])),
        ]:
            expected[key] = expected.get(key, 0) + 1
        for o in answers["objectives"]:
            expected[("objectives", o)] = expected.get(("objectives", o), 0) + 1
    for (q, o), n in expected.items():
        assert tally(consultation, q, o) == n
    rows = {r["code"]: r for r in services.results(consultation)}
    assert rows["role"]["answered"] == 40
    assert sum(r["count"] for r in rows["role"]["rows"]) == 40
    assert sum(r["count"] for r in rows["objectives"]["rows"]) == 80


def test_follow_up_is_shown_only_once_closed(consultation, closed_consultation, personas):
    services.publish_follow_up(
        actor=personas["coord_no"], consultation=consultation, text="We opened two clinics."
    )
    assert consultation.follow_up_published_at and not consultation.follow_up_visible
    services.publish_follow_up(
        actor=personas["editor_no"], consultation=closed_consultation, text="We did X."
    )
    assert closed_consultation.follow_up_visible
    services.publish_follow_up(
        actor=personas["editor_no"], consultation=closed_consultation, text=""
    )
    assert not closed_consultation.follow_up_visible
    assert (
        ActionLog.objects.filter(action__startswith="participation.consultation.follow_up").count()
        == 3
    )


def test_open_consultation_rules(hubs, personas):
    now = timezone.now()
    base = dict(
        actor=personas["coord_no"], hub=hubs["norway"], title="T", description="D",
        opens_at=now, closes_at=now + timedelta(days=1),
    )  # fmt: skip
    with pytest.raises(RuleViolation) as exc:
        services.open_consultation(**{**base, "closes_at": now - timedelta(days=1)})
    assert exc.value.field == "closes_at"
    with pytest.raises(RuleViolation) as exc:
        services.open_consultation(**{**base, "title": " "})
    assert exc.value.field == "title"
    with pytest.raises(RuleViolation) as exc:
        services.open_consultation(**{**base, "languages": ["en", "klingon"]})
    assert exc.value.field == "languages"
    with pytest.raises(RuleViolation) as exc:
        services.open_consultation(**{**base, "definition": "{not json"})
    assert exc.value.field == "definition"
    with pytest.raises(RuleViolation) as exc:
        services.open_consultation(
            **{
                **base,
                "definition": {
                    "sections": [{"code": "s", "questions": [{"code": "a", "type": "weird"}]}]
                },
            }
        )
    assert exc.value.field == "definition"
    assert Consultation.objects.count() == 0
    custom = services.open_consultation(
        **{
            **base,
            "definition": {
                "title": "Two questions",
                "sections": [
                    {
                        "code": "s",
                        "questions": [
                            {"code": "like", "type": "single", "required": True, "text": "Like it?",
                             "options": [{"value": "y", "label": "Yes"}, {"value": "n", "label": "No"}]},
                            {"code": "why", "type": "text", "text": "Why?"},
                        ],
                    }
                ],
            },
        }
    )  # fmt: skip
    assert custom.instrument.kind == "consultation"
    assert custom.instrument.definition["code"].startswith("consultation-")
    assert AnswerTally.objects.filter(consultation=custom).count() == 4
