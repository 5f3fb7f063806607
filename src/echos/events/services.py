"""Writes for events, sessions and registrations: guard, one transaction, audit, e-mails after commit.

Capacity is enforced under a lock on the event row (``select_for_update`` on PostgreSQL; on SQLite every
transaction begins IMMEDIATE, which serialises writers), so parallel registrations never exceed it.
The waitlist is first in, first out: a freed place is *offered* to the next person for
``event.offer_hours``; an offer not accepted in time is cancelled and passed on (``process_event``).
"""

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from echos.assessment import engine
from echos.assessment.models import Instrument
from echos.assessment.services import publish_instrument
from echos.core.abuse import make_token, read_token
from echos.core.audit import diff, entries_for, log_action, snapshot
from echos.core.exceptions import Conflict, RuleViolation, guard
from echos.core.languages import language_codes
from echos.core.models import Country, Region
from echos.core.rules import check_web_address
from echos.events import permissions as perms
from echos.events.models import (
    ACCESSIBILITY_FEATURES,
    MAX_EVENT_DAYS,
    ONLINE_URL_MAX,
    Audience,
    Event,
    EventType,
    Format,
    Registration,
    Session,
    join_codes,
    valid_timezone,
)
from echos.events.privacy import RetentionRule
from echos.hubs.models import Hub

DATA = Path(__file__).resolve().parent / "data"
MAX_TEXT = 20000
# Events are dated within these years (a typo such as 9999 would break calendars).
FIRST_YEAR, LAST_YEAR = 2000, 2100
CONFIRM_HOURS = 24  # an anonymous registration not confirmed by e-mail within this time is released
NOTICE_EVERY = 3600  # at most one "you are already registered" e-mail per registration per hour
CONSENT_TEXT = (
    "I agree that the organisers of this event store my name, e-mail address and answers to manage "
    "my registration, and delete them after the event under the platform's retention rules."
)

# Changes to these fields are news for a calendar that subscribed: SEQUENCE goes up.
SCHEDULE_FIELDS = ["title", "start", "end", "time_zone", "venue", "address", "online_url", "status"]
EVENT_FIELDS = [
    "title",
    "description",
    "type",
    "format",
    "venue",
    "address",
    "latitude",
    "longitude",
    "online_url",
    "link_visibility",
    "languages",
    "audiences",
    "objectives",
    "start",
    "end",
    "time_zone",
    "capacity",
    "registration_enabled",
    "registration_opens",
    "registration_closes",
    "offer_hours",
    "accessibility",
    "accessibility_notes",
    "outcomes",
    "status",
    "status_reason",
]


# --- events -----------------------------------------------------------------------------------


def local_datetime(value, tz_name: str, field: str) -> datetime:
    """A naive local date-time (or an ISO string) in ``tz_name`` as an aware UTC date-time."""
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value.strip())
        except ValueError:
            raise RuleViolation(
                _("Give a date and time such as 2026-05-20T09:30."), field
            ) from None
    if not isinstance(value, datetime):
        raise RuleViolation(_("Give a date and time."), field)
    if not timezone.is_aware(value):
        if not valid_timezone(tz_name):
            raise RuleViolation(_("Unknown time zone: %(tz)s.") % {"tz": tz_name}, "time_zone")
        from zoneinfo import ZoneInfo

        value = value.replace(tzinfo=ZoneInfo(tz_name))
    try:
        return value.astimezone(UTC)
    except OverflowError:
        raise RuleViolation(
            _("Give a date between the years %(first)d and %(last)d.")
            % {"first": FIRST_YEAR, "last": LAST_YEAR},
            field,
        ) from None


def _codes(values, allowed, field: str, label: str) -> str:
    if isinstance(values, str):
        values = [v for v in values.replace(";", ",").split(",")]
    values = [str(v).strip() for v in values or [] if str(v).strip()]
    unknown = sorted(set(values) - set(allowed))
    if unknown:
        raise RuleViolation(
            _("Unknown %(label)s: %(codes)s.") % {"label": label, "codes": ", ".join(unknown)},
            field,
        )
    return join_codes(values)


def _objective_codes() -> list[str]:
    from echos.core.models import Term

    return list(Term.objects.of("objectives").values_list("code", flat=True))


