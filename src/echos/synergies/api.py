"""Initiatives, activities, suggestions, decisions, links and the batch matcher over JSON."""

from datetime import date
from typing import Annotated
from uuid import UUID

from django.conf import settings
from django.db.models import Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status
from ninja.errors import AuthenticationError
from pydantic import AliasChoices, Field

from echos.core.api import ErrorOut, TokenAuth, api_user, one_of, page_of, paginate
from echos.core.exceptions import RuleViolation
from echos.core.multilingual import folded_search
from echos.hubs.models import Hub
from echos.hubs.services import resolve_region
from echos.synergies import batch, engine, jobs, limits, matching, services
from echos.synergies.models import Activity, Decision, Initiative, MatchJob, SynergyLink
from echos.synergies.schemas import (
    ActivityOut,
    DecisionOut,
    InitiativeOut,
    LinkOut,
    MatchJobOut,
    MatchRowOut,
    SuggestionsOut,
)

router = Router(tags=["synergies"])
auth = TokenAuth()


class MatchIn(Schema):
    initiatives: list[dict]
    activities: list[dict]
    top: int = Field(10, ge=1, le=100)
    mode: Annotated[str, one_of(engine.MODES)] = engine.DEFAULT_MODE
    explain: bool = False
    # Run as a background job even when small enough for the request (token holders only).
    background: bool = False


# The language the text is written in; "language" (its name before #17) is still accepted.
SOURCE_LANGUAGE = AliasChoices("source_language", "language")


class ActivityIn(Schema):
    hub: int
    title: str = Field(max_length=250)
    description: str
    source_language: str = Field(validation_alias=SOURCE_LANGUAGE)
    # {language: {"title": …, "description": …}} for every language translated.
    translations: dict[str, dict[str, str]] = {}
    start: date | None = None
    end: date | None = None
    region: str | None = None
    objectives: list[str] = []
    policy_areas: list[str] = []
    target_groups: list[str] = []


class ActivityPatch(Schema):
    title: str | None = Field(None, max_length=250)
    description: str | None = None
    source_language: str | None = Field(None, validation_alias=SOURCE_LANGUAGE)
    translations: dict[str, dict[str, str]] | None = None
    start: date | None = None
    end: date | None = None
    objectives: list[str] | None = None
    policy_areas: list[str] | None = None
    target_groups: list[str] | None = None


class DecisionIn(Schema):
    verdict: Annotated[str, one_of(Decision.Verdict)]
    initiative: str | None = None
    activity: int | None = None
    # NaN and infinities are refused here (422 naming "score"), not by the database.
    score: float | None = Field(None, allow_inf_nan=False)


class LinkPatch(Schema):
    status: Annotated[str, one_of(SynergyLink.Status)] | None = None
    notes: str | None = None


class InitiativeIn(Schema):
    name: str = Field(max_length=250)
    acronym: str = ""
    programme: Annotated[str, one_of(Initiative.Programme)]
    description: str
    source_language: str = "en"
    translations: dict[str, dict[str, str]] = {}
    website: str = ""
    start: str = ""
    end: str = ""
    objectives: list[str] = []
    ebcp_pillars: list[str] = []
    policy_areas: list[str] = []
    countries: list[str] = []


def initiative_out(i: Initiative) -> dict:
    return {
        "key": i.key,
        "name": i.name,
        "acronym": i.acronym,
        "programme": i.programme,
        "description": i.description,
        "source_language": i.source_language,
        "translations": i.translations or {},
        "objectives": [t.code for t in i.objectives.all()],
        "policy_areas": [t.code for t in i.policy_areas.all()],
        "start": i.start,
        "end": i.end,
        "website": i.website,
        "url": i.get_absolute_url(),
    }


def activity_out(a: Activity) -> dict:
    return {
        "id": a.pk,
        "hub": a.hub_id,
        "title": a.title,
        "description": a.description,
        "source_language": a.source_language,
        "language": a.source_language,
        "translations": a.translations or {},
        "start": a.start.isoformat() if a.start else None,
        "end": a.end.isoformat() if a.end else None,
        "objectives": [t.code for t in a.objectives.all()],
        "policy_areas": [t.code for t in a.policy_areas.all()],
        "url": a.get_absolute_url(),
    }


def link_out(link: SynergyLink) -> dict:
    return {
        "id": link.pk,
        "hub": link.hub_id,
        "activity": link.activity_id,
        "initiative": link.initiative.key if link.initiative else None,
        "other_activity": link.other_activity_id,
        "status": link.status,
        "notes": link.notes,
        "score": link.score,
        "status_changed_at": link.status_changed_at.isoformat(),
    }


