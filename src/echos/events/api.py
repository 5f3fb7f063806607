"""Events (public read, write per permissions), programme sessions and registrations (organisers)."""

from typing import Annotated
from uuid import UUID

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404
from ninja import Query, Router, Schema, Status
from pydantic import Field

from echos.core.api import TokenAuth, api_user, one_of, page_of, paginate
from echos.core.exceptions import RuleViolation
from echos.events import calendar, services
from echos.events import permissions as perms
from echos.events.models import Audience, Event, EventMessage, EventType, Format, Registration
from echos.events.schemas import (
    EventDetailOut,
    EventOut,
    RegistrationOut,
    SessionCreatedOut,
)
from echos.events.services import messaging
from echos.hubs.models import Hub

router = Router(tags=["events"])
auth = TokenAuth()
WHEN = ("upcoming", "past", "all")
ACTIONS = ("check_in", "undo", "cancel")


TRANSLATIONS_HELP = (
    "The texts in other languages the platform offers: "
    '{"fr": {"title": "…", "description": "…"}}; translatable: '
    + ", ".join(Event.TRANSLATABLE)
    + "."
)


class EventIn(Schema):
    hub: int
    title: str = Field(max_length=200)
    description: str = Field(max_length=services.MAX_TEXT)
    type: Annotated[str, one_of(EventType)]
    format: Annotated[str, one_of(Format)]
    start: str = Field(description="Local date-time in `time_zone`, e.g. 2026-05-20T09:30")
    end: str
    time_zone: str = Field(
        "",
        description="IANA zone of the times; empty: the zone of the event's country (Europe/Rome)",
    )
    languages: list[str]
    audiences: list[str] = []
    objectives: list[str] = []
    country: str | None = None
    region: str | None = None
    venue: str = ""
    address: str = ""
    latitude: float | None = None
    longitude: float | None = None
    online_url: str = ""
    link_visibility: Annotated[str, one_of(Event.LinkVisibility)] = "public"
    capacity: int | None = Field(None, ge=1)
    registration_enabled: bool = True
    registration_opens: str | None = None
    registration_closes: str | None = None
    offer_hours: int = Field(48, ge=1, le=720)
    questions: str = Field(
        "", description="Code of a registration questionnaire, e.g. event-registration"
    )
    accessibility: list[str] = []
    accessibility_notes: str = ""
    status: Annotated[str, one_of(Event.Status)] = "draft"
    source_language: str = Field(
        "", description="ISO 639-1 code of the language the texts are written in (default en)"
    )
    translations: dict[str, dict[str, str | None]] = Field(
        default_factory=dict, description=TRANSLATIONS_HELP
    )


class EventPatch(Schema):
    title: str | None = Field(None, max_length=200)
    description: str | None = Field(None, max_length=services.MAX_TEXT)
    type: Annotated[str, one_of(EventType)] | None = None
    format: Annotated[str, one_of(Format)] | None = None
    start: str | None = None
    end: str | None = None
    time_zone: str | None = None
    languages: list[str] | None = None
    audiences: list[str] | None = None
    objectives: list[str] | None = None
    region: str | None = None
    venue: str | None = None
    address: str | None = None
    online_url: str | None = None
    link_visibility: Annotated[str, one_of(Event.LinkVisibility)] | None = None
    capacity: int | None = Field(None, ge=1)
    registration_enabled: bool | None = None
    registration_opens: str | None = None
    registration_closes: str | None = None
    questions: str | None = None
    accessibility: list[str] | None = None
    accessibility_notes: str | None = None
    outcomes: str | None = None
    source_language: str | None = None
    translations: dict[str, dict[str, str | None]] | None = Field(
        None, description=TRANSLATIONS_HELP + " Replaces every translation the event had."
    )


class StatusIn(Schema):
    status: Annotated[str, one_of(Event.Status)]
    reason: str = ""


class SessionIn(Schema):
    title: str = Field(max_length=200)
    start: str
    end: str
    room: str = ""
    description: str = ""


class RegistrationAction(Schema):
    action: Annotated[str, one_of(ACTIONS)] = Field(
        description="check_in, undo (the check-in) or cancel"
    )
    reason: str = ""


def event_out(e: Event, *, details: bool) -> dict:
    return {
        "id": e.pk,
        "uid": str(e.uid),
        "title": e.title,
        "description": e.description,
        "type": e.type,
        "format": e.format,
        "status": e.status,
        "status_reason": e.status_reason,
        "hub": e.hub_id,
        "country": e.country_id,
        "region": e.region_id,
        "venue": e.venue if details else None,
        "address": e.address if details else None,
        "online_url": e.online_url if details else None,
        "start": e.start.isoformat(),
        "end": e.end.isoformat(),
        "time_zone": e.time_zone,
        "local_start": e.local_start.isoformat(),
        "languages": e.language_codes,
        "audiences": e.audience_codes,
        "objectives": e.objective_codes,
        "capacity": e.capacity,
        "accessibility": e.accessibility_codes,
        "accessibility_notes": e.accessibility_notes,
        "outcomes": e.outcomes,
        "source_language": e.source_language,
        "translations": e.translations or {},
        "sequence": e.sequence,
        "url": e.get_absolute_url(),
        "ics": f"/events/{e.pk}/event.ics",
        "is_demo": e.is_demo,
    }


