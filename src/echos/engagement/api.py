"""Engagement records over JSON: public reads, writes per hub, and records turned into activities."""

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Path, Query, Router, Schema, Status
from pydantic import Field

from echos.core.api import TokenAuth, api_user, page_of, paginate
from echos.core.exceptions import RuleViolation
from echos.core.models import Term
from echos.engagement import coverage, services, suggestions
from echos.engagement import permissions as perms
from echos.engagement.models import EngagementRecord, FollowUp, Format, RecordStatus
from echos.engagement.schemas import (
    CoverageOut,
    EngagementRecordOut,
    EngagementSuggestionsOut,
    FollowUpOut,
    ParticipantCountOut,
    RecordActivityOut,
)
from echos.hubs.models import Hub

router = Router(tags=["engagement"])
auth = TokenAuth()

# SQLite and PostgreSQL keys are signed 64-bit integers: larger ids cannot exist.
MAX_ID = 2**63 - 1


class ParticipantCountIn(Schema):
    group: str = Field(max_length=40, description="Code of the stakeholder_groups vocabulary")
    count: int = Field(ge=0, le=services.MAX_PARTICIPANTS)


MAX_GROUPS = 50


class EngagementRecordIn(Schema):
    hub: int = Field(ge=1, le=MAX_ID)
    title: str = Field(max_length=250)
    description: str = Field(max_length=services.MAX_TEXT)
    date: dt.date
    end_date: dt.date | None = None
    level: str = Field(description="Code of the engagement_levels vocabulary (IAP2 spectrum)")
    stakeholder_groups: list[str] = Field(
        min_length=1, description="Codes of the stakeholder_groups vocabulary, at least one"
    )
    organisations: list[int] = Field([], description="Ids of organisations (never persons)")
    participants: int | None = Field(None, ge=0, le=services.MAX_PARTICIPANTS)
    participant_counts: list[ParticipantCountIn] = Field(
        [],
        max_length=MAX_GROUPS,
        description="Participants per stakeholder group (each among stakeholder_groups); "
        "when given, participants is their sum",
    )
    status: str = Field(RecordStatus.HELD, description=", ".join(RecordStatus.values))
    format: str = Field(description=", ".join(Format.values))
    language: str = Field(description="ISO 639-1 code, e.g. pl")
    region: str | None = Field(None, description="ISO 3166-2 code in the hub's country")
    objectives: list[str] = []
    policy_areas: list[str] = []
    outcomes: str = Field("", max_length=services.MAX_NOTES)


class EngagementRecordPatch(Schema):
    title: str | None = Field(None, max_length=250)
    description: str | None = Field(None, max_length=services.MAX_TEXT)
    date: dt.date | None = None
    end_date: dt.date | None = None
    level: str | None = None
    stakeholder_groups: list[str] | None = Field(None, min_length=1)
    organisations: list[int] | None = None
    participants: int | None = Field(None, ge=0, le=services.MAX_PARTICIPANTS)
    participant_counts: list[ParticipantCountIn] | None = Field(
        None, max_length=MAX_GROUPS, description="Replaces the counts; [] removes them"
    )
    status: str | None = None
    format: str | None = None
    language: str | None = None
    region: str | None = None
    objectives: list[str] | None = None
    policy_areas: list[str] | None = None
    outcomes: str | None = Field(None, max_length=services.MAX_NOTES)


# Fields a PATCH may set to null (the others keep their value when null is sent).
NULLABLE = {"end_date", "participants", "region"}


def engagement_record_out(r: EngagementRecord) -> dict:
    return {
        "id": r.pk,
        "hub": r.hub_id,
        "title": r.title,
        "description": r.description,
        "date": r.date.isoformat(),
        "end_date": r.end_date.isoformat() if r.end_date else None,
        "level": r.level.code,
        "stakeholder_groups": [t.code for t in r.stakeholder_groups.all()],
        "organisations": [o.pk for o in r.organisations.all()],
        "participants": r.participants,
        "participant_counts": [
            {"group": c.group.code, "count": c.count} for c in r.participant_counts.all()
        ],
        "status": r.status,
        "format": r.format,
        "language": r.language,
        "region": r.region_id,
        "objectives": [t.code for t in r.objectives.all()],
        "policy_areas": [t.code for t in r.policy_areas.all()],
        "outcomes": r.outcomes,
        "is_demo": r.is_demo,
        "created_at": r.created_at.isoformat(),
        "updated_at": r.updated_at.isoformat(),
        "url": r.get_absolute_url(),
    }


