"""Input of the network map (filters, snapshots, comparisons) and of the use case pages."""

from typing import cast

from django import forms
from django.utils.translation import gettext_lazy as _

from echos.core.forms import DateInput, ServiceFormMixin
from echos.core.models import Term


def _choices(vocabulary: str, empty) -> list[tuple[str, str]]:
    return [("", str(empty)), *((t.code, t.display) for t in Term.objects.of(vocabulary))]


def _choice(form: forms.Form, name: str) -> forms.ChoiceField:
    return cast(forms.ChoiceField, form.fields[name])


class NetworkFilterForm(ServiceFormMixin, forms.Form):
    """The map's filters; the rules (period order and length, known codes) are the service's."""

    start = forms.DateField(label=_("From"), widget=DateInput, required=False)
    end = forms.DateField(label=_("To"), widget=DateInput, required=False)
    group = forms.ChoiceField(label=_("Stakeholder group"), required=False)
    objective = forms.ChoiceField(label=_("Mission objective"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _choice(self, "group").choices = _choices(
            Term.Vocabulary.STAKEHOLDER_GROUPS, _("Any group")
        )
        _choice(self, "objective").choices = _choices(
            Term.Vocabulary.OBJECTIVES, _("Any objective")
        )


class SnapshotForm(ServiceFormMixin, forms.Form):
    label = forms.CharField(label=_("Label"), max_length=120, required=False)
    start = forms.DateField(widget=forms.HiddenInput)
    end = forms.DateField(widget=forms.HiddenInput)
    group = forms.CharField(widget=forms.HiddenInput, required=False)
    objective = forms.CharField(widget=forms.HiddenInput, required=False)


class CompareForm(forms.Form):
    """Two saved snapshots, or two periods computed now."""

    a = forms.TypedChoiceField(label=_("Earlier snapshot"), coerce=int, required=False)
    b = forms.TypedChoiceField(label=_("Later snapshot"), coerce=int, required=False)
    a_start = forms.DateField(label=_("First period from"), widget=DateInput, required=False)
    a_end = forms.DateField(label=_("First period to"), widget=DateInput, required=False)
    b_start = forms.DateField(label=_("Second period from"), widget=DateInput, required=False)
    b_end = forms.DateField(label=_("Second period to"), widget=DateInput, required=False)

    def __init__(self, *args, snapshots=(), **kwargs):
        super().__init__(*args, **kwargs)
        choices = [("", _("Choose a snapshot"))] + [(s.pk, s.label) for s in snapshots]
        _choice(self, "a").choices = _choice(self, "b").choices = choices


class UseCaseForm(ServiceFormMixin, forms.Form):
    title = forms.CharField(label=_("Title"), max_length=250)
    mission_action = forms.CharField(
        label=_("Mission action"),
        max_length=250,
        help_text=_("The Mission on Cancer action where early cooperation is critical."),
    )
    description = forms.CharField(label=_("Description"), widget=forms.Textarea(attrs={"rows": 5}))
    groups = forms.MultipleChoiceField(
        label=_("Stakeholder groups needed"), widget=forms.CheckboxSelectMultiple
    )
    source = forms.CharField(
        label=_("Source"),
        max_length=300,
        required=False,
        help_text=_("A public document or page describing the action."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _choice(self, "groups").choices = _choices(Term.Vocabulary.STAKEHOLDER_GROUPS, "")[1:]

    @staticmethod
    def initial_for(use_case) -> dict:
        return {
            "title": use_case.title,
            "mission_action": use_case.mission_action,
            "description": use_case.description,
            "groups": [t.code for t in use_case.groups.all()],
            "source": use_case.source,
        }


class PeriodForm(ServiceFormMixin, forms.Form):
    start = forms.DateField(label=_("From"), widget=DateInput, required=False)
    end = forms.DateField(label=_("To"), widget=DateInput, required=False)
