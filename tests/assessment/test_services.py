"""Instrument versions, drafts and submission, superseding, evidence and consensus rounds."""

import copy

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile

from echos.assessment import services
from echos.assessment.models import ConsensusRound, Response
from echos.core.exceptions import Conflict, RuleViolation
from echos.core.models import ActionLog, Country
from echos.questionnaires.models import Instrument
from echos.questionnaires.services import AnswersInvalid, publish_instrument

pytestmark = pytest.mark.django_db


def test_changing_an_unanswered_instrument_updates_it_in_place(instruments):
    changed = copy.deepcopy(instruments["maturity"].definition)
    changed["title"] = "NCMH maturity model (revised)"
    again = publish_instrument(changed)
    assert again.pk == instruments["maturity"].pk and again.version == 1


def test_changing_an_answered_instrument_creates_a_new_version(
    instruments, hubs, personas, levels_answers
):
    response = services.start_response(
        actor=personas["coord_no"], instrument=instruments["maturity"], hub=hubs["norway"]
    )
    services.submit_response(
        actor=personas["coord_no"], response=response, answers=levels_answers(3)
    )
    changed = copy.deepcopy(instruments["maturity"].definition)
    changed["sections"][0]["questions"][0]["text"] = "How is the hub governed today?"
    v2 = publish_instrument(changed)
    assert v2.version == 2 and v2.is_current
    response.refresh_from_db()
    assert response.instrument.version == 1 and not response.instrument.is_current
    assert Instrument.objects.filter(code=services.MATURITY).count() == 2
    assert publish_instrument(changed).pk == v2.pk  # unchanged: no third version


def test_a_draft_is_resumed_not_duplicated(instruments, hubs, personas):
    first = services.start_response(
        actor=personas["coord_no"], instrument=instruments["maturity"], hub=hubs["norway"]
    )
    errors = services.save_draft(
        actor=personas["coord_no"],
        response=first,
        answers={"governance_level": 2, "representation_level": 9},
    )
    assert list(errors) == ["representation_level"]
    again = services.start_response(
        actor=personas["coord_no"], instrument=instruments["maturity"], hub=hubs["norway"]
    )
    assert again.pk == first.pk and again.answers == {"governance_level": 2}


def test_submit_names_every_missing_required_answer(instruments, hubs, personas):
    response = services.start_response(
        actor=personas["coord_no"], instrument=instruments["maturity"], hub=hubs["norway"]
    )
    with pytest.raises(AnswersInvalid) as exc:
        services.submit_response(
            actor=personas["coord_no"], response=response, answers={"governance_level": 3}
        )
    assert len(exc.value.errors) == 7 and "governance_level" not in exc.value.errors
    response.refresh_from_db()
    assert response.status == Response.Status.DRAFT


def test_submitted_response_is_immutable_and_a_new_one_supersedes_it(
    instruments, hubs, personas, levels_answers
):
    coord = personas["coord_no"]
    first = services.start_response(
        actor=coord, instrument=instruments["maturity"], hub=hubs["norway"]
    )
    services.submit_response(actor=coord, response=first, answers=levels_answers(2))
    with pytest.raises(PermissionDenied):
        services.save_draft(actor=coord, response=first, answers=levels_answers(5))
    with pytest.raises((Conflict, PermissionDenied)):
        services.submit_response(actor=coord, response=first, answers=levels_answers(5))
    second = services.start_response(
        actor=coord, instrument=instruments["maturity"], hub=hubs["norway"]
    )
    assert second.pk != first.pk and second.answers == levels_answers(
        2
    )  # starts from the last answers
    services.submit_response(actor=coord, response=second, answers=levels_answers(4))
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.status == Response.Status.SUPERSEDED and first.answers == levels_answers(2)
    assert second.supersedes_id == first.pk and second.overall_score == 4
    assert Response.objects.submitted().official().filter(hub=hubs["norway"]).count() == 1
    assert ActionLog.objects.filter(action="assessment.response.submitted").count() == 2