def _known(vocabulary: str, code: str, field: str) -> str:
    if not Term.objects.filter(vocabulary=vocabulary, code=code).exists():
        raise RuleViolation(f"Unknown {field}: {code}.", field)
    return code


def _record(record_id: int) -> EngagementRecord:
    return get_object_or_404(
        EngagementRecord.objects.select_related("hub", "level").prefetch_related(
            "participant_counts__group"
        ),
        pk=record_id,
    )


@router.get(
    "/engagement-records",
    response=page_of(EngagementRecordOut),
    summary="Engagement records of the hubs (public)",
)
def list_engagement_records(
    request,
    hub: int | None = Query(None, ge=1, le=MAX_ID),
    level: str = Query("", description="engagement_levels code"),
    group: str = Query("", description="stakeholder_groups code"),
    year: int | None = Query(None, ge=1900, le=2200),
    status: str = Query("", description=", ".join(RecordStatus.values)),
    limit: int = 50,
    offset: int = 0,
):
    qs = EngagementRecord.objects.select_related("level").prefetch_related(
        "stakeholder_groups",
        "organisations",
        "objectives",
        "policy_areas",
        "participant_counts__group",
    )
    if status:
        if status not in RecordStatus.values:
            raise RuleViolation(f"Unknown status: {status}.", "status")
        qs = qs.filter(status=status)
    if hub is not None:
        qs = qs.filter(hub_id=hub)
    if level:
        qs = qs.at_level(_known(Term.Vocabulary.ENGAGEMENT_LEVELS, level, "level"))
    if group:
        qs = qs.reaching(_known(Term.Vocabulary.STAKEHOLDER_GROUPS, group, "group"))
    if year is not None:
        qs = qs.filter(date__year=year)
    return paginate(qs.order_by("pk"), limit, offset, engagement_record_out)


@router.get("/engagement-records/{record_id}", response=EngagementRecordOut)
def get_engagement_record(request, record_id: int = Path(..., ge=1, le=MAX_ID)):
    return engagement_record_out(_record(record_id))


@router.post("/engagement-records", response={201: EngagementRecordOut}, auth=auth)
def create_engagement_record(request, payload: EngagementRecordIn):
    data = payload.dict()
    data["participant_counts"] = {c["group"]: c["count"] for c in data["participant_counts"]}
    hub = Hub.objects.filter(pk=data.pop("hub")).first()
    if hub is None:
        raise RuleViolation("No such hub.", "hub")
    record = services.save_record(actor=request.user, hub=hub, **data)
    return Status(201, engagement_record_out(record))


@router.patch("/engagement-records/{record_id}", response=EngagementRecordOut, auth=auth)
def patch_engagement_record(
    request, payload: EngagementRecordPatch, record_id: int = Path(..., ge=1, le=MAX_ID)
):
    record = _record(record_id)
    changes = {
        k: v for k, v in payload.dict(exclude_unset=True).items() if v is not None or k in NULLABLE
    }
    if changes.get("participant_counts") is not None:
        changes["participant_counts"] = [dict(c) for c in changes["participant_counts"]]
    record = services.save_record(actor=request.user, record=record, **changes)
    return engagement_record_out(record)


@router.delete("/engagement-records/{record_id}", response={204: None}, auth=auth)
def delete_engagement_record(request, record_id: int = Path(..., ge=1, le=MAX_ID)):
    services.delete_record(actor=request.user, record=_record(record_id))
    return Status(204, None)


@router.post("/engagement-records/{record_id}/activity", response=RecordActivityOut, auth=auth)
def engagement_record_to_activity(request, record_id: int = Path(..., ge=1, le=MAX_ID)):
    """Turn the record into a synergy activity of its hub; again later, the activity is refreshed."""
    record = _record(record_id)
    before = services.linked_activity(record)
    activity = services.activity_from_record(actor=request.user, record=record)
    return {
        "activity": activity.pk,
        "url": activity.get_absolute_url(),
        "created": before is None,
        "record": record.pk,
    }


@router.get(
    "/engagement-records/{record_id}/participant-counts",
    response=list[ParticipantCountOut],
    summary="Participants of a record per stakeholder group (public counts)",
)
def list_participant_counts(request, record_id: int = Path(..., ge=1, le=MAX_ID)):
    record = _record(record_id)
    return [{"group": c.group.code, "count": c.count} for c in record.participant_counts.all()]


