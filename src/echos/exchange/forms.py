"""Forms of the network-of-support pages: input types only; the rules are in the services."""

from django import forms
from django.utils.translation import gettext_lazy as _

from echos.core.forms import DateInput, DateTimeLocalInput, ServiceFormMixin
from echos.core.languages import language_choices
from echos.core.models import Country, Term
from echos.events.forms import COMMON_TIMEZONES, LanguagesField
from echos.events.models import Format, country_timezone
from echos.exchange.levels import dimension_titles
from echos.exchange.models import (
    Challenge,
    Commitment,
    SessionKind,
    StepStatus,
    SupportRequest,
    Twinning,
)
from echos.hubs.models import Hub
from echos.library.models import Resource


def _dimension_choices() -> list[tuple[str, str]]:
    return list(dimension_titles().items())


def _resources(user):
    """Library resources the user may read (and so attach)."""
    return Resource.objects.visible_to(user).order_by("title")


def _hub_choices():
    return Hub.objects.select_related("country").order_by("country__name", "level", "name_en")


def _text(label, *, required: bool = True, max_length: int = 10000, rows: int = 3):
    """A free-text field on a textarea of ``rows`` lines."""
    return forms.CharField(
        label=label,
        required=required,
        max_length=max_length,
        widget=forms.Textarea(attrs={"rows": rows}),
    )


def _objectives():
    return Term.objects.of(Term.Vocabulary.OBJECTIVES)


class RoadmapForm(ServiceFormMixin, forms.Form):
    country = forms.ModelChoiceField(
        label=_("Country"), queryset=Country.objects.order_by("name"), to_field_name="pk"
    )
    notes = _text(_("Notes"), required=False, max_length=5000)


