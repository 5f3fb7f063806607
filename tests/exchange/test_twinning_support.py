"""Twinning date rules and levels read from the assessments; support request threads, status and
time to first answer, with the e-mails they send."""

from datetime import date, timedelta

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied

from echos.core.exceptions import RuleViolation
from echos.exchange import support, twinning
from echos.exchange.models import SupportRequest, Twinning


def _twin(h, **overrides):
    data = {
        "title": "Funding mentoring",
        "hubs": [h["norway"], h["portugal"]],
        "dimensions": ["funding"],
        "goals": "Learn how to secure multi-year funding.",
        "start": date(2025, 1, 1),
        "end": date(2025, 12, 31),
    }
    data.update(overrides)
    return twinning.create_twinning(actor=None, **data)


def test_agreement_ending_before_it_starts_is_refused(hubs):
    with pytest.raises(RuleViolation) as err:
        _twin(hubs, end=date(2024, 12, 1))
    assert err.value.field == "end"
    with pytest.raises(RuleViolation) as err:
        _twin(hubs, end=date(2025, 1, 1))
    assert err.value.field == "end"
    assert not Twinning.objects.exists()


def test_a_hub_cannot_be_twinned_with_itself(hubs):
    with pytest.raises(RuleViolation) as err:
        _twin(hubs, hubs=[hubs["norway"], hubs["norway"]])
    assert err.value.field == "hubs"
    with pytest.raises(RuleViolation) as err:
        _twin(hubs, hubs=[hubs["norway"]])
    assert err.value.field == "hubs"


def test_milestone_outside_the_agreement_is_refused_and_nothing_is_half_written(hubs):
    with pytest.raises(RuleViolation) as err:
        _twin(hubs, milestones=[{"title": "Visit", "due": date(2026, 6, 1)}])
    assert err.value.field == "milestones"
    assert not Twinning.objects.exists()


def test_levels_before_and_after_are_read_from_the_assessments(hubs, monkeypatch):
    from echos.exchange import twinning as module

    levels = {
        hubs["norway"].pk: {"funding": 4, "governance": 3},
        hubs["portugal"].pk: {"funding": 2},
    }
    monkeypatch.setattr(module, "latest_levels", lambda hub: levels.get(hub.pk, {}))
    t = _twin(hubs)
    assert t.levels_before == {
        str(hubs["norway"].pk): {"funding": 4},
        str(hubs["portugal"].pk): {"funding": 2},
    }
    levels[hubs["portugal"].pk] = {"funding": 3}
    t = twinning.update_twinning(
        actor=None, twinning=t, status="completed", outcome="A funding plan."
    )
    assert t.levels_after[str(hubs["portugal"].pk)] == {"funding": 3}


def test_latest_levels_reads_a_submitted_assessment(hubs):
    from echos.assessment import services as assessment
    from echos.assessment.scoring import dimension_questions
    from echos.exchange.levels import latest_levels

    instrument = assessment.current_instrument(assessment.MATURITY)
    response = assessment.start_response(actor=None, instrument=instrument, hub=hubs["portugal"])
    answers = {q.code: 3 for q in dimension_questions(instrument.definition)}
    assessment.submit_response(actor=None, response=response, answers=answers)
    found = latest_levels(hubs["portugal"])
    assert found and set(found.values()) == {3}
    assert latest_levels(hubs["norway"]) == {}


def test_levels_outside_one_to_five_are_refused(hubs):
    with pytest.raises(RuleViolation) as err:
        _twin(hubs, levels_before={str(hubs["norway"].pk): {"funding": 7}})
    assert err.value.field == "levels_before"


def _request(hubs, personas, **extra):
    data = {
        "hub": hubs["portugal"],
        "title": "How do you fund a secretariat?",
        "text": "We need ideas for multi-year funding.",
        "dimension": "funding",
    }
    data.update(extra)
    return support.create_request(actor=personas["coord_pt"], **data)


def test_thread_status_and_time_to_first_answer(hubs, personas, django_capture_on_commit_callbacks):
    personas["coord_pt"].email = "pt@example.invalid"
    personas["coord_pt"].save()
    r = _request(hubs, personas)
    assert r.status == "open" and r.hours_to_first_answer is None
    # A follow-up by the asking hub is no answer.
    support.answer(actor=personas["coord_pt"], request=r, text="More detail: 3 staff.")
    r.refresh_from_db()
    assert r.status == "open"
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        support.answer(
            actor=personas["coord_no"],
            request=r,
            text="We use a consortium fee.",
            hub=hubs["norway"],
        )
    r.refresh_from_db()
    assert r.status == "answered" and r.first_answered_at is not None
    assert r.time_to_first_answer >= timedelta(0)
    assert any("pt@example.invalid" in m.to for m in mail.outbox)
    support.set_request_status(actor=personas["coord_pt"], request=r, status="closed")
    r.refresh_from_db()
    assert r.status == "closed" and r.closed_at
    with pytest.raises(PermissionDenied):  # closed: nobody answers any more
        support.answer(actor=personas["coord_no"], request=r, text="Late")
    support.set_request_status(actor=personas["coord_pt"], request=r, status="open")
    r.refresh_from_db()
    assert r.status == "answered"


def test_answering_in_the_name_of_another_hub_is_refused(hubs, personas):
    r = _request(hubs, personas)
    with pytest.raises(RuleViolation) as err:
        support.answer(actor=personas["coord_no"], request=r, text="x", hub=hubs["portugal"])
    assert err.value.field == "hub"


def test_a_hub_cannot_ask_itself(hubs, personas):
    with pytest.raises(RuleViolation) as err:
        _request(hubs, personas, asked_hubs=[hubs["portugal"].pk])
    assert err.value.field == "asked_hubs"
    assert not SupportRequest.objects.exists()


def test_unknown_topic_names_the_field(hubs, personas):
    with pytest.raises(RuleViolation) as err:
        _request(hubs, personas, dimension="charisma")
    assert err.value.field == "dimension"
    with pytest.raises(RuleViolation) as err:
        _request(hubs, personas, objective="nothing")
    assert err.value.field == "objective"


def test_asked_hubs_are_emailed(hubs, personas, django_capture_on_commit_callbacks):
    personas["coord_no"].email = "no@example.invalid"
    personas["coord_no"].save()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        _request(hubs, personas, visibility="private", asked_hubs=[hubs["norway"].pk])
    assert [m.to for m in mail.outbox] == [["no@example.invalid"]]


def test_suggestions_respect_the_privacy_of_scores(hubs, personas):
    from echos.assessment import services as assessment
    from echos.assessment.scoring import dimension_questions

    instrument = assessment.current_instrument(assessment.MATURITY)
    response = assessment.start_response(actor=None, instrument=instrument, hub=hubs["norway"])
    answers = {q.code: 5 for q in dimension_questions(instrument.definition)}
    assessment.submit_response(actor=None, response=response, answers=answers)
    r = _request(hubs, personas)
    # Norway's results are private: Portugal's coordinator is not told about them.
    response.refresh_from_db()
    assert not response.is_public
    assert support.suggestions(personas["coord_pt"], r) == []
    assert [s["hub_id"] for s in support.suggestions(personas["network"], r)] == [hubs["norway"].pk]
    response.is_public = True
    response.save()
    found = support.suggestions(personas["coord_pt"], r)
    assert [s["hub_id"] for s in found] == [hubs["norway"].pk]
    assert "5" in found[0]["reason"]
