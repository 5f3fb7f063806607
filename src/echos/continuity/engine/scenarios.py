"""Scenarios: a baseline copied and changed, and the side-by-side comparison (issue #12 item 5).

A change names a stream or cost line by id; a change naming an id that is not (or no longer) in
the model raises ``ModelInvalid("changes[i].stream" | "changes[i].cost", ...)``. Changes apply in
order, so a later change sees the earlier ones (removing then scaling the same stream fails).
``parse_changes`` reads the JSON form ``[{"op": "remove_stream", "stream": "eu"}, ...]``.

Comparison columns: runway and cliff of the baseline projection, coverage at 24 months (None when
the horizon is shorter), and the cumulative gap = the sum over the months of how far the baseline
balance is below zero (a shortfall of 1,000 lasting three months counts 3,000).
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from decimal import ROUND_HALF_EVEN, Decimal

from django.utils.translation import gettext_lazy as _

from .errors import ModelInvalid
from .model import (
    CENT,
    MAX_AMOUNT,
    Cost,
    Model,
    Stream,
    parse_amount,
    parse_cost,
    parse_int,
    parse_stream,
)
from .montecarlo import DEFAULT_RUNS, simulate
from .projection import cumulative_gap, project

MAX_FACTOR = Decimal(100)
MAX_CHANGES = 100


@dataclass(frozen=True)
class RemoveStream:
    """Remove a funder's stream."""

    stream: str


@dataclass(frozen=True)
class DelayStream:
    """Move a stream's start and end ``months`` later (a grant that arrives late)."""

    stream: str
    months: int


@dataclass(frozen=True)
class ScaleStream:
    """Multiply a stream's amount by ``factor`` (0.5 = halved)."""

    stream: str
    factor: Decimal


@dataclass(frozen=True)
class SetStreamAmount:
    """Give a stream a new amount."""

    stream: str
    amount: Decimal


@dataclass(frozen=True)
class AddStream:
    """Add a stream (``membership_fees`` builds the one for membership fees)."""

    line: Stream


@dataclass(frozen=True)
class RemoveCost:
    """Remove a cost line."""

    cost: str


@dataclass(frozen=True)
class ScaleCost:
    """Multiply a cost line's amount by ``factor`` (0.8 = cut by a fifth)."""

    cost: str
    factor: Decimal


@dataclass(frozen=True)
class SetCostAmount:
    """Give a cost line a new amount."""

    cost: str
    amount: Decimal


@dataclass(frozen=True)
class AddCost:
    """Add a cost line."""

    line: Cost


Change = (
    RemoveStream
    | DelayStream
    | ScaleStream
    | SetStreamAmount
    | AddStream
    | RemoveCost
    | ScaleCost
    | SetCostAmount
    | AddCost
)


def membership_fees(
    id: str,
    amount: Decimal,
    period: str,
    start: int,
    end: int | None = None,
    probability: float = 1.0,
) -> AddStream:
    """The change that adds membership fees: a stream of type ``membership_fees``."""
    return AddStream(Stream(id, "membership_fees", amount, period, start, end, probability))


def _scaled(amount: Decimal, factor: Decimal, field: str) -> Decimal:
    if not 0 <= factor <= MAX_FACTOR:
        raise ModelInvalid(field, _("must be between 0 and %(max)s"), max=MAX_FACTOR)
    result = (amount * factor).quantize(CENT, rounding=ROUND_HALF_EVEN)
    if result > MAX_AMOUNT:
        raise ModelInvalid(field, _("makes the amount larger than %(max)s"), max=MAX_AMOUNT)
    return result


def _apply(model: Model, change: Change, where: str) -> Model:
    streams = {s.id: s for s in model.streams}
    costs = {c.id: c for c in model.costs}
    if isinstance(change, AddStream):
        if change.line.id in streams:
            raise ModelInvalid(f"{where}.stream", _("a stream with this id exists already"))
        return replace(model, streams=model.streams + (change.line,))
    if isinstance(change, AddCost):
        if change.line.id in costs:
            raise ModelInvalid(f"{where}.cost", _("a cost line with this id exists already"))
        return replace(model, costs=model.costs + (change.line,))
    if isinstance(change, RemoveStream | DelayStream | ScaleStream | SetStreamAmount):
        old = streams.get(change.stream)
        if old is None:
            raise ModelInvalid(
                f"{where}.stream", _("no stream %(id)r in the model"), id=change.stream
            )
        if isinstance(change, RemoveStream):
            new_streams = tuple(s for s in model.streams if s.id != change.stream)
            return replace(model, streams=new_streams)
        if isinstance(change, DelayStream):
            if not 1 <= change.months <= 120:
                raise ModelInvalid(f"{where}.months", _("must be between 1 and 120"))
            end = None if old.end is None else old.end + change.months
            new: Stream = replace(old, start=old.start + change.months, end=end)
        elif isinstance(change, ScaleStream):
            new = replace(old, amount=_scaled(old.amount, change.factor, f"{where}.factor"))
        else:
            new = replace(old, amount=change.amount)
        return replace(model, streams=tuple(new if s.id == old.id else s for s in model.streams))
    old_cost = costs.get(change.cost)
    if old_cost is None:
        raise ModelInvalid(f"{where}.cost", _("no cost line %(id)r in the model"), id=change.cost)
    if isinstance(change, RemoveCost):
        return replace(model, costs=tuple(c for c in model.costs if c.id != change.cost))
    if isinstance(change, ScaleCost):
        new_cost = replace(
            old_cost, amount=_scaled(old_cost.amount, change.factor, f"{where}.factor")
        )
    else:
        new_cost = replace(old_cost, amount=change.amount)
    return replace(model, costs=tuple(new_cost if c.id == old_cost.id else c for c in model.costs))