# Follow-up actions: the hub's team only (they name their owners' accounts). ----------------


class EngagementFollowUpIn(Schema):
    title: str = Field(max_length=250)
    owner: int | None = Field(None, ge=1, le=MAX_ID, description="Id of an account of the team")
    due_date: dt.date


class FollowUpPatch(Schema):
    title: str | None = Field(None, max_length=250)
    owner: int | None = Field(None, ge=1, le=MAX_ID)
    due_date: dt.date | None = None
    status: str | None = Field(None, description=", ".join(FollowUp.Status.values))


def follow_up_out(f: FollowUp) -> dict:
    return {
        "id": f.pk,
        "record": f.record_id,
        "hub": f.record.hub_id,
        "title": f.title,
        "owner": f.owner_id,
        "owner_name": (f.owner.get_full_name() or f.owner.username) if f.owner else None,
        "due_date": f.due_date.isoformat(),
        "status": f.status,
        "overdue": f.status == FollowUp.Status.OPEN and f.due_date < timezone.localdate(),
        "done_at": f.done_at.isoformat() if f.done_at else None,
        "is_demo": f.is_demo,
        "created_at": f.created_at.isoformat(),
        "updated_at": f.updated_at.isoformat(),
    }


def _team_only(user, hub: Hub) -> None:
    """Follow-ups of a hub do not exist for those outside its team (404, not 403)."""
    if not perms.can_view_follow_ups(user, hub):
        raise Http404


def _follow_up(user, follow_up_id: int) -> FollowUp:
    follow_up = get_object_or_404(
        FollowUp.objects.select_related("record__hub", "owner"), pk=follow_up_id
    )
    _team_only(user, follow_up.record.hub)
    return follow_up


@router.get(
    "/engagement-follow-ups",
    response=page_of(FollowUpOut),
    auth=auth,
    summary="Follow-up actions of a hub (its team only), or without a hub your own",
)
def list_follow_ups(
    request,
    hub: int | None = Query(None, ge=1, le=MAX_ID),
    status: str = Query("", description=", ".join(FollowUp.Status.values)),
    overdue: bool = False,
    limit: int = 50,
    offset: int = 0,
):
    if hub is None:
        # The actions the token's user owns, in every hub: their own to-do list.
        qs = FollowUp.objects.filter(owner=request.user)
    else:
        found = get_object_or_404(Hub, pk=hub)
        _team_only(request.user, found)
        qs = FollowUp.objects.filter(record__hub=found)
    qs = qs.select_related("record", "owner")
    if status:
        if status not in FollowUp.Status.values:
            raise RuleViolation(f"Unknown status: {status}.", "status")
        qs = qs.filter(status=status)
    if overdue:
        qs = qs.filter(status=FollowUp.Status.OPEN, due_date__lt=timezone.localdate())
    return paginate(qs.order_by("due_date", "pk"), limit, offset, follow_up_out)


@router.get("/engagement-follow-ups/{follow_up_id}", response=FollowUpOut, auth=auth)
def get_follow_up(request, follow_up_id: int = Path(..., ge=1, le=MAX_ID)):
    return follow_up_out(_follow_up(request.user, follow_up_id))


@router.post("/engagement-records/{record_id}/follow-ups", response={201: FollowUpOut}, auth=auth)
def create_follow_up(
    request, payload: EngagementFollowUpIn, record_id: int = Path(..., ge=1, le=MAX_ID)
):
    record = _record(record_id)
    _team_only(request.user, record.hub)
    follow_up = services.save_follow_up(actor=request.user, record=record, **payload.dict())
    return Status(201, follow_up_out(follow_up))


@router.patch("/engagement-follow-ups/{follow_up_id}", response=FollowUpOut, auth=auth)
def patch_follow_up(
    request, payload: FollowUpPatch, follow_up_id: int = Path(..., ge=1, le=MAX_ID)
):
    follow_up = _follow_up(request.user, follow_up_id)
    changes = payload.dict(exclude_unset=True)
    if "owner" in changes and changes["owner"] is None:
        changes["owner"] = None  # unassign
    changes = {k: v for k, v in changes.items() if v is not None or k == "owner"}
    follow_up = services.save_follow_up(actor=request.user, follow_up=follow_up, **changes)
    return follow_up_out(follow_up)


