"""Input of event, session, status and registration pages; rules are checked by the services."""

import zoneinfo
from datetime import UTC
from typing import cast

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from echos.core.dates import medium_datetime
from echos.core.emails import EmailAddressField
from echos.core.forms import DateTimeLocalInput, ServiceFormMixin
from echos.core.languages import COUNTRY_LANGUAGE, language_choices
from echos.core.models import Region, Term
from echos.core.multilingual import TranslationsFormMixin
from echos.core.outline import PointOnMapInput
from echos.events.models import (
    ACCESSIBILITY_FEATURES,
    COUNTRY_TIMEZONES,
    Audience,
    Event,
    EventType,
    Format,
)
from echos.events.services import registration_instruments

# Europe's zones and its neighbours', plus each platform country's own (Toronto, Auckland, Tunis...),
# so that the zone proposed for a hub's country is always one of the choices.
COMMON_TIMEZONES = sorted(
    {
        tz
        for tz in zoneinfo.available_timezones()
        if tz.startswith(("Europe/", "Atlantic/", "Asia/"))
    }
    | set(COUNTRY_TIMEZONES.values())
) + ["UTC"]


class LocalDateTimeField(forms.DateTimeField):
    """A wall-clock date-time, kept naive: it is read in the event's time zone, not the site's.

    Django's field would interpret it in the current (site) zone and refuse a time that does not
    exist there; the forms check it against the event's zone instead (``check_local_times``).
    """

    def to_python(self, value):
        with timezone.override(UTC):  # UTC has no gaps: nothing is refused or shifted here
            result = super().to_python(value)
        return result.replace(tzinfo=None) if result is not None else None


def _exists_in(value, tz_name: str) -> bool:
    """False for a wall-clock time skipped when the clocks go forward in ``tz_name``."""
    try:
        tz = zoneinfo.ZoneInfo(tz_name)
        back = value.replace(tzinfo=tz).astimezone(UTC).astimezone(tz)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError, OverflowError):
        return True  # an unknown zone or an out-of-range year is the service's to refuse
    return back.replace(tzinfo=None) == value


def check_local_times(form: forms.Form, names, tz_name: str | None) -> None:
    """Add an error to each time of ``names`` that does not exist in the time zone ``tz_name``."""
    if not tz_name:
        return
    for name in names:
        value = form.cleaned_data.get(name)
        if value is not None and not _exists_in(value, tz_name):
            form.add_error(
                name,
                _(
                    "%(time)s does not exist in the time zone %(tz)s: the clocks go forward "
                    "then. Give another time."
                )
                % {"time": medium_datetime(value), "tz": tz_name},
            )


class LanguagesField(forms.MultipleChoiceField):
    """Languages chosen by name; the codes are stored. The MS/AC languages are offered (plus those
    the event already has); the service accepts any ISO 639-1 code, and "pl, en" sent by a script
    or an old form is read as two codes."""

    def to_python(self, value):
        values = super().to_python(value)
        return [
            c.strip().lower() for v in values for c in v.replace(";", ",").split(",") if c.strip()
        ]

    def valid_value(self, value) -> bool:
        return True  # the service refuses unknown codes by name ("Unknown language: xx.")


