"""The network's side: the EUR rate table and the network operations model (network coordinators).

The network model is built with the engine's ``network_model``: the secretariat's costs and shared
services as yearly cost lines, EU funding as a stream until it ends, and one yearly contribution
per national hub shared by the chosen formula (flat, by population of the hub's country, or by the
hub's own expected yearly income). "What if N hubs stop contributing" removes the N largest
contributions (``without_hubs``); the Monte Carlo makes every contribution uncertain with the
stored probability that a hub pays.
"""

from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from echos.continuity import analysis
from echos.continuity import permissions as perms
from echos.continuity.engine.errors import ModelInvalid
from echos.continuity.engine.model import CURRENCIES, Cost, Model, Stream
from echos.continuity.engine.months import parse_month
from echos.continuity.engine.network import HubInput, network_model, without_hubs
from echos.continuity.engine.scenarios import apply_changes, parse_changes
from echos.continuity.models import EurRate, Formula, NetworkModel, NetworkScenario
from echos.continuity.services import check_amount, check_month
from echos.core.audit import log_action, snapshot
from echos.core.exceptions import RuleViolation, guard
from echos.core.models import Country
from echos.core.synthetic import POPULATION_MILLIONS
from echos.hubs.models import Hub

NETWORK_FIELDS = [
    "start",
    "months",
    "balance",
    "secretariat_costs",
    "shared_services",
    "eu_funding",
    "eu_funding_end",
    "eu_probability",
    "formula",
    "contribution_total",
    "contribution_probability",
    "stopping_hubs",
]


def current() -> NetworkModel:
    """The one network model row, made on first use."""
    row = NetworkModel.objects.order_by("pk").first()
    return row if row is not None else NetworkModel.objects.create()


def _probability(value: Any, field: str) -> Decimal:
    p = check_amount(value, field) if not isinstance(value, Decimal) else value
    if not 0 <= p <= 1:
        raise RuleViolation(_("The probability must be between 0 and 1."), field)
    return p


@transaction.atomic
def save_network_model(*, actor, **fields: Any) -> NetworkModel:
    """Change the network operations model; every field is checked, the change audited."""
    guard(perms.can_edit_network(actor), actor)
    row = current()
    before = snapshot(row, NETWORK_FIELDS)
    for name, value in fields.items():
        if name not in NETWORK_FIELDS:
            raise RuleViolation(_("Unknown field."), name)
        setattr(row, name, value)
    row.start = check_month(row.start, "start")
    row.eu_funding_end = check_month(row.eu_funding_end, "eu_funding_end", blank=True)
    if not 1 <= int(row.months) <= 120:
        raise RuleViolation(_("Enter a whole number between 1 and 120."), "months")
    row.balance = check_amount(row.balance, "balance", negative=True)
    for name in ("secretariat_costs", "shared_services", "eu_funding", "contribution_total"):
        setattr(row, name, check_amount(getattr(row, name), name))
    row.eu_probability = _probability(row.eu_probability, "eu_probability")
    row.contribution_probability = _probability(
        row.contribution_probability, "contribution_probability"
    )
    if row.formula not in Formula.values:
        raise RuleViolation(_("Choose flat, population or income."), "formula")
    row.save()
    log_action(
        actor=actor,
        action="continuity.network_model.updated",
        target=None,
        data={"before": before, "after": snapshot(row, NETWORK_FIELDS)},
    )
    return row


@transaction.atomic
def save_rate(*, actor, currency: str, units_per_eur: Any) -> EurRate:
    """Add or change the rate of a currency (units per euro, ECB convention)."""

    guard(perms.can_edit_network(actor), actor)
    code = str(currency or "").strip().upper()
    if code not in CURRENCIES or code == "EUR":
        raise RuleViolation(
            _("%(code)s is not an ISO 4217 currency code other than EUR.") % {"code": currency},
            "currency",
        )
    try:
        rate = Decimal(str(units_per_eur))
    except ArithmeticError:
        raise RuleViolation(_("Enter a positive rate."), "units_per_eur") from None
    if not rate.is_finite() or rate <= 0 or rate > Decimal("10000000"):
        raise RuleViolation(_("Enter a positive rate."), "units_per_eur")
    previous = EurRate.objects.filter(currency=code).first()
    row, _created = EurRate.objects.update_or_create(
        currency=code, defaults={"units_per_eur": rate}
    )
    log_action(
        actor=actor,
        action="continuity.rate.saved",
        target=None,
        data={
            "currency": code,
            "units_per_eur": str(rate),
            "before": None if previous is None else str(previous.units_per_eur),
        },
    )
    return row


@transaction.atomic
def delete_rate(*, actor, currency: str) -> None:
    """Remove the rate of a currency (amounts in it are then refused until it is added again)."""
    guard(perms.can_edit_network(actor), actor)
    row = EurRate.objects.filter(currency=str(currency or "").strip().upper()).first()
    if row is None:
        raise RuleViolation(_("There is no rate for this currency."), "currency")
    before = str(row.units_per_eur)
    row.delete()
    log_action(
        actor=actor,
        action="continuity.rate.deleted",
        target=None,
        data={"currency": row.currency, "before": before},
    )


def hub_inputs(month: int) -> list[HubInput]:
    """National hubs as the contribution formula sees them (population, expected yearly income)."""
    incomes = {r.hub_id: r.income * 12 / Decimal(max(1, 60)) for r in analysis.network_rows(month)}
    out = []
    for pk, country in Hub.objects.national().values_list("pk", "country_id"):
        millions = POPULATION_MILLIONS.get(country, 1.0)
        out.append(HubInput(str(pk), int(millions * 1_000_000), incomes.get(pk, Decimal("0"))))
    return out


