"""Figures the pages show: a hub's score, and the network view over every hub (bulk-loaded).

The network view never queries per hub: streams, costs, settings and rates are read in four
queries, each hub's baseline is projected in Python, and Monte Carlo stays on the hub's own page.
"""

import hashlib
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.cache import cache
from django.db.models import Count, Max
from django.utils import translation

from echos.assessment import benchmarks
from echos.continuity import compute
from echos.continuity.engine.errors import ModelInvalid
from echos.continuity.engine.model import Cost, Model, Stream
from echos.continuity.engine.months import parse_month
from echos.continuity.engine.projection import paid, project
from echos.continuity.engine.report import convert
from echos.continuity.engine.score import (
    Score,
    ScoreInputs,
    committed_share,
    continuity_score,
    expected_income_by_type,
)
from echos.continuity.models import CostLine, EurRate, FundingStream, HubModel, Risk
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


def _data_version() -> str:
    """Counts and latest changes of every table the network view reads (one query each)."""
    parts = []
    for model in (HubModel, FundingStream, CostLine, Risk, EurRate):
        found = model.objects.aggregate(n=Count("pk"), last=Max("updated_at"), top=Max("pk"))
        parts.append(f"{found['n']}:{found['last']}:{found['top']}")
    return "|".join(parts)


def network_rows(today_month: int) -> list[HubRow]:
    """Every hub with a model: baseline cliff, runway, income by type, main funder's share and a
    score without Monte Carlo (coverage at 24 months counted as 1 when the baseline runway covers
    24 months, else 0). Cached until one of the tables changes (or for ten minutes)."""
    key = "continuity:network:" + hashlib.sha256(_data_version().encode()).hexdigest()
    found = cache.get(key)
    if found is None:
        found = _network_rows()
        cache.set(key, found, 600)
    return found


def _network_rows() -> list[HubRow]:
    table = compute.rates()
    months: dict[str, int] = {}

    def month(value: str) -> int:
        if value not in months:
            months[value] = parse_month(value, "start")
        return months[value]

    def eur(amount: Decimal, currency: str) -> Decimal:
        return amount if currency == "EUR" else convert(amount, currency, table)

    settings = {
        hub_id: (start, horizon, balance, currency)
        for hub_id, start, horizon, balance, currency in HubModel.objects.values_list(
            "hub_id", "start", "months", "balance", "currency"
        )
    }
    streams: dict[int, list[tuple]] = defaultdict(list)
    for stream_row in FundingStream.objects.order_by("pk").values_list(
        "pk",
        "hub_id",
        "name",
        "source_type",
        "funder__name",
        "amount",
        "currency",
        "period",
        "start",
        "end",
        "probability",
        "slip_months",
    ):
        streams[stream_row[1]].append(stream_row)
    costs: dict[int, list[tuple]] = defaultdict(list)
    for cost_row in CostLine.objects.order_by("pk").values_list(
        "pk", "hub_id", "category", "amount", "currency", "period", "start", "end"
    ):
        costs[cost_row[1]].append(cost_row)
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
    # The score's explanations are not shown here: no need to translate them 2,000 times.
    with translation.override(None):
        for pk, name, country in hubs:
            row = HubRow(pk, name, country)
            try:
                start, horizon, balance, currency = settings.get(
                    pk, ("2026-01", 60, Decimal("0"), "EUR")
                )
                funders: dict[str, str] = {}
                model_streams = []
                for sid, _h, sname, kind, funder, amount, cur, period, s0, s1, p, slip in streams[
                    pk
                ]:
                    funders[str(sid)] = funder or sname
                    model_streams.append(
                        Stream(
                            str(sid),
                            kind,
                            eur(amount, cur),
                            period,
                            month(s0),
                            month(s1) if s1 else None,
                            float(p),
                            slip,
                        )
                    )
                model_costs = [
                    Cost(
                        str(cid),
                        cat,
                        eur(amount, cur),
                        period,
                        month(s0),
                        month(s1) if s1 else None,
                    )
                    for cid, _h, cat, amount, cur, period, s0, s1 in costs[pk]
                ]
                model = Model(
                    month(start),
                    horizon,
                    eur(balance, currency),
                    "EUR",
                    tuple(model_streams),
                    tuple(model_costs),
                )
            except ModelInvalid as exc:
                row.error = f"{exc.field}: {exc.message}"
                rows.append(row)
                continue
            baseline = project(model)
            row.cliff, row.runway = baseline.cliff, baseline.runway_months
            by_funder: dict[str, Decimal] = defaultdict(Decimal)
            committed = Decimal("0")
            for line in model.streams:
                total = paid(line, model.start, model.months)
                expected = total * Decimal(repr(line.probability))
                row.mix[line.type] = row.mix.get(line.type, Decimal("0")) + expected
                # A stream without a funder counts as its own funder.
                by_funder[funders[line.id]] += expected
                if line.probability >= 1:
                    committed += total
            row.income = sum(row.mix.values(), Decimal("0"))
            row.yearly_income = (row.income * 12 / model.months).quantize(Decimal("0.01"))
            if row.income > 0:
                row.top_funder, top = max(by_funder.items(), key=lambda kv: kv[1])
                row.top_funder_share = float(top / row.income)
            coverage = 1.0 if baseline.runway_months >= min(24, model.months) else 0.0
            row.score = continuity_score(
                ScoreInputs(
                    runway_months=baseline.runway_months,
                    horizon=model.months,
                    coverage_24=coverage,
                    income_by_type=row.mix,
                    committed_share=float(committed / row.income) if row.income > 0 else 0.0,
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


def network_view(today_month: int) -> dict[str, Any]:
    """What the network page and ``GET /continuity/network`` show: the hubs, the summary, and the
    funding mix as rows (source type, expected income, share in percent to one decimal) sorted
    from the largest, and the mean score per country sorted by country code."""
    rows = network_rows(today_month)
    summary = network_summary(rows, today_month)
    total = sum(summary["mix"].values()) or 1
    mix = [
        {"source_type": k, "amount": v, "share": round(float(v / total) * 100, 1)}
        for k, v in sorted(summary["mix"].items(), key=lambda kv: -kv[1])
    ]
    return {
        "rows": rows,
        "cliffs": summary["cliffs"],
        "dependent": summary["dependent"],
        "mix": mix,
        "countries": sorted(summary["countries"].items()),
    }
