"""Input of the engagement record pages; the rules are checked by the services."""

from typing import cast

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from echos.core.forms import DateInput, ServiceFormMixin
from echos.core.models import Region, Term
from echos.engagement.models import EngagementRecord, Format
from echos.hubs.models import Membership, Organisation

NO_PERSONAL_DATA = _(
    "Name organisations and stakeholder groups, never private persons: no names, e-mail "
    "addresses or other details of individual people belong here (records are public)."
)


def _term_choices(vocabulary: str) -> list[tuple[str, str]]:
    return [(t.code, t.display) for t in Term.objects.of(vocabulary)]


class EngagementRecordForm(ServiceFormMixin, forms.Form):
    title = forms.CharField(label=_("Title"), max_length=250)
    description = forms.CharField(
        label=_("What happened"),
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=NO_PERSONAL_DATA,
    )
    date = forms.DateField(label=_("Date"), widget=DateInput)
    end_date = forms.DateField(
        label=_("End date"),
        widget=DateInput,
        required=False,
        help_text=_("Only for engagements over several days, e.g. a survey."),
    )
    level = forms.ChoiceField(
        label=_("Engagement level (IAP2 spectrum)"),
        widget=forms.RadioSelect,
        help_text=_(
            "Inform: one-way information. Consult: asking for feedback. Involve: working with "
            "stakeholders throughout. Collaborate: deciding together. Empower: stakeholders decide."
        ),
    )
    stakeholder_groups = forms.MultipleChoiceField(
        label=_("Stakeholder groups reached"),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("At least one."),
    )
    organisations = forms.ModelMultipleChoiceField(
        label=_("Organisations involved"),
        queryset=Organisation.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_(
            "Member organisations of the hub. Organisations only: never list private persons."
        ),
    )
    participants = forms.IntegerField(
        label=_("Number of participants"),
        min_value=0,
        max_value=10_000_000,
        required=False,
        help_text=_("A count only; leave empty if unknown."),
    )
    format = forms.ChoiceField(label=_("Format"), choices=Format.choices)
    language = forms.CharField(
        label=_("Language"), max_length=8, help_text=_("ISO 639-1 code, e.g. pl")
    )
    region = forms.ModelChoiceField(
        label=_("Region"), queryset=Region.objects.none(), required=False
    )
    objectives = forms.MultipleChoiceField(
        label=_("Mission objectives"), widget=forms.CheckboxSelectMultiple, required=False
    )
    policy_areas = forms.MultipleChoiceField(
        label=_("Policy areas"), widget=forms.CheckboxSelectMultiple, required=False
    )
    outcomes = forms.CharField(
        label=_("Outcome notes"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        help_text=NO_PERSONAL_DATA,
    )

    def __init__(self, *args, hub, record: EngagementRecord | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        choice = self._choice_field
        choice("level").choices = _term_choices(Term.Vocabulary.ENGAGEMENT_LEVELS)
        choice("stakeholder_groups").choices = _term_choices(Term.Vocabulary.STAKEHOLDER_GROUPS)
        choice("objectives").choices = _term_choices(Term.Vocabulary.OBJECTIVES)
        choice("policy_areas").choices = _term_choices(Term.Vocabulary.POLICY_AREAS)
        region = cast(forms.ModelChoiceField, self.fields["region"])
        region.queryset = Region.objects.filter(country_id=hub.country_id)
        members = Membership.objects.current().filter(hub=hub).values("organisation_id")
        chosen = record.organisations.values("pk") if record is not None else []
        organisations = cast(forms.ModelMultipleChoiceField, self.fields["organisations"])
        organisations.queryset = Organisation.objects.filter(Q(pk__in=members) | Q(pk__in=chosen))

    def _choice_field(self, name: str) -> forms.ChoiceField:
        return cast(forms.ChoiceField, self.fields[name])

    @staticmethod
    def initial_for(record: EngagementRecord) -> dict:
        return {
            "title": record.title,
            "description": record.description,
            "date": record.date,
            "end_date": record.end_date,
            "level": record.level.code,
            "stakeholder_groups": [t.code for t in record.stakeholder_groups.all()],
            "organisations": [o.pk for o in record.organisations.all()],
            "participants": record.participants,
            "format": record.format,
            "language": record.language,
            "region": record.region_id,
            "objectives": [t.code for t in record.objectives.all()],
            "policy_areas": [t.code for t in record.policy_areas.all()],
            "outcomes": record.outcomes,
        }

    def service_fields(self) -> dict:
        """Cleaned data as ``save_record`` takes it."""
        data = dict(self.cleaned_data)
        data["organisations"] = [o.pk for o in data.get("organisations") or []]
        data["outcomes"] = data.get("outcomes") or ""
        return data
