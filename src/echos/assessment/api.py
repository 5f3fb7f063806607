"""Instruments, responses and maturity benchmarks over JSON (same services as the pages)."""

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.utils.translation import get_language
from ninja import File, Form, Router, Schema, Status
from ninja.files import UploadedFile

from echos.assessment import analysis, benchmarks, scoring, services
from echos.assessment import permissions as perms
from echos.assessment.models import ConsensusRound, Response
from echos.assessment.schemas import (
    EvidenceOut,
    HubMaturityOut,
    HubScoresOut,
    InstrumentDetailOut,
    InstrumentOut,
    MappingAnalysisOut,
    ResponseOut,
    RoundOut,
)
from echos.core.api import TokenAuth, api_user, page_of, paginate
from echos.core.exceptions import RuleViolation
from echos.core.models import Country
from echos.hubs.models import Hub
from echos.questionnaires import engine
from echos.questionnaires.models import Instrument
from echos.questionnaires.services import AnswersInvalid

router = Router(tags=["assessment"])
auth = TokenAuth()


class ResponseIn(Schema):
    instrument: str
    hub: int | None = None
    country: str | None = None


class AnswersIn(Schema):
    answers: dict
    submit: bool = False
    is_public: bool | None = None


def instrument_out(i: Instrument, full: bool = False) -> dict:
    out = {
        "code": i.code,
        "version": i.version,
        "kind": i.kind,
        "title": i.display_title,
        "current": i.is_current,
    }
    if full:
        # The texts in the request's language (plain strings); the definition as authored.
        texts = engine.localised(i.definition)
        out["language"] = get_language() or settings.LANGUAGE_CODE
        out["description"] = i.display_description
        out["sections"] = texts["sections"]
        out["definition"] = i.definition
    return out


def response_out(r: Response) -> dict:
    return {
        "id": r.pk,
        "instrument": r.instrument.code,
        "version": r.instrument.version,
        "hub": r.hub_id,
        "country": r.country_id,
        "kind": r.kind,
        "status": r.status,
        "answers": r.answers,
        "is_public": r.is_public,
        "overall_score": r.overall_score,
        "submitted_at": r.submitted_at.isoformat() if r.submitted_at else None,
        "supersedes": r.supersedes_id,
    }


@router.get("/instruments", response=page_of(InstrumentOut))
def list_instruments(request, limit: int = 50, offset: int = 0):
    services.current_instrument(services.MATURITY)
    return paginate(Instrument.objects.all(), limit, offset, instrument_out)


@router.get("/instruments/{code}", response=InstrumentDetailOut)
def get_instrument(request, code: str, version: int | None = None):
    qs = Instrument.objects.filter(code=code)
    instrument = (
        get_object_or_404(qs, version=version)
        if version
        else get_object_or_404(qs, is_current=True)
    )
    return instrument_out(instrument, full=True)


@router.post("/responses", response={201: ResponseOut}, auth=auth)
def create_response(request, payload: ResponseIn):
    instrument = Instrument.objects.filter(code=payload.instrument, is_current=True).first()
    if instrument is None:
        raise RuleViolation(f"No instrument {payload.instrument!r}.", "instrument")
    hub = Hub.objects.filter(pk=payload.hub).first() if payload.hub else None
    if payload.hub and hub is None:
        raise RuleViolation(f"No hub with id {payload.hub}.", "hub")
    country = (
        Country.objects.filter(pk=(payload.country or "").upper()).first()
        if payload.country
        else None
    )
    if payload.country and country is None:
        raise RuleViolation(f"Unknown country {payload.country!r}.", "country")
    response = services.start_response(
        actor=request.user, instrument=instrument, hub=hub, country=country
    )
    return Status(201, response_out(response))


@router.get("/responses/{response_id}", response=ResponseOut)
def get_response(request, response_id: int):
    response = get_object_or_404(
        Response.objects.select_related("instrument", "hub"), pk=response_id
    )
    if not perms.can_read_response(api_user(request), response):
        raise PermissionDenied("These answers are private.")
    return response_out(response)


@router.patch("/responses/{response_id}", response=ResponseOut, auth=auth)
def answer(request, response_id: int, payload: AnswersIn):
    """Save answers to a draft; with ``submit`` the response is checked and submitted."""
    response = get_object_or_404(
        Response.objects.select_related("instrument", "hub"), pk=response_id
    )
    if not perms.can_read_response(request.user, response):
        raise PermissionDenied("These answers are private.")
    errors = services.save_draft(actor=request.user, response=response, answers=payload.answers)
    if errors:
        raise AnswersInvalid(errors)
    if payload.submit:
        response = services.submit_response(
            actor=request.user, response=response, is_public=payload.is_public
        )
    response.refresh_from_db()
    return response_out(response)


