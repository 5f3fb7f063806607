"""Input of the continuity pages; the rules are checked by the services (errors name fields)."""

from typing import Any, cast

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from echos.continuity.models import CostLine, FundingStream, HubModel, NetworkModel, Risk, Scenario
from echos.core.exceptions import RuleViolation
from echos.core.forms import DateInput, ServiceFormMixin
from echos.core.models import Term
from echos.hubs.models import Hub, Membership, Organisation

MONTH_HELP = _("A month written YYYY-MM, e.g. 2027-01.")


class MonthInput(forms.TextInput):
    input_type = "month"


def _months(form: forms.BaseForm, *names: str) -> None:
    for name in names:
        if name in form.fields:
            form.fields[name].widget = MonthInput()
            form.fields[name].help_text = MONTH_HELP


class LineForm(ServiceFormMixin, forms.Form):
    """Base of the stream, cost, risk and scenario forms: fields from the model, checks in services."""

    model: Any = None
    field_names: list[str] = []

    def __init__(self, *args: Any, hub: Hub, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.hub = hub
        for name, field in forms.fields_for_model(self.model, fields=self.field_names).items():
            # Model validators would refuse a negative amount with Django's generic text; the
            # service names the rule instead, so the form only parses.
            field.validators = []
            if hasattr(field, "min_value"):
                field.min_value = None
            self.fields[name] = field
        _months(self, "start", "end")

    def add_rule_violation(self, exc: RuleViolation) -> None:
        """An error on a part of a field (``changes[0].stream``) goes on that field, named."""
        field = exc.field or ""
        base = field.split("[")[0].split(".")[0]
        if field not in self.fields and base in self.fields:
            self.add_error(base, f"{field}: {exc.message}")
        else:
            super().add_rule_violation(exc)

    def service_fields(self) -> dict:
        data = dict(self.cleaned_data)
        for name in ("start", "end"):
            if name in data:
                data[name] = data[name] or ""
        return data


class StreamForm(LineForm):
    model = FundingStream
    field_names = [
        "name",
        "source_type",
        "funder",
        "amount",
        "currency",
        "period",
        "start",
        "end",
        "probability",
        "slip_months",
        "restrictions",
    ]

    def __init__(self, *args: Any, hub: Hub, **kwargs: Any) -> None:
        super().__init__(*args, hub=hub, **kwargs)
        members = Membership.objects.filter(hub=hub).values("organisation_id")
        funder = cast(forms.ModelChoiceField, self.fields["funder"])
        funder.queryset = Organisation.objects.filter(
            Q(pk__in=members) | Q(country_id=hub.country_id)
        ).order_by("name")
        self.fields["probability"].help_text = _("Between 0 and 1; 1 means committed.")

    def service_fields(self) -> dict:
        data = super().service_fields()
        data["slip_months"] = data.get("slip_months") or 0
        return data


class CostForm(LineForm):
    model = CostLine
    field_names = [
        "name",
        "category",
        "role",
        "fte",
        "amount",
        "currency",
        "period",
        "start",
        "end",
    ]


class RiskForm(LineForm):
    model = Risk
    field_names = [
        "title",
        "category",
        "likelihood",
        "impact",
        "owner",
        "mitigation",
        "status",
        "review_date",
    ]

    def __init__(self, *args: Any, hub: Hub, **kwargs: Any) -> None:
        super().__init__(*args, hub=hub, **kwargs)
        self.fields["review_date"].widget = DateInput()
        self.fields["owner"].help_text = _("A role, e.g. 'hub coordinator', rather than a person.")


class ScenarioForm(LineForm):
    model = Scenario
    field_names = ["name", "description"]
    changes = forms.JSONField(
        label=_("Changes"),
        help_text=_(
            'A list of changes, e.g. [{"op": "remove_stream", "stream": "12"}, {"op": '
            '"delay_stream", "stream": "13", "months": 6}, {"op": "scale_cost", "cost": "4", '
            '"factor": "0.8"}, {"op": "add_membership_fees", "line": {"id": "fees", "amount": '
            '"2000", "period": "year", "start": "2027-01"}}, {"op": "remove_funder", "funder": 7}]. '
            "Streams and costs are named by the numbers shown in the hub's tables."
        ),
        widget=forms.Textarea(attrs={"rows": 5}),
    )


class SettingsForm(ServiceFormMixin, forms.Form):
    """Starting month, horizon, balance, plan, mandate, successor and the canvas switch."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        names = [
            "start",
            "months",
            "balance",
            "currency",
            "continuity_plan",
            "mandate",
            "mandate_link",
            "successor",
            "canvas_published",
        ]
        for name, field in forms.fields_for_model(HubModel, fields=names).items():
            field.validators = []
            if hasattr(field, "min_value"):
                field.min_value = None
                field.max_value = None
            self.fields[name] = field
        self.fields["months"].help_text = _("From 1 to 120 months.")
        _months(self, "start")


class CanvasForm(ServiceFormMixin, forms.Form):
    value_proposition = forms.CharField(
        label=_("Value proposition"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    stakeholder_segments = forms.MultipleChoiceField(
        label=_("Stakeholder segments"), widget=forms.CheckboxSelectMultiple, required=False
    )
    relationships = forms.CharField(
        label=_("Stakeholder relationships"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )
    channels = forms.CharField(
        label=_("Channels"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    key_partners = forms.MultipleChoiceField(
        label=_("Key partners"),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("Member organisations of the hub."),
    )
    key_activities = forms.CharField(
        label=_("Key activities"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    key_resources = forms.CharField(
        label=_("Key resources"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    cost_structure = forms.CharField(
        label=_("Cost structure"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    revenue_streams = forms.CharField(
        label=_("Revenue streams"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )

    def __init__(self, *args: Any, hub: Hub, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        segments = cast(forms.MultipleChoiceField, self.fields["stakeholder_segments"])
        segments.choices = [
            (t.code, t.display) for t in Term.objects.of(Term.Vocabulary.STAKEHOLDER_GROUPS)
        ]
        partners = cast(forms.MultipleChoiceField, self.fields["key_partners"])
        members = Membership.objects.current().filter(hub=hub).select_related("organisation")
        partners.choices = [(str(m.organisation_id), m.organisation.name) for m in members]

    def service_fields(self) -> dict:
        data = dict(self.cleaned_data)
        data["key_partners"] = [int(pk) for pk in data.get("key_partners") or []]
        return data


class NetworkModelForm(ServiceFormMixin, forms.ModelForm):
    class Meta:
        model = NetworkModel
        exclude: list[str] = []

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _months(self, "start", "eu_funding_end")


class RateForm(ServiceFormMixin, forms.Form):
    currency = forms.CharField(label=_("Currency (ISO 4217)"), max_length=3)
    units_per_eur = forms.DecimalField(
        label=_("Units per euro"),
        max_digits=18,
        decimal_places=8,
        help_text=_(
            "How many units of the currency one euro buys (ECB convention), e.g. 11.5 for NOK."
        ),
    )
