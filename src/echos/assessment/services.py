"""The shipped instruments, responses, evidence and consensus rounds: guard, transaction, audit."""

from collections.abc import Iterable
from pathlib import Path
from typing import cast

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from echos.assessment import permissions as perms
from echos.assessment import scoring
from echos.assessment.models import ConsensusRound, Evidence, Response
from echos.core.audit import log_action
from echos.core.exceptions import Conflict, RuleViolation, guard
from echos.core.models import Country
from echos.hubs.models import Hub, Organisation
from echos.questionnaires import engine
from echos.questionnaires.models import Instrument
from echos.questionnaires.services import AnswersInvalid, publish_directory

INSTRUMENTS_DIR = Path(__file__).resolve().parent / "data" / "instruments"
MAPPING = "mapping-survey"
MATURITY = "ncmh-maturity"
# A hub or a country answers these itself; registration and consultation questionnaires are
# answered by people through the events and participation flows, never as a hub's response.
HUB_RESPONSE_KINDS = frozenset({Instrument.Kind.SURVEY, Instrument.Kind.MATURITY})


class NotAHubInstrument(RuleViolation):
    """The instrument is not one a hub or a country answers (the request names the wrong one)."""

    status = 422


# --- instruments ------------------------------------------------------------------------------


def load_instruments() -> list[Instrument]:
    """Publish the shipped instruments (idempotent)."""
    return publish_directory(INSTRUMENTS_DIR)


def current_instrument(code: str) -> Instrument:
    """The current version of an instrument, loading the shipped ones on first use."""
    instrument = Instrument.objects.filter(code=code, is_current=True).first()
    if instrument is None:
        load_instruments()
        instrument = Instrument.objects.get(code=code, is_current=True)
    return instrument


def organisation_names(ids: Iterable[int]) -> dict[int, str]:
    """{id: name} of the hubs' organisations among ``ids``, by name (the engine's lookup)."""
    return dict(Organisation.objects.filter(pk__in=ids).values_list("pk", "name"))


# --- responses ------------------------------------------------------------------------------------


@transaction.atomic
def start_response(
    *,
    actor,
    instrument: Instrument,
    hub: Hub | None = None,
    country: Country | None = None,
    round: ConsensusRound | None = None,
) -> Response:
    """Open a draft (or return the actor's existing draft for the same target, to resume it)."""
    if round is not None:
        hub, instrument = round.hub, round.instrument
    if hub is None and country is None:
        raise RuleViolation(_("Choose a hub or a country."), "hub")
    if hub is not None:
        country = hub.country
    if round is not None:
        guard(perms.can_rate_in_round(actor, round), actor)
    else:
        guard(perms.can_answer_for(actor, hub), actor)
        if hub is None and Hub.objects.national().filter(country=country).exists():
            raise RuleViolation(
                _("This country has a national hub: answer for the hub instead."), "country"
            )
    if instrument.kind not in HUB_RESPONSE_KINDS:
        raise NotAHubInstrument(
            _(
                "Only the mapping survey and the maturity model are answered for a hub or a country."
            ),
            "instrument",
        )
    if not instrument.is_current:
        raise RuleViolation(_("This version of the instrument has been replaced."), "instrument")
    kind = Response.Kind.INDIVIDUAL if round is not None else Response.Kind.OFFICIAL
    respondent = actor if actor is not None and actor.is_authenticated else None
    draft = Response.objects.filter(
        instrument=instrument,
        hub=hub,
        country=country,
        round=round,
        kind=kind,
        respondent=respondent,
        status=Response.Status.DRAFT,
    ).first()
    if draft:
        return draft
    previous = (
        Response.objects.submitted()
        .filter(instrument__code=instrument.code, hub=hub, country=country, kind=kind, round=round)
        .order_by("-submitted_at")
        .first()
    )
    response = Response.objects.create(
        instrument=instrument,
        hub=hub,
        country=cast(Country, country),  # the hub's when not given
        round=round,
        kind=kind,
        respondent=respondent,
        # Start from the last submitted answers so a yearly update is a review, not a retyping.
        answers=dict(previous.answers)
        if previous and previous.instrument_id == instrument.pk
        else {},
    )
    log_action(
        actor=actor,
        action="assessment.response.started",
        target=response,
        data={"instrument": instrument.code, "version": instrument.version},
    )
    return response


@transaction.atomic
def save_draft(*, actor, response: Response, answers: dict) -> dict[str, str]:
    """Keep the valid answers of a draft and return the errors of the others."""
    response = Response.objects.select_for_update().select_related("instrument").get(pk=response.pk)
    guard(perms.can_edit_response(actor, response), actor)
    if response.status != Response.Status.DRAFT:
        raise Conflict(_("A submitted response cannot be changed; start a new one."), "status")
    cleaned, errors = engine.validate(response.instrument.definition, answers, complete=False)
    response.answers = cleaned
    response.save(update_fields=["answers", "updated_at"])
    return errors