def clean_event_fields(data: dict, *, current: Event | None = None) -> dict:
    """Check and normalise event fields (dates in the event's time zone); errors name the field."""
    out = dict(data)
    for name in ("title", "description", "venue", "address", "accessibility_notes", "outcomes"):
        if name in out and out[name] is not None:
            out[name] = str(out[name]).strip()
    if "title" in out and not out["title"]:
        raise RuleViolation(_("Give the event a title."), "title")
    if any(ch in (out.get("title") or "") for ch in "\r\n\x0b\x0c\x85\u2028\u2029"):
        raise RuleViolation(_("The title must fit on one line (no line breaks)."), "title")
    if len(out.get("title") or "") > 200:
        raise RuleViolation(_("The title is longer than 200 characters."), "title")
    if "description" in out:
        if not out["description"]:
            raise RuleViolation(_("Describe the event."), "description")
        if len(out["description"]) > MAX_TEXT:
            raise RuleViolation(
                _("The description is longer than %(n)d characters.") % {"n": MAX_TEXT},
                "description",
            )
    if "type" in out and out["type"] not in EventType.values:
        raise RuleViolation(_("Unknown event type."), "type")
    if "format" in out and out["format"] not in Format.values:
        raise RuleViolation(_("Unknown format."), "format")
    if "status" in out and out["status"] not in Event.Status.values:
        raise RuleViolation(_("Unknown status."), "status")
    if "link_visibility" in out and out["link_visibility"] not in Event.LinkVisibility.values:
        raise RuleViolation(_("Unknown choice."), "link_visibility")
    if "languages" in out:
        out["languages"] = _codes(out["languages"], language_codes(), "languages", _("language"))
        if not out["languages"]:
            raise RuleViolation(_("Name at least one language of the event."), "languages")
    if "audiences" in out:
        out["audiences"] = _codes(out["audiences"], Audience.values, "audiences", _("audience"))
    if "objectives" in out:
        out["objectives"] = _codes(
            out["objectives"], _objective_codes(), "objectives", _("objective")
        )
    if "accessibility" in out:
        out["accessibility"] = _codes(
            out["accessibility"],
            [c for c, _label in ACCESSIBILITY_FEATURES],
            "accessibility",
            _("accessibility feature"),
        )
    tz_name = out.get("time_zone", current.time_zone if current else "")
    if not valid_timezone(tz_name or ""):
        raise RuleViolation(
            _("Unknown time zone: %(tz)s. Use a name such as Europe/Warsaw.") % {"tz": tz_name},
            "time_zone",
        )
    for name in ("start", "end", "registration_opens", "registration_closes"):
        if out.get(name) not in (None, ""):
            out[name] = local_datetime(out[name], tz_name, name)
        elif name in out:
            if name in ("start", "end"):
                raise RuleViolation(_("Give a date and time."), name)
            out[name] = None
    for name in ("start", "end", "registration_opens", "registration_closes"):
        value = out.get(name)
        if isinstance(value, datetime) and not FIRST_YEAR <= value.year <= LAST_YEAR:
            raise RuleViolation(
                _("Give a date between the years %(first)d and %(last)d.")
                % {"first": FIRST_YEAR, "last": LAST_YEAR},
                name,
            )
    start = out.get("start", current.start if current else None)
    end = out.get("end", current.end if current else None)
    if start and end and end <= start:
        raise RuleViolation(_("The event must end after it starts."), "end")
    if start and end and end - start > timedelta(days=MAX_EVENT_DAYS):
        raise RuleViolation(
            _("An event lasts at most %(n)d days; publish a longer programme as several events.")
            % {"n": MAX_EVENT_DAYS},
            "end",
        )
    opens = out.get("registration_opens", current.registration_opens if current else None)
    closes = out.get("registration_closes", current.registration_closes if current else None)
    if opens and closes and closes <= opens:
        raise RuleViolation(_("Registration must close after it opens."), "registration_closes")
    if closes and end and closes > end:
        raise RuleViolation(
            _("Registration cannot close after the event has ended."), "registration_closes"
        )
    if out.get("capacity") in ("",):
        out["capacity"] = None
    if out.get("capacity") is not None:
        try:
            out["capacity"] = int(out["capacity"])
        except (TypeError, ValueError):
            raise RuleViolation(_("Give the capacity as a whole number."), "capacity") from None
        if out["capacity"] < 1:
            raise RuleViolation(
                _("The capacity must be at least 1 (leave it empty for no limit)."), "capacity"
            )
    for name, low, high in (("latitude", -90, 90), ("longitude", -180, 180)):
        value = out.get(name)
        if value not in (None, ""):
            try:
                value = float(value)
            except (TypeError, ValueError):
                raise RuleViolation(_("Give a number."), name) from None
            if not low <= value <= high:
                raise RuleViolation(_("Out of range."), name)
            out[name] = value
        elif name in out:
            out[name] = None
    if "online_url" in out:
        out["online_url"] = str(out["online_url"] or "").strip()
        if len(out["online_url"]) > ONLINE_URL_MAX:
            raise RuleViolation(
                _("The link is longer than %(n)d characters.") % {"n": ONLINE_URL_MAX},
                "online_url",
            )
        # Only http(s): a javascript: or data: link would run in the visitor's browser.
        check_web_address(out["online_url"], "online_url")
    fmt = out.get("format", current.format if current else "")
    url = out.get("online_url", current.online_url if current else "")
    if fmt in (Format.ONLINE, Format.HYBRID) and "online_url" in out and not url:
        raise RuleViolation(_("Give the link of an online or hybrid event."), "online_url")
    return out