class StepForm(ServiceFormMixin, forms.Form):
    owner = forms.CharField(label=_("Owner"), required=False, max_length=200)
    due = forms.DateField(label=_("Due date"), required=False, widget=DateInput)
    status = forms.ChoiceField(label=_("Status"), choices=StepStatus.choices)
    completed_on = forms.DateField(label=_("Completed on"), required=False, widget=DateInput)
    evidence = _text(_("Evidence"), required=False, max_length=5000)
    link = forms.URLField(
        label=_("Evidence link"), required=False, max_length=200, assume_scheme="https"
    )
    resources = forms.ModelMultipleChoiceField(
        label=_("Library resources"), queryset=Resource.objects.none(), required=False
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["resources"].queryset = _resources(user)  # type: ignore[attr-defined]

    def service_fields(self) -> dict:
        data = dict(self.cleaned_data)
        data["resources"] = [r.pk for r in data["resources"]]
        return data


class SessionFieldsForm(ServiceFormMixin, forms.Form):
    """The exchange fields of a session."""

    participating_hubs = forms.ModelMultipleChoiceField(
        label=_("Participating hubs"), queryset=Hub.objects.none(), required=False
    )
    countries = forms.ModelMultipleChoiceField(
        label=_("Participating countries"),
        queryset=Country.objects.order_by("name"),
        required=False,
    )
    objectives = forms.MultipleChoiceField(
        label=_("Learning goals: Mission objectives"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    dimensions = forms.MultipleChoiceField(
        label=_("Learning goals: maturity dimensions"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    goals = _text(_("Learning goals"), required=False)
    materials = _text(_("Materials"), required=False)
    conclusions = _text(_("Conclusions"), required=False, rows=4)
    challenges = forms.MultipleChoiceField(
        label=_("Challenges raised"),
        required=False,
        choices=Challenge.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    resources = forms.ModelMultipleChoiceField(
        label=_("Library resources"), queryset=Resource.objects.none(), required=False
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["resources"].queryset = _resources(user)  # type: ignore[attr-defined]
        self.fields["participating_hubs"].queryset = _hub_choices()  # type: ignore[attr-defined]
        self.fields["objectives"].choices = [(t.code, t.display) for t in _objectives()]  # type: ignore[attr-defined]
        self.fields["dimensions"].choices = _dimension_choices()  # type: ignore[attr-defined]

    def service_fields(self) -> dict:
        data = dict(self.cleaned_data)
        data["participating_hubs"] = [h.pk for h in data["participating_hubs"]]
        data["countries"] = [c.pk for c in data["countries"]]
        data["resources"] = [r.pk for r in data["resources"]]
        return data


class SessionForm(SessionFieldsForm):
    """A new session: its event and its exchange fields."""

    field_order = [
        "kind",
        "hub",
        "title",
        "description",
        "format",
        "languages",
        "start",
        "end",
        "time_zone",
        "online_url",
    ]

    kind = forms.ChoiceField(label=_("Kind of session"), choices=SessionKind.choices)
    hub = forms.ModelChoiceField(label=_("Host hub"), queryset=Hub.objects.none())
    title = forms.CharField(label=_("Title"), max_length=200)
    description = _text(_("Description"), max_length=20000, rows=4)
    format = forms.ChoiceField(label=_("Format"), choices=Format.choices)
    # Forms that scale (#16): languages by name, the zone of the host hub's country by default.
    languages = LanguagesField(
        label=_("Languages"),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("The languages spoken or interpreted at the session."),
    )
    start = forms.DateTimeField(label=_("Start"), widget=DateTimeLocalInput)
    end = forms.DateTimeField(label=_("End"), widget=DateTimeLocalInput)
    time_zone = forms.ChoiceField(
        label=_("Time zone"),
        choices=[("", _("The host hub's country's")), *((tz, tz) for tz in COMMON_TIMEZONES)],
        required=False,
        help_text=_("Start and end are in this time zone."),
    )
    online_url = forms.URLField(
        label=_("Online link"), required=False, max_length=200, assume_scheme="https"
    )

    def __init__(self, *args, hubs=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["hub"].queryset = hubs if hubs is not None else Hub.objects.none()  # type: ignore[attr-defined]
        self.fields["languages"].choices = language_choices()  # type: ignore[attr-defined]

    def event_fields(self) -> dict:
        d = self.cleaned_data
        event = {
            "title": d["title"],
            "description": d["description"],
            "format": d["format"],
            "languages": d["languages"],
            "start": d["start"].replace(tzinfo=None),
            "end": d["end"].replace(tzinfo=None),
            "time_zone": d["time_zone"] or country_timezone(d["hub"].country_id),
        }
        if d.get("online_url"):
            event["online_url"] = d["online_url"]
        return event

    def service_fields(self) -> dict:
        data = super().service_fields()
        return {k: data[k] for k in SessionFieldsForm.base_fields if k in data}


class CommitmentForm(ServiceFormMixin, forms.Form):
    hub = forms.ModelChoiceField(label=_("Hub that commits"), queryset=Hub.objects.none())
    owner = forms.CharField(label=_("Owner (a named person)"), max_length=200)
    what = _text(_("What"), max_length=2000, rows=2)
    due = forms.DateField(label=_("By when"), widget=DateInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["hub"].queryset = _hub_choices()  # type: ignore[attr-defined]


class CommitmentStatusForm(forms.Form):
    status = forms.ChoiceField(choices=Commitment.Status.choices)


class InvitationForm(ServiceFormMixin, forms.Form):
    group = forms.ChoiceField(label=_("Stakeholder group"))
    name = forms.CharField(label=_("Invitee (organisation or group)"), max_length=250)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["group"].choices = [  # type: ignore[attr-defined]
            (t.code, t.display) for t in Term.objects.of(Term.Vocabulary.STAKEHOLDER_GROUPS)
        ]


class DialogueForm(ServiceFormMixin, forms.Form):
    conclusions = _text(_("Conclusions"), rows=4)
    next_steps = _text(_("Next steps"), required=False)


class TwinningForm(ServiceFormMixin, forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    hubs = forms.ModelMultipleChoiceField(
        label=_("Hubs"), queryset=Hub.objects.none(), help_text=_("At least two different hubs.")
    )
    dimensions = forms.MultipleChoiceField(
        label=_("Targeted maturity dimensions"), widget=forms.CheckboxSelectMultiple
    )
    goals = _text(_("Goals"))
    start = forms.DateField(label=_("Start"), widget=DateInput)
    end = forms.DateField(label=_("End"), widget=DateInput)
    practice = _text(_("Practice transferred"), required=False)
    adaptation = _text(_("How it is adapted"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["hubs"].queryset = _hub_choices()  # type: ignore[attr-defined]
        self.fields["dimensions"].choices = _dimension_choices()  # type: ignore[attr-defined]


class TwinningUpdateForm(ServiceFormMixin, forms.Form):
    practice = _text(_("Practice transferred"), required=False)
    adaptation = _text(_("How it was adapted"), required=False)
    outcome = _text(_("Outcome"), required=False)
    status = forms.ChoiceField(label=_("Status"), choices=Twinning.Status.choices)


class MilestoneForm(ServiceFormMixin, forms.Form):
    title = forms.CharField(label=_("Milestone"), max_length=200)
    due = forms.DateField(label=_("Date"), widget=DateInput)


class NoteForm(ServiceFormMixin, forms.Form):
    text = _text(_("Progress note"), max_length=5000)


class RequestForm(ServiceFormMixin, forms.Form):
    hub = forms.ModelChoiceField(label=_("Asking hub"), queryset=Hub.objects.none())
    title = forms.CharField(label=_("Title"), max_length=200)
    text = _text(_("What help is needed"), rows=5)
    dimension = forms.ChoiceField(label=_("Maturity dimension"), required=False)
    objective = forms.ChoiceField(label=_("Mission objective"), required=False)
    visibility = forms.ChoiceField(
        label=_("Who sees it"), choices=SupportRequest.Visibility.choices, initial="network"
    )

    def __init__(self, *args, hubs=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["hub"].queryset = hubs if hubs is not None else Hub.objects.none()  # type: ignore[attr-defined]
        self.fields["dimension"].choices = [("", "—"), *_dimension_choices()]  # type: ignore[attr-defined]
        objectives = [("", "—"), *[(t.code, t.display) for t in _objectives()]]
        self.fields["objective"].choices = objectives  # type: ignore[attr-defined]


class AnswerForm(ServiceFormMixin, forms.Form):
    text = _text(_("Your answer"), max_length=5000, rows=4)
    hub = forms.ModelChoiceField(
        label=_("Answer in the name of"), queryset=Hub.objects.none(), required=False
    )

    def __init__(self, *args, hubs=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["hub"].queryset = hubs if hubs is not None else Hub.objects.none()  # type: ignore[attr-defined]
