"""API of the engagement register (mounted on the engagement router): a hub's stakeholder register
(its team only), relationships between organisations (public reads, the recording hub's team
writes), imports (a file in, the report out) and exports, calling the same services as the pages.
"""

import datetime as dt
from typing import Annotated, Literal

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from ninja import File, Path, Query, Router, Schema, Status
from ninja.files import UploadedFile
from pydantic import Field

from echos.core.api import ErrorOut, TokenAuth, one_of, page_of, paginate
from echos.core.exceptions import RuleViolation
from echos.engagement import exports_register, imports, register, relationships
from echos.engagement import permissions as record_perms
from echos.engagement.models import Relationship, Sector, Stakeholder, StakeholderStatus
from echos.hubs.models import Hub, Organisation

router = Router(tags=["engagement"])
auth = TokenAuth()
MAX_ID = 2**63 - 1
Id = Annotated[int, Field(ge=1, le=MAX_ID)]


class StakeholderOut(Schema):
    """A register entry: internal to the hub team."""

    id: int
    hub: int
    organisation: int
    organisation_name: str
    country: str
    group: str
    sector: str
    sector_override: str
    influence: int
    interest: int
    quadrant: str
    owner: int | None
    owner_username: str | None
    status: str
    notes: str
    is_demo: bool
    updated_at: str


class StakeholderIn(Schema):
    organisation: Id
    group: str | None = Field(None, description="stakeholder_groups code (default: the org's)")
    sector_override: Annotated[str, one_of(Sector, blank=True)] = ""
    influence: int = Field(description="1 to 5")
    interest: int = Field(description="1 to 5")
    owner: Id | None = Field(None, description="User id of a coordinator or editor of the hub")
    status: Annotated[str, one_of(StakeholderStatus)] = StakeholderStatus.TO_APPROACH
    notes: str = Field("", max_length=register.MAX_NOTES)


class StakeholderPatch(Schema):
    group: str | None = None
    sector_override: Annotated[str, one_of(Sector, blank=True)] | None = None
    influence: int | None = None
    interest: int | None = None
    owner: Id | None = None
    status: Annotated[str, one_of(StakeholderStatus)] | None = None
    notes: str | None = Field(None, max_length=register.MAX_NOTES)


class RelationshipOut(Schema):
    """A public fact between two organisations."""

    id: int
    source: int
    source_name: str
    target: int
    target_name: str
    kind: str
    since: dt.date | None
    until: dt.date | None
    hub: int
    source_note: str
    is_demo: bool


class RelationshipIn(Schema):
    hub: Id = Field(description="The hub whose team records it")
    source: Id
    target: Id
    kind: Annotated[str, one_of(Relationship.Kind)]
    since: dt.date | None = None
    until: dt.date | None = None
    source_note: str = Field("", max_length=relationships.MAX_SOURCE)


class RelationshipPatch(Schema):
    source: Id | None = None
    target: Id | None = None
    kind: Annotated[str, one_of(Relationship.Kind)] | None = None
    since: dt.date | None = None
    until: dt.date | None = None
    source_note: str | None = Field(None, max_length=relationships.MAX_SOURCE)


class ImportErrorOut(Schema):
    row: int
    column: str | None
    message: str


class ImportReportOut(Schema):
    """What an import did: ``created`` rows, or none and every problem with its row and column."""

    kind: str
    ok: bool
    total: int
    created: int
    errors: list[ImportErrorOut]


def stakeholder_out(e: Stakeholder) -> dict:
    return {
        "id": e.pk,
        "hub": e.hub_id,
        "organisation": e.organisation_id,
        "organisation_name": e.organisation.name,
        "country": e.organisation.country_id,
        "group": e.group.code,
        "sector": e.sector,
        "sector_override": e.sector_override,
        "influence": e.influence,
        "interest": e.interest,
        "quadrant": register.quadrant(e.influence, e.interest),
        "owner": e.owner_id,
        "owner_username": e.owner.get_username() if e.owner else None,
        "status": e.status,
        "notes": e.notes,
        "is_demo": e.is_demo,
        "updated_at": e.updated_at.isoformat(),
    }


def relationship_out(r: Relationship) -> dict:
    return {
        "id": r.pk,
        "source": r.source_id,
        "source_name": r.source.name,
        "target": r.target_id,
        "target_name": r.target.name,
        "kind": r.kind,
        "since": r.since,
        "until": r.until,
        "hub": r.hub_id,
        "source_note": r.source_note,
        "is_demo": r.is_demo,
    }


