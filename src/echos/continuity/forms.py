"""Input of the continuity pages; the rules are checked by the services (errors name fields)."""

from typing import Any, cast

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from echos.continuity import services
from echos.continuity.models import (
    CostLine,
    FundingStream,
    HubModel,
    NetworkModel,
    NetworkScenario,
    Period,
    Risk,
    Scenario,
)
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


def part_error(form: Any, exc: RuleViolation) -> None:
    """An error on a part of a field (``changes[0].stream``) goes on that field, named."""
    field = exc.field or ""
    base = field.split("[")[0].split(".")[0]
    if field not in form.fields and base in form.fields:
        form.add_error(base, f"{field}: {exc.message}")
    else:
        ServiceFormMixin.add_rule_violation(form, exc)


def _form_fields(service_fields: list[str]) -> list[str]:
    """The fields a service's row takes from the page (``is_demo`` is set by the demo loader)."""
    return [name for name in service_fields if name != "is_demo"]


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
        part_error(self, exc)

    def service_fields(self) -> dict:
        data = dict(self.cleaned_data)
        for name in ("start", "end"):
            if name in data:
                data[name] = data[name] or ""
        return data


class StreamForm(LineForm):
    model = FundingStream
    field_names = _form_fields(services.STREAM_FIELDS)

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
    field_names = _form_fields(services.COST_FIELDS)


class RiskForm(LineForm):
    model = Risk
    field_names = _form_fields(services.RISK_FIELDS)

    def __init__(self, *args: Any, hub: Hub, **kwargs: Any) -> None:
        super().__init__(*args, hub=hub, **kwargs)
        self.fields["review_date"].widget = DateInput()
        self.fields["owner"].help_text = _("A role, e.g. 'hub coordinator', rather than a person.")


QUICK_OPS = [
    ("", _("— none —")),
    ("remove_stream", _("Remove a funding stream")),
    ("remove_funder", _("Remove every stream of a funder")),
    ("delay_stream", _("Delay a stream (months)")),
    ("scale_cost", _("Scale a cost line (factor, e.g. 0.8)")),
    ("add_membership_fees", _("Add membership fees (amount, period, start)")),
    ("add_cost", _("Add a cost line (amount, period, start)")),
]


class ScenarioForm(LineForm):
    """A name, the changes as JSON, and one guided change added to them on each save."""

    model = Scenario
    field_names = ["name", "description"]
    changes = forms.JSONField(
        label=_("Changes"),
        required=False,
        help_text=_(
            'A list of changes, e.g. [{"op": "remove_stream", "stream": "12"}, {"op": '
            '"delay_stream", "stream": "13", "months": 6}, {"op": "scale_cost", "cost": "4", '
            '"factor": "0.8"}, {"op": "add_membership_fees", "line": {"id": "fees", "amount": '
            '"2000", "period": "year", "start": "2027-01"}}, {"op": "remove_funder", "funder": 7}]. '
            "Streams and costs are named by the numbers shown in the hub's tables. Or leave it and "
            "use the guided change below."
        ),
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    op = forms.ChoiceField(label=_("Add a change"), choices=QUICK_OPS, required=False)
    stream = forms.ChoiceField(label=_("Stream"), required=False)
    cost = forms.ChoiceField(label=_("Cost line"), required=False)
    funder = forms.ChoiceField(label=_("Funder"), required=False)
    months = forms.IntegerField(label=_("Months of delay"), required=False)
    factor = forms.DecimalField(label=_("Factor"), required=False, max_digits=8, decimal_places=2)
    amount = forms.DecimalField(label=_("Amount (EUR)"), required=False, max_digits=16)
    period = forms.ChoiceField(
        label=_("Period"), choices=[("", "—"), *Period.choices], required=False
    )
    start = forms.CharField(label=_("Start month"), required=False, widget=MonthInput)

    def __init__(self, *args: Any, hub: Hub, **kwargs: Any) -> None:
        super().__init__(*args, hub=hub, **kwargs)
        streams = list(hub.funding_streams.select_related("funder"))
        none = [("", "—")]
        self._choices("stream", none + [(str(s.pk), f"{s.pk}: {s.name}") for s in streams])
        self._choices(
            "cost", none + [(str(c.pk), f"{c.pk}: {c.name}") for c in hub.cost_lines.all()]
        )
        funders = {s.funder_id: s.funder.name for s in streams if s.funder}
        self._choices("funder", none + [(str(k), v) for k, v in funders.items()])

    def _choices(self, name: str, choices: list[tuple[str, str]]) -> None:
        cast(forms.ChoiceField, self.fields[name]).choices = choices

    def service_fields(self) -> dict:
        data = {k: self.cleaned_data.get(k) for k in ("name", "description")}
        changes = services.check_changes_list(self.cleaned_data.get("changes") or [])
        op = self.cleaned_data.get("op")
        if op:
            changes = [*changes, self._guided(op)]
        data["changes"] = changes
        return data

    def _guided(self, op: str) -> dict:
        get = self.cleaned_data.get
        if op in ("remove_stream", "delay_stream"):
            change: dict[str, Any] = {"op": op, "stream": get("stream") or ""}
            if op == "delay_stream":
                change["months"] = get("months")
            return change
        if op == "remove_funder":
            return {"op": op, "funder": get("funder") or ""}
        if op == "scale_cost":
            return {"op": op, "cost": get("cost") or "", "factor": str(get("factor"))}
        line = {
            "id": f"{op}-{get('start')}",
            "amount": str(get("amount")),
            "period": get("period") or "",
            "start": get("start") or "",
        }
        if op == "add_cost":
            line["category"] = "other"
        return {"op": op, "line": line}


class SettingsForm(ServiceFormMixin, forms.Form):
    """Starting month, horizon, balance, plan, mandate, successor and the canvas switch."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields = forms.fields_for_model(HubModel, fields=services.SETTINGS_FIELDS)
        for name, field in fields.items():
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


class NetworkScenarioForm(ServiceFormMixin, forms.ModelForm):
    """A named network scenario: the changes as JSON and the number of hubs that stop paying."""

    changes = forms.JSONField(
        label=_("Changes"),
        required=False,
        help_text=_(
            'A list of changes, e.g. [{"op": "remove_stream", "stream": "eu"}, {"op": '
            '"delay_stream", "stream": "eu", "months": 6}, {"op": "scale_stream", "stream": '
            '"hub:12", "factor": "0.5"}, {"op": "scale_cost", "cost": "secretariat", "factor": '
            '"1.2"}, {"op": "add_cost", "line": {"id": "audit", "category": "other", "amount": '
            '"20000", "period": "year"}}, {"op": "add_membership_fees", "line": {"id": "fees", '
            '"amount": "30000", "period": "year"}}]. The streams are "eu" and "hub:" followed by '
            'a hub\'s number; the cost lines are "secretariat" and "shared_services".'
        ),
        widget=forms.Textarea(attrs={"rows": 5}),
    )

    class Meta:
        model = NetworkScenario
        fields = ["name", "description", "changes", "stopping_hubs"]

    def add_rule_violation(self, exc: RuleViolation) -> None:
        part_error(self, exc)

    def service_fields(self) -> dict:
        data = {k: self.cleaned_data.get(k) for k in self.Meta.fields}
        data["changes"] = data["changes"] or []
        data["stopping_hubs"] = data["stopping_hubs"] or 0
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