class EventForm(TranslationsFormMixin, ServiceFormMixin, forms.Form):
    """An event's fields, then its source language and translations (issue #17) on the same form."""

    title = forms.CharField(label=_("Title"), max_length=200)
    description = forms.CharField(label=_("Description"), widget=forms.Textarea(attrs={"rows": 6}))
    type = forms.ChoiceField(label=_("Type"), choices=EventType.choices)
    format = forms.ChoiceField(label=_("Format"), choices=Format.choices)
    start = LocalDateTimeField(label=_("Starts (local time)"), widget=DateTimeLocalInput())
    end = LocalDateTimeField(label=_("Ends (local time)"), widget=DateTimeLocalInput())
    time_zone = forms.ChoiceField(
        label=_("Time zone"),
        choices=[(tz, tz) for tz in COMMON_TIMEZONES],
        help_text=_("Times above are in this time zone."),
    )
    region = forms.ModelChoiceField(
        label=_("Region"), queryset=Region.objects.none(), required=False
    )
    venue = forms.CharField(label=_("Venue"), max_length=300, required=False)
    address = forms.CharField(label=_("Address"), max_length=300, required=False)
    latitude = forms.FloatField(label=_("Latitude"), required=False)
    longitude = forms.FloatField(label=_("Longitude"), required=False)
    online_url = forms.URLField(label=_("Online link"), required=False, assume_scheme="https")
    link_visibility = forms.ChoiceField(
        label=_("Who sees the venue details and online link"),
        choices=Event.LinkVisibility.choices,
    )
    languages = LanguagesField(
        label=_("Languages"),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("The languages spoken or interpreted at the event."),
    )
    audiences = forms.MultipleChoiceField(
        label=_("Audience"),
        choices=Audience.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    objectives = forms.MultipleChoiceField(
        label=_("Mission objectives"), required=False, widget=forms.CheckboxSelectMultiple
    )
    capacity = forms.IntegerField(
        label=_("Capacity"), required=False, min_value=1, help_text=_("Empty for no limit.")
    )
    registration_enabled = forms.BooleanField(label=_("Take registrations"), required=False)
    registration_opens = LocalDateTimeField(
        label=_("Registration opens"), required=False, widget=DateTimeLocalInput()
    )
    registration_closes = LocalDateTimeField(
        label=_("Registration closes"), required=False, widget=DateTimeLocalInput()
    )
    questions = forms.ChoiceField(
        label=_("Registration questions"),
        required=False,
        help_text=_("Asked of everyone who registers; the answers are seen by organisers only."),
    )
    offer_hours = forms.IntegerField(
        label=_("Hours to accept a place offered from the waitlist"), min_value=1, max_value=720
    )
    accessibility = forms.MultipleChoiceField(
        label=_("Accessibility"),
        choices=ACCESSIBILITY_FEATURES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    accessibility_notes = forms.CharField(
        label=_("Accessibility information"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )
    outcomes = forms.CharField(
        label=_("Outcomes (after the event)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )

    def __init__(self, *args, country=None, event: Event | None = None, **kwargs):
        """``event``: the event edited (its translations); a new one is written in the language
        of its ``country`` (the hub's) unless the organiser chooses another."""
        super().__init__(*args, **kwargs)
        held = self.initial.get("languages") or []
        held = held.replace(",", " ").split() if isinstance(held, str) else held
        cast(forms.ChoiceField, self.fields["languages"]).choices = language_choices(held)
        cast(forms.ChoiceField, self.fields["objectives"]).choices = [
            (t.code, t.display) for t in Term.objects.of("objectives")
        ]
        if country is not None:
            region = cast(forms.ModelChoiceField, self.fields["region"])
            region.queryset = Region.objects.filter(country=country)
            # Click the country's outline to fill in latitude and longitude (both stay typable).
            self.fields["longitude"].widget = PointOnMapInput(
                country_code=country.code,
                country_name=country.display_name,
                lat_id=self["latitude"].auto_id,
            )
        cast(forms.ChoiceField, self.fields["questions"]).choices = [("", _("No questions"))] + [
            (i.code, i.display_title) for i in registration_instruments()
        ]
        self.setup_translations(event)
        if event is None and country is not None:
            self.fields["source_language"].initial = COUNTRY_LANGUAGE.get(
                country.code, self.fields["source_language"].initial
            )
        # A post without it (a script written before #17) keeps the event's language ("en" new).
        self.fields["source_language"].required = False

    @classmethod
    def initial_for(cls, event: Event) -> dict:
        return {
            "title": event.title,
            "description": event.description,
            "type": event.type,
            "format": event.format,
            "start": event.local_start.replace(tzinfo=None),
            "end": event.local_end.replace(tzinfo=None),
            "time_zone": event.time_zone,
            "region": event.region_id,
            "venue": event.venue,
            "address": event.address,
            "latitude": event.latitude,
            "longitude": event.longitude,
            "online_url": event.online_url,
            "link_visibility": event.link_visibility,
            "languages": event.language_codes,
            "audiences": event.audience_codes,
            "objectives": event.objective_codes,
            "capacity": event.capacity,
            "registration_enabled": event.registration_enabled,
            "registration_opens": event.registration_opens
            and event.registration_opens.astimezone(event.tz).replace(tzinfo=None),
            "registration_closes": event.registration_closes
            and event.registration_closes.astimezone(event.tz).replace(tzinfo=None),
            "offer_hours": event.offer_hours,
            "questions": event.questions.code if event.questions is not None else "",
            "accessibility": event.accessibility_codes,
            "accessibility_notes": event.accessibility_notes,
            "outcomes": event.outcomes,
        }

    def clean(self):
        cleaned = cast(dict, super().clean())
        check_local_times(self, self.TIMES, cleaned.get("time_zone"))
        return cleaned

    TIMES = ("start", "end", "registration_opens", "registration_closes")

    # The event has a "Languages" field of its own (those spoken at the event).
    translations_legend = _("Language of the text and translations")
    # The texts a visitor reads, translatable into each offered language (not required).
    translatable_fields = {
        "title": forms.CharField(label=_("Title"), max_length=200),
        "description": forms.CharField(
            label=_("Description"), widget=forms.Textarea(attrs={"rows": 4})
        ),
        "accessibility_notes": forms.CharField(
            label=_("Accessibility information"), widget=forms.Textarea(attrs={"rows": 2})
        ),
        "outcomes": forms.CharField(
            label=_("Outcomes (after the event)"), widget=forms.Textarea(attrs={"rows": 2})
        ),
    }

    def service_fields(self) -> dict:
        """Cleaned data as the service expects it: local naive times plus the time zone name."""
        data = dict(self.cleaned_data)
        for name in ("start", "end", "registration_opens", "registration_closes"):
            if data.get(name) is not None:
                data[name] = data[name].replace(tzinfo=None)
        region = data.pop("region", None)
        data["region"] = region.code if region else ""
        for name in ("venue", "address", "online_url", "accessibility_notes", "outcomes"):
            data[name] = data.get(name) or ""
        for name in list(data):
            if name.startswith("tr-"):
                del data[name]
        if not data.get("source_language"):
            data.pop("source_language", None)
        # Only a form that showed the translations changes them (an older script's post keeps them).
        if any(key.startswith("tr-") for key in self.data):
            data["translations"] = self.cleaned_translations()
        return data


class SessionForm(ServiceFormMixin, forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    start = LocalDateTimeField(label=_("Starts (local time)"), widget=DateTimeLocalInput())
    end = LocalDateTimeField(label=_("Ends (local time)"), widget=DateTimeLocalInput())
    room = forms.CharField(label=_("Room or track"), max_length=120, required=False)
    description = forms.CharField(
        label=_("Description"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )

    def __init__(self, *args, time_zone: str | None = None, **kwargs):
        """``time_zone``: the event's, in which the times are read."""
        super().__init__(*args, **kwargs)
        self.time_zone = time_zone

    def clean(self):
        cleaned = super().clean()
        check_local_times(self, ("start", "end"), self.time_zone)
        return cleaned


class StatusForm(ServiceFormMixin, forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=Event.Status.choices)
    reason = forms.CharField(
        label=_("Reason (told to participants when postponing or cancelling)"),
        max_length=300,
        required=False,
    )

    def __init__(self, *args, published: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if published:
            # Once public, an event is cancelled or postponed, never a draft again.
            cast(forms.ChoiceField, self.fields["status"]).choices = [
                c for c in Event.Status.choices if c[0] != Event.Status.DRAFT
            ]


class RegistrationForm(ServiceFormMixin, forms.Form):
    name = forms.CharField(label=_("Your name"), max_length=150)
    email = EmailAddressField(label=_("Your e-mail address"))
    audience = forms.ChoiceField(
        label=_("I take part as"),
        choices=[("", _("Choose…")), *Audience.choices],
        required=False,
        help_text=_("Counted anonymously to see whom events reach."),
    )
    consent = forms.BooleanField(label=_("I agree"), required=True)
