"""Hubs, organisations, memberships and stage changes over JSON (same services as the pages)."""

from datetime import date
from typing import Annotated

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from ninja import Router, Schema, Status
from pydantic import Field

from echos.core.api import TokenAuth, api_user, one_of, page_of, paginate
from echos.core.audit import entries_for
from echos.core.exceptions import RuleViolation
from echos.core.models import Term
from echos.hubs import permissions as perms
from echos.hubs import services
from echos.hubs.models import (
    Archetype,
    Hub,
    Level,
    Membership,
    Organisation,
    Stage,
    StageChange,
)
from echos.hubs.queries import filter_hubs, filter_organisations
from echos.hubs.schemas import (
    AuditEntryOut,
    ContactOut,
    HubOut,
    MembershipOut,
    OrganisationOut,
    StageChangeOut,
)

router = Router(tags=["hubs"])
auth = TokenAuth()


# --- schemas ---------------------------------------------------------------------------------


class HubIn(Schema):
    country: str = Field(description="ISO 3166-1 alpha-2 code")
    level: str = Field("national", description="national, regional or local")
    parent: int | None = None
    region: str | None = Field(None, description="ISO 3166-2 code")
    name: str = Field("", max_length=200, description="Name in the local language")
    name_en: str = Field("", max_length=200)
    mission: str = ""
    source_language: str = Field("en", description="The language the mission is written in")
    translations: dict[str, dict[str, str]] = Field(
        {}, description='The mission in other languages: {"fr": {"mission": "…"}}'
    )
    website: str = ""
    host_organisation: int | None = None
    archetype: Annotated[str, one_of(Archetype, blank=True)] = ""
    stage: Annotated[str, one_of(Stage)] | None = None
    stage_date: date | None = None


class HubPatch(Schema):
    level: str | None = None
    parent: int | None = None
    region: str | None = None
    name: str | None = Field(None, max_length=200)
    name_en: str | None = Field(None, max_length=200)
    mission: str | None = None
    source_language: str | None = None
    # Replaces every translation; send the ones to keep.
    translations: dict[str, dict[str, str]] | None = None
    website: str | None = None
    host_organisation: int | None = None
    archetype: Annotated[str, one_of(Archetype, blank=True)] | None = None


class StageChangeIn(Schema):
    stage: Annotated[str, one_of(Stage)]
    date: date
    evidence: str = ""
    link: str = ""
    reason: str = ""


class OrganisationIn(Schema):
    name: str = Field(max_length=250)
    stakeholder_group: str
    country: str
    region: str | None = None
    website: str = ""
    description: str = ""


class OrganisationPatch(Schema):
    name: str | None = Field(None, max_length=250)
    stakeholder_group: str | None = None
    country: str | None = None
    region: str | None = None
    website: str | None = None
    description: str | None = None


class MembershipIn(Schema):
    hub: int
    organisation: int
    role: Annotated[str, one_of(Membership.Role)] = "member"
    since: date | None = None
    until: date | None = None


class MembershipPatch(Schema):
    role: Annotated[str, one_of(Membership.Role)] | None = None
    since: date | None = None
    until: date | None = None


# --- serialisers -----------------------------------------------------------------------------


def hub_out(h: Hub) -> dict:
    return {
        "id": h.pk,
        "country": h.country_id,
        "level": h.level,
        "parent": h.parent_id,
        "region": h.region_id,
        "name": h.name,
        "name_en": h.name_en,
        "mission": h.mission,
        "source_language": h.source_language,
        "translations": h.translations or {},
        "website": h.website,
        "host_organisation": h.host_organisation_id,
        "archetype": h.archetype,
        "stage": h.stage,
        "stage_since": h.stage_since.isoformat() if h.stage_since else None,
        "is_demo": h.is_demo,
        "url": h.get_absolute_url(),
    }


def stage_change_out(c: StageChange) -> dict:
    return {
        "id": c.pk,
        "hub": c.hub_id,
        "stage": c.stage,
        "date": c.date.isoformat(),
        "evidence": c.evidence,
        "link": c.link,
        "reason": c.reason,
        "recorded_at": c.recorded_at.isoformat(),
    }


def organisation_out(o: Organisation) -> dict:
    return {
        "id": o.pk,
        "name": o.name,
        "stakeholder_group": o.stakeholder_group.code,
        "country": o.country_id,
        "region": o.region_id,
        "website": o.website,
        "description": o.description,
        "is_demo": o.is_demo,
        "url": o.get_absolute_url(),
    }


def membership_out(m: Membership) -> dict:
    return {
        "id": m.pk,
        "hub": m.hub_id,
        "organisation": m.organisation_id,
        "role": m.role,
        "since": m.since.isoformat() if m.since else None,
        "until": m.until.isoformat() if m.until else None,
        "status": m.status,
    }


def audit_entry_out(e) -> dict:
    return {
        "action": e.action,
        "actor": e.actor.username if e.actor else None,
        "at": e.at.isoformat(),
        "data": e.data,
    }


def contact_out(p) -> dict:
    return {"id": p.pk, "name": p.name, "email": p.email, "phone": p.phone, "position": p.position}