def _hub(hub_id: int) -> Hub:
    return get_object_or_404(Hub.objects.select_related("parent__parent"), pk=hub_id)


def _team_hub(request, hub_id: int) -> Hub:
    hub = _hub(hub_id)
    if not register.can_view_register(request.user, hub):
        raise PermissionDenied
    return hub


def _entry(request, stakeholder_id: int) -> Stakeholder:
    entry = get_object_or_404(
        Stakeholder.objects.select_related("hub__parent__parent", "organisation", "group", "owner"),
        pk=stakeholder_id,
    )
    if not register.can_view_register(request.user, entry.hub):
        raise PermissionDenied
    return entry


def _organisation(pk: int | None, field: str) -> Organisation:
    org = Organisation.objects.filter(pk=pk).first() if pk else None
    if org is None:
        raise RuleViolation(f"No organisation with id {pk}.", field)
    return org


def _owner(pk: int | None):
    if pk is None:
        return None
    user = get_user_model().objects.filter(pk=pk).first()
    if user is None:
        raise RuleViolation(f"No user with id {pk}.", "owner")
    return user


@router.get(
    "/hubs/{hub_id}/stakeholders",
    response=page_of(StakeholderOut),
    auth=auth,
    summary="A hub's stakeholder register (its team only)",
)
def list_stakeholders(
    request,
    hub_id: int = Path(..., ge=1, le=MAX_ID),
    group: str = Query("", description="stakeholder_groups code"),
    sector: Annotated[str, one_of(Sector, blank=True)] = Query(""),
    status: Annotated[str, one_of(StakeholderStatus, blank=True)] = Query(""),
    owner: int | None = Query(None, ge=1, le=MAX_ID),
    limit: int = 50,
    offset: int = 0,
):
    hub = _team_hub(request, hub_id)
    if group:
        register.resolve_group(group)  # an unknown code is refused naming the field
    qs = register.filter_register(
        register.register_of(hub), group=group, sector=sector, status=status, owner=owner
    )
    return paginate(qs.order_by("pk"), limit, offset, stakeholder_out)


@router.post("/hubs/{hub_id}/stakeholders", response={201: StakeholderOut}, auth=auth)
def create_stakeholder(request, payload: StakeholderIn, hub_id: int = Path(..., ge=1, le=MAX_ID)):
    hub = _team_hub(request, hub_id)
    data = payload.dict()
    entry = register.add_stakeholder(
        actor=request.user,
        hub=hub,
        organisation=_organisation(data.pop("organisation"), "organisation"),
        owner=_owner(data.pop("owner")),
        **data,
    )
    return Status(201, stakeholder_out(entry))


@router.get("/stakeholders/{stakeholder_id}", response=StakeholderOut, auth=auth)
def get_stakeholder(request, stakeholder_id: int = Path(..., ge=1, le=MAX_ID)):
    return stakeholder_out(_entry(request, stakeholder_id))


@router.patch("/stakeholders/{stakeholder_id}", response=StakeholderOut, auth=auth)
def patch_stakeholder(
    request, payload: StakeholderPatch, stakeholder_id: int = Path(..., ge=1, le=MAX_ID)
):
    entry = _entry(request, stakeholder_id)
    sent = payload.dict(exclude_unset=True)
    changes = {k: v for k, v in sent.items() if v is not None or k == "owner"}
    if "owner" in changes:
        changes["owner"] = _owner(changes["owner"])
    entry = register.update_stakeholder(actor=request.user, stakeholder=entry, **changes)
    return stakeholder_out(entry)


@router.delete("/stakeholders/{stakeholder_id}", response={204: None}, auth=auth)
def delete_stakeholder(request, stakeholder_id: int = Path(..., ge=1, le=MAX_ID)):
    register.remove_stakeholder(actor=request.user, stakeholder=_entry(request, stakeholder_id))
    return Status(204, None)


def _relationship(relationship_id: int) -> Relationship:
    return get_object_or_404(
        Relationship.objects.select_related("source", "target", "hub__parent__parent"),
        pk=relationship_id,
    )


@router.get(
    "/relationships",
    response=page_of(RelationshipOut),
    summary="Relationships between organisations (public)",
)
def list_relationships(
    request,
    organisation: int | None = Query(None, ge=1, le=MAX_ID, description="From or to this one"),
    hub: int | None = Query(None, ge=1, le=MAX_ID, description="Recorded by this hub"),
    kind: Annotated[str, one_of(Relationship.Kind, blank=True)] = Query(""),
    limit: int = 50,
    offset: int = 0,
):
    qs = Relationship.objects.select_related("source", "target")
    if organisation is not None:
        qs = qs.filter(Q(source_id=organisation) | Q(target_id=organisation))
    if hub is not None:
        qs = qs.filter(hub_id=hub)
    if kind:
        qs = qs.filter(kind=kind)
    return paginate(qs.order_by("pk"), limit, offset, relationship_out)


