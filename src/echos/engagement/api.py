"""Engagement records over JSON: public reads, writes per hub, and records turned into activities."""

import datetime as dt

from django.shortcuts import get_object_or_404
from ninja import Path, Query, Router, Schema, Status
from pydantic import Field

from echos.core.api import TokenAuth, page_of, paginate
from echos.core.exceptions import RuleViolation
from echos.core.models import Term
from echos.engagement import services
from echos.engagement.models import EngagementRecord, Format
from echos.engagement.schemas import EngagementRecordOut, RecordActivityOut
from echos.hubs.models import Hub

router = Router(tags=["engagement"])
auth = TokenAuth()

# SQLite and PostgreSQL keys are signed 64-bit integers: larger ids cannot exist.
MAX_ID = 2**63 - 1


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
    return get_object_or_404(EngagementRecord.objects.select_related("hub", "level"), pk=record_id)


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
    limit: int = 50,
    offset: int = 0,
):
    qs = EngagementRecord.objects.select_related("level").prefetch_related(
        "stakeholder_groups", "organisations", "objectives", "policy_areas"
    )
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


# The register, relationships and imports; the network map and use cases; the impact model (#14).
from echos.engagement import api_impact, api_network, api_register  # noqa: E402

router.add_router("", api_register.router)
router.add_router("", api_network.router)
router.add_router("", api_impact.router)