def standard_questions() -> Instrument:
    """The shipped registration questions (access and dietary needs...), published on first use."""
    definition = json.loads((DATA / "registration_questions.json").read_text(encoding="utf-8"))
    return publish_instrument(definition)


def registration_instruments():
    """Questionnaires an organiser can attach to a registration form (current versions)."""
    standard_questions()
    return Instrument.objects.filter(kind=Instrument.Kind.REGISTRATION, is_current=True)


def _questions(code: str | None) -> Instrument | None:
    """The registration questionnaire named by its code; "" for none."""
    if not code:
        return None
    found = registration_instruments().filter(code=code).first()
    if found is None:
        raise RuleViolation(
            _("Unknown registration questionnaire: %(code)s.") % {"code": code}, "questions"
        )
    return found


def _place(event: Event, *, country=None, region=None) -> None:
    if country is not None:
        code = country.code if isinstance(country, Country) else str(country).upper()
        found = Country.objects.filter(code=code).first()
        if found is None:
            raise RuleViolation(_("Unknown country: %(c)s.") % {"c": code}, "country")
        event.country = found
    if region is not None:
        if region == "":
            event.region = None
        else:
            code = region.code if isinstance(region, Region) else str(region)
            found = Region.objects.filter(code=code).first()
            if found is None or found.country_id != event.country_id:
                raise RuleViolation(
                    _("Unknown region of %(c)s: %(r)s.") % {"c": event.country_id, "r": code},
                    "region",
                )
            event.region = found


@transaction.atomic
def create_event(
    *, actor, hub: Hub, co_organisers=(), country=None, region=None, sessions=(), **fields
) -> Event:
    """Create an event of ``hub`` (a draft unless ``status`` says otherwise)."""
    guard(perms.can_create_event(actor, hub), actor)
    questions = fields.pop("questions", None)
    for required in ("title", "description", "type", "format", "languages", "start", "end"):
        if fields.get(required) in (None, "", []):
            raise RuleViolation(_("This field is required."), required)
    fields.setdefault("time_zone", "Europe/Brussels")
    cleaned = clean_event_fields(fields)
    event = Event(hub=hub, created_by=actor if actor and actor.is_authenticated else None)
    event.country = hub.country
    for key, value in cleaned.items():
        setattr(event, key, value)
    _place(event, country=country, region=region)
    event.questions = _questions(questions)
    event.save()
    if co_organisers:
        event.co_organisers.set([h for h in co_organisers if h.pk != hub.pk])
    for item in sessions:
        add_session(actor=actor, event=event, **item)
    log_action(actor=actor, action="event.create", target=event, data=snapshot(event))
    return event


@transaction.atomic
def update_event(
    *, actor, event: Event, country=None, region=None, co_organisers=None, **fields
) -> Event:
    """Change an event; changes to its schedule or place raise SEQUENCE and tell registrants."""
    event = Event.objects.select_for_update().get(pk=event.pk)
    guard(perms.can_manage_event(actor, event), actor)
    questions = fields.pop("questions", None)
    cleaned = clean_event_fields(fields, current=event)
    if cleaned.get("status") == Event.Status.DRAFT and event.status != Event.Status.DRAFT:
        raise RuleViolation(
            _(
                "An event that has been published (or has registrations) cannot go back to "
                "draft; postpone or cancel it instead."
            ),
            "status",
        )
    before = snapshot(event, EVENT_FIELDS + ["country", "region", "questions"])
    for key, value in cleaned.items():
        setattr(event, key, value)
    _place(event, country=country, region=region)
    if questions is not None:
        event.questions = _questions(questions)
    after = snapshot(event, EVENT_FIELDS + ["country", "region", "questions"])
    changes = diff(before, after)
    if co_organisers is not None:
        event.co_organisers.set([h for h in co_organisers if h.pk != event.hub_id])
    if not changes:
        return event
    event.sequence += 1
    event.save()
    log_action(actor=actor, action="event.update", target=event, data=changes)
    schedule_changed = any(k in changes for k in SCHEDULE_FIELDS) and "status" not in changes
    if schedule_changed and event.status in (Event.Status.PUBLISHED, Event.Status.POSTPONED):
        _notify_registrants(event, "changed")
    # A larger capacity frees places for the waitlist.
    if "capacity" in changes:
        _withdraw_excess_offers(event)
        _fill_places(event)
    return event


# Audit actions that show an event left the draft state at some time (``event.draft`` too:
# only a published, postponed or cancelled event could be set back to draft).
LEFT_DRAFT_ACTIONS = ("event.published", "event.postponed", "event.cancelled", "event.draft")