@router.post(
    "/synergies/match",
    response={200: list[MatchRowOut], 202: MatchJobOut, 413: ErrorOut},
    exclude_unset=True,
    summary="Batch matching, same format as the CLI",
    description=(
        "Anonymous callers may send a small batch (`ECHOS_MATCH_ANON_*`) and spend a budget of "
        "work units per minute: one per item and per started 1,000 characters of its text. With "
        "`Authorization: Bearer <token>` a larger batch is answered at once; past the synchronous "
        "caps, or with `background: true`, it becomes a job (202, `Location` and `url`) whose "
        "status, progress and result are read by its owner at `GET /synergies/match/jobs/{id}`. "
        "A batch past the caps is refused naming the list or the body and the limit (413, 422)."
    ),
    url_name="synergies_match",
)
def batch_match(request, payload: MatchIn, response: HttpResponse):
    user = api_user(request)  # 401 for a token that is not valid
    lists = {"initiatives": payload.initiatives, "activities": payload.activities}
    if payload.background and not user.is_authenticated:
        raise AuthenticationError()
    plan = limits.plan(
        user=user, size=limits.content_length(request), lists=lists, background=payload.background
    )
    try:
        initiatives = batch.initiatives(payload.initiatives)
        activities = batch.activities(payload.activities)
    except batch.BatchError as exc:
        field = "initiatives" if str(exc).startswith("initiatives") else "activities"
        raise RuleViolation(str(exc), field) from None
    if len(initiatives) * len(activities) > 5_000_000:
        raise RuleViolation("Too large for one request: use `echos synergies match`.", "activities")
    if plan.background:
        data = payload.dict(include={"initiatives", "activities", "top", "mode", "explain"})
        try:
            job = jobs.start_match_job(owner=user, request=data)
        except jobs.TooManyJobs:
            return limits.too_many(
                60,
                _("You have %(n)d unfinished matching jobs; wait for one to end.")
                % {"n": settings.ECHOS_MATCH_JOB_MAX_ACTIVE},
            )
        response["Location"] = jobs.job_url(job)
        return Status(202, jobs.job_out(job))
    retry = limits.spend(request, plan.units, budget=plan.budget)
    if retry is not None:
        return limits.too_many(retry)
    return batch.run(
        initiatives, activities, top=payload.top, mode=payload.mode, explain=payload.explain
    )


@router.get(
    "/synergies/match/jobs/{job_id}",
    response=MatchJobOut,
    exclude_unset=True,
    auth=auth,
    summary="Status, progress and result of a batch-matching job (its owner only)",
    url_name="synergies_match_job",
)
def batch_match_job(request, job_id: UUID):
    # Another user's job is answered as missing: its existence is not disclosed.
    return jobs.job_out(get_object_or_404(MatchJob, pk=job_id, owner=request.user))


@router.get("/initiatives", response=page_of(InitiativeOut))
def list_initiatives(
    request,
    programme: Annotated[str, one_of(Initiative.Programme, blank=True)] | None = None,
    q: str | None = None,
    limit: int = 50,
    offset: int = 0,
):
    """The catalogue, by programme and by words in any language version (``q``, accent- and
    case-insensitive)."""
    qs = Initiative.objects.prefetch_related("objectives", "policy_areas").order_by("key")
    if programme:
        qs = qs.filter(programme=programme)
    if q:
        qs = folded_search(qs, q[:200])
    return paginate(qs, limit, offset, initiative_out)


@router.get("/initiatives/{key}", response=InitiativeOut)
def get_initiative(request, key: str):
    return initiative_out(get_object_or_404(Initiative, key=key))


@router.post("/initiatives", response={201: InitiativeOut}, auth=auth)
def create_initiative(request, payload: InitiativeIn):
    return Status(
        201, initiative_out(services.save_initiative(actor=request.user, **payload.dict()))
    )


@router.get("/activities", response=page_of(ActivityOut))
def list_activities(
    request,
    hub: int | None = None,
    language: str | None = None,
    q: str | None = None,
    limit: int = 50,
    offset: int = 0,
):
    """Activities, by hub, by the language they are written in or translated into (``language``),
    and by words in any language version (``q``, accent- and case-insensitive)."""
    qs = Activity.objects.prefetch_related("objectives", "policy_areas").order_by("pk")
    if hub:
        qs = qs.filter(hub_id=hub)
    if language:
        code = language.strip().lower()[:8]
        qs = qs.filter(Q(source_language=code) | Q(translations__has_key=code))
    if q:
        qs = folded_search(qs, q[:200])
    return paginate(qs, limit, offset, activity_out)


