"""Events and their programme: create, change, publish, postpone, cancel, delete; sessions.

Each write checks the organiser's rights, runs in one transaction and is audited; changes to the
schedule raise the event's SEQUENCE (calendars that subscribed update) and tell the registrants.
"""

import copy
import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, cast
from zoneinfo import ZoneInfo

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from echos.core.audit import diff, entries_for, log_action, snapshot
from echos.core.exceptions import Conflict, RuleViolation, guard
from echos.core.languages import language_codes
from echos.core.models import Country, Region, Term
from echos.core.multilingual import clean_source_language, clean_translations, field_limits
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
    country_timezone,
    join_codes,
    valid_timezone,
)
from echos.events.services.mail import _notify_registrants
from echos.events.services.waitlist import _fill_places, _withdraw_excess_offers
from echos.hubs.models import Hub
from echos.questionnaires.models import Instrument
from echos.questionnaires.services import publish_instrument
from echos.synergies import services as synergy_services

DATA = Path(__file__).resolve().parent.parent / "data"
MAX_TEXT = 20000
# Events are dated within these years (a typo such as 9999 would break calendars).
FIRST_YEAR, LAST_YEAR = 2000, 2100

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
    "source_language",
    "translations",
]

LINE_BREAKS = "\r\n\x0b\x0c\x85\u2028\u2029"


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
    return list(Term.objects.of("objectives").values_list("code", flat=True))


def clean_event_fields(data: dict, *, current: Event | None = None) -> dict:
    """Check and normalise event fields (dates in the event's time zone); errors name the field."""
    out = dict(data)
    for name in ("title", "description", "venue", "address", "accessibility_notes", "outcomes"):
        if name in out and out[name] is not None:
            out[name] = str(out[name]).strip()
    if "title" in out and not out["title"]:
        raise RuleViolation(_("Give the event a title."), "title")
    if any(ch in (out.get("title") or "") for ch in LINE_BREAKS):
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
    _clean_languages(out, current)
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
                value = float(cast(Any, value))  # not None: a string or a number
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


def _clean_languages(out: dict, current: Event | None) -> None:
    """The source language and the translations of the texts (``core.multilingual``); a new
    source language must not be one the texts are already translated into."""
    if out.get("source_language") is None:
        out.pop("source_language", None)
    if "source_language" in out:
        out["source_language"] = clean_source_language(out["source_language"])
    elif current is None:
        out["source_language"] = clean_source_language("")
    source = out.get("source_language", current.source_language if current else "")
    if "translations" in out or "source_language" in out:
        given = out.get("translations", current.translations if current else {})
        out["translations"] = clean_translations(given, field_limits(Event), source)
        for language, texts in out["translations"].items():
            if any(ch in texts.get("title", "") for ch in LINE_BREAKS):
                raise RuleViolation(
                    _("The title must fit on one line (no line breaks)."),
                    f"translations.{language}.title",
                )


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
            found_region = Region.objects.filter(code=code).first()
            if found_region is None or found_region.country_id != event.country_id:
                raise RuleViolation(
                    _("Unknown region of %(c)s: %(r)s.") % {"c": event.country_id, "r": code},
                    "region",
                )
            event.region = found_region


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
    if not fields.get("time_zone"):  # an event without a zone is in its country's, not Brussels'
        where = country.code if isinstance(country, Country) else (country or hub.country_id)
        fields["time_zone"] = country_timezone(str(where))
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
def _columns(event: Event) -> dict[str, object]:
    """Every column of the event by field name, copied (a JSON value changed in place must still
    compare as changed)."""
    return {
        f.name: copy.deepcopy(getattr(event, f.attname))
        for f in Event._meta.concrete_fields
        if not f.primary_key
    }


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
    columns_before = _columns(event)
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
    # Only the columns that changed: an update of an event's words alone then bumps the page
    # cache's "events.event:details", and pages that show none of them stay cached (#18).
    changed = [name for name, value in _columns(event).items() if value != columns_before[name]]
    event.save(update_fields=[*changed, "sequence", "updated_at"])
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


def log_export(*, actor, event: Event) -> None:
    """Exports of personal data are audited."""
    log_action(actor=actor, action="event.participants_export", target=event)


def record_as_activity(*, actor, event: Event):
    """The event as a synergies activity of the actor's hub, without retyping (refreshed when done
    again); the one place where events write into synergies (docs/architecture.md)."""
    return synergy_services.activity_from_event(actor=actor, event=event)
