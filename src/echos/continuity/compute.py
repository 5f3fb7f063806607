"""From stored rows to the engine's ``Model``, and the engine's answers cached by content.

Amounts are converted to EUR with the network's rate table (``engine.convert``); a stream or cost
whose currency has no rate is refused naming the line and the currency. Monte Carlo results are
cached under a hash of the model's content, so an unchanged model is never simulated twice.
"""

import hashlib
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.core.cache import cache
from django.utils.translation import gettext as _

from echos.continuity.engine.errors import ModelInvalid
from echos.continuity.engine.model import Cost, Model, Stream
from echos.continuity.engine.montecarlo import Simulation, simulate
from echos.continuity.engine.months import format_month, parse_month
from echos.continuity.engine.projection import Projection, cumulative_gap, project
from echos.continuity.engine.report import convert
from echos.continuity.engine.scenarios import apply_changes, parse_changes
from echos.continuity.models import CostLine, EurRate, FundingStream, HubModel
from echos.core.exceptions import RuleViolation
from echos.hubs.models import Hub

PAGE_RUNS = 10_000
PAGE_SEED = 1
CACHE_SECONDS = 24 * 3600


def rates() -> dict[str, Decimal]:
    """The network's rate table: units of each currency per euro."""
    return dict(EurRate.objects.values_list("currency", "units_per_eur"))


def _eur(amount: Decimal, currency: str, table: dict[str, Decimal], field: str) -> Decimal:
    try:
        return convert(Decimal(amount), currency, table)
    except ModelInvalid:
        raise RuleViolation(
            _("There is no EUR rate for %(code)s: a network coordinator adds it to the rate table.")
            % {"code": currency},
            field,
        ) from None


def _month(value: str, field: str) -> int:
    try:
        return parse_month(value, field)
    except ModelInvalid as exc:
        raise RuleViolation(exc.message, field) from None


def stream_of(row: FundingStream, table: dict[str, Decimal]) -> Stream:
    """The engine's stream of a stored row, in EUR; its id is the row's primary key."""
    return Stream(
        id=str(row.pk),
        type=row.source_type,
        amount=_eur(row.amount, row.currency, table, f"streams[{row.pk}].currency"),
        period=row.period,
        start=_month(row.start, f"streams[{row.pk}].start"),
        end=_month(row.end, f"streams[{row.pk}].end") if row.end else None,
        probability=float(row.probability),
        slip_months=row.slip_months,
    )


def cost_of(row: CostLine, table: dict[str, Decimal]) -> Cost:
    """The engine's cost line of a stored row, in EUR."""
    return Cost(
        id=str(row.pk),
        category=row.category,
        amount=_eur(row.amount, row.currency, table, f"costs[{row.pk}].currency"),
        period=row.period,
        start=_month(row.start, f"costs[{row.pk}].start"),
        end=_month(row.end, f"costs[{row.pk}].end") if row.end else None,
    )


def build_model(
    settings: HubModel | None,
    streams: Iterable[FundingStream],
    costs: Iterable[CostLine],
    table: dict[str, Decimal],
) -> Model:
    """A hub's engine model in EUR (settings default to 2026-01, 60 months, balance 0)."""
    settings = settings or HubModel()
    return Model(
        start=_month(settings.start, "start"),
        months=settings.months,
        balance=_eur(settings.balance, settings.currency, table, "currency"),
        currency="EUR",
        streams=tuple(stream_of(s, table) for s in streams),
        costs=tuple(cost_of(c, table) for c in costs),
    )


def hub_model(hub: Hub, table: dict[str, Decimal] | None = None) -> Model:
    """The stored model of one hub (three queries)."""
    return build_model(
        HubModel.objects.filter(hub=hub).first(),
        hub.funding_streams.all(),
        hub.cost_lines.all(),
        rates() if table is None else table,
    )


def content_key(prefix: str, model: Model, *extra: Any) -> str:
    """A cache key naming the model's content (frozen dataclasses have a stable repr)."""
    digest = hashlib.sha256(repr((model, extra)).encode()).hexdigest()
    return f"continuity:{prefix}:{digest}"


def projection(model: Model) -> Projection:
    """The baseline projection (fast; not cached)."""
    return project(model)


def simulation(model: Model, runs: int = PAGE_RUNS, seed: int = PAGE_SEED) -> Simulation:
    """Monte Carlo with a fixed seed, cached by the model's content."""
    key = content_key("sim", model, runs, seed)
    found = cache.get(key)
    if found is None:
        found = simulate(model, runs=runs, seed=seed)
        cache.set(key, found, CACHE_SECONDS)
    return found


def expand_changes(hub: Hub, changes: list) -> list:
    """``remove_funder`` becomes one ``remove_stream`` per stream of that funder."""
    out = []
    for change in changes:
        if isinstance(change, dict) and change.get("op") == "remove_funder":
            ids = FundingStream.objects.filter(hub=hub, funder_id=change.get("funder"))
            out += [
                {"op": "remove_stream", "stream": str(pk)}
                for pk in ids.values_list("pk", flat=True)
            ]
        else:
            out.append(change)
    return out


def scenario_model(hub: Hub, baseline: Model, changes: list) -> Model:
    """The baseline with a scenario's changes; a change naming a deleted line is refused."""
    try:
        parsed = parse_changes(expand_changes(hub, changes), baseline)
        return apply_changes(baseline, parsed)
    except ModelInvalid as exc:
        raise RuleViolation(exc.message, exc.field) from None


def comparison(named: list[tuple[str, Model]]) -> list[dict]:
    """The side-by-side table of scenarios, each simulated with the page's seed (cached)."""
    rows: list[dict[str, Any]] = []
    for name, model in named:
        baseline = project(model)
        coverage = simulation(model).coverage.get(24)
        rows.append(
            {
                "name": name,
                "runway": baseline.runway_months,
                "cliff": format_month(baseline.cliff) if baseline.cliff is not None else None,
                "coverage_24": coverage,
                "gap": cumulative_gap(baseline),
            }
        )
    base = rows[0] if rows else None
    for row in rows:
        if base is not None:
            row["runway_delta"] = row["runway"] - base["runway"]
            row["gap_delta"] = row["gap"] - base["gap"]
    return rows
