"""The network-of-support API at /api/v1/exchange/: roadmaps, sessions (their exchange fields),
inception dialogues and commitments here; twinnings and support requests in ``api_support``;
the pairing in ``pairing``. Reads follow the same predicates as the pages; writes need a token."""

from typing import Any

from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404
from ninja import Path, Query, Router, Status

from echos.core.api import TokenAuth, api_user, page_of, paginate
from echos.core.exceptions import RuleViolation, guard
from echos.core.models import Country
from echos.events.models import Event
from echos.exchange import api_profile, api_support, pairing, peers, roadmap, sessions
from echos.exchange import permissions as perms
from echos.exchange.models import (
    Commitment,
    ExchangeSession,
    Invitation,
    Roadmap,
    RoadmapStep,
)
from echos.exchange.resources import visible_resources
from echos.exchange.schemas import (
    MAX_ID,
    CommitmentIn,
    CommitmentOut,
    CommitmentPatch,
    DialogueOut,
    DialogueRecordIn,
    ExchangeSessionIn,
    ExchangeSessionOut,
    ExchangeStageChangeOut,
    InvitationIn,
    InvitationStatusIn,
    PeersOut,
    RoadmapIn,
    RoadmapOut,
    SessionFields,
    StepPatch,
)
from echos.exchange.schemas_pairing import PAIR_REQUEST_BODY, PairingOut
from echos.hubs.models import Hub, StageChange

router = Router(tags=["exchange"])
auth = TokenAuth()
router.add_router("", api_support.router)
router.add_router("", api_profile.router)


def step_out(step: RoadmapStep, checks: dict, user) -> dict:
    d = roadmap.step_def(step)
    check = checks.get(step.code)
    return {
        "id": step.pk,
        "code": step.code,
        "title": str(d.title),
        "hint": str(d.hint),
        "stage": d.stage,
        "dimension": d.dimension,
        "owner": step.owner if perms.can_see_owners(user) else "",
        "due": step.due,
        "status": step.status,
        "completed_on": step.completed_on,
        "evidence": step.evidence,
        "link": step.link,
        "overdue": step.is_overdue,
        "check": {"met": check.met, "text": check.text} if check else None,
        "resources": visible_resources(step.resources, user),
    }


def roadmap_out(r: Roadmap, user) -> dict:
    p = roadmap.progress(r)
    offer = roadmap.stage_offer(r, p.steps)
    hub = r.national_hub
    return {
        "id": r.pk,
        "country": r.country_id,
        "national_hub": hub.pk if hub else None,
        "hub_stage": hub.stage if hub else None,
        "done": p.done,
        "total": p.total,
        "percent": p.percent,
        "next_step": p.next_step.code if p.next_step else None,
        "offer": {
            "stage": offer.stage,
            "label": offer.label,
            "date": offer.date,
            "evidence": offer.evidence,
            "link": offer.link,
            "hub": offer.hub.pk if offer.hub else None,
        }
        if offer
        else None,
        "notes": r.notes,
        "is_demo": r.is_demo,
        "url": r.get_absolute_url(),
        "steps": [step_out(s, p.checks, user) for s in p.steps],
    }


def stage_change_out(change: StageChange) -> dict:
    return {
        "hub": change.hub_id,
        "stage": change.stage,
        "date": change.date,
        "evidence": change.evidence,
        "link": change.link,
        "stage_change": change.pk,
    }


def _roadmap(code: str) -> Roadmap:
    return get_object_or_404(Roadmap.objects.select_related("country"), country_id=code.upper())


@router.get("/exchange/roadmaps", response=page_of(RoadmapOut), summary="Establishment roadmaps")
def list_roadmaps(request, limit: int = 50, offset: int = 0):
    user = api_user(request)
    qs = Roadmap.objects.select_related("country").order_by("country_id")
    return paginate(qs, limit, offset, lambda r: roadmap_out(r, user))


@router.get("/exchange/roadmaps/{code}", response=RoadmapOut)
def get_roadmap(request, code: str = Path(..., max_length=2)):
    return roadmap_out(_roadmap(code), api_user(request))


