"""Input of the engagement record pages; the rules are checked by the services."""

from typing import cast

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from echos.core.forms import DateInput, ServiceFormMixin
from echos.core.models import Region, Term
from echos.engagement.models import EngagementRecord, FollowUp, Format, RecordStatus
from echos.hubs.models import Membership, Organisation

COUNT_PREFIX = "participants_"

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
    status = forms.ChoiceField(
        label=_("Status"),
        choices=RecordStatus.choices,
        initial=RecordStatus.HELD,
        required=False,
        help_text=_("A held engagement cannot be dated in the future; record it as planned."),
    )
    participants = forms.IntegerField(
        label=_("Number of participants"),
        min_value=0,
        max_value=10_000_000,
        required=False,
        help_text=_(
            "A count only; leave empty if unknown. When you count participants per stakeholder "
            "group below, the total is their sum."
        ),
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
        # One row per stakeholder group: how many of the participants belonged to it.
        for code, label in _term_choices(Term.Vocabulary.STAKEHOLDER_GROUPS):
            self.fields[COUNT_PREFIX + str(code)] = forms.IntegerField(
                label=_("Participants: %(group)s") % {"group": label},
                max_value=10_000_000,
                required=False,
            )
        names = [n for n in self.fields if not n.startswith(COUNT_PREFIX)]
        at = names.index("participants") + 1
        counts = [n for n in self.fields if n.startswith(COUNT_PREFIX)]
        self.order_fields(names[:at] + counts + names[at:])

    def count_fields(self) -> list:
        """The bound fields of the participants per group, for the template's fieldset."""
        return [self[name] for name in self.fields if name.startswith(COUNT_PREFIX)]

    def main_fields(self) -> list:
        return [self[name] for name in self.fields if not name.startswith(COUNT_PREFIX)]

    def clean(self):
        data = super().clean() or {}
        groups = set(data.get("stakeholder_groups") or [])
        for name in list(self.fields):
            if not name.startswith(COUNT_PREFIX):
                continue
            n = data.get(name)
            if n is None:
                continue
            code = name[len(COUNT_PREFIX) :]
            if n < 0:
                self.add_error(name, _("A number of participants cannot be negative."))
            elif code not in groups:
                self.add_error(
                    name,
                    _("Tick this stakeholder group among the groups reached, or leave it empty."),
                )
        return data

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
            "status": record.status,
            **{
                COUNT_PREFIX + c.group.code: c.count
                for c in record.participant_counts.select_related("group")
            },
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
        counts = {
            name[len(COUNT_PREFIX) :]: data.pop(name)
            for name in list(data)
            if name.startswith(COUNT_PREFIX)
        }
        data["participant_counts"] = {k: v for k, v in counts.items() if v is not None}
        if data["participant_counts"]:
            data["participants"] = None  # the sum of the counts
        data["status"] = data.get("status") or RecordStatus.HELD
        data["organisations"] = [o.pk for o in data.get("organisations") or []]
        data["outcomes"] = data.get("outcomes") or ""
        return data


class FollowUpForm(ServiceFormMixin, forms.Form):
    """A follow-up action of a record: what, who of the hub's team, by when."""

    title = forms.CharField(label=_("Action"), max_length=250)
    owner = forms.ChoiceField(label=_("Owner"), required=False)
    due_date = forms.DateField(label=_("Due date"), widget=DateInput)

    def __init__(self, *args, team, **kwargs):
        super().__init__(*args, **kwargs)
        owner = cast(forms.ChoiceField, self.fields["owner"])
        owner.choices = [("", _("Nobody yet"))] + [
            (str(u.pk), u.get_full_name() or u.username) for u in team
        ]
        owner.help_text = _("A member of the hub's team.")


FOLLOW_UP_ACTIONS = {
    "done": FollowUp.Status.DONE,
    "cancel": FollowUp.Status.CANCELLED,
    "reopen": FollowUp.Status.OPEN,
}