# --- resolving input ---------------------------------------------------------------------------


def _hub_fields(data: dict) -> dict:
    fields = dict(data)
    country = None
    if "country" in fields:
        country = fields["country"] = services.resolve_country(fields["country"])
    if "parent" in fields:
        fields["parent"] = _get_or_field(Hub, fields["parent"], "parent")
    if "region" in fields:
        fields["region"] = services.resolve_region(fields["region"], country)
    if "host_organisation" in fields:
        fields["host_organisation"] = _get_or_field(
            Organisation, fields["host_organisation"], "host_organisation"
        )
    return fields


def _org_fields(data: dict, country=None) -> dict:
    fields = dict(data)
    if "country" in fields:
        country = fields["country"] = services.resolve_country(fields["country"])
    if "region" in fields:
        fields["region"] = services.resolve_region(fields["region"], country)
    if "stakeholder_group" in fields:
        fields["stakeholder_group"] = services.resolve_term(
            Term.Vocabulary.STAKEHOLDER_GROUPS, fields["stakeholder_group"], "stakeholder_group"
        )
    return fields


def _get_or_field(model, pk, field):
    if pk is None:
        return None
    obj = model.objects.filter(pk=pk).first()
    if obj is None:
        raise RuleViolation(f"No {model._meta.verbose_name} with id {pk}.", field)
    return obj


# --- hubs ----------------------------------------------------------------------------------------


@router.get("/hubs", response=page_of(HubOut), summary="List hubs")
def list_hubs(
    request,
    country: str | None = None,
    level: Annotated[str, one_of(Level, blank=True)] | None = None,
    stage: Annotated[str, one_of(Stage, blank=True)] | None = None,
    parent: int | None = None,
    archetype: Annotated[str, one_of(Archetype, blank=True)] | None = None,
    q: str | None = None,
    limit: int = 50,
    offset: int = 0,
):
    qs = filter_hubs(
        Hub.objects.all(),
        country=country,
        level=level,
        stage=stage,
        parent=parent,
        archetype=archetype,
        q=q,
    )
    return paginate(qs.order_by("pk"), limit, offset, hub_out)


@router.post("/hubs", response={201: HubOut}, auth=auth, summary="Create a hub")
def create_hub(request, payload: HubIn):
    data = payload.dict()
    hub = services.create_hub(actor=request.user, **_hub_fields(data))
    return Status(201, hub_out(hub))


@router.get("/hubs/{hub_id}", response=HubOut)
def get_hub(request, hub_id: int):
    return hub_out(get_object_or_404(Hub, pk=hub_id))


@router.patch("/hubs/{hub_id}", response=HubOut, auth=auth)
def patch_hub(request, hub_id: int, payload: HubPatch):
    hub = get_object_or_404(Hub, pk=hub_id)
    changes = _hub_fields({"country": hub.country_id, **payload.dict(exclude_unset=True)})
    changes.pop("country")
    for key in ("name", "name_en", "mission", "website", "archetype", "source_language"):
        if key in changes and changes[key] is None:
            changes[key] = ""
    if "translations" in changes and changes["translations"] is None:
        changes["translations"] = {}
    return hub_out(services.update_hub(actor=request.user, hub=hub, **changes))


@router.delete("/hubs/{hub_id}", response={204: None}, auth=auth)
def delete_hub(request, hub_id: int):
    services.delete_hub(actor=request.user, hub=get_object_or_404(Hub, pk=hub_id))
    return Status(204, None)


@router.get("/hubs/{hub_id}/stage-changes", response=page_of(StageChangeOut))
def list_stage_changes(request, hub_id: int, limit: int = 50, offset: int = 0):
    hub = get_object_or_404(Hub, pk=hub_id)
    return paginate(hub.stage_changes.all(), limit, offset, stage_change_out)


@router.post("/hubs/{hub_id}/stage-changes", response={201: StageChangeOut}, auth=auth)
def post_stage_change(request, hub_id: int, payload: StageChangeIn):
    hub = get_object_or_404(Hub, pk=hub_id)
    change = services.record_stage_change(actor=request.user, hub=hub, **payload.dict())
    return Status(201, stage_change_out(change))


@router.get("/hubs/{hub_id}/audit", response=page_of(AuditEntryOut), auth=auth)
def hub_audit(request, hub_id: int, limit: int = 50, offset: int = 0):
    if not perms.can_view_audit(request.user):
        raise PermissionDenied("Only network coordinators read the audit log.")
    hub = get_object_or_404(Hub, pk=hub_id)
    return paginate(entries_for(hub), limit, offset, audit_entry_out)


# --- organisations --------------------------------------------------------------------------------


@router.get("/organisations", response=page_of(OrganisationOut), tags=["organisations"])
def list_organisations(
    request,
    country: str | None = None,
    stakeholder_group: str | None = None,
    hub: int | None = None,
    q: str | None = None,
    limit: int = 50,
    offset: int = 0,
):
    qs = filter_organisations(
        Organisation.objects.select_related("stakeholder_group"),
        country=country,
        stakeholder_group=stakeholder_group,
        hub=hub,
        q=q,
    )
    return paginate(qs.order_by("pk"), limit, offset, organisation_out)


