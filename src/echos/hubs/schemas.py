"""Response schemas of the hubs API: the JSON of hubs, stage changes, organisations, memberships."""

from typing import Any

from ninja import Schema


class HubOut(Schema):
    id: int
    country: str
    level: str
    parent: int | None
    region: str | None
    name: str
    name_en: str
    mission: str
    # The language the mission is written in, and its translations: {"fr": {"mission": "…"}}.
    source_language: str
    translations: dict[str, dict[str, str]]
    website: str
    host_organisation: int | None
    archetype: str
    stage: str
    stage_since: str | None
    is_demo: bool
    url: str


class StageChangeOut(Schema):
    id: int
    hub: int
    stage: str
    date: str
    evidence: str
    link: str
    reason: str
    recorded_at: str


class AuditEntryOut(Schema):
    action: str
    actor: str | None
    at: str
    data: Any


class OrganisationOut(Schema):
    id: int
    name: str
    stakeholder_group: str
    country: str
    region: str | None
    website: str
    description: str
    is_demo: bool
    url: str


class ContactOut(Schema):
    id: int
    name: str
    email: str
    phone: str
    position: str


class MembershipOut(Schema):
    id: int
    hub: int
    organisation: int
    role: str
    since: str | None
    until: str | None
    status: str