def was_published(event: Event) -> bool:
    """Whether the event is, or ever was, public or has registrations: then it is never a draft
    again and cannot be deleted (it is cancelled instead, so registrants and calendars hear)."""
    if event.status != Event.Status.DRAFT or event.registrations.exists():
        return True
    if entries_for(event).filter(action__in=LEFT_DRAFT_ACTIONS).exists():
        return True
    created = entries_for(event).filter(action="event.create").values_list("data", flat=True)
    return any(
        isinstance(d, dict) and d.get("status") not in (None, Event.Status.DRAFT) for d in created
    )


@transaction.atomic
def set_status(*, actor, event: Event, status: str, reason: str = "") -> Event:
    """Publish, postpone or cancel; registrants are told about postponement and cancellation."""
    event = Event.objects.select_for_update().get(pk=event.pk)
    guard(perms.can_manage_event(actor, event), actor)
    if status not in Event.Status.values:
        raise RuleViolation(_("Unknown status."), "status")
    if status == event.status:
        return event
    if status == Event.Status.DRAFT and was_published(event):
        raise RuleViolation(
            _(
                "An event that has been published (or has registrations) cannot go back to "
                "draft; postpone or cancel it instead."
            ),
            "status",
        )
    if status in (Event.Status.CANCELLED, Event.Status.POSTPONED) and not reason.strip():
        raise RuleViolation(_("Tell participants why."), "reason")
    # Reviving a cancelled event is allowed; its registrations stay cancelled.
    old = event.status
    was_postponed = old == Event.Status.POSTPONED
    event.status, event.status_reason = status, reason.strip()
    event.sequence += 1
    event.save()
    log_action(
        actor=actor,
        action=f"event.{status}",
        target=event,
        data={"status": [old, status], "reason": reason},
    )
    if status in (Event.Status.CANCELLED, Event.Status.POSTPONED):
        _notify_registrants(event, status)
    elif status == Event.Status.PUBLISHED and was_postponed:
        # Back on after a postponement: registrants learn the (new) dates.
        _notify_registrants(event, "changed")
    if status == Event.Status.CANCELLED:
        event.registrations.filter(status__in=Registration.ACTIVE).update(
            status=Registration.Status.CANCELLED,
            cancelled_at=timezone.now(),
            cancel_reason="event cancelled",
            offer_expires_at=None,
        )
    return event


@transaction.atomic
def delete_event(*, actor, event: Event) -> None:
    """Delete a draft; a published event is cancelled instead, so calendars learn about it."""
    event = Event.objects.select_for_update().get(pk=event.pk)
    guard(perms.can_manage_event(actor, event), actor)
    if was_published(event):
        raise Conflict(
            _(
                "Only drafts that were never published and have no registrations can be "
                "deleted; cancel the event instead, so that participants and calendars learn "
                "about it."
            ),
            "status",
        )
    log_action(actor=actor, action="event.delete", target=event, data=snapshot(event))
    event.delete()


@transaction.atomic
def add_session(*, actor, event: Event, title: str, start, end, **fields) -> Session:
    """Add an item to the programme; it must lie within the event."""
    guard(perms.can_manage_event(actor, event), actor)
    if not (title or "").strip():
        raise RuleViolation(_("Give the session a title."), "title")
    start = local_datetime(start, event.time_zone, "start")
    end = local_datetime(end, event.time_zone, "end")
    if end <= start:
        raise RuleViolation(_("The session must end after it starts."), "end")
    if start < event.start or end > event.end:
        raise RuleViolation(_("The session must lie within the event's dates."), "start")
    for name in ("languages", "audiences"):
        if name in fields:
            allowed = language_codes() if name == "languages" else Audience.values
            fields[name] = _codes(fields[name], allowed, name, name)
    session = Session.objects.create(
        event=event, title=title.strip(), start=start, end=end, **fields
    )
    Event.objects.filter(pk=event.pk).update(sequence=event.sequence + 1, updated_at=timezone.now())
    event.sequence += 1
    log_action(actor=actor, action="event.session.add", target=event, data={"title": title})
    return session


@transaction.atomic
def delete_session(*, actor, session: Session) -> None:
    event = session.event
    guard(perms.can_manage_event(actor, event), actor)
    log_action(
        actor=actor, action="event.session.delete", target=event, data={"title": session.title}
    )
    session.delete()
    Event.objects.filter(pk=event.pk).update(sequence=event.sequence + 1, updated_at=timezone.now())


# --- registration -----------------------------------------------------------------------------


def places_taken(event: Event) -> int:
    return event.registrations.holding_place().count()


def places_left(event: Event) -> int | None:
    """Free places, or None when the event has no limit."""
    if event.capacity is None:
        return None
    return max(0, event.capacity - places_taken(event))


def registration_state(event: Event, now=None) -> tuple[bool, str]:
    """Whether registration is open now, and why not."""
    now = now or timezone.now()
    if not event.registration_enabled:
        return False, _("This event does not take registrations.")
    if event.status == Event.Status.CANCELLED:
        return False, _("This event has been cancelled.")
    if event.status != Event.Status.PUBLISHED:
        return False, _("This event is not open for registration.")
    if event.registration_opens and now < event.registration_opens:
        return False, _("Registration has not opened yet.")
    if event.registration_closes and now >= event.registration_closes:
        return False, _("Registration has closed.")
    if now >= event.end:
        return False, _("This event is over.")
    return True, ""