@router.post("/organisations", response={201: OrganisationOut}, auth=auth, tags=["organisations"])
def create_organisation(request, payload: OrganisationIn):
    org = services.create_organisation(actor=request.user, **_org_fields(payload.dict()))
    return Status(201, organisation_out(org))


@router.get("/organisations/{org_id}", response=OrganisationOut, tags=["organisations"])
def get_organisation(request, org_id: int):
    return organisation_out(get_object_or_404(Organisation, pk=org_id))


@router.patch(
    "/organisations/{org_id}", response=OrganisationOut, auth=auth, tags=["organisations"]
)
def patch_organisation(request, org_id: int, payload: OrganisationPatch):
    org = get_object_or_404(Organisation, pk=org_id)
    changes = _org_fields(payload.dict(exclude_unset=True), country=org.country)
    for key in ("name", "website", "description"):
        if key in changes and changes[key] is None:
            changes[key] = ""
    if changes.get("country") is None:
        changes.pop("country", None)
    return organisation_out(
        services.update_organisation(actor=request.user, organisation=org, **changes)
    )


@router.delete("/organisations/{org_id}", response={204: None}, auth=auth, tags=["organisations"])
def delete_organisation(request, org_id: int):
    services.delete_organisation(
        actor=request.user, organisation=get_object_or_404(Organisation, pk=org_id)
    )
    return Status(204, None)


@router.get(
    "/organisations/{org_id}/contacts",
    response=page_of(ContactOut),
    auth=auth,
    tags=["organisations"],
)
def list_contacts(request, org_id: int, limit: int = 50, offset: int = 0):
    org = get_object_or_404(Organisation, pk=org_id)
    if not perms.can_view_contacts(request.user, org):
        raise PermissionDenied("Contact details are private.")
    return paginate(org.contacts.all(), limit, offset, contact_out)


# --- memberships ------------------------------------------------------------------------------------


@router.get("/memberships", response=page_of(MembershipOut), tags=["memberships"])
def list_memberships(
    request,
    hub: int | None = None,
    organisation: int | None = None,
    role: Annotated[str, one_of(Membership.Role, blank=True)] | None = None,
    current: bool = False,
    status: Annotated[str, one_of(Membership.Status, blank=True)] | None = None,
    limit: int = 50,
    offset: int = 0,
):
    api_user(request)
    qs = Membership.objects.all()
    if status:
        qs = qs.filter(status=status)
    if hub is not None:
        qs = qs.filter(hub_id=hub)
    if organisation is not None:
        qs = qs.filter(organisation_id=organisation)
    if role:
        qs = qs.filter(role=role)
    if current:
        qs = qs.current()
    return paginate(qs.order_by("pk"), limit, offset, membership_out)


@router.post("/memberships", response={201: MembershipOut}, auth=auth, tags=["memberships"])
def create_membership(request, payload: MembershipIn):
    data = payload.dict()
    hub = _get_or_field(Hub, data.pop("hub"), "hub")
    org = _get_or_field(Organisation, data.pop("organisation"), "organisation")
    m = services.add_membership(actor=request.user, hub=hub, organisation=org, **data)
    return Status(201, membership_out(m))


@router.patch(
    "/memberships/{membership_id}", response=MembershipOut, auth=auth, tags=["memberships"]
)
def patch_membership(request, membership_id: int, payload: MembershipPatch):
    m = get_object_or_404(Membership.objects.select_related("hub"), pk=membership_id)
    changes = payload.dict(exclude_unset=True)
    if changes.get("role") is None:
        changes.pop("role", None)
    return membership_out(services.update_membership(actor=request.user, membership=m, **changes))


@router.delete(
    "/memberships/{membership_id}", response={204: None}, auth=auth, tags=["memberships"]
)
def delete_membership(request, membership_id: int):
    m = get_object_or_404(Membership.objects.select_related("hub"), pk=membership_id)
    services.delete_membership(actor=request.user, membership=m)
    return Status(204, None)


@router.post(
    "/memberships/{membership_id}/confirm", response=MembershipOut, auth=auth, tags=["memberships"]
)
def confirm_membership(request, membership_id: int):
    """The organisation's representative (or the network) confirms the membership."""
    m = get_object_or_404(Membership.objects.select_related("organisation"), pk=membership_id)
    return membership_out(services.confirm_membership(actor=request.user, membership=m))


@router.post(
    "/memberships/{membership_id}/decline", response=MembershipOut, auth=auth, tags=["memberships"]
)
def decline_membership(request, membership_id: int):
    """The organisation's representative (or the network) declines the membership."""
    m = get_object_or_404(Membership.objects.select_related("organisation"), pk=membership_id)
    return membership_out(services.decline_membership(actor=request.user, membership=m))


# The hub's team (roles and invitations) has its own module; its paths sit under /hubs/{id}/.
from echos.hubs.api_team import router as team_router  # noqa: E402  (mounted on this router)

router.add_router("", team_router)