@transaction.atomic
def submit_response(
    *, actor, response: Response, answers: dict | None = None, is_public: bool | None = None
) -> Response:
    """Check every required answer, freeze the response and supersede the previous one."""
    response = Response.objects.select_for_update().get(pk=response.pk)
    guard(perms.can_edit_response(actor, response), actor)
    if response.status != Response.Status.DRAFT:
        raise Conflict(_("This response has already been submitted."), "status")
    if response.round is not None and response.round.status != ConsensusRound.Status.OPEN:
        raise Conflict(_("This consensus round is closed."), "round")
    definition = response.instrument.definition
    cleaned, errors = engine.validate(
        definition, response.answers if answers is None else answers, complete=True
    )
    if errors:
        raise AnswersInvalid(errors)
    previous = (
        Response.objects.submitted()
        .select_for_update()
        .filter(
            instrument__code=response.instrument.code,
            hub=response.hub_id,
            country=response.country_id,
            kind=response.kind,
            round=response.round_id,
        )
        .exclude(pk=response.pk)
    )
    if response.kind == Response.Kind.INDIVIDUAL:
        previous = previous.filter(respondent=response.respondent_id)
    previous = previous.first()
    if previous:
        previous.status = Response.Status.SUPERSEDED
        previous.save(update_fields=["status", "updated_at"])
        response.supersedes = previous
    response.answers = cleaned
    response.status = Response.Status.SUBMITTED
    response.submitted_at = timezone.now()
    if is_public is not None:
        response.is_public = is_public
    if response.instrument.kind == Instrument.Kind.MATURITY:
        response.overall_score = scoring.score(definition, cleaned)["overall"]
    response.save()
    log_action(
        actor=actor,
        action="assessment.response.submitted",
        target=response,
        data={
            "instrument": response.instrument.code,
            "hub": response.hub_id,
            "country": response.country_id,
            "supersedes": previous.pk if previous else None,
            "overall": response.overall_score,
        },
    )
    return response


@transaction.atomic
def add_evidence(
    *, actor, response: Response, question: str, link: str = "", upload=None
) -> Evidence:
    """Attach a link or a file to an answer of a draft."""
    guard(perms.can_edit_response(actor, response), actor)
    if question not in {q.code for q in engine.questions(response.instrument.definition)}:
        raise RuleViolation(_("Unknown question."), "question")
    if not link and upload is None:
        raise RuleViolation(_("Give a link or choose a file."), "file")
    evidence = Evidence(
        response=response,
        question=question,
        uploaded_by=actor if actor and actor.is_authenticated else None,
    )
    if link:
        try:
            engine._clean(engine.Question(question, "evidence", "", ""), {"link": link})
        except ValueError as exc:
            raise RuleViolation(str(exc), "link") from None
        evidence.link = link
    if upload is not None:
        evidence.filename = engine.clean_evidence_file(upload).name
        evidence.file.save(evidence.filename, upload, save=False)
    evidence.save()
    log_action(
        actor=actor,
        action="assessment.evidence.added",
        target=response,
        data={
            "question": question,
            "evidence": evidence.pk,
            "file": evidence.filename,
            "link": link,
        },
    )
    return evidence


# --- consensus ------------------------------------------------------------------------------------


@transaction.atomic
def open_round(*, actor, hub: Hub) -> ConsensusRound:
    """Invite the hub's team to rate the hub individually on the maturity model."""
    guard(perms.can_manage_round(actor, hub), actor)
    if hub.consensus_rounds.filter(status=ConsensusRound.Status.OPEN).exists():
        raise Conflict(_("A consensus round is already open for this hub."), "hub")
    round = ConsensusRound.objects.create(
        hub=hub,
        instrument=current_instrument(MATURITY),
        opened_by=actor if actor and actor.is_authenticated else None,
    )
    log_action(actor=actor, action="assessment.round.opened", target=hub, data={"round": round.pk})
    return round


def round_spread(round: ConsensusRound) -> list[dict]:
    """Where the submitted individual ratings of a round agree and disagree."""
    ratings = [
        r.answers
        for r in round.responses.filter(
            status=Response.Status.SUBMITTED, kind=Response.Kind.INDIVIDUAL
        )
    ]
    return scoring.spread(round.instrument.definition, ratings)


@transaction.atomic
def record_consensus(
    *,
    actor,
    round: ConsensusRound,
    levels: dict[str, int],
    notes: dict[str, str],
    is_public: bool = False,
) -> Response:
    """Record the agreed level per dimension (with notes) as the hub's official assessment."""
    round = ConsensusRound.objects.select_for_update().get(pk=round.pk)
    guard(perms.can_manage_round(actor, round.hub), actor)
    if round.status != ConsensusRound.Status.OPEN:
        raise Conflict(_("The consensus of this round is already recorded."), "round")
    definition = round.instrument.definition
    answers: dict[str, object] = {
        q.code: levels.get(scoring.dimension_of(q)) for q in scoring.dimension_questions(definition)
    }
    answers.update({f"{dim}_notes": note for dim, note in notes.items() if note})
    answers = {k: v for k, v in answers.items() if v not in (None, "")}
    response = Response.objects.create(
        instrument=round.instrument,
        hub=round.hub,
        country=round.hub.country,
        kind=Response.Kind.OFFICIAL,
        respondent=actor if actor and actor.is_authenticated else None,
        answers=answers,
        notes=notes,
    )
    response = submit_response(actor=actor, response=response, is_public=is_public)
    round.status = ConsensusRound.Status.CLOSED
    round.consensus = response
    round.save(update_fields=["status", "consensus"])
    log_action(
        actor=actor,
        action="assessment.round.consensus_recorded",
        target=round.hub,
        data={"round": round.pk, "response": response.pk, "levels": levels},
    )
    return response