def apply_changes(model: Model, changes: Sequence[Change]) -> Model:
    """A copy of ``model`` with ``changes`` applied in order; the baseline is left untouched."""
    for i, change in enumerate(changes):
        model = _apply(model, change, f"changes[{i}]")
    return model


def _text(item: Mapping[str, object], key: str, where: str) -> str:
    value = item.get(key)
    if not isinstance(value, str) or not value:
        raise ModelInvalid(f"{where}.{key}", _("must be the id of a line of the model"))
    return value


def parse_changes(data: object, model: Model) -> list[Change]:
    """Changes from their JSON form; ``model`` gives the default start of added lines."""
    if not isinstance(data, list):
        raise ModelInvalid("changes", _("must be a list"))
    if len(data) > MAX_CHANGES:
        raise ModelInvalid("changes", _("must have at most %(max)s entries"), max=MAX_CHANGES)
    out: list[Change] = []
    for i, item in enumerate(data):
        where = f"changes[{i}]"
        if not isinstance(item, dict):
            raise ModelInvalid(where, _("must be an object"))
        op = item.get("op")
        if op == "remove_stream":
            out.append(RemoveStream(_text(item, "stream", where)))
        elif op == "delay_stream":
            months = parse_int(item.get("months"), f"{where}.months", 1, 120)
            out.append(DelayStream(_text(item, "stream", where), months))
        elif op == "scale_stream":
            factor = parse_amount(item.get("factor"), f"{where}.factor")
            out.append(ScaleStream(_text(item, "stream", where), factor))
        elif op == "set_stream_amount":
            amount = parse_amount(item.get("amount"), f"{where}.amount")
            out.append(SetStreamAmount(_text(item, "stream", where), amount))
        elif op in ("add_stream", "add_membership_fees"):
            body = item.get("line")
            if not isinstance(body, dict):
                raise ModelInvalid(f"{where}.line", _("must be an object"))
            if op == "add_membership_fees":
                body = {**body, "type": "membership_fees"}
            out.append(AddStream(parse_stream(body, f"{where}.line", model.start)))
        elif op == "remove_cost":
            out.append(RemoveCost(_text(item, "cost", where)))
        elif op == "scale_cost":
            factor = parse_amount(item.get("factor"), f"{where}.factor")
            out.append(ScaleCost(_text(item, "cost", where), factor))
        elif op == "set_cost_amount":
            amount = parse_amount(item.get("amount"), f"{where}.amount")
            out.append(SetCostAmount(_text(item, "cost", where), amount))
        elif op == "add_cost":
            body = item.get("line")
            if not isinstance(body, dict):
                raise ModelInvalid(f"{where}.line", _("must be an object"))
            out.append(AddCost(parse_cost(body, f"{where}.line", model.start)))
        else:
            raise ModelInvalid(f"{where}.op", _("is not a known change"))
    return out


@dataclass(frozen=True)
class ComparisonRow:
    """One scenario's figures in the side-by-side table."""

    name: str
    runway_months: int
    cliff: int | None
    coverage_24: float | None
    cumulative_gap: Decimal


def compare(
    named_models: Sequence[tuple[str, Model]],
    runs: int = DEFAULT_RUNS,
    seed: int | None = None,
) -> list[ComparisonRow]:
    """Runway, cliff, coverage at 24 months and cumulative gap of each named model, in order.

    Each model is simulated with the same seed, so differences come from the changes, not the draws.
    """
    rows = []
    for name, model in named_models:
        baseline = project(model)
        coverage = simulate(model, runs=runs, seed=seed, importance=False).coverage.get(24)
        rows.append(
            ComparisonRow(
                name, baseline.runway_months, baseline.cliff, coverage, cumulative_gap(baseline)
            )
        )
    return rows