@router.post("/exchange/roadmaps", response={201: RoadmapOut}, auth=auth)
def create_roadmap(request, payload: RoadmapIn):
    country = Country.objects.filter(pk=payload.country.upper()).first()
    if country is None:
        raise RuleViolation("Unknown country.", "country")
    r = roadmap.create_roadmap(actor=request.user, country=country, notes=payload.notes)
    return Status(201, roadmap_out(r, request.user))


@router.patch("/exchange/roadmaps/{code}/steps/{step}", response=RoadmapOut, auth=auth)
def patch_step(
    request,
    payload: StepPatch,
    code: str = Path(..., max_length=2),
    step: str = Path(..., max_length=40),
):
    r = _roadmap(code)
    found = get_object_or_404(RoadmapStep, roadmap=r, code=step)
    changes = payload.dict(exclude_unset=True)
    for name in ("owner", "evidence", "link", "status"):
        if name in changes and changes[name] is None:
            changes[name] = "" if name != "status" else found.status
    roadmap.update_step(actor=request.user, step=found, **changes)
    return roadmap_out(r, request.user)


@router.post("/exchange/roadmaps/{code}/stage", response={201: ExchangeStageChangeOut}, auth=auth)
def record_roadmap_stage(request, code: str = Path(..., max_length=2)):
    """Record the stage change the roadmap offers, with its steps' evidence (lifecycle service)."""
    r = _roadmap(code)
    guard(perms.can_edit_roadmap(request.user, r), request.user)
    return Status(
        201, stage_change_out(roadmap.record_offered_stage(actor=request.user, roadmap=r))
    )


# --- sessions -----------------------------------------------------------------------------------


def commitment_out(c: Commitment, user) -> dict:
    return {
        "id": c.pk,
        "session": c.session_id,
        "hub": c.hub_id,
        "owner": c.owner if perms.can_see_owners(user) else "",
        "what": c.what,
        "due": c.due,
        "status": c.status,
        "done_on": c.done_on,
        "overdue": c.is_overdue,
        "is_demo": c.is_demo,
    }


def session_out(s: ExchangeSession, user) -> dict:
    e = s.event
    return {
        "id": s.pk,
        "event": e.pk,
        "title": e.title,
        "kind": s.kind,
        "start": e.start.isoformat(),
        "end": e.end.isoformat(),
        "country": e.country_id,
        "host_hubs": [e.hub_id, *[h.pk for h in e.co_organisers.all()]],
        "participating_hubs": [h.pk for h in s.participating_hubs.all()],
        "countries": [c.pk for c in s.countries.all()],
        "objectives": [t.code for t in s.objectives.all()],
        "dimensions": list(s.dimensions),
        "goals": s.goals,
        "materials": s.materials,
        "conclusions": s.conclusions,
        "next_steps": s.next_steps,
        "challenges": list(s.challenges),
        "dialogue_status": s.dialogue_status,
        "commitments": [commitment_out(c, user) for c in s.commitments.all()],
        "resources": visible_resources(s.resources, user),
        "source": s.source,
        "is_demo": s.is_demo,
        "url": s.get_absolute_url(),
    }


def visible_sessions(user):
    qs = ExchangeSession.objects.select_related("event")
    if perms.editable_hub_ids(user) is None:
        return qs
    ids = perms.editable_hub_ids(user) or set()
    return qs.filter(
        ~Q(event__status=Event.Status.DRAFT)
        | Q(event__hub_id__in=ids)
        | Q(event__co_organisers__in=ids)
    ).distinct()


def _session(user, session_id: int) -> ExchangeSession:
    s = get_object_or_404(ExchangeSession.objects.select_related("event"), pk=session_id)
    if not perms.can_view_session(user, s):
        raise Http404
    return s


@router.get("/exchange/sessions", response=page_of(ExchangeSessionOut), summary="Exchange sessions")
def list_sessions(
    request,
    kind: str = Query("", max_length=24),
    hub: int | None = Query(None, ge=1, le=MAX_ID),
    limit: int = 50,
    offset: int = 0,
):
    user = api_user(request)
    qs = visible_sessions(user)
    if kind:
        qs = qs.filter(kind=kind)
    if hub is not None:
        qs = qs.filter(Q(participating_hubs=hub) | Q(event__hub_id=hub)).distinct()
    return paginate(
        qs.order_by("-event__start", "pk"), limit, offset, lambda s: session_out(s, user)
    )