def normal_email(email: str) -> str:
    """The address as stored: trimmed, domain in lower case; RuleViolation if not an address."""
    email = (email or "").strip()
    try:
        validate_email(email)
    except ValidationError:
        raise RuleViolation(_("Enter a valid e-mail address."), "email") from None
    local, _at, domain = email.rpartition("@")
    return f"{local}@{domain.lower()}"


def _acts_for_self(user, email: str, registration: Registration | None = None) -> bool:
    """A signed-in person registering the address of their own account (or their own registration)."""
    if user is None or not user.is_authenticated:
        return False
    if (user.email or "").strip().lower() == email.lower():
        return True
    return registration is not None and registration.user_id == user.pk


def _already_registered(existing: Registration, *, user, email: str) -> Registration:
    """The address is already registered: say so to its own account holder, e-mail anyone else.

    An anonymous visitor (or a signed-in one typing somebody else's address) must not learn whether
    an address registered — attending a patients' event is sensitive — so they get the same answer
    as a new registration ("check your e-mail") and the address gets a notice with its personal
    link. Nothing is written; the existing registration is returned unchanged.
    """
    if _acts_for_self(user, email, existing):
        raise Conflict(
            _("%(email)s is already registered for this event.") % {"email": email}, "email"
        )
    if cache.add(f"events:already-registered:{existing.pk}", 1, NOTICE_EVERY):
        _send_after_commit(existing, "already_registered")
    return existing


def opens_personal_page(registration: Registration, user) -> bool:
    """After registering: straight to the personal page (own confirmed account), else "check your e-mail".

    Only the person's own, account-confirmed registration qualifies, so an existing registration
    returned for somebody else's address never hands out its personal link.
    """
    return (
        user is not None
        and user.is_authenticated
        and registration.user_id == user.pk
        and registration.email_confirmed_at is not None
    )


@transaction.atomic
def register(
    *,
    event: Event,
    name: str,
    email: str,
    user=None,
    audience: str = "",
    language: str = "",
    answers: dict | None = None,
    consent: bool = False,
    now=None,
) -> Registration:
    """Register a person (with or without an account): a place if one is free, else the waitlist.

    An address already registered is refused (Conflict) only for the signed-in owner of that
    address; for anyone else the existing registration is returned unchanged and its address is
    e-mailed a notice, so the answer does not tell whether the address was registered.
    """
    now = now or timezone.now()
    name = (name or "").strip()
    if not name:
        raise RuleViolation(_("Enter your name."), "name")
    if len(name) > 150:
        raise RuleViolation(_("The name is longer than 150 characters."), "name")
    email = normal_email(email)
    if audience and audience not in Audience.values:
        raise RuleViolation(_("Unknown choice."), "audience")
    if not consent:
        raise RuleViolation(
            _("Tick the box to agree that the organisers keep your registration."), "consent"
        )
    cleaned_answers = {}
    if event.questions_id:
        cleaned_answers, errors = engine.validate(
            event.questions.definition, answers or {}, complete=True
        )
        if errors:
            code, message = next(iter(errors.items()))
            raise RuleViolation(message, f"q_{code}")
    event = Event.objects.select_for_update().get(pk=event.pk)
    _expire(event, now)
    is_open, why = registration_state(event, now)
    if not is_open:
        raise Conflict(why, "event")
    existing = (
        event.registrations.filter(email__iexact=email)
        .exclude(status=Registration.Status.CANCELLED)
        .first()
    )
    if existing is not None:
        return _already_registered(existing, user=user, email=email)
    left = places_left(event)
    if (left is None or left > 0) and event.registrations.filter(
        status=Registration.Status.WAITLISTED
    ).exists():
        # Free places go to the people already waiting first (first in, first out).
        _fill_places(event, now)
        left = places_left(event)
    signed_in = user is not None and user.is_authenticated
    registration = Registration(
        event=event,
        user=user if signed_in else None,
        name=name,
        email=email,
        audience=audience,
        language=language or translation.get_language() or "",
        answers=cleaned_answers,
        consent_at=now,
        consent_text=CONSENT_TEXT,
        email_confirmed_at=now if signed_in and user.email.lower() == email.lower() else None,
        created_at=now,
        status=(
            Registration.Status.REGISTERED
            if left is None or left > 0
            else Registration.Status.WAITLISTED
        ),
    )
    try:
        with transaction.atomic():
            registration.save()
    except IntegrityError:
        existing = (
            event.registrations.filter(email__iexact=email)
            .exclude(status=Registration.Status.CANCELLED)
            .first()
        )
        if existing is None:
            raise
        return _already_registered(existing, user=user, email=email)
    log_action(
        actor=user if signed_in else None,
        action="registration.create",
        target=event,
        data={"registration": registration.pk, "status": registration.status},
    )
    _send_after_commit(registration, "waitlisted" if registration.is_waitlisted else "confirmation")
    return registration


