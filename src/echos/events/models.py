"""Events of the hubs, their programme sessions and the registrations of participants."""

import uuid
import zoneinfo
from datetime import timedelta
from functools import cached_property

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from echos.core import dates
from echos.core.folding import WORD, fold
from echos.core.languages import language_name
from echos.core.models import Country, Region
from echos.core.multilingual import MAX_QUERY_WORDS, TranslatableModel
from echos.hubs.models import Hub
from echos.questionnaires.models import Instrument


class EventType(models.TextChoices):
    MISSION_FAIR = "mission_fair", _("Cancer Mission Fair")
    KNOWLEDGE_EXCHANGE = "knowledge_exchange", _("Knowledge-exchange session")
    INCEPTION_DIALOGUE = "inception_dialogue", _("Inception dialogue")
    CITIZEN_DIALOGUE = "citizen_dialogue", _("Citizen dialogue")
    WEBINAR = "webinar", _("Webinar")
    CONFERENCE = "conference", _("Conference")
    WORKSHOP = "workshop", _("Workshop")
    AWARENESS_DAY = "awareness_day", _("Awareness day")
    LAUNCH = "launch", _("Launch")


class Audience(models.TextChoices):
    CITIZENS = "citizens", _("Citizens")
    PATIENTS_CARERS = "patients_carers", _("Patients and carers")
    HEALTH_PROFESSIONALS = "health_professionals", _("Health professionals")
    RESEARCHERS = "researchers", _("Researchers")
    POLICYMAKERS = "policymakers", _("Policymakers")
    INDUSTRY = "industry", _("Industry")
    YOUTH = "youth", _("Youth")


# The time zone of each MS/AC country (its capital's), so an event is shown in its own country's zone
# and named by that city ("Rome time"), not the site's Brussels. An event in a country with several
# zones (Portugal's Azores and Madeira, Spain's Canaries, Canada) picks its own on the form.
# Kosovo has no IANA zone of its own: Europe/Belgrade is the zone the tz database gives it.
COUNTRY_TIMEZONES = {
    "AL": "Europe/Tirane",
    "AM": "Asia/Yerevan",
    "AT": "Europe/Vienna",
    "BA": "Europe/Sarajevo",
    "BE": "Europe/Brussels",
    "BG": "Europe/Sofia",
    "CA": "America/Toronto",
    "CH": "Europe/Zurich",
    "CY": "Asia/Nicosia",
    "CZ": "Europe/Prague",
    "DE": "Europe/Berlin",
    "DK": "Europe/Copenhagen",
    "EE": "Europe/Tallinn",
    "EG": "Africa/Cairo",
    "ES": "Europe/Madrid",
    "FI": "Europe/Helsinki",
    "FO": "Atlantic/Faroe",
    "FR": "Europe/Paris",
    "GB": "Europe/London",
    "GE": "Asia/Tbilisi",
    "GR": "Europe/Athens",
    "HR": "Europe/Zagreb",
    "HU": "Europe/Budapest",
    "IE": "Europe/Dublin",
    "IL": "Asia/Jerusalem",
    "IS": "Atlantic/Reykjavik",
    "IT": "Europe/Rome",
    "JP": "Asia/Tokyo",
    "KR": "Asia/Seoul",
    "LT": "Europe/Vilnius",
    "LU": "Europe/Luxembourg",
    "LV": "Europe/Riga",
    "MA": "Africa/Casablanca",
    "MD": "Europe/Chisinau",
    "ME": "Europe/Podgorica",
    "MK": "Europe/Skopje",
    "MT": "Europe/Malta",
    "NL": "Europe/Amsterdam",
    "NO": "Europe/Oslo",
    "NZ": "Pacific/Auckland",
    "PL": "Europe/Warsaw",
    "PT": "Europe/Lisbon",
    "RO": "Europe/Bucharest",
    "RS": "Europe/Belgrade",
    "SE": "Europe/Stockholm",
    "SI": "Europe/Ljubljana",
    "SK": "Europe/Bratislava",
    "TN": "Africa/Tunis",
    "TR": "Europe/Istanbul",
    "UA": "Europe/Kyiv",
    "XK": "Europe/Belgrade",
}

# Where a country is not in the table (a new association): the site's zone.
DEFAULT_TIMEZONE = "Europe/Brussels"


def country_timezone(code: str | None) -> str:
    """The IANA zone of a country (ISO alpha-2): its capital's, else Brussels."""
    return COUNTRY_TIMEZONES.get((code or "").upper(), DEFAULT_TIMEZONE)


# The longest an event may last: longer programmes are published as several events. The bound also
# lets the calendar find "events not over yet" through the index on the start.
MAX_EVENT_DAYS = 31

# The longest online link stored (the column's length); only http(s) links are accepted.
ONLINE_URL_MAX = 200