@router.get("/exchange/sessions/{session_id}", response=ExchangeSessionOut)
def get_session(request, session_id: int = Path(..., ge=1, le=MAX_ID)):
    user = api_user(request)
    return session_out(_session(user, session_id), user)


def _exchange_fields(payload: SessionFields) -> dict[str, Any]:
    names = SessionFields.model_fields
    return {
        k: v for k, v in payload.dict(exclude_unset=True).items() if k in names and v is not None
    }


@router.post("/exchange/sessions", response={201: ExchangeSessionOut}, auth=auth)
def create_session(request, payload: ExchangeSessionIn):
    """Create the calendar event and its exchange fields in one go (a draft event)."""
    hub = Hub.objects.filter(pk=payload.hub).first()
    if hub is None:
        raise RuleViolation("No such hub.", "hub")
    event = {
        k: getattr(payload, k)
        for k in ("title", "description", "format", "languages", "start", "end", "time_zone")
    }
    if payload.online_url:
        event["online_url"] = payload.online_url
    s = sessions.create_session(
        actor=request.user,
        hub=hub,
        kind=payload.kind,
        event=event,
        co_hosts=payload.co_hosts,
        **_exchange_fields(payload),
    )
    return Status(201, session_out(s, request.user))


@router.patch("/exchange/sessions/{session_id}", response=ExchangeSessionOut, auth=auth)
def patch_session(request, payload: SessionFields, session_id: int = Path(..., ge=1, le=MAX_ID)):
    s = _session(request.user, session_id)
    s = sessions.update_session(actor=request.user, session=s, **_exchange_fields(payload))
    return session_out(s, request.user)


def dialogue_out(s: ExchangeSession) -> dict:
    hub = sessions.dialogue_stage_offer(s)
    return {
        "session": s.pk,
        "dialogue_status": s.dialogue_status,
        "missing_groups": [t.code for t in sessions.missing_groups(s)],
        "invitations": [
            {
                "id": i.pk,
                "group": i.stakeholder_group.code,
                "name": i.name,
                "organisation": i.organisation_id,
                "status": i.status,
            }
            for i in s.invitations.select_related("stakeholder_group")
        ],
        "stage_offer_hub": hub.pk if hub else None,
    }


@router.get("/exchange/sessions/{session_id}/dialogue", response=DialogueOut, auth=auth)
def get_dialogue(request, session_id: int = Path(..., ge=1, le=MAX_ID)):
    """An inception dialogue's invitations by group and the key groups still missing (organisers)."""
    s = _session(request.user, session_id)
    guard(perms.can_view_invitations(request.user, s), request.user)
    return dialogue_out(s)


@router.post("/exchange/sessions/{session_id}/invitations", response={201: DialogueOut}, auth=auth)
def add_invitation(request, payload: InvitationIn, session_id: int = Path(..., ge=1, le=MAX_ID)):
    s = _session(request.user, session_id)
    sessions.invite(actor=request.user, session=s, **payload.dict())
    return Status(201, dialogue_out(s))


@router.patch("/exchange/invitations/{invitation_id}", response=DialogueOut, auth=auth)
def patch_invitation(
    request, payload: InvitationStatusIn, invitation_id: int = Path(..., ge=1, le=MAX_ID)
):
    """Record that an invitee accepted, declined or attended (the dialogue's organisers)."""
    invitation = get_object_or_404(
        Invitation.objects.select_related("session__event"), pk=invitation_id
    )
    s = _session(request.user, invitation.session_id)
    sessions.set_invitation_status(actor=request.user, invitation=invitation, status=payload.status)
    return dialogue_out(s)


@router.post("/exchange/sessions/{session_id}/hold", response=DialogueOut, auth=auth)
def hold_dialogue(request, session_id: int = Path(..., ge=1, le=MAX_ID)):
    """Mark the dialogue held: refused, naming the groups, while a key group is not invited."""
    s = _session(request.user, session_id)
    return dialogue_out(sessions.hold_dialogue(actor=request.user, session=s))


@router.post("/exchange/sessions/{session_id}/conclusions", response=DialogueOut, auth=auth)
def record_dialogue(
    request, payload: DialogueRecordIn, session_id: int = Path(..., ge=1, le=MAX_ID)
):
    s = _session(request.user, session_id)
    s = sessions.record_dialogue(actor=request.user, session=s, **payload.dict())
    return dialogue_out(s)