def event_detail_out(e: Event, *, details: bool) -> dict:
    """``event_out`` with the programme, the places left and the registration questionnaire."""
    out = event_out(e, details=details)
    out["sessions"] = [
        {
            "id": s.pk,
            "title": s.title,
            "start": s.start.isoformat(),
            "end": s.end.isoformat(),
            "room": s.room,
        }
        for s in e.sessions.all()
    ]
    out["places_left"] = services.places_left(e)
    out["questions"] = e.questions.code if e.questions is not None else None
    return out


def _details(user, e: Event) -> bool:
    return e.link_visibility == Event.LinkVisibility.PUBLIC or perms.can_manage_event(user, e)


def registration_out(r: Registration) -> dict:
    return {
        "id": r.pk,
        "event": r.event_id,
        "name": r.name,
        "email": r.email,
        "status": r.status,
        "audience": r.audience,
        "language": r.language,
        "answers": r.answers,
        "created_at": r.created_at.isoformat(),
        "email_confirmed": r.email_confirmed_at is not None,
        "offer_expires_at": r.offer_expires_at.isoformat() if r.offer_expires_at else None,
        "checked_in_at": r.checked_in_at.isoformat() if r.checked_in_at else None,
    }


@router.get(
    "/events",
    response=page_of(EventOut),
    summary="Public calendar; the calendar's filters apply",
)
def list_events(
    request,
    country: str = "",
    region: str = "",
    hub: str = "",
    type: Annotated[str, one_of(EventType, blank=True)] = "",
    audience: Annotated[str, one_of(Audience, blank=True)] = "",
    objective: str = "",
    language: str = "",
    format: Annotated[str, one_of(Format, blank=True)] = "",
    q: str = "",
    date_from: str = Query("", alias="from"),
    to: str = "",
    when: Annotated[str, one_of(WHEN)] = Query("upcoming", description="upcoming, past or all"),
    limit: int = 50,
    offset: int = 0,
):
    params = {
        "country": country,
        "region": region,
        "hub": hub,
        "type": type,
        "audience": audience,
        "objective": objective,
        "language": language,
        "format": format,
        "q": q,
        "from": date_from,
        "to": to,
        "when": when,
    }
    filters = calendar.Filters.from_query(params)
    # The calendar page ignores a filter it cannot use and says so; the API refuses it by name.
    for name in filters.ignored:
        if name in ("from", "to"):
            raise RuleViolation(
                f"{name} must be a date (YYYY-MM-DD) between {calendar.EARLIEST.isoformat()} "
                f"and {calendar.LATEST.isoformat()}.",
                name,
            )
        raise RuleViolation(f"{name}: this value is not known.", name)
    user = api_user(request)
    qs = filters.apply(calendar.public_events(), upcoming_default=when != "all", viewer=user)
    return paginate(qs, limit, offset, lambda e: event_out(e, details=_details(user, e)))


@router.get("/events/{event_id}", response=EventDetailOut)
def get_event(request, event_id: int):
    event = get_object_or_404(Event.objects.select_related("hub"), pk=event_id)
    user = api_user(request)
    if not perms.can_view_event(user, event):
        raise Http404
    return event_detail_out(event, details=_details(user, event))


@router.post("/events", response={201: EventOut}, auth=auth)
def create_event(request, payload: EventIn):
    data = payload.dict()
    hub = Hub.objects.filter(pk=data.pop("hub")).first()
    if hub is None:
        raise RuleViolation("No such hub.", "hub")
    data = {k: v for k, v in data.items() if v is not None or k in ("capacity",)}
    event = services.create_event(actor=request.user, hub=hub, **data)
    return Status(201, event_out(event, details=True))


@router.patch("/events/{event_id}", response=EventOut, auth=auth)
def patch_event(request, event_id: int, payload: EventPatch):
    event = get_object_or_404(Event, pk=event_id)
    changes = payload.dict(exclude_unset=True)
    event = services.update_event(actor=request.user, event=event, **changes)
    return event_out(event, details=True)


@router.post("/events/{event_id}/status", response=EventOut, auth=auth)
def change_status(request, event_id: int, payload: StatusIn):
    event = get_object_or_404(Event, pk=event_id)
    event = services.set_status(
        actor=request.user, event=event, status=payload.status, reason=payload.reason
    )
    return event_out(event, details=True)


