"""Response schemas of the events API: events (with their programme) and registrations."""

from typing import Any

from ninja import Schema
from pydantic import Field


class EventOut(Schema):
    """An event; ``venue``, ``address`` and ``online_url`` are null for those who may not see them.
    The texts are in their source language; ``translations`` carries every other language."""

    id: int
    uid: str
    title: str
    description: str
    type: str
    format: str
    status: str
    status_reason: str
    hub: int
    country: str
    region: str | None
    venue: str | None
    address: str | None
    online_url: str | None
    start: str
    end: str
    time_zone: str
    local_start: str
    languages: list[str]
    audiences: list[str]
    objectives: list[str]
    capacity: int | None
    accessibility: list[str]
    accessibility_notes: str
    outcomes: str
    source_language: str = Field(description="ISO 639-1 code of the language of the texts above")
    translations: dict[str, dict[str, str]] = Field(
        description="Every translation of the texts: {language: {field: text}}"
    )
    sequence: int
    url: str
    ics: str
    is_demo: bool


class SessionOut(Schema):
    id: int
    title: str
    start: str
    end: str
    room: str


class EventDetailOut(EventOut):
    """One event with its programme, the places left (null: no limit) and its questionnaire."""

    sessions: list[SessionOut]
    places_left: int | None
    questions: str | None


class SessionCreatedOut(Schema):
    id: int
    title: str
    start: str


class RegistrationOut(Schema):
    id: int
    event: int
    name: str
    email: str
    status: str
    audience: str
    language: str
    answers: Any
    created_at: str
    email_confirmed: bool
    offer_expires_at: str | None
    checked_in_at: str | None
