"""Twinning agreements and support requests over JSON (part of the /api/v1/exchange/ router).

An agreement is seen by its hubs' teams and the network; a private request by the asking hub's
team, the hubs asked and the network; a network-visible one by every signed-in caller. Another
hub's agreement or private request answers 403 and nothing changes.
"""

from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Path, Query, Router, Status

from echos.core.api import TokenAuth, page_of, paginate
from echos.core.exceptions import RuleViolation, guard
from echos.exchange import permissions as perms
from echos.exchange import support, twinning
from echos.exchange.models import Milestone, SupportRequest, Twinning
from echos.exchange.schemas import (
    MAX_ID,
    AnswerIn,
    ExchangeStatusIn,
    ExchangeSuggestionOut,
    MilestoneIn,
    NoteIn,
    SupportRequestIn,
    SupportRequestOut,
    TwinningIn,
    TwinningOut,
    TwinningPatch,
)
from echos.hubs.models import Hub

router = Router(tags=["exchange"])
auth = TokenAuth()


def twinning_out(t: Twinning) -> dict:
    return {
        "id": t.pk,
        "title": t.title,
        "hubs": sorted(h.pk for h in t.hubs.all()),
        "dimensions": list(t.dimensions),
        "goals": t.goals,
        "start": t.start,
        "end": t.end,
        "duration_days": t.duration_days,
        "practice": t.practice,
        "adaptation": t.adaptation,
        "outcome": t.outcome,
        "status": t.status,
        "levels_before": t.levels_before,
        "levels_after": t.levels_after,
        "milestones": [
            {"id": m.pk, "title": m.title, "due": m.due, "done_on": m.done_on}
            for m in t.milestones.all()
        ],
        "notes": [{"id": n.pk, "text": n.text, "at": n.at.isoformat()} for n in t.notes.all()],
        "is_demo": t.is_demo,
        "url": t.get_absolute_url(),
    }


def _twinning(user, twinning_id: int) -> Twinning:
    t = get_object_or_404(Twinning, pk=twinning_id)
    guard(perms.can_view_twinning(user, t), user)
    return t


@router.get("/exchange/twinnings", response=page_of(TwinningOut), auth=auth)
def list_twinnings(request, limit: int = 50, offset: int = 0):
    """Agreements of the caller's hubs (every agreement for the network)."""
    ids = perms.team_hub_ids(request.user)
    qs = Twinning.objects.prefetch_related("hubs", "milestones", "notes").order_by("pk")
    if ids is not None:
        qs = qs.filter(hubs__in=ids).distinct()
    return paginate(qs, limit, offset, twinning_out)


@router.get("/exchange/twinnings/{twinning_id}", response=TwinningOut, auth=auth)
def get_twinning(request, twinning_id: int = Path(..., ge=1, le=MAX_ID)):
    return twinning_out(_twinning(request.user, twinning_id))


@router.post("/exchange/twinnings", response={201: TwinningOut}, auth=auth)
def create_twinning(request, payload: TwinningIn):
    data = payload.dict()
    data["milestones"] = [m for m in data["milestones"]]
    t = twinning.create_twinning(actor=request.user, **data)
    return Status(201, twinning_out(t))


@router.patch("/exchange/twinnings/{twinning_id}", response=TwinningOut, auth=auth)
def patch_twinning(request, payload: TwinningPatch, twinning_id: int = Path(..., ge=1, le=MAX_ID)):
    t = _twinning(request.user, twinning_id)
    changes = {k: v for k, v in payload.dict(exclude_unset=True).items() if v is not None}
    return twinning_out(twinning.update_twinning(actor=request.user, twinning=t, **changes))


@router.post("/exchange/twinnings/{twinning_id}/milestones", response={201: TwinningOut}, auth=auth)
def add_milestone(request, payload: MilestoneIn, twinning_id: int = Path(..., ge=1, le=MAX_ID)):
    t = _twinning(request.user, twinning_id)
    twinning.add_milestone(actor=request.user, twinning=t, title=payload.title, due=payload.due)
    return Status(201, twinning_out(t))


@router.post(
    "/exchange/twinnings/{twinning_id}/milestones/{milestone_id}/done",
    response=TwinningOut,
    auth=auth,
)
def mark_milestone(
    request,
    twinning_id: int = Path(..., ge=1, le=MAX_ID),
    milestone_id: int = Path(..., ge=1, le=MAX_ID),
):

    t = _twinning(request.user, twinning_id)
    m = get_object_or_404(Milestone, pk=milestone_id, twinning=t)
    twinning.mark_milestone(actor=request.user, milestone=m, done_on=timezone.localdate())
    return twinning_out(t)