@router.delete("/engagement-follow-ups/{follow_up_id}", response={204: None}, auth=auth)
def delete_follow_up(request, follow_up_id: int = Path(..., ge=1, le=MAX_ID)):
    services.delete_follow_up(actor=request.user, follow_up=_follow_up(request.user, follow_up_id))
    return Status(204, None)


# Coverage and suggestions (public counts). ----------------------------------------------------


def _period(start: str, end: str) -> tuple[dt.date, dt.date]:
    return coverage.parse_period(start, end, today=timezone.localdate())


def coverage_out(hub: Hub | None, start: dt.date, end: dt.date) -> dict:
    if hub is None:
        matrix = coverage.network_coverage(start=start, end=end)
        report = None
    else:
        report = coverage.coverage_report(hub, start=start, end=end)
        matrix = report.matrix
    codes = [t.code for t in matrix.levels]
    out: dict[str, Any] = {
        "hub": hub.pk if hub else None,
        "start": start.isoformat(),
        "end": end.isoformat(),
        "records": matrix.records,
        "levels": codes,
        "matrix": [
            {
                "group": r.group.code,
                "counts": dict(zip(codes, r.counts, strict=True)),
                "total": r.total,
                "deepest": r.deepest.code if r.deepest else None,
            }
            for r in matrix.rows
        ],
        "gaps": [t.code for t in matrix.gaps],
        "sector_totals": None,
        "sector_quarters": None,
        "regions": None,
        "records_without_region": None,
        "trend": None,
    }
    if report is not None:
        sectors = [s.value for s in report.balance.sectors]
        out |= {
            "sector_totals": dict(zip(sectors, report.balance.totals, strict=True)),
            "sector_quarters": [
                {
                    "quarter": q.label,
                    "counts": dict(zip(sectors, q.counts, strict=True)),
                    "total": q.total,
                }
                for q in report.balance.quarters
            ],
            "regions": [
                {"region": r.region.pk, "name": r.region.name, "records": r.records}
                for r in report.regions.rows
            ],
            "records_without_region": report.regions.unplaced,
            "trend": [
                {
                    "quarter": q.label,
                    "records": q.records,
                    "participants": q.participants,
                    "by_level": dict(zip(codes, q.by_level, strict=True)),
                }
                for q in report.trend.quarters
            ],
        }
    return out


@router.get(
    "/engagement-coverage",
    response=CoverageOut,
    summary="Coverage of a hub, or of the whole network without hub (public counts)",
)
def get_coverage(
    request,
    hub: int | None = Query(None, ge=1, le=MAX_ID),
    start: str = Query("", description="YYYY-MM-DD; default: 12 months before end"),
    end: str = Query("", description="YYYY-MM-DD; default: today"),
):
    first, last = _period(start, end)
    found = get_object_or_404(Hub.objects.select_related("country"), pk=hub) if hub else None
    if found is not None and not perms.can_view_records(api_user(request), found):
        raise PermissionDenied
    return coverage_out(found, first, last)


@router.get(
    "/engagement-coverage/{hub_id}/suggestions",
    response=EngagementSuggestionsOut,
    summary="Suggestions in words from a hub's coverage, each naming its rule",
)
def get_suggestions(
    request,
    hub_id: int = Path(..., ge=1, le=MAX_ID),
    start: str = Query("", description="YYYY-MM-DD"),
    end: str = Query("", description="YYYY-MM-DD"),
):
    """Public; the hub's team (with a token) also gets the follow-up rule."""
    first, last = _period(start, end)
    hub = get_object_or_404(Hub.objects.select_related("country"), pk=hub_id)
    user = api_user(request)
    if not perms.can_view_records(user, hub):
        raise PermissionDenied
    report = coverage.coverage_report(hub, start=first, end=last)
    items = suggestions.suggest(report, include_team=perms.can_view_follow_ups(user, hub))
    return {
        "hub": hub.pk,
        "start": first.isoformat(),
        "end": last.isoformat(),
        "items": [
            {"rule": s.rule, "description": s.description, "text": s.text, "figures": s.figures}
            for s in items
        ],
    }


# The register, relationships and imports; the network map and use cases; the impact model (#14).
from echos.engagement import api_impact, api_network, api_register  # noqa: E402

router.add_router("", api_register.router)
router.add_router("", api_network.router)
router.add_router("", api_impact.router)