# The public (citizens, patients and carers, youth) against professionals, for the participation gap.
PUBLIC_AUDIENCES = {Audience.CITIZENS, Audience.PATIENTS_CARERS, Audience.YOUTH}


class Format(models.TextChoices):
    IN_PERSON = "in_person", _("In person")
    ONLINE = "online", _("Online")
    HYBRID = "hybrid", _("Hybrid")


ACCESSIBILITY_FEATURES = [
    ("step_free", _("Step-free access")),
    ("captions", _("Captions")),
    ("sign_language", _("Sign language interpretation")),
    ("easy_read", _("Easy-read material")),
]


def codes(value: str) -> list[str]:
    """A ",a,b," code list as ["a", "b"]."""
    return [c for c in (value or "").split(",") if c]


def join_codes(values) -> str:
    """["a", "b"] as ",a,b," so that one code is found with ``__contains=",a,"``."""
    cleaned = sorted({str(v).strip() for v in values or [] if str(v).strip()})
    return "," + ",".join(cleaned) + "," if cleaned else ""


def valid_timezone(name: str) -> bool:
    """True for an IANA time zone name that exists (Europe/Warsaw, UTC...)."""
    try:
        zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return False
    return bool(name)


class EventQuerySet(models.QuerySet):
    def public(self):
        """What the public calendar shows: published, postponed and cancelled (never drafts)."""
        return self.exclude(status=Event.Status.DRAFT)

    def counted(self):
        """Events the participation gap counts: neither drafts nor cancelled."""
        return self.exclude(status__in=[Event.Status.DRAFT, Event.Status.CANCELLED])

    # The bounds on the start (MAX_EVENT_DAYS) let the database walk its index on the start.

    def upcoming(self, now=None):
        """Events not over yet at ``now``."""
        now = now or timezone.now()
        return self.filter(end__gt=now, start__gt=now - timedelta(days=MAX_EVENT_DAYS))

    def past(self, now=None):
        """Events over at ``now``."""
        now = now or timezone.now()
        return self.filter(end__lte=now, start__lt=now)

    def overlapping(self, start, end):
        """Events with some time between ``start`` and ``end`` (exclusive)."""
        return self.filter(
            start__lt=end, end__gt=start, start__gte=start - timedelta(days=MAX_EVENT_DAYS)
        )

    def ending_from(self, since):
        """Events ending at ``since`` or later (a calendar or feed "from" a day on)."""
        return self.filter(end__gte=since, start__gte=since - timedelta(days=MAX_EVENT_DAYS))

    def with_tag(self, field: str, code: str):
        return self.filter(**{f"{field}__contains": f",{code},"})

    def search(self, text: str, *, viewer=None):
        """Events matching every word of ``text`` (up to 8), ignoring case and accents, in any
        language version of their texts (``search_text``), or in the venue where ``viewer`` may
        see it (``permissions.venue_visible_filter``; the venue is not in ``search_text``, whose
        texts everyone may read)."""
        # cycle: echos.events.permissions imports this module
        from echos.events.permissions import venue_visible_filter

        folded = fold(text)
        # fold keeps every character in place: the venue is matched with the word as typed.
        found = [(m.group(), text[m.start() : m.end()]) for m in WORD.finditer(folded)]
        if not found:
            return self
        venue_visible = venue_visible_filter(viewer)
        qs = self
        for word, typed in found[:MAX_QUERY_WORDS]:
            qs = qs.filter(
                Q(search_text__contains=word) | (Q(venue__icontains=typed) & venue_visible)
            )
        return qs