def waitlist_position(registration: Registration) -> int | None:
    """1 for the next person to be offered a place."""
    if registration.status != Registration.Status.WAITLISTED:
        return None
    return (
        registration.event.registrations.filter(
            status=Registration.Status.WAITLISTED, created_at__lte=registration.created_at
        )
        .exclude(created_at=registration.created_at, pk__gt=registration.pk)
        .count()
    )


def _promote(event: Event, r: Registration) -> None:
    """Give a waiting or offered person a place at once (no offer window)."""
    r.status = Registration.Status.REGISTERED
    r.offer_expires_at = None
    r.save(update_fields=["status", "offer_expires_at", "updated_at"])
    log_action(actor=None, action="registration.promote", target=event, data={"registration": r.pk})
    _send_after_commit(r, "promoted")


def _fill_places(event: Event, now=None) -> list[Registration]:
    """Give free places to the waitlist, first in first out (caller holds the event lock).

    Before the event starts a free place is *offered* for ``offer_hours``; once it has started
    there is no time for an offer, so the first person waiting gets the place directly. With no
    limit, or with places free and nobody left waiting, outstanding offers become places too.
    """
    now = now or timezone.now()
    offered = []
    left = places_left(event)
    waiting = event.registrations.filter(status=Registration.Status.WAITLISTED).order_by(
        "created_at", "id"
    )
    outstanding = event.registrations.filter(status=Registration.Status.OFFERED).order_by(
        "created_at", "id"
    )
    if left is None:
        # No limit (any more): everyone offered or waiting gets a place at once.
        done = list(outstanding) + list(waiting)
        for r in done:
            _promote(event, r)
        return done
    if left <= 0:
        return offered
    if now >= event.start:
        # The event has started: places go straight to the people waiting, in order.
        for r in list(outstanding) + list(waiting[:left]):
            _promote(event, r)
            offered.append(r)
        return offered
    for r in waiting[:left]:
        r.status = Registration.Status.OFFERED
        r.offered_at = now
        r.offer_expires_at = min(now + timedelta(hours=event.offer_hours), event.start)
        r.save(update_fields=["status", "offered_at", "offer_expires_at", "updated_at"])
        log_action(
            actor=None, action="registration.offer", target=event, data={"registration": r.pk}
        )
        _send_after_commit(r, "offer")
        offered.append(r)
    if places_left(event) > 0 and not waiting.exists():
        # Places to spare and nobody else waiting: an outstanding offer can never expire in
        # favour of someone else, so it becomes a place.
        for r in outstanding:
            _promote(event, r)
            offered.append(r)
    return offered


def _withdraw_excess_offers(event: Event) -> None:
    """After the capacity was lowered: offers beyond it go back to the waitlist (latest first),
    so that accepting them cannot overfill the event. The people keep their place in line."""
    if event.capacity is None:
        return
    excess = places_taken(event) - event.capacity
    if excess <= 0:
        return
    for r in event.registrations.filter(status=Registration.Status.OFFERED).order_by(
        "-created_at", "-id"
    )[:excess]:
        r.status = Registration.Status.WAITLISTED
        r.offered_at = None
        r.offer_expires_at = None
        r.save(update_fields=["status", "offered_at", "offer_expires_at", "updated_at"])
        log_action(
            actor=None, action="registration.offer_withdrawn", target=event, data={"id": r.pk}
        )
        _send_after_commit(r, "waitlisted")


def _expire(event: Event, now) -> int:
    """Cancel offers not accepted in time and anonymous registrations never confirmed; refill."""
    expired = 0
    for r in event.registrations.filter(
        status=Registration.Status.OFFERED, offer_expires_at__lte=now
    ):
        r.status, r.cancelled_at, r.cancel_reason = (
            Registration.Status.CANCELLED,
            now,
            "offer expired",
        )
        r.offer_expires_at = None
        r.save(update_fields=["status", "cancelled_at", "cancel_reason", "offer_expires_at"])
        log_action(actor=None, action="registration.offer_expired", target=event, data={"id": r.pk})
        _send_after_commit(r, "offer_expired")
        expired += 1
    unconfirmed = event.registrations.unconfirmed().filter(
        created_at__lte=now - timedelta(hours=CONFIRM_HOURS)
    )
    released = unconfirmed.update(
        status=Registration.Status.CANCELLED, cancelled_at=now, cancel_reason="not confirmed"
    )
    if expired or released:
        _fill_places(event, now)
    return expired + released


def process_event(event: Event, now=None) -> int:
    """Expire overdue offers and unconfirmed registrations of one event and pass places on."""
    with transaction.atomic():
        event = Event.objects.select_for_update().get(pk=event.pk)
        return _expire(event, now or timezone.now())


