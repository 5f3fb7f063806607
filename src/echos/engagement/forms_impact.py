"""Input of the impact model pages; the rules are checked by ``engagement.impact``."""

from django import forms
from django.utils.translation import gettext_lazy as _

from echos.core.forms import DateInput, ServiceFormMixin
from echos.core.models import Term
from echos.engagement import indicators
from echos.engagement.models import Accumulation, ImpactStage


class ElementForm(ServiceFormMixin, forms.Form):
    stage = forms.ChoiceField(label=_("Stage"), choices=ImpactStage.choices)
    title = forms.CharField(label=_("Title"), max_length=250)
    description = forms.CharField(
        label=_("Description"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    position = forms.IntegerField(
        label=_("Position in its column"), min_value=0, max_value=1000, required=False
    )


class IndicatorForm(ServiceFormMixin, forms.Form):
    name = forms.CharField(label=_("Indicator"), max_length=250)
    unit = forms.CharField(
        label=_("Unit"),
        max_length=60,
        required=False,
        help_text=_("e.g. dialogues, organisations, participants, %. Needed with a target."),
    )
    baseline = forms.DecimalField(
        label=_("Baseline"), max_digits=14, decimal_places=2, required=False
    )
    target = forms.DecimalField(label=_("Target"), max_digits=14, decimal_places=2, required=False)
    target_date = forms.DateField(label=_("Target date"), widget=DateInput, required=False)
    accumulation = forms.ChoiceField(
        label=_("How the periods add up"),
        required=False,
        choices=[
            ("", _("Default: cumulative when computed, per period when entered by hand")),
            (Accumulation.CUMULATIVE, _("Cumulative: a running total since the baseline date")),
            (
                Accumulation.PER_PERIOD,
                _("Per period: each period's own figure (or a level such as staff or a share)"),
            ),
        ],
        help_text=_(
            "A target such as '20 citizen dialogues by 2027' is a total: choose cumulative. "
            "Progress of a per-period indicator is its latest complete quarter or latest entry."
        ),
    )
    baseline_date = forms.DateField(
        label=_("Baseline date"),
        widget=DateInput,
        required=False,
        help_text=_(
            "A cumulative indicator counts from this date; empty: from its first period. Entered "
            "values count when their period starts on or after it."
        ),
    )
    computation = forms.ChoiceField(
        label=_("Computed from the engagement records"),
        required=False,
        help_text=_(
            "A computed indicator updates itself from the hub's held engagement records, per "
            "quarter; otherwise its values are entered by hand."
        ),
    )
    parameter = forms.ChoiceField(
        label=_("Stakeholder group (for computations that need one)"), required=False
    )
    position = forms.IntegerField(label=_("Position"), min_value=0, max_value=1000, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        computation = self.fields["computation"]
        assert isinstance(computation, forms.ChoiceField)
        computation.choices = indicators.computation_choices()
        parameter = self.fields["parameter"]
        assert isinstance(parameter, forms.ChoiceField)
        parameter.choices = [
            ("", _("None")),
            *((t.code, t.display) for t in Term.objects.of(Term.Vocabulary.STAKEHOLDER_GROUPS)),
        ]

    def service_fields(self) -> dict:
        data = dict(self.cleaned_data)
        data["position"] = data.get("position") or 0
        return data


class ValueForm(ServiceFormMixin, forms.Form):
    period_start = forms.DateField(label=_("Period start"), widget=DateInput)
    period_end = forms.DateField(label=_("Period end"), widget=DateInput)
    actual = forms.DecimalField(label=_("Actual value"), max_digits=14, decimal_places=2)
    note = forms.CharField(label=_("Note"), max_length=300, required=False)