class Event(TranslatableModel):
    """An event organised by one hub (with others); times are stored in UTC and shown in ``time_zone``.

    Its texts (``TRANSLATABLE``) are written in ``source_language`` and may be translated
    (``core.multilingual``); the venue and address are names of places, not translated."""

    TRANSLATABLE = ("title", "description", "accessibility_notes", "outcomes")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")
        POSTPONED = "postponed", _("Postponed")
        CANCELLED = "cancelled", _("Cancelled")

    class LinkVisibility(models.TextChoices):
        PUBLIC = "public", _("Everyone")
        REGISTRANTS = "registrants", _("Registered participants only")

    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), max_length=20000)
    type = models.CharField(_("type"), max_length=24, choices=EventType.choices)
    hub = models.ForeignKey(
        Hub, on_delete=models.CASCADE, related_name="events", verbose_name=_("organising hub")
    )
    co_organisers = models.ManyToManyField(
        Hub, blank=True, related_name="co_organised_events", verbose_name=_("co-organising hubs")
    )
    format = models.CharField(_("format"), max_length=10, choices=Format.choices)
    country = models.ForeignKey(
        Country, on_delete=models.PROTECT, related_name="events", verbose_name=_("country")
    )
    region = models.ForeignKey(
        Region,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="events",
        verbose_name=_("region"),
    )
    venue = models.CharField(_("venue"), max_length=300, blank=True)
    address = models.CharField(_("address"), max_length=300, blank=True)
    latitude = models.FloatField(_("latitude"), null=True, blank=True)
    longitude = models.FloatField(_("longitude"), null=True, blank=True)
    online_url = models.URLField(_("online link"), max_length=ONLINE_URL_MAX, blank=True)
    link_visibility = models.CharField(
        _("who sees the venue details and online link"),
        max_length=12,
        choices=LinkVisibility.choices,
        default=LinkVisibility.PUBLIC,
    )
    languages = models.CharField(_("languages"), max_length=100, help_text=_("ISO 639-1 codes"))
    audiences = models.CharField(_("audience"), max_length=200, blank=True)
    objectives = models.CharField(_("Mission objectives"), max_length=200, blank=True)
    # Indexed by event_start_end_status below (start first): with a start-only index as well,
    # SQLite walked that one for the upcoming calendar and read each row for its end and status.
    start = models.DateTimeField(_("start"))
    end = models.DateTimeField(_("end"))
    time_zone = models.CharField(_("time zone"), max_length=64, default="Europe/Brussels")
    capacity = models.PositiveIntegerField(
        _("capacity"), null=True, blank=True, help_text=_("Empty for no limit.")
    )
    registration_enabled = models.BooleanField(_("registration"), default=True)
    registration_opens = models.DateTimeField(_("registration opens"), null=True, blank=True)
    registration_closes = models.DateTimeField(_("registration closes"), null=True, blank=True)
    offer_hours = models.PositiveSmallIntegerField(
        _("hours to accept a place offered from the waitlist"), default=48
    )
    questions = models.ForeignKey(
        Instrument,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        limit_choices_to={"kind": Instrument.Kind.REGISTRATION},
        verbose_name=_("registration questions"),
    )
    accessibility = models.CharField(_("accessibility"), max_length=100, blank=True)
    accessibility_notes = models.TextField(_("accessibility information"), blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    status_reason = models.CharField(_("reason"), max_length=300, blank=True)
    outcomes = models.TextField(_("outcomes"), blank=True)
    sequence = models.PositiveIntegerField(default=0, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    is_demo = models.BooleanField(_("demo data"), default=False)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    objects = EventQuerySet.as_manager()

    class Meta:
        ordering = ["start", "id"]
        indexes = [
            models.Index(fields=["status", "start"]),
            # Covers the calendar's "not over yet" / "past" counts without reading the rows.
            models.Index(fields=["start", "end", "status"], name="event_start_end_status"),
            models.Index(fields=["country", "start"]),
            models.Index(fields=["hub", "start"]),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(end__gt=models.F("start")), name="event_ends_after")
        ]
        verbose_name = _("event")
        verbose_name_plural = _("events")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("events:event", args=[self.pk])

    @cached_property
    def tz(self) -> zoneinfo.ZoneInfo:
        return dates.zone(self.time_zone)

    @property
    def online_link(self) -> str:
        """The online link for an href: only an http(s) address (a row stored before the rule
        that holds anything else, such as ``javascript:``, shows no link)."""
        url = (self.online_url or "").strip()
        return url if url.lower().startswith(("https://", "http://")) else ""

    @property
    def local_start(self):
        return self.start.astimezone(self.tz)

    @property
    def local_end(self):
        return self.end.astimezone(self.tz)

    @property
    def language_codes(self) -> list[str]:
        return codes(self.languages)

    @property
    def audience_codes(self) -> list[str]:
        return codes(self.audiences)

    @property
    def language_labels(self) -> list[str]:
        """The event's languages by name in the reader's language ("German, English")."""
        return [language_name(c) for c in self.language_codes]

    @property
    def audience_labels(self) -> list[str]:
        labels = dict(Audience.choices)
        return [str(labels.get(c, c)) for c in self.audience_codes]

    @property
    def objective_codes(self) -> list[str]:
        return codes(self.objectives)

    @property
    def accessibility_codes(self) -> list[str]:
        return codes(self.accessibility)

    @property
    def accessibility_labels(self) -> list[str]:
        labels = dict(ACCESSIBILITY_FEATURES)
        return [str(labels.get(c, c)) for c in self.accessibility_codes]

    @property
    def is_past(self) -> bool:
        return self.end <= timezone.now()

    @property
    def is_cancelled(self) -> bool:
        return self.status == self.Status.CANCELLED

    @property
    def is_multi_day(self) -> bool:
        return self.local_start.date() != self.local_end.date()


class Session(models.Model):
    """One item of an event's programme (a talk, a panel, a day of a three-day fair)."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="sessions")
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    start = models.DateTimeField(_("start"))
    end = models.DateTimeField(_("end"))
    room = models.CharField(_("room or track"), max_length=120, blank=True)
    languages = models.CharField(_("languages"), max_length=100, blank=True)
    audiences = models.CharField(_("audience"), max_length=200, blank=True)

    class Meta:
        ordering = ["start", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__gt=models.F("start")), name="session_ends_after"
            )
        ]
        verbose_name = _("session")
        verbose_name_plural = _("sessions")

    def __str__(self) -> str:
        return self.title

    @property
    def local_start(self):
        return self.start.astimezone(self.event.tz)

    @property
    def local_end(self):
        return self.end.astimezone(self.event.tz)


class RegistrationQuerySet(models.QuerySet):
    def holding_place(self):
        """Registrations that hold one of their event's places (``Registration.HOLDS_PLACE``)."""
        return self.filter(status__in=Registration.HOLDS_PLACE)

    def unconfirmed(self):
        """Registered or waiting, with the e-mail address never confirmed."""
        return self.filter(
            status__in=(Registration.Status.REGISTERED, Registration.Status.WAITLISTED),
            email_confirmed_at__isnull=True,
        )


class Registration(models.Model):
    """A person's place (or waitlist position) at an event; personal data seen only by organisers."""

    class Status(models.TextChoices):
        REGISTERED = "registered", _("Registered")
        WAITLISTED = "waitlisted", _("Waitlisted")
        OFFERED = "offered", _("Place offered")
        CANCELLED = "cancelled", _("Cancelled")
        ATTENDED = "attended", _("Attended")
        NO_SHOW = "no_show", _("Did not attend")

    # Statuses that hold one of the event's places.
    HOLDS_PLACE = (Status.REGISTERED, Status.OFFERED, Status.ATTENDED, Status.NO_SHOW)
    ACTIVE = (*HOLDS_PLACE, Status.WAITLISTED)

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="registrations")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="event_registrations",
    )
    name = models.CharField(_("name"), max_length=150)
    email = models.EmailField(_("e-mail"))
    audience = models.CharField(
        _("I take part as"), max_length=24, choices=Audience.choices, blank=True
    )
    language = models.CharField(_("language"), max_length=8, blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.REGISTERED
    )
    answers = models.JSONField(_("answers"), default=dict, blank=True)
    consent_at = models.DateTimeField(_("consent given"), null=True, blank=True)
    consent_text = models.TextField(_("consent text"), blank=True)
    email_confirmed_at = models.DateTimeField(_("e-mail confirmed"), null=True, blank=True)
    offered_at = models.DateTimeField(null=True, blank=True)
    offer_expires_at = models.DateTimeField(null=True, blank=True, db_index=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    cancel_reason = models.CharField(max_length=200, blank=True)
    checked_in_at = models.DateTimeField(null=True, blank=True)
    reminder_sent_at = models.DateTimeField(null=True, blank=True)
    is_demo = models.BooleanField(_("demo data"), default=False)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = RegistrationQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["event", "status", "created_at"])]
        constraints = [
            models.UniqueConstraint(
                fields=["event", "email"],
                condition=~Q(status="cancelled"),
                name="registration_one_active_per_email",
            )
        ]
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")

    def __str__(self) -> str:
        return f"{self.event} — {self.get_status_display()}"

    @property
    def is_waitlisted(self) -> bool:
        return self.status == self.Status.WAITLISTED

    @property
    def holds_place(self) -> bool:
        return self.status in self.HOLDS_PLACE

    @property
    def is_public_audience(self) -> bool:
        return self.audience in PUBLIC_AUDIENCES


# --- Messages from organisers to registrants (issue #16) ------------------------------------------


class EventMessage(models.Model):
    """A message the organisers sent to the registrants of an event: the log of what was sent.

    The recipients' addresses are not stored here (each got their own e-mail); only the statuses
    chosen and how many were sent to. ``token`` is the form's idempotency key: a second submission
    of the same form finds this row and sends nothing again.
    """

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="messages")
    sender = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("sender"),
    )
    subject = models.CharField(_("subject"), max_length=150)
    body = models.TextField(_("message"), max_length=5000)
    statuses = models.CharField(_("sent to"), max_length=100)
    recipient_count = models.PositiveIntegerField(_("recipients"), default=0)
    token = models.UUIDField(unique=True, editable=False)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["event", "created_at"])]
        verbose_name = _("message to registrants")
        verbose_name_plural = _("messages to registrants")

    def __str__(self) -> str:
        return self.subject

    @property
    def status_codes(self) -> list[str]:
        return codes(self.statuses)

    @property
    def status_labels(self) -> list[str]:
        labels = dict(Registration.Status.choices)
        return [str(labels.get(c, c)) for c in self.status_codes]