def process_all(now=None) -> int:
    """Run ``process_event`` for every event with work due (scheduled: `echos events tick`)."""
    now = now or timezone.now()
    due = set(
        Registration.objects.filter(
            status=Registration.Status.OFFERED, offer_expires_at__lte=now
        ).values_list("event_id", flat=True)
    ) | set(
        Registration.objects.unconfirmed()
        .filter(created_at__lte=now - timedelta(hours=CONFIRM_HOURS), event__end__gt=now)
        .values_list("event_id", flat=True)
    )
    return sum(process_event(e, now) for e in Event.objects.filter(pk__in=due))


def _locked(registration: Registration) -> tuple[Event, Registration]:
    event = Event.objects.select_for_update().get(pk=registration.event_id)
    return event, Registration.objects.get(pk=registration.pk)


@transaction.atomic
def confirm_email(registration: Registration, now=None) -> Registration:
    """The person clicked the link in the confirmation e-mail."""
    event, registration = _locked(registration)
    if registration.status == Registration.Status.CANCELLED:
        raise Conflict(_("This registration has been cancelled."), "status")
    if registration.email_confirmed_at is None:
        registration.email_confirmed_at = now or timezone.now()
        registration.save(update_fields=["email_confirmed_at", "updated_at"])
    return registration


@transaction.atomic
def accept_offer(registration: Registration, now=None) -> Registration:
    """Take the place offered from the waitlist, before the offer expires."""
    now = now or timezone.now()
    event, registration = _locked(registration)
    _expire(event, now)
    registration.refresh_from_db()
    if registration.status == Registration.Status.REGISTERED:
        return registration
    if registration.status != Registration.Status.OFFERED:
        raise Conflict(
            _("This offer is no longer open; it has passed to the next person."), "status"
        )
    if event.capacity is not None:
        others = event.registrations.holding_place().exclude(pk=registration.pk).count()
        if others >= event.capacity:
            raise Conflict(_("Sorry, the event is full; this offer is no longer open."), "status")
    registration.status = Registration.Status.REGISTERED
    registration.offer_expires_at = None
    registration.email_confirmed_at = registration.email_confirmed_at or now
    registration.save()
    log_action(actor=None, action="registration.accept", target=event, data={"id": registration.pk})
    _send_after_commit(registration, "confirmation")
    return registration


@transaction.atomic
def cancel_registration(
    registration: Registration, *, actor=None, reason: str = "", now=None
) -> Registration:
    """Cancel (by the person with their link, or by an organiser); the place goes to the waitlist."""
    now = now or timezone.now()
    event, registration = _locked(registration)
    if actor is not None:
        guard(perms.can_manage_event(actor, event), actor)
    if registration.status == Registration.Status.CANCELLED:
        return registration
    if registration.status in (Registration.Status.ATTENDED, Registration.Status.NO_SHOW):
        raise Conflict(_("Attendance has already been recorded."), "status")
    registration.status = Registration.Status.CANCELLED
    registration.cancelled_at = now
    registration.cancel_reason = reason[:200] or ("by organiser" if actor else "by participant")
    registration.offer_expires_at = None
    registration.save()
    log_action(
        actor=actor,
        action="registration.cancel",
        target=event,
        data={"id": registration.pk, "reason": registration.cancel_reason},
    )
    _send_after_commit(registration, "cancelled")
    _fill_places(event, now)
    return registration


@transaction.atomic
def check_in(*, actor, registration: Registration, attended: bool = True) -> Registration:
    """Organisers mark who came (and undo a mistaken check-in)."""
    event, registration = _locked(registration)
    guard(perms.can_manage_event(actor, event), actor)
    if registration.status not in (
        Registration.Status.REGISTERED,
        Registration.Status.ATTENDED,
        Registration.Status.NO_SHOW,
    ):
        raise Conflict(
            _("Only registered participants can be checked in (this one is %(s)s).")
            % {"s": registration.get_status_display()},
            "status",
        )
    if attended:
        registration.status = Registration.Status.ATTENDED
        registration.checked_in_at = timezone.now()
    else:
        registration.status = Registration.Status.REGISTERED
        registration.checked_in_at = None
    registration.save(update_fields=["status", "checked_in_at", "updated_at"])
    log_action(
        actor=actor,
        action="registration.check_in" if attended else "registration.check_in_undo",
        target=event,
        data={"id": registration.pk},
    )
    return registration


@transaction.atomic
def close_attendance(*, actor, event: Event) -> int:
    """After the event: everyone registered and not checked in becomes a no-show."""
    guard(perms.can_manage_event(actor, event), actor)
    if not event.is_past:
        raise Conflict(_("Attendance can be closed once the event has ended."), "event")
    count = event.registrations.filter(status=Registration.Status.REGISTERED).update(
        status=Registration.Status.NO_SHOW
    )
    log_action(actor=actor, action="event.attendance_closed", target=event, data={"no_show": count})
    return count