@router.post("/exchange/twinnings/{twinning_id}/notes", response={201: TwinningOut}, auth=auth)
def add_note(request, payload: NoteIn, twinning_id: int = Path(..., ge=1, le=MAX_ID)):
    t = _twinning(request.user, twinning_id)
    twinning.add_note(actor=request.user, twinning=t, text=payload.text)
    return Status(201, twinning_out(t))


# --- support requests ---------------------------------------------------------------------------


def request_out(r: SupportRequest) -> dict:
    return {
        "id": r.pk,
        "hub": r.hub_id,
        "title": r.title,
        "text": r.text,
        "dimension": r.dimension,
        "objective": r.objective.code if r.objective else None,
        "visibility": r.visibility,
        "asked_hubs": sorted(h.pk for h in r.asked_hubs.all()),
        "status": r.status,
        "created_at": r.created_at.isoformat(),
        "first_answered_at": r.first_answered_at.isoformat() if r.first_answered_at else None,
        "hours_to_first_answer": r.hours_to_first_answer,
        "closed_at": r.closed_at.isoformat() if r.closed_at else None,
        "answers": [
            {
                "id": a.pk,
                "hub": a.hub_id,
                "author": a.author_name,
                "text": a.text,
                "at": a.at.isoformat(),
            }
            for a in r.answers.all()
        ],
        "is_demo": r.is_demo,
        "url": r.get_absolute_url(),
    }


def _request(user, request_id: int) -> SupportRequest:
    r = get_object_or_404(SupportRequest.objects.select_related("hub", "objective"), pk=request_id)
    guard(perms.can_view_request(user, r), user)
    return r


@router.get("/exchange/requests", response=page_of(SupportRequestOut), auth=auth)
def list_requests(
    request,
    status: str = Query("", max_length=9),
    hub: int | None = Query(None, ge=1, le=MAX_ID),
    limit: int = 50,
    offset: int = 0,
):
    """Support requests the caller may read."""
    qs = SupportRequest.objects.visible_to(request.user, perms.team_hub_ids(request.user))
    qs = qs.select_related("objective").prefetch_related("asked_hubs", "answers")
    if status:
        qs = qs.filter(status=status)
    if hub is not None:
        qs = qs.filter(hub_id=hub)
    return paginate(qs.order_by("-created_at", "-pk"), limit, offset, request_out)


@router.get("/exchange/requests/{request_id}", response=SupportRequestOut, auth=auth)
def get_request(request, request_id: int = Path(..., ge=1, le=MAX_ID)):
    return request_out(_request(request.user, request_id))


@router.get(
    "/exchange/requests/{request_id}/suggestions", response=list[ExchangeSuggestionOut], auth=auth
)
def request_suggestions(request, request_id: int = Path(..., ge=1, le=MAX_ID)):
    """Hubs strong on the request's dimension, named only where their results may be seen."""
    r = _request(request.user, request_id)
    return support.suggestions(request.user, r)


@router.post("/exchange/requests", response={201: SupportRequestOut}, auth=auth)
def create_request(request, payload: SupportRequestIn):
    data = payload.dict()
    hub = Hub.objects.filter(pk=data.pop("hub")).first()
    if hub is None:
        raise RuleViolation("No such hub.", "hub")
    r = support.create_request(actor=request.user, hub=hub, **data)
    return Status(201, request_out(r))


@router.post(
    "/exchange/requests/{request_id}/answers", response={201: SupportRequestOut}, auth=auth
)
def answer_request(request, payload: AnswerIn, request_id: int = Path(..., ge=1, le=MAX_ID)):
    r = _request(request.user, request_id)
    hub = None
    if payload.hub is not None:
        hub = Hub.objects.filter(pk=payload.hub).first()
        if hub is None:
            raise RuleViolation("No such hub.", "hub")
    support.answer(actor=request.user, request=r, text=payload.text, hub=hub)
    r.refresh_from_db()
    return Status(201, request_out(r))


@router.post("/exchange/requests/{request_id}/status", response=SupportRequestOut, auth=auth)
def request_status(
    request, payload: ExchangeStatusIn, request_id: int = Path(..., ge=1, le=MAX_ID)
):
    r = _request(request.user, request_id)
    return request_out(
        support.set_request_status(actor=request.user, request=r, status=payload.status)
    )