def build(row: NetworkModel, month: int) -> Model:
    """The engine's network model of the stored row."""
    try:
        start = parse_month(row.start, "start")
        end = parse_month(row.eu_funding_end, "eu_funding_end") if row.eu_funding_end else None
        costs = [Cost("secretariat", "staff", row.secretariat_costs, "year", start, None)]
        shared = [Cost("shared_services", "operations", row.shared_services, "year", start, None)]
        eu = [
            Stream("eu", "eu_grant", row.eu_funding, "year", start, end, float(row.eu_probability))
        ]
        return network_model(
            start=start,
            months=row.months,
            balance=row.balance,
            currency="EUR",
            secretariat_costs=costs,
            shared_services=shared,
            eu_funding=eu,
            hubs=hub_inputs(month),
            formula=row.formula,
            total_contribution=row.contribution_total,
            contribution_probability=float(row.contribution_probability),
        )
    except ModelInvalid as exc:
        raise RuleViolation(exc.message, exc.field) from None


def what_if(model: Model, stopping: int) -> Model:
    """The network model without the ``stopping`` largest contributions."""
    try:
        return without_hubs(model, stopping)
    except ModelInvalid as exc:
        raise RuleViolation(exc.message, "stopping_hubs") from None


def contributing_hubs(model: Model) -> int:
    """How many hubs contribute to the network model (its ``hub:<id>`` streams)."""
    return sum(1 for s in model.streams if s.id.startswith("hub:"))


def countries() -> dict[str, str]:
    """Country names by code, for the network tables."""
    return dict(Country.objects.values_list("code", "name"))


def this_month() -> int:
    """The current month's index (the network model's contribution shares are computed for it)."""
    today = timezone.localdate()
    return today.year * 12 + today.month - 1


SCENARIO_FIELDS = ["name", "description", "changes", "stopping_hubs"]
MAX_STOPPING = 1000


def scenario_model(model: Model, changes: Any, stopping_hubs: int) -> Model:
    """The network model with a scenario's changes, then without its N largest contributions.

    Streams are named ``eu`` and ``hub:<id>``, cost lines ``secretariat`` and ``shared_services``;
    a change naming another line is refused naming the change.
    """
    try:
        changed = apply_changes(model, parse_changes(changes, model))
    except ModelInvalid as exc:
        raise RuleViolation(exc.message, exc.field) from None
    return what_if(changed, stopping_hubs) if stopping_hubs else changed


def _check_scenario(row: NetworkScenario, month: int) -> None:
    row.name = str(row.name or "").strip()
    if not row.name:
        raise RuleViolation(_("Give the scenario a name."), "name")
    if len(row.name) > 200:
        raise RuleViolation(_("The name is at most 200 characters long."), "name")
    row.description = str(row.description or "")
    if row.changes is None:
        row.changes = []
    stopping = row.stopping_hubs
    if isinstance(stopping, bool) or not isinstance(stopping, int):
        raise RuleViolation(_("Enter a whole number of hubs."), "stopping_hubs")
    if not 0 <= stopping <= MAX_STOPPING:
        raise RuleViolation(_("Enter a whole number of hubs."), "stopping_hubs")
    if not row.changes and not stopping:
        raise RuleViolation(
            _("A scenario changes something: add a change or a number of hubs that stop."),
            "changes",
        )
    scenario_model(build(current(), month), row.changes, stopping)


@transaction.atomic
def save_network_scenario(
    *, actor, month: int, obj: NetworkScenario | None = None, **fields: Any
) -> NetworkScenario:
    """Create (no ``obj``) or change a network scenario; it must apply to the current model."""
    guard(perms.can_edit_network(actor), actor)
    row = obj if obj is not None else NetworkScenario()
    # Read back from the table: a ModelForm may already have changed ``obj`` in memory.
    stored = None if obj is None else NetworkScenario.objects.filter(pk=obj.pk).first()
    before = None if stored is None else snapshot(stored, SCENARIO_FIELDS)
    for name, value in fields.items():
        if name not in SCENARIO_FIELDS:
            raise RuleViolation(_("Unknown field."), name)
        setattr(row, name, value)
    _check_scenario(row, month)
    row.save()
    log_action(
        actor=actor,
        action="continuity.network_scenario." + ("created" if obj is None else "updated"),
        target=None,
        data={"id": row.pk, "before": before, "after": snapshot(row, SCENARIO_FIELDS)},
    )
    return row


@transaction.atomic
def delete_network_scenario(*, actor, obj: NetworkScenario) -> None:
    """Delete a network scenario (the audit entry keeps it for a revert)."""
    guard(perms.can_edit_network(actor), actor)
    before = snapshot(obj, SCENARIO_FIELDS)
    pk = obj.pk
    obj.delete()
    log_action(
        actor=actor,
        action="continuity.network_scenario.deleted",
        target=None,
        data={"id": pk, "before": before},
    )


def named_models(row: NetworkModel, month: int) -> tuple[list[tuple[str, Model]], list]:
    """The network model, its "N hubs stop" what-if and every stored network scenario, named for
    ``compute.comparison``; a scenario that no longer applies is returned with its error."""
    model = build(row, month)
    named = [(str(_("Network model")), model)]
    if row.stopping_hubs:
        label = _("Without the %(n)s largest contributions") % {"n": row.stopping_hubs}
        named.append((str(label), what_if(model, row.stopping_hubs)))
    errors = []
    for scenario in NetworkScenario.objects.all():
        try:
            named.append(
                (scenario.name, scenario_model(model, scenario.changes, scenario.stopping_hubs))
            )
        except RuleViolation as exc:
            errors.append((scenario.name, exc))
    return named, errors