@router.get("/relationships/{relationship_id}", response=RelationshipOut)
def get_relationship(request, relationship_id: int = Path(..., ge=1, le=MAX_ID)):
    return relationship_out(_relationship(relationship_id))


@router.post("/relationships", response={201: RelationshipOut}, auth=auth)
def create_relationship(request, payload: RelationshipIn):
    data = payload.dict()
    hub = Hub.objects.filter(pk=data.pop("hub")).select_related("parent__parent").first()
    if hub is None:
        raise RuleViolation("No such hub.", "hub")
    rel = relationships.add_relationship(
        actor=request.user,
        hub=hub,
        source=_organisation(data.pop("source"), "source"),
        target=_organisation(data.pop("target"), "target"),
        **data,
    )
    return Status(201, relationship_out(rel))


@router.patch("/relationships/{relationship_id}", response=RelationshipOut, auth=auth)
def patch_relationship(
    request, payload: RelationshipPatch, relationship_id: int = Path(..., ge=1, le=MAX_ID)
):
    rel = _relationship(relationship_id)
    sent = payload.dict(exclude_unset=True)
    changes = {k: v for k, v in sent.items() if v is not None or k in ("since", "until")}
    for end in ("source", "target"):
        if end in changes:
            changes[end] = _organisation(changes[end], end)
    rel = relationships.update_relationship(actor=request.user, relationship=rel, **changes)
    return relationship_out(rel)


@router.delete("/relationships/{relationship_id}", response={204: None}, auth=auth)
def delete_relationship(request, relationship_id: int = Path(..., ge=1, le=MAX_ID)):
    relationships.delete_relationship(
        actor=request.user, relationship=_relationship(relationship_id)
    )
    return Status(204, None)


IMPORTS = {"stakeholders": imports.import_stakeholders, "engagement": imports.import_records}


@router.post(
    "/hubs/{hub_id}/imports/{kind}",
    # 422: the import's report (every bad row), or the API's usual error when the request itself
    # is malformed (no file part): both shapes are documented.
    response={201: ImportReportOut, 422: ImportReportOut | ErrorOut},
    auth=auth,
    summary="Import stakeholders or engagement records from CSV/XLSX: all rows or none",
)
def import_file(
    request,
    kind: Literal["stakeholders", "engagement"],
    hub_id: int = Path(..., ge=1, le=MAX_ID),
    file: UploadedFile = File(...),
):
    """201 with the number created, or 422 with every problem (row, column, reason) and nothing
    stored."""
    hub = _hub(hub_id)
    allowed = (
        register.can_edit_register(request.user, hub)
        if kind == "stakeholders"
        else record_perms.can_record_engagement(request.user, hub)
    )
    if not allowed:
        raise PermissionDenied
    report = IMPORTS[kind](file.file, filename=file.name or "", actor=request.user, hub=hub)
    return Status(201 if report.ok else 422, report.as_dict())


@router.get(
    "/hubs/{hub_id}/stakeholders/export",
    auth=auth,
    response={200: None},
    summary="The register as CSV or XLSX (the hub team only)",
)
def export_register(
    request,
    hub_id: int = Path(..., ge=1, le=MAX_ID),
    format: Literal["csv", "xlsx"] = Query("csv"),  # noqa: A002 - the documented parameter name
):
    hub = _team_hub(request, hub_id)
    content = exports_register.write(
        exports_register.REGISTER_HEADER, exports_register.register_rows(hub), format, "register"
    )
    return _file(content, format, f"register-hub-{hub.pk}")


@router.get(
    "/hubs/{hub_id}/engagement-records/export",
    response={200: None},
    summary="A hub's engagement records as CSV or XLSX (public fields)",
)
def export_records(
    request,
    hub_id: int = Path(..., ge=1, le=MAX_ID),
    format: Literal["csv", "xlsx"] = Query("csv"),  # noqa: A002 - the documented parameter name
):
    hub = _hub(hub_id)
    content = exports_register.write(
        exports_register.RECORD_HEADER, exports_register.record_rows(hub), format, "records"
    )
    return _file(content, format, f"engagement-records-hub-{hub.pk}")


def _file(content: bytes, fmt: str, name: str) -> HttpResponse:
    response = HttpResponse(content, content_type=exports_register.CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return response