@router.delete("/events/{event_id}", response={204: None}, auth=auth)
def delete_event(request, event_id: int):
    services.delete_event(actor=request.user, event=get_object_or_404(Event, pk=event_id))
    return Status(204, None)


@router.post("/events/{event_id}/sessions", response={201: SessionCreatedOut}, auth=auth)
def add_session(request, event_id: int, payload: SessionIn):
    event = get_object_or_404(Event, pk=event_id)
    s = services.add_session(actor=request.user, event=event, **payload.dict())
    return Status(201, {"id": s.pk, "title": s.title, "start": s.start.isoformat()})


@router.get("/events/{event_id}/registrations", response=page_of(RegistrationOut), auth=auth)
def list_registrations(
    request,
    event_id: int,
    status: Annotated[str, one_of(Registration.Status, blank=True)] = "",
    limit: int = 100,
    offset: int = 0,
):
    event = get_object_or_404(Event, pk=event_id)
    if not perms.can_view_participants(request.user, event):
        raise PermissionDenied
    qs = event.registrations.order_by("created_at", "id")
    if status:
        qs = qs.filter(status=status)
    return paginate(qs, limit, offset, registration_out)


@router.post("/registrations/{registration_id}", response=RegistrationOut, auth=auth)
def act_on_registration(request, registration_id: int, payload: RegistrationAction):
    registration = get_object_or_404(
        Registration.objects.select_related("event"), pk=registration_id
    )
    if payload.action in ("check_in", "undo"):
        registration = services.check_in(
            actor=request.user, registration=registration, attended=payload.action == "check_in"
        )
    else:  # cancel (one_of allows no other action)
        registration = services.cancel_registration(
            registration, actor=request.user, reason=payload.reason
        )
    return registration_out(registration)


# --- Messages to registrants (issue #16) ---------------------------------------------------------


class MessageIn(Schema):
    subject: str = Field(max_length=messaging.SUBJECT_MAX)
    body: str = Field(max_length=messaging.BODY_MAX)
    statuses: list[Annotated[str, one_of(Registration.Status)]] = Field(min_length=1)
    idempotency_key: UUID = Field(
        description="A new UUID per message: sending the same key again sends nothing twice."
    )


class MessagePreviewIn(Schema):
    subject: str = Field(max_length=messaging.SUBJECT_MAX)
    body: str = Field(max_length=messaging.BODY_MAX)
    statuses: list[Annotated[str, one_of(Registration.Status)]] = Field(min_length=1)


class MessageOut(Schema):
    id: int
    event: int
    subject: str
    body: str
    statuses: list[str]
    recipient_count: int
    sent_by: int | None
    created_at: str
    already_sent: bool = False


class MessagePreviewOut(Schema):
    recipient_count: int
    subject: str
    text: str


def message_out(m: EventMessage, *, already_sent: bool = False) -> dict:
    return {
        "id": m.pk,
        "event": m.event_id,
        "subject": m.subject,
        "body": m.body,
        "statuses": m.status_codes,
        "recipient_count": m.recipient_count,
        "sent_by": m.sender_id,
        "created_at": m.created_at.isoformat(),
        "already_sent": already_sent,
    }


def _organised_event(request, event_id: int) -> Event:
    event = get_object_or_404(Event, pk=event_id)
    if not perms.can_view_participants(request.user, event):
        raise PermissionDenied
    return event


@router.get("/events/{event_id}/messages", response=page_of(MessageOut), auth=auth)
def list_messages(request, event_id: int, limit: int = 100, offset: int = 0):
    """Messages the organisers sent to the event's registrants, newest first."""
    event = _organised_event(request, event_id)
    return paginate(event.messages.all(), limit, offset, message_out)


@router.post("/events/{event_id}/messages/preview", response=MessagePreviewOut, auth=auth)
def preview_message(request, event_id: int, payload: MessagePreviewIn):
    """How many people a message reaches and the e-mail the first of them would get."""
    event = _organised_event(request, event_id)
    count, (subject, text) = messaging.preview(
        event=event, subject=payload.subject, body=payload.body, statuses=payload.statuses
    )
    return {"recipient_count": count, "subject": subject, "text": text}


@router.post("/events/{event_id}/messages", response={201: MessageOut, 200: MessageOut}, auth=auth)
def send_message(request, event_id: int, payload: MessageIn):
    """Send a message, one e-mail per registrant; the same ``idempotency_key`` again answers 200
    with the message already sent and sends nothing."""
    event = get_object_or_404(Event, pk=event_id)
    message, created = messaging.send_message(
        actor=request.user,
        event=event,
        subject=payload.subject,
        body=payload.body,
        statuses=payload.statuses,
        token=payload.idempotency_key,
    )
    return Status(201 if created else 200, message_out(message, already_sent=not created))
