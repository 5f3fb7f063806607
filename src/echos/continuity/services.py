"""Writes of a hub's operations model: settings, funding streams, cost lines, canvas versions,
scenarios and risks. Guard, one transaction, audit, ``RuleViolation(field)`` on bad input.

Every rule is checked before the row is written, so a refused change leaves the stored row as it
was. Each audit entry keeps the row's values before (``before``) and after (``after``) the change:
``continuity.revert`` restores them through these same services.
"""

from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import models, transaction
from django.utils.translation import gettext as _

from echos.continuity import compute
from echos.continuity import permissions as perms
from echos.continuity.engine.errors import ModelInvalid
from echos.continuity.engine.model import CURRENCIES, MAX_AMOUNT, MAX_MONTHS, MAX_SLIP
from echos.continuity.engine.months import parse_month
from echos.continuity.models import (
    CanvasVersion,
    CostCategory,
    CostLine,
    EurRate,
    FundingStream,
    HubModel,
    Period,
    Risk,
    RiskCategory,
    RiskStatus,
    Scenario,
    SourceType,
)
from echos.core.audit import log_action, snapshot
from echos.core.exceptions import RuleViolation, guard
from echos.core.models import Term
from echos.core.rules import check_web_address
from echos.hubs.models import Hub, Membership, Organisation