def send_reminders(now=None, *, hours: int = 24) -> int:
    """E-mail everyone registered for an event starting within ``hours`` (once each)."""
    now = now or timezone.now()
    due = Registration.objects.filter(
        status=Registration.Status.REGISTERED,
        reminder_sent_at__isnull=True,
        event__status=Event.Status.PUBLISHED,
        event__start__gt=now,
        event__start__lte=now + timedelta(hours=hours),
    ).select_related("event")
    sent = 0
    for registration in due.iterator():
        send_email_now(registration, "reminder")
        Registration.objects.filter(pk=registration.pk).update(reminder_sent_at=now)
        sent += 1
    return sent


def log_export(*, actor, event: Event) -> None:
    """Exports of personal data are audited."""
    log_action(actor=actor, action="event.participants_export", target=event)


# --- links and e-mails ------------------------------------------------------------------------


def personal_token(registration: Registration) -> str:
    """The token of the personal link in every e-mail (manage, confirm, accept, cancel)."""
    return make_token("registration", registration.pk)


class LinkExpired(RuleViolation):
    """A personal link used after its lifetime; the page names the organiser to contact."""

    status = 410

    def __init__(self, message: str, event: Event):
        super().__init__(message, "token")
        self.event = event


def link_lifetime_days() -> int:
    """Days a personal link works after its event ended: the registration retention period
    (``ECHOS_RETENTION_REGISTRATION_DAYS``, after which the registration is anonymised anyway),
    or the rule's default when that rule is switched off."""
    rule = RetentionRule()
    return rule.limit if rule.limit > 0 else rule.default


def link_expires_at(event: Event) -> datetime:
    """When the personal links of the event's registrations stop working."""
    return event.end + timedelta(days=link_lifetime_days())


def registration_from_token(token: str, now=None) -> Registration:
    """The registration of a personal link; RuleViolation if forged, LinkExpired once too old.

    The signature proves the link; its lifetime runs to the event's end plus the retention period
    (read from the event at use, so a postponed event keeps its links working).
    """
    pk = read_token("registration", token)
    registration = Registration.objects.select_related("event__hub").filter(pk=pk).first()
    if registration is None:
        raise RuleViolation(_("This registration no longer exists."), "token")
    if (now or timezone.now()) > link_expires_at(registration.event):
        raise LinkExpired(
            _("This link has expired; contact the organiser of the event."), registration.event
        )
    return registration


def personal_url(registration: Registration) -> str:
    return settings.SITE_URL.rstrip("/") + reverse(
        "events:registration", args=[personal_token(registration)]
    )


SUBJECTS = {
    "confirmation": gettext_lazy("You are registered: %(title)s"),
    "waitlisted": gettext_lazy("You are on the waitlist: %(title)s"),
    "offer": gettext_lazy("A place is free for you: %(title)s"),
    "offer_expired": gettext_lazy("Your offered place has passed on: %(title)s"),
    "promoted": gettext_lazy("You have a place: %(title)s"),
    "cancelled": gettext_lazy("Registration cancelled: %(title)s"),
    "reminder": gettext_lazy("Reminder: %(title)s"),
    "changed": gettext_lazy("Changed: %(title)s"),
    "postponed": gettext_lazy("Postponed: %(title)s"),
    "event_cancelled": gettext_lazy("Cancelled: %(title)s"),
    "already_registered": gettext_lazy("You are already registered: %(title)s"),
}


def send_email_now(registration: Registration, kind: str) -> None:
    """Compose and send one registration e-mail in the registrant's language."""
    event = registration.event
    with translation.override(registration.language or settings.LANGUAGE_CODE):
        context = {
            "kind": kind,
            "registration": registration,
            "event": event,
            "personal_url": personal_url(registration),
            "event_url": settings.SITE_URL.rstrip("/") + event.get_absolute_url(),
            "ics_url": settings.SITE_URL.rstrip("/") + reverse("events:event_ics", args=[event.pk]),
            "needs_confirmation": registration.email_confirmed_at is None,
            "position": waitlist_position(registration),
        }
        body = render_to_string("events/email.txt", context)
        subject = str(SUBJECTS[kind]) % {"title": event.title}
    send_mail(subject, body, None, [registration.email])


def _send_after_commit(registration: Registration, kind: str) -> None:
    """Queue the e-mail once the transaction has committed (a rollback sends nothing)."""
    from echos.events.tasks import send_registration_email

    pk = registration.pk
    transaction.on_commit(lambda: send_registration_email(pk, kind))


def _notify_registrants(event: Event, what: str) -> None:
    kind = "event_cancelled" if what == Event.Status.CANCELLED else what
    for r in event.registrations.filter(status__in=Registration.ACTIVE):
        _send_after_commit(r, kind)