@router.post("/activities", response={201: ActivityOut}, auth=auth)
def create_activity(request, payload: ActivityIn):
    data = payload.dict()
    hub = Hub.objects.filter(pk=data.pop("hub")).first()
    if hub is None:
        raise RuleViolation("No such hub.", "hub")
    region = data.pop("region")
    data["region"] = resolve_region(region, hub.country)
    return Status(201, activity_out(services.save_activity(actor=request.user, hub=hub, **data)))


@router.get("/activities/{activity_id}", response=ActivityOut)
def get_activity(request, activity_id: int):
    return activity_out(get_object_or_404(Activity, pk=activity_id))


@router.patch("/activities/{activity_id}", response=ActivityOut, auth=auth)
def patch_activity(request, activity_id: int, payload: ActivityPatch):
    activity = get_object_or_404(Activity.objects.select_related("hub"), pk=activity_id)
    changes = {k: v for k, v in payload.dict(exclude_unset=True).items()}
    return activity_out(services.save_activity(actor=request.user, activity=activity, **changes))


@router.delete("/activities/{activity_id}", response={204: None}, auth=auth)
def delete_activity(request, activity_id: int):
    services.delete_activity(
        actor=request.user, activity=get_object_or_404(Activity, pk=activity_id)
    )
    return Status(204, None)


@router.get("/activities/{activity_id}/synergies", response=SuggestionsOut)
def activity_synergies(
    request,
    activity_id: int,
    limit: int = 10,
    mode: Annotated[str, one_of(engine.MODES)] = engine.DEFAULT_MODE,
):
    if not 1 <= limit <= 100:
        raise RuleViolation("limit must be between 1 and 100.", "limit")
    activity = get_object_or_404(Activity.objects.select_related("hub"), pk=activity_id)
    found = matching.suggestions(activity, top=limit, mode=mode)
    return {
        "activity": activity.pk,
        "initiatives": [
            {
                "initiative": r["initiative"],
                "score": r["score"],
                "why": r["why"],
                "verdict": r["verdict"],
            }
            for r in found["initiatives"]
        ],
        "activities": [
            {
                "activity": int(r["initiative"]),
                "hub": r["object"].hub_id,
                "score": r["score"],
                "why": r["why"],
                "verdict": r["verdict"],
            }
            for r in found["activities"]
        ],
    }


@router.post("/activities/{activity_id}/decisions", response={201: DecisionOut}, auth=auth)
def decide(request, activity_id: int, payload: DecisionIn):
    activity = get_object_or_404(Activity.objects.select_related("hub"), pk=activity_id)
    initiative = (
        Initiative.objects.filter(key=payload.initiative).first() if payload.initiative else None
    )
    if payload.initiative and initiative is None:
        raise RuleViolation("No such initiative.", "initiative")
    other = Activity.objects.filter(pk=payload.activity).first() if payload.activity else None
    if payload.activity and other is None:
        raise RuleViolation("No such activity.", "activity")
    decision = services.decide(
        actor=request.user,
        activity=activity,
        verdict=payload.verdict,
        initiative=initiative,
        other_activity=other,
        score=payload.score,
    )
    link = SynergyLink.objects.filter(
        activity=activity, initiative=initiative, other_activity=other
    ).first()
    return Status(201, {"verdict": decision.verdict, "link": link_out(link) if link else None})


@router.get("/synergy-links", response=page_of(LinkOut))
def list_links(
    request,
    hub: int | None = None,
    status: Annotated[str, one_of(SynergyLink.Status, blank=True)] | None = None,
    limit: int = 50,
    offset: int = 0,
):
    qs = SynergyLink.objects.select_related("initiative").order_by("pk")
    if hub:
        qs = qs.filter(hub_id=hub)
    if status:
        qs = qs.filter(status=status)
    return paginate(qs, limit, offset, link_out)


@router.patch("/synergy-links/{link_id}", response=LinkOut, auth=auth)
def patch_link(request, link_id: int, payload: LinkPatch):
    link = get_object_or_404(
        SynergyLink.objects.select_related("hub", "activity", "initiative"), pk=link_id
    )
    return link_out(
        services.update_link(actor=request.user, link=link, **payload.dict(exclude_unset=True))
    )