@router.post(
    "/exchange/sessions/{session_id}/stage", response={201: ExchangeStageChangeOut}, auth=auth
)
def record_dialogue_stage(request, session_id: int = Path(..., ge=1, le=MAX_ID)):
    """Move the country's national hub to "inception dialogue held", the dialogue as evidence."""
    s = _session(request.user, session_id)
    guard(perms.can_manage_session(request.user, s), request.user)
    return Status(
        201, stage_change_out(sessions.record_dialogue_stage(actor=request.user, session=s))
    )


# --- commitments --------------------------------------------------------------------------------


@router.get("/exchange/commitments", response=page_of(CommitmentOut), summary="Commitments")
def list_commitments(
    request,
    hub: int | None = Query(None, ge=1, le=MAX_ID),
    overdue: bool = False,
    limit: int = 50,
    offset: int = 0,
):
    user = api_user(request)
    qs = Commitment.objects.filter(session__in=visible_sessions(user)).order_by("due", "pk")
    if hub is not None:
        qs = qs.filter(hub_id=hub)
    if overdue:
        qs = qs.overdue()
    return paginate(qs, limit, offset, lambda c: commitment_out(c, user))


@router.post(
    "/exchange/sessions/{session_id}/commitments", response={201: CommitmentOut}, auth=auth
)
def add_commitment(request, payload: CommitmentIn, session_id: int = Path(..., ge=1, le=MAX_ID)):
    s = _session(request.user, session_id)
    return Status(
        201,
        commitment_out(
            sessions.add_commitment(actor=request.user, session=s, **payload.dict()), request.user
        ),
    )


@router.patch("/exchange/commitments/{commitment_id}", response=CommitmentOut, auth=auth)
def patch_commitment(
    request, payload: CommitmentPatch, commitment_id: int = Path(..., ge=1, le=MAX_ID)
):
    c = get_object_or_404(Commitment.objects.select_related("session__event"), pk=commitment_id)
    if not perms.can_view_session(request.user, c.session):
        raise Http404
    changes = {k: v for k, v in payload.dict(exclude_unset=True).items() if v is not None}
    updated = sessions.update_commitment(actor=request.user, commitment=c, **changes)
    return commitment_out(updated, request.user)


# --- pairing (pairing.py, by the matching work) -------------------------------------------------


@router.post(
    "/exchange/pair",
    response=PairingOut,
    summary="Europe-wide pairing of a batch",
    openapi_extra=PAIR_REQUEST_BODY,
)
def pair(request):
    """The same body as ``echos exchange pair``: an optimal capacity-respecting pairing. The body
    is read raw (``pairing.pair_from_body``), so any bad body, not an array, not JSON or a bad
    field, answers 400 naming the field (``hubs`` or a path such as ``hubs[3].levels``)."""
    return pairing.pair_from_body(request.body)


def _suggestion_out(s: peers.Suggestion) -> dict:
    p = s.peer
    return {
        "peer": {
            "id": p.pk,
            "name": p.name,
            "country": p.country_id,
            "level": p.level,
            "archetype": p.archetype,
            "stage": p.stage,
            "capacity": p.capacity,
        },
        "languages": s.languages,
        "traits": s.traits,
        "you_learn": s.you_learn,
        "they_learn": s.they_learn,
        "benefit_to_you": s.benefit_to_you,
        "benefit_to_them": s.benefit_to_them,
        "score": s.score,
        "summary": s.summary,
        "hosting": s.hosting,
    }


@router.get("/exchange/hubs/{hub_id}/peers", response=PeersOut, summary="Peer suggestions")
def hub_peers(request, hub_id: int = Path(..., ge=1, le=MAX_ID)):
    """Peers strong where the hub is weak, similar in context, sharing a language, both ways;
    private maturity results only where the caller may see them (``peers.suggestions``)."""
    hub = get_object_or_404(Hub, pk=hub_id)
    found = peers.suggestions(api_user(request), hub)
    return {
        "hub": hub.pk,
        "maturity_shown": found.maturity_shown,
        "assessed": found.assessed,
        "learn_from": [_suggestion_out(s) for s in found.learn_from],
        "can_help": [_suggestion_out(s) for s in found.can_help],
        "similar": [_suggestion_out(s) for s in found.similar],
    }
