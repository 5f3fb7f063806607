"""Input of the register, relationship and import pages; the rules are checked by the services."""

from typing import cast

from django import forms
from django.utils.translation import gettext_lazy as _

from echos.core.forms import DateInput, ServiceFormMixin
from echos.core.models import Term
from echos.engagement import register
from echos.engagement.models import Relationship, Sector, StakeholderStatus
from echos.hubs import permissions as hub_perms
from echos.hubs.models import Hub

SCORES = [(n, str(n)) for n in range(1, 6)]
INTERNAL = _(
    "Internal to the hub team: never shown on public pages. Name organisations, not private "
    "persons."
)


def _person_label(user) -> str:
    return user.get_full_name() or user.get_username()


def _hub_label(hub) -> str:
    return hub.name_en


class _ShownErrors(ServiceFormMixin):
    """A refusal naming a hidden field (the organisation picked) is shown above the form."""

    def add_rule_violation(self, exc) -> None:
        field = self.fields.get(exc.field or "")  # type: ignore[attr-defined]
        if field is not None and field.widget.is_hidden:
            self.add_error(None, exc.message)  # type: ignore[attr-defined]
        else:
            super().add_rule_violation(exc)


class StakeholderForm(_ShownErrors, forms.Form):
    """An entry's scores, group, sector, owner, status and notes."""

    group = forms.ChoiceField(label=_("Stakeholder group"))
    sector_override = forms.ChoiceField(
        label=_("Penta Helix sector"),
        required=False,
        help_text=_("Leave “derived” to take the sector of the stakeholder group."),
    )
    influence = forms.TypedChoiceField(
        label=_("Influence (1 low – 5 high)"), choices=SCORES, coerce=int, initial=3
    )
    interest = forms.TypedChoiceField(
        label=_("Interest (1 low – 5 high)"), choices=SCORES, coerce=int, initial=3
    )
    owner: forms.ModelChoiceField = forms.ModelChoiceField(
        label=_("Relationship owner"),
        queryset=None,
        required=False,
        help_text=_("A coordinator or editor of the hub."),
    )
    status = forms.ChoiceField(label=_("Status"), choices=StakeholderStatus.choices)
    notes = forms.CharField(
        label=_("Notes"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        max_length=register.MAX_NOTES,
        help_text=INTERNAL,
    )

    def __init__(self, *args, hub: Hub, **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["group"]).choices = [
            (t.code, t.display) for t in Term.objects.of(Term.Vocabulary.STAKEHOLDER_GROUPS)
        ]
        cast(forms.ChoiceField, self.fields["sector_override"]).choices = [
            ("", _("Derived from the group")),
            *Sector.choices,
        ]
        owner = cast(forms.ModelChoiceField, self.fields["owner"])
        owner.queryset = register.team_members(hub)
        owner.label_from_instance = _person_label  # type: ignore[method-assign,assignment]

    def service_fields(self) -> dict:
        data = dict(self.cleaned_data)
        data.pop("organisation", None)
        return data

    @staticmethod
    def initial_for(entry) -> dict:
        return {
            "group": entry.group.code,
            "sector_override": entry.sector_override,
            "influence": entry.influence,
            "interest": entry.interest,
            "owner": entry.owner_id,
            "status": entry.status,
            "notes": entry.notes,
        }


class AddStakeholderForm(StakeholderForm):
    """A new entry: the organisation chosen in the picker (any organisation of the registry)."""

    organisation = forms.IntegerField(widget=forms.HiddenInput, min_value=1, max_value=2**63 - 1)

    field_order = ["organisation"]


class RelationshipForm(_ShownErrors, forms.Form):
    """A tie from the page's organisation to the one chosen in the picker."""

    hub: forms.ModelChoiceField = forms.ModelChoiceField(label=_("Recorded by hub"), queryset=None)
    kind = forms.ChoiceField(label=_("Relationship"), choices=Relationship.Kind.choices)
    target = forms.IntegerField(widget=forms.HiddenInput, min_value=1, max_value=2**63 - 1)
    since = forms.DateField(label=_("Since"), widget=DateInput, required=False)
    until = forms.DateField(label=_("Until"), widget=DateInput, required=False)
    source_note = forms.CharField(
        label=_("Source"),
        max_length=300,
        required=False,
        help_text=_(
            "Where the fact is published (a web page, a report). Relationships are public."
        ),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        hub = cast(forms.ModelChoiceField, self.fields["hub"])
        hub.queryset = hub_perms.editable_hubs(user).order_by("name_en")
        hub.label_from_instance = _hub_label  # type: ignore[method-assign,assignment]