def test_country_without_hub_is_mapped_by_the_network(instruments, personas, hubs):
    fr = Country.objects.get(pk="FR")
    with pytest.raises(PermissionDenied):
        services.start_response(
            actor=personas["coord_no"], instrument=instruments["mapping"], country=fr
        )
    response = services.start_response(
        actor=personas["network"], instrument=instruments["mapping"], country=fr
    )
    assert response.hub is None and response.country_id == "FR"
    with pytest.raises(RuleViolation):
        services.start_response(
            actor=personas["network"],
            instrument=instruments["mapping"],
            country=Country.objects.get(pk="NO"),
        )


def test_mapping_survey_validation_names_fields(instruments, hubs, personas):
    response = services.start_response(
        actor=personas["coord_no"], instrument=instruments["mapping"], hub=hubs["norway"]
    )
    errors = services.save_draft(
        actor=personas["coord_no"],
        response=response,
        answers={"staff_fte": -2, "annual_budget": {"amount": 50000}, "year_founded": 1800},
    )
    assert set(errors) >= {"staff_fte", "annual_budget", "year_founded"}
    assert "currency" in errors["annual_budget"]


@pytest.mark.parametrize(
    ("name", "size", "ok"),
    [
        ("minutes.pdf", 1000, True),
        ("tool.exe", 10, False),
        ("page.html", 10, False),
        ("big.pdf", 11 * 1024 * 1024, False),
    ],
)
def test_evidence_files_are_checked(instruments, hubs, personas, name, size, ok):
    response = services.start_response(
        actor=personas["coord_no"], instrument=instruments["maturity"], hub=hubs["norway"]
    )
    upload = SimpleUploadedFile(name, b"%PDF-1.4\n".ljust(size, b"x"))
    if ok:
        evidence = services.add_evidence(
            actor=personas["coord_no"],
            response=response,
            question="governance_level",
            upload=upload,
        )
        assert evidence.filename == name and evidence.file
    else:
        with pytest.raises(RuleViolation) as exc:
            services.add_evidence(
                actor=personas["coord_no"],
                response=response,
                question="governance_level",
                upload=upload,
            )
        assert exc.value.field == "file"
        assert not response.evidence.exists()


def test_consensus_round(instruments, hubs, personas, levels_answers):
    hub = hubs["norway"]
    with pytest.raises(PermissionDenied):
        services.open_round(actor=personas["editor_no"], hub=hub)
    round = services.open_round(actor=personas["coord_no"], hub=hub)
    with pytest.raises(Conflict):
        services.open_round(actor=personas["coord_no"], hub=hub)
    for user, level in [
        (personas["coord_no"], 2),
        (personas["editor_no"], 3),
        (personas["member_no"], 5),
    ]:
        r = services.start_response(actor=user, instrument=round.instrument, round=round)
        services.submit_response(actor=user, response=r, answers=levels_answers(level))
    with pytest.raises(PermissionDenied):
        services.start_response(
            actor=personas["coord_pt"], instrument=round.instrument, round=round
        )
    spread = services.round_spread(round)
    assert (
        spread[0]["values"] == [2, 3, 5]
        and spread[0]["flag"] == "disagree"
        and spread[0]["median"] == 3
    )
    assert (
        not Response.objects.submitted().official().filter(hub=hub).exists()
    )  # ratings are not the score
    agreed = {row["dimension"]: 3 for row in spread}
    with pytest.raises(AnswersInvalid):
        services.record_consensus(
            actor=personas["coord_no"], round=round, levels={"governance": 3}, notes={}
        )
    official = services.record_consensus(
        actor=personas["coord_no"],
        round=round,
        levels=agreed,
        notes={"governance": "We agreed after discussing the minutes."},
    )
    round.refresh_from_db()
    assert round.status == ConsensusRound.Status.CLOSED and round.consensus == official
    assert official.kind == "official" and official.overall_score == 3
    assert official.answers["governance_notes"].startswith("We agreed")
    with pytest.raises(Conflict):
        services.record_consensus(actor=personas["coord_no"], round=round, levels=agreed, notes={})


def test_load_instruments_command_is_idempotent(db):
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    call_command("load_instruments", stdout=out)
    call_command("load_instruments", stdout=out)
    assert "ncmh-maturity v1" in out.getvalue()
    assert Instrument.objects.count() == 2