MAX_TEXT = 20_000
STREAM_FIELDS = [
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
    "is_demo",
]
COST_FIELDS = [
    "name",
    "category",
    "role",
    "fte",
    "amount",
    "currency",
    "period",
    "start",
    "end",
    "is_demo",
]
RISK_FIELDS = [
    "title",
    "category",
    "likelihood",
    "impact",
    "owner",
    "mitigation",
    "status",
    "review_date",
    "is_demo",
]
SCENARIO_FIELDS = ["name", "description", "changes", "is_demo"]
SETTINGS_FIELDS = [
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
CANVAS_TEXT = [
    "value_proposition",
    "relationships",
    "channels",
    "key_activities",
    "key_resources",
    "cost_structure",
    "revenue_streams",
]


def check_month(value: Any, field: str, *, blank: bool = False) -> str:
    """A ``YYYY-MM`` month, or "" when ``blank`` allows it."""
    if blank and (value is None or value == ""):
        return ""
    try:
        parse_month(value, field)
    except ModelInvalid:
        raise RuleViolation(_("Write the month as YYYY-MM, e.g. 2027-01."), field) from None
    return str(value)


def check_amount(value: Any, field: str, *, negative: bool = False) -> Decimal:
    """An exact amount with at most two decimals; negative only when allowed."""
    try:
        amount = value if isinstance(value, Decimal) else Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        raise RuleViolation(_("Enter an amount, e.g. 12500.00."), field) from None
    if not amount.is_finite() or abs(amount) > MAX_AMOUNT:
        raise RuleViolation(_("The amount is too large."), field)
    if amount < 0 and not negative:
        raise RuleViolation(_("The amount cannot be negative."), field)
    if amount != amount.quantize(Decimal("0.01")):
        raise RuleViolation(_("Use at most two decimal places."), field)
    return amount.quantize(Decimal("0.01"))


def check_currency(value: Any, field: str = "currency") -> str:
    """An ISO 4217 code for which the network's table has a EUR rate (EUR needs none)."""
    code = str(value or "").strip().upper()
    if code not in CURRENCIES:
        raise RuleViolation(
            _("%(code)s is not an ISO 4217 currency code.") % {"code": value}, field
        )
    if code != "EUR" and not EurRate.objects.filter(currency=code).exists():
        raise RuleViolation(
            _("There is no EUR rate for %(code)s: a network coordinator adds it to the rate table.")
            % {"code": code},
            field,
        )
    return code


def _choice(value: Any, choices: type[models.TextChoices], field: str) -> str:
    if value not in choices.values:
        raise RuleViolation(
            _("Choose one of: %(values)s.") % {"values": ", ".join(choices.values)}, field
        )
    return str(value)


def _text(value: Any, field: str, limit: int = MAX_TEXT, *, required: bool = False) -> str:
    text = str(value or "").strip()
    if required and not text:
        raise RuleViolation(_("This field is required."), field)
    if len(text) > limit:
        raise RuleViolation(_("Keep this under %(n)s characters.") % {"n": f"{limit:,}"}, field)
    return text


def _span(start: Any, end: Any) -> tuple[str, str]:
    start = check_month(start, "start")
    end = check_month(end, "end", blank=True)
    if end and parse_month(end, "end") < parse_month(start, "start"):
        raise RuleViolation(_("The end month cannot be before the start month."), "end")
    return start, end


def _int(value: Any, field: str, low: int, high: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        try:
            value = int(str(value))
        except ValueError:
            raise RuleViolation(_("Enter a whole number."), field) from None
    if not low <= value <= high:
        raise RuleViolation(
            _("Enter a whole number between %(low)s and %(high)s.") % {"low": low, "high": high},
            field,
        )
    return value


def _probability(value: Any) -> Decimal:
    try:
        p = Decimal(str(value))
    except (InvalidOperation, ValueError):
        raise RuleViolation(_("Enter a probability between 0 and 1."), "probability") from None
    if not p.is_finite() or not 0 <= p <= 1:
        raise RuleViolation(_("The probability must be between 0 and 1."), "probability")
    return p.quantize(Decimal("0.001"))


def _funder(value: Any) -> Organisation | None:
    if value in (None, ""):
        return None
    if isinstance(value, Organisation):
        return value
    pk = _int(value, "funder", 1, 2**63 - 1)
    found = Organisation.objects.filter(pk=pk).first()
    if found is None:
        raise RuleViolation(_("No organisation with this id."), "funder")
    return found


def validate_stream(stream: FundingStream) -> None:
    """Rules on a stream's own fields (normalises them in place)."""
    stream.name = _text(stream.name, "name", 200, required=True)
    stream.source_type = _choice(stream.source_type, SourceType, "source_type")
    stream.amount = check_amount(stream.amount, "amount")
    stream.currency = check_currency(stream.currency)
    stream.period = _choice(stream.period, Period, "period")
    stream.start, stream.end = _span(stream.start, stream.end)
    stream.probability = _probability(stream.probability)
    stream.slip_months = _int(stream.slip_months or 0, "slip_months", 0, MAX_SLIP)
    stream.restrictions = _text(stream.restrictions, "restrictions")


def validate_cost(cost: CostLine) -> None:
    """Rules on a cost line's own fields: FTE and role only mean something for staff."""
    cost.name = _text(cost.name, "name", 200, required=True)
    cost.category = _choice(cost.category, CostCategory, "category")
    cost.role = _text(cost.role, "role", 200)
    if cost.fte is not None and cost.fte != "":
        fte = check_amount(cost.fte, "fte")
        if fte > 100:
            raise RuleViolation(_("An FTE above 100 is not plausible."), "fte")
        cost.fte = fte
    else:
        cost.fte = None
    cost.amount = check_amount(cost.amount, "amount")
    cost.currency = check_currency(cost.currency)
    cost.period = _choice(cost.period, Period, "period")
    cost.start, cost.end = _span(cost.start, cost.end)


def validate_risk(risk: Risk) -> None:
    """Rules on a risk's fields."""
    risk.title = _text(risk.title, "title", 250, required=True)
    risk.category = _choice(risk.category, RiskCategory, "category")
    risk.likelihood = _int(risk.likelihood, "likelihood", 1, 5)
    risk.impact = _int(risk.impact, "impact", 1, 5)
    risk.owner = _text(risk.owner, "owner", 200)
    risk.mitigation = _text(risk.mitigation, "mitigation")
    risk.status = _choice(risk.status, RiskStatus, "status")
    if risk.review_date is not None and not isinstance(risk.review_date, date):
        raise RuleViolation(_("Enter a date."), "review_date")


def check_changes_list(changes: Any) -> list:
    """A scenario's changes are a list of at most 50 entries."""
    if not isinstance(changes, list) or len(changes) > 50:
        raise RuleViolation(_("The changes are a list of at most 50 entries."), "changes")
    return changes


def validate_changes(hub: Hub, changes: Any) -> list[dict]:
    """A scenario's changes in the engine's JSON form (``{"op": "remove_stream", ...}``), plus
    ``{"op": "remove_funder", "funder": id}`` kept as it is; each must apply to the hub's current
    baseline, so a change naming a deleted stream is refused naming the change."""

    check_changes_list(changes)
    for i, change in enumerate(changes):
        if isinstance(change, dict) and change.get("op") == "remove_funder":
            if _funder(change.get("funder")) is None:
                raise RuleViolation(_("Name the funder."), f"changes[{i}].funder")
    compute.scenario_model(hub, compute.hub_model(hub), changes)
    return changes


def model_of(hub: Hub) -> HubModel:
    """The hub's settings row, made on first use."""
    found, _created = HubModel.objects.get_or_create(hub=hub)
    return found


KINDS: dict[str, tuple[type[models.Model], list[str], Any]] = {
    "stream": (FundingStream, STREAM_FIELDS, validate_stream),
    "cost": (CostLine, COST_FIELDS, validate_cost),
    "risk": (Risk, RISK_FIELDS, validate_risk),
    "scenario": (Scenario, SCENARIO_FIELDS, None),
}


@transaction.atomic
def save_line(*, actor, kind: str, hub: Hub | None = None, obj: Any = None, **fields: Any) -> Any:
    """Create (``hub``) or change (``obj``) a stream, cost line, risk or scenario of a hub."""
    model, allowed, validate = KINDS[kind]
    hub = obj.hub if obj is not None else hub
    assert hub is not None
    guard(perms.can_edit_model(actor, hub), actor)
    unknown = set(fields) - set(allowed)
    if unknown:
        raise RuleViolation(_("Unknown field."), sorted(unknown)[0])
    before = snapshot(obj, allowed) if obj is not None else None
    row: Any = obj if obj is not None else model(hub=hub)
    if "funder" in fields:
        fields["funder"] = _funder(fields["funder"])
    if kind == "scenario":
        fields["name"] = _text(fields.get("name", row.name), "name", 200, required=True)
        if "description" in fields:
            fields["description"] = _text(fields["description"], "description")
        fields["changes"] = validate_changes(hub, fields.get("changes", row.changes))
    for name, value in fields.items():
        setattr(row, name, value)
    if validate is not None:
        validate(row)
    row.save()
    log_action(
        actor=actor,
        action=f"continuity.{kind}.{'updated' if before else 'created'}",
        target=hub,
        data={"kind": kind, "id": row.pk, "before": before, "after": snapshot(row, allowed)},
    )
    return row


@transaction.atomic
def delete_line(*, actor, kind: str, obj: Any) -> None:
    """Delete a stream, cost line, risk or scenario; the audit entry keeps its values."""
    _model, allowed, _validate = KINDS[kind]
    guard(perms.can_edit_model(actor, obj.hub), actor)
    data = {"kind": kind, "id": obj.pk, "before": snapshot(obj, allowed)}
    obj.delete()
    log_action(actor=actor, action=f"continuity.{kind}.deleted", target=obj.hub, data=data)


@transaction.atomic
def save_settings(*, actor, hub: Hub, **fields: Any) -> HubModel:
    """Starting month, horizon, balance, plan, mandate, successor and the canvas switch."""
    guard(perms.can_edit_model(actor, hub), actor)
    unknown = set(fields) - set(SETTINGS_FIELDS)
    if unknown:
        raise RuleViolation(_("Unknown field."), sorted(unknown)[0])
    row = model_of(hub)
    before = snapshot(row, SETTINGS_FIELDS)
    for name, value in fields.items():
        setattr(row, name, value)
    row.start = check_month(row.start, "start")
    row.months = _int(row.months, "months", 1, MAX_MONTHS)
    row.balance = check_amount(row.balance, "balance", negative=True)
    row.currency = check_currency(row.currency)
    row.continuity_plan = _text(row.continuity_plan, "continuity_plan")
    row.mandate = _text(row.mandate, "mandate")
    row.mandate_link = str(row.mandate_link or "").strip()
    check_web_address(row.mandate_link, "mandate_link")
    row.successor = _text(row.successor, "successor", 200)
    row.canvas_published = bool(row.canvas_published)
    row.save()
    log_action(
        actor=actor,
        action="continuity.settings.updated",
        target=hub,
        data={
            "kind": "settings",
            "id": row.pk,
            "before": before,
            "after": snapshot(row, SETTINGS_FIELDS),
        },
    )
    return row


def current_canvas(hub: Hub) -> CanvasVersion | None:
    """The newest canvas version of the hub."""
    return hub.canvas_versions.order_by("-number").first()


@transaction.atomic
def save_canvas(
    *,
    actor,
    hub: Hub,
    stakeholder_segments: list[str] | None = None,
    key_partners: list[int] | None = None,
    is_demo: bool = False,
    **texts: Any,
) -> CanvasVersion:
    """Save the canvas as a new dated version; earlier versions stay readable."""
    guard(perms.can_edit_model(actor, hub), actor)
    unknown = set(texts) - set(CANVAS_TEXT)
    if unknown:
        raise RuleViolation(_("Unknown field."), sorted(unknown)[0])
    codes = [str(c) for c in stakeholder_segments or []]
    terms = list(Term.objects.of(Term.Vocabulary.STAKEHOLDER_GROUPS).filter(code__in=codes))
    missing = sorted(set(codes) - {t.code for t in terms})
    if missing:
        raise RuleViolation(
            _("Unknown stakeholder group: %(codes)s.") % {"codes": ", ".join(missing)},
            "stakeholder_segments",
        )
    ids = [_int(pk, "key_partners", 1, 2**63 - 1) for pk in key_partners or []]
    members = set(
        Membership.objects.current().filter(hub=hub).values_list("organisation_id", flat=True)
    )
    outsiders = sorted(set(ids) - members)
    if outsiders:
        raise RuleViolation(
            _("Key partners are member organisations of the hub; %(ids)s is not.")
            % {"ids": ", ".join(map(str, outsiders))},
            "key_partners",
        )
    values = {name: _text(texts.get(name, ""), name) for name in CANVAS_TEXT}
    previous = current_canvas(hub)
    version = CanvasVersion.objects.create(
        hub=hub,
        number=(previous.number + 1) if previous else 1,
        created_by=actor if actor is not None and actor.is_authenticated else None,
        is_demo=is_demo,
        **values,
    )
    version.stakeholder_segments.set(terms)
    version.key_partners.set(ids)
    log_action(
        actor=actor,
        action="continuity.canvas.saved",
        target=hub,
        data={"kind": "canvas", "id": version.pk, "number": version.number},
    )
    return version
