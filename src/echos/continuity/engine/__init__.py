"""The continuity engine: pure functions over plain data, no database (issue #12 items 3-8, 10).

Interface (the app's models, pages, API and the ``echos continuity`` command code against this):

Months
    ``parse_month("2027-01", field) -> int`` (index = year * 12 + month - 1; anything that is not
    ``YYYY-MM`` or a year outside 1900-2200 raises ``ModelInvalid(field, ...)``);
    ``format_month(int) -> "YYYY-MM"``.
Errors
    ``ModelInvalid(field, message)``, a ValueError; ``str(e) == "streams[2].probability: must be
    between 0 and 1"``. List indexes in field names count from 0.
Model
    frozen dataclasses ``Stream(id, type, amount, period, start, end, probability, slip_months=0)``,
    ``Cost(id, category, amount, period, start, end)``,
    ``Model(start, months, balance, currency, streams, costs)``; months are indexes, amounts
    Decimal with at most two decimals. Codes: ``STREAM_TYPES`` (eu_grant, national_public,
    regional_public, membership_fees, in_kind, philanthropy, industry, service_income),
    ``COST_CATEGORIES`` (staff, events, operations, other), ``PERIODS`` (month, year, once).
    ``parse_model(dict) -> Model`` reads the JSON of item 10 and names the field of every error.
Projection
    ``project(model) -> Projection(months=[MonthRow(month, income, costs, balance)], cliff,
    runway_months)``: committed streams only; ``year`` amounts are spread by cents, with the
    remainder in the twelfth month of each cycle (see ``projection``). ``cumulative_gap``;
    ``schedule(line, start, months)`` month by month and ``paid(line, start, months)``, its total
    computed without the list.
Monte Carlo
    ``simulate(model, runs=10_000, seed=None) -> Simulation(runs, seed, coverage {12|24|36: p},
    cliffs {month: share}, no_cliff, fan [FanRow(month, p10, p50, p90)], importance
    [Importance(stream, probability, coverage_with, coverage_without, within, difference)])``;
    runs over 100,000 raise ``ModelInvalid("runs", ...)``.
Report
    ``report(model, runs, seed) -> dict``: the JSON answer of item 10 (``coverage`` keys "12",
    "24", "36"; null beyond the horizon). ``convert(amount, currency, rates) -> Decimal`` in EUR,
    ``rates[c]`` = units of c per euro (ECB convention).
Scenarios
    changes ``RemoveStream(stream)``, ``DelayStream(stream, months)``, ``ScaleStream(stream,
    factor)``, ``SetStreamAmount(stream, amount)``, ``AddStream(line)``, ``RemoveCost(cost)``,
    ``ScaleCost(cost, factor)``, ``SetCostAmount(cost, amount)``, ``AddCost(line)``,
    ``membership_fees(id, amount, period, start, end=None, probability=1.0) -> AddStream``;
    ``parse_changes(json_list, model)``; ``apply_changes(model, changes) -> Model`` (unknown id:
    ``ModelInvalid("changes[1].stream", ...)``); ``compare([(name, model), ...], runs, seed) ->
    [ComparisonRow(name, runway_months, cliff, coverage_24, cumulative_gap)]``.
Score
    ``herfindahl(shares)``, ``diversity(income_by_type)``, ``expected_income_by_type(model)``,
    ``committed_share(model)``, ``continuity_score(ScoreInputs(runway_months, horizon,
    coverage_24, income_by_type, committed_share, open_high_risks, maturity_funding_level)) ->
    Score(total, components [Component(code, label, value, weight, points, inputs) with the
    property ``explanation``], best_change, best_component)``; weights in ``score``.
Network
    ``HubInput(id, population, income)``; ``contributions(hubs, formula, total) -> {id: Decimal}``;
    ``network_model(*, start, months, balance, currency, secretariat_costs, shared_services,
    eu_funding, hubs, formula, total_contribution, contribution_probability=1.0) -> Model``;
    ``without_hubs(model, n) -> Model`` (the n largest contributions removed).
"""

from .errors import ModelInvalid
from .model import (
    COST_CATEGORIES,
    CURRENCIES,
    MAX_MONTHS,
    PERIODS,
    STREAM_TYPES,
    Cost,
    Model,
    Stream,
    parse_amount,
    parse_cost,
    parse_model,
    parse_stream,
)
from .montecarlo import (
    COVERAGE_MONTHS,
    DEFAULT_RUNS,
    MAX_RUNS,
    FanRow,
    Importance,
    Simulation,
    check_runs,
    simulate,
)
from .months import format_month, parse_month
from .network import HubInput, contributions, network_model, without_hubs
from .projection import MonthRow, Projection, cumulative_gap, paid, project, schedule
from .report import convert, money, report
from .scenarios import (
    AddCost,
    AddStream,
    Change,
    ComparisonRow,
    DelayStream,
    RemoveCost,
    RemoveStream,
    ScaleCost,
    ScaleStream,
    SetCostAmount,
    SetStreamAmount,
    apply_changes,
    compare,
    membership_fees,
    parse_changes,
)
from .score import (
    Component,
    Score,
    ScoreInputs,
    committed_share,
    continuity_score,
    diversity,
    expected_income_by_type,
    herfindahl,
)

__all__ = [
    "COST_CATEGORIES",
    "COVERAGE_MONTHS",
    "CURRENCIES",
    "DEFAULT_RUNS",
    "MAX_MONTHS",
    "MAX_RUNS",
    "PERIODS",
    "STREAM_TYPES",
    "AddCost",
    "AddStream",
    "Change",
    "ComparisonRow",
    "Component",
    "Cost",
    "DelayStream",
    "FanRow",
    "HubInput",
    "Importance",
    "Model",
    "ModelInvalid",
    "MonthRow",
    "Projection",
    "RemoveCost",
    "RemoveStream",
    "ScaleCost",
    "ScaleStream",
    "Score",
    "ScoreInputs",
    "SetCostAmount",
    "SetStreamAmount",
    "Simulation",
    "Stream",
    "apply_changes",
    "check_runs",
    "committed_share",
    "compare",
    "continuity_score",
    "contributions",
    "convert",
    "cumulative_gap",
    "diversity",
    "expected_income_by_type",
    "format_month",
    "herfindahl",
    "membership_fees",
    "money",
    "network_model",
    "paid",
    "parse_amount",
    "parse_changes",
    "parse_cost",
    "parse_model",
    "parse_month",
    "parse_stream",
    "project",
    "report",
    "schedule",
    "simulate",
    "without_hubs",
]