@router.get("/hubs/{hub_id}/maturity", response=HubMaturityOut)
def hub_maturity(request, hub_id: int):
    hub = get_object_or_404(Hub, pk=hub_id)
    if not perms.can_view_hub_scores(api_user(request), hub):
        raise PermissionDenied("This hub's scores are private.")
    definition = benchmarks.maturity_definition()
    codes = [scoring.dimension_of(q) for q in scoring.dimension_questions(definition)]
    scores = benchmarks.latest_scores()
    own = next((s for s in scores if s["hub_id"] == hub.pk), None)
    network = scoring.medians(scores, codes)
    user = api_user(request)
    return {
        "hub": hub.pk,
        "overall": own["overall"] if own else None,
        "level": own["overall_level"] if own else None,
        "dimensions": own["dimensions"] if own else {},
        # A median is null when fewer than median_min_hubs hubs are scored in that dimension.
        "network_median": network,
        "stage_median": scoring.medians([s for s in scores if s["stage"] == hub.stage], codes),
        "median_min_hubs": scoring.MEDIAN_MIN_HUBS,
        "history": [
            {"date": h["date"].isoformat(), "overall": h["overall"], "dimensions": h["dimensions"]}
            for h in benchmarks.hub_history(hub, user)
        ],
        "recommendations": scoring.recommendations(
            definition,
            own["dimensions"],
            network,
            benchmarks.peers_visible_to(user, scores, hub),
        )
        if own
        else [],
    }


@router.get("/maturity", response=page_of(HubScoresOut), auth=auth)
def network_maturity(request, limit: int = 100, offset: int = 0):
    if not perms.can_view_network(request.user):
        raise PermissionDenied("The network view is for network coordinators.")
    scores = benchmarks.latest_scores()
    items = [
        {k: (v.isoformat() if k == "submitted_at" else v) for k, v in s.items()} for s in scores
    ]
    return paginate(items, limit, offset, lambda s: s)


@router.get("/mapping/analysis", response=MappingAnalysisOut, auth=auth, exclude_unset=True)
def mapping_analysis(request, question: str | None = None):
    if not perms.can_view_network(request.user):
        raise PermissionDenied("The mapping analysis is for network coordinators.")
    definition, rows = benchmarks.mapping_rows()
    dists = analysis.distributions(definition, rows)
    out = {
        "countries": len(rows),
        "distributions": dists,
        "traits": analysis.common_and_unique(dists, len(rows)),
        "clusters": analysis.cluster(definition, rows, seed=0),
    }
    if question:
        try:
            out["by_country"] = analysis.answers_by_country(definition, rows, question)
        except KeyError:
            raise RuleViolation(f"Unknown question {question!r}.", "question") from None
    return out


class ConsensusIn(Schema):
    levels: dict[str, int]
    notes: dict[str, str] = {}
    is_public: bool = False


def round_out(round: ConsensusRound) -> dict:
    return {
        "id": round.pk,
        "hub": round.hub_id,
        "status": round.status,
        "opened_at": round.opened_at.isoformat(),
        "consensus": round.consensus_id,
        "spread": services.round_spread(round),
    }


@router.post("/hubs/{hub_id}/consensus-rounds", response={201: RoundOut}, auth=auth)
def open_round(request, hub_id: int):
    """Open a consensus round: each member of the hub's team then rates the hub."""
    return Status(
        201,
        round_out(services.open_round(actor=request.user, hub=get_object_or_404(Hub, pk=hub_id))),
    )


@router.get("/consensus-rounds/{round_id}", response=RoundOut, auth=auth)
def get_round(request, round_id: int):
    round = get_object_or_404(
        ConsensusRound.objects.select_related("hub", "instrument"), pk=round_id
    )
    if not (
        perms.can_manage_round(request.user, round.hub)
        or perms.can_rate_in_round(request.user, round)
    ):
        raise PermissionDenied("Only the hub's team sees its ratings.")
    return round_out(round)


@router.post("/consensus-rounds/{round_id}/ratings", response={201: ResponseOut}, auth=auth)
def start_rating(request, round_id: int):
    """Start (or resume) the caller's individual rating; answer it with PATCH /responses/{id}."""
    round = get_object_or_404(
        ConsensusRound.objects.select_related("hub", "instrument"), pk=round_id
    )
    response = services.start_response(actor=request.user, instrument=round.instrument, round=round)
    return Status(201, response_out(response))


@router.post("/consensus-rounds/{round_id}/consensus", response={201: ResponseOut}, auth=auth)
def record_consensus(request, round_id: int, payload: ConsensusIn):
    """Record the agreed level per dimension (1–5) and notes; it becomes the hub's assessment."""
    round = get_object_or_404(
        ConsensusRound.objects.select_related("hub", "instrument"), pk=round_id
    )
    response = services.record_consensus(
        actor=request.user,
        round=round,
        levels=payload.levels,
        notes=payload.notes,
        is_public=payload.is_public,
    )
    return Status(201, response_out(response))


@router.post("/responses/{response_id}/evidence", response={201: EvidenceOut}, auth=auth)
def add_evidence(
    request,
    response_id: int,
    question: str = Form(...),
    link: str = Form(""),
    file: UploadedFile | None = File(None),
):
    """Attach a link or a file (multipart) to an answer of a draft."""
    response = get_object_or_404(
        Response.objects.select_related("instrument", "hub"), pk=response_id
    )
    evidence = services.add_evidence(
        actor=request.user, response=response, question=question, link=link, upload=file
    )
    return Status(201, evidence_out(evidence))


def evidence_out(evidence) -> dict:
    return {
        "id": evidence.pk,
        "question": evidence.question,
        "link": evidence.link,
        "file": evidence.filename,
    }
