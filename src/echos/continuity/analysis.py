"""Figures the pages show: a hub's score, and the network view over every hub (bulk-loaded).

The network view never queries per hub: streams, costs, settings and rates are read in four
queries, each hub's baseline is projected in Python, and Monte Carlo stays on the hub's own page.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from echos.assessment import benchmarks
from echos.continuity import compute
from echos.continuity.engine.model import Model
from echos.continuity.engine.projection import schedule
from echos.continuity.engine.score import (
    Score,
    ScoreInputs,
    committed_share,
    continuity_score,
    expected_income_by_type,
)
from echos.continuity.models import CostLine, FundingStream, HubModel, Risk
from echos.core.exceptions import RuleViolation
from echos.hubs.models import Hub

MATURITY_DIMENSION = "funding"  # "Funding and resources" in assessment/data/instruments


def maturity_levels() -> dict[int, int]:
    """Each assessed hub's latest level of the maturity "funding and resources" dimension."""
    out = {}
    for row in benchmarks.latest_scores():
        value = row["dimensions"].get(MATURITY_DIMENSION)
        if isinstance(value, int | float) and not isinstance(value, bool):
            out[row["hub_id"]] = int(value)
    return out


def open_high_risks(hub: Hub) -> int:
    """Unresolved risks of likelihood × impact ≥ 15."""
    return sum(1 for r in Risk.objects.unresolved().filter(hub=hub) if r.is_high)


def hub_score(hub: Hub, model: Model, coverage_24: float | None) -> Score:
    """The continuity score of one hub, with the maturity level when it was assessed."""
    baseline = compute.projection(model)
    return continuity_score(
        ScoreInputs(
            runway_months=baseline.runway_months,
            horizon=model.months,
            coverage_24=coverage_24,
            income_by_type=expected_income_by_type(model),
            committed_share=committed_share(model),
            open_high_risks=open_high_risks(hub),
            maturity_funding_level=maturity_levels().get(hub.pk),
        )
    )


@dataclass
class HubRow:
    """One hub in the network view."""

    hub_id: int
    name: str
    country: str
    cliff: int | None = None
    runway: int = 0
    income: Decimal = Decimal("0")
    yearly_income: Decimal = Decimal("0")
    top_funder_share: float = 0.0
    top_funder: str = ""
    score: int | None = None
    mix: dict[str, Decimal] = field(default_factory=dict)
    error: str = ""


def network_rows(today_month: int) -> list[HubRow]:
    """Every hub with a model: baseline cliff, runway, income by type, main funder's share and a
    score without Monte Carlo (coverage at 24 months counted as the baseline's)."""
    table = compute.rates()
    settings = {m.hub_id: m for m in HubModel.objects.all()}
    streams: dict[int, list[FundingStream]] = defaultdict(list)
    for s in FundingStream.objects.select_related("funder").order_by("pk"):
        streams[s.hub_id].append(s)
    costs: dict[int, list[CostLine]] = defaultdict(list)
    for c in CostLine.objects.order_by("pk"):
        costs[c.hub_id].append(c)
    risks: dict[int, int] = defaultdict(int)
    for hub_id, likelihood, impact in Risk.objects.unresolved().values_list(
        "hub_id", "likelihood", "impact"
    ):
        if likelihood * impact >= 15:
            risks[hub_id] += 1
    levels = maturity_levels()
    ids = set(streams) | set(costs)
    hubs = Hub.objects.filter(pk__in=ids).values_list("pk", "name_en", "country_id")
    rows = []
    for pk, name, country in hubs:
        row = HubRow(pk, name, country)
        try:
            model = compute.build_model(settings.get(pk), streams[pk], costs[pk], table)
        except RuleViolation as exc:
            row.error = exc.message
            rows.append(row)
            continue
        baseline = compute.projection(model)
        row.cliff, row.runway = baseline.cliff, baseline.runway_months
        row.mix = expected_income_by_type(model)
        row.income = sum(row.mix.values(), Decimal("0"))
        row.yearly_income = (row.income * 12 / model.months).quantize(Decimal("0.01"))
        by_funder: dict[str, Decimal] = defaultdict(Decimal)
        amounts = {s.id: s for s in model.streams}
        for s in streams[pk]:
            # Expected income over the horizon; a stream without a funder counts as its own.
            line = amounts[str(s.pk)]
            paid = sum(schedule(line, model.start, model.months), Decimal("0"))
            key = s.funder.name if s.funder else s.name
            by_funder[key] += paid * Decimal(repr(line.probability))
        total = sum(by_funder.values(), Decimal("0"))
        if total > 0:
            row.top_funder, top = max(by_funder.items(), key=lambda kv: kv[1])
            row.top_funder_share = float(top / total)
        coverage = 1.0 if baseline.cliff is None or baseline.runway_months >= 24 else 0.0
        row.score = continuity_score(
            ScoreInputs(
                runway_months=baseline.runway_months,
                horizon=model.months,
                coverage_24=coverage,
                income_by_type=row.mix,
                committed_share=committed_share(model),
                open_high_risks=risks[pk],
                maturity_funding_level=levels.get(pk),
            )
        ).total
        rows.append(row)
    rows.sort(key=lambda r: (r.country, r.name))
    return rows


def network_summary(rows: list[HubRow], today_month: int) -> dict[str, Any]:
    """Cliffs within 12 months, single-funder dependence, the funding mix, scores per country."""
    cliffs = [r for r in rows if r.cliff is not None and r.cliff < today_month + 12]
    dependent = [r for r in rows if r.top_funder_share > 0.5]
    mix: dict[str, Decimal] = defaultdict(Decimal)
    for r in rows:
        for kind, amount in r.mix.items():
            mix[kind] += amount
    per_country: dict[str, list[int]] = defaultdict(list)
    for r in rows:
        if r.score is not None:
            per_country[r.country].append(r.score)
    countries = {c: round(sum(v) / len(v)) for c, v in per_country.items()}
    return {
        "cliffs": sorted(cliffs, key=lambda r: r.cliff or 0),
        "dependent": sorted(dependent, key=lambda r: -r.top_funder_share),
        "mix": dict(mix),
        "countries": countries,
    }
