"""The network's side of the continuity API (issue #12 item 8), for network coordinators: the
network view, the network operations model with its projection and "N hubs stop" what-if, the
network scenarios and the EUR rate table (which any signed-in caller may read).

Every endpoint calls the functions the pages call (``analysis.network_view``,
``network.named_models``, ``compute.comparison``, ``compute.simulation``, the network services)
and the model is checked by the site's own form, so the API and the pages cannot disagree.
"""

from decimal import Decimal
from typing import Annotated, Any

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from ninja import Path, Query, Router, Schema, Status
from pydantic import Field

from echos.continuity import analysis, compute, services
from echos.continuity import network as netmodel
from echos.continuity import permissions as perms
from echos.continuity.engine.montecarlo import MAX_RUNS
from echos.continuity.engine.months import format_month
from echos.continuity.forms import NetworkModelForm
from echos.continuity.models import EurRate, Formula, NetworkScenario, SourceType
from echos.continuity.schemas import (
    NetworkCompareOut,
    NetworkModelOut,
    NetworkOut,
    NetworkProjectionOut,
    NetworkScenarioOut,
    RateOut,
)
from echos.core.api import ErrorOut, TokenAuth, one_of, page_of, paginate
from echos.core.exceptions import RuleViolation

router = Router(tags=["continuity"])
auth = TokenAuth()
MAX_ID = 2**63 - 1
Money = Annotated[Decimal, Field(max_digits=16, decimal_places=2)]
Share = Annotated[Decimal, Field(max_digits=4, decimal_places=3)]
Month = Annotated[str, Field(max_length=7, description="YYYY-MM")]


def _coordinator(request) -> None:
    """Network coordinators only: 403 for every other token."""
    if not perms.can_view_network(request.user):
        raise PermissionDenied


@router.get("/continuity/network", response=NetworkOut, auth=auth)
def get_network(request):
    """Hubs whose cliff falls within 12 months, hubs depending on one funder for more than half
    their expected income, the funding mix across Europe and the mean score per country."""
    _coordinator(request)
    month = netmodel.this_month()
    view = analysis.network_view(month)
    labels = dict(SourceType.choices)
    return {
        "month": format_month(month),
        "hubs": len(view["rows"]),
        "cliffs": [
            {
                "hub": r.hub_id,
                "name": r.name,
                "country": r.country,
                "cliff": format_month(r.cliff),
                "runway_months": r.runway,
            }
            for r in view["cliffs"]
        ],
        "dependent": [
            {
                "hub": r.hub_id,
                "name": r.name,
                "country": r.country,
                "funder": r.top_funder,
                "share": r.top_funder_share,
            }
            for r in view["dependent"]
        ],
        "mix": [
            {
                "source_type": m["source_type"],
                "label": str(labels.get(m["source_type"], m["source_type"])),
                "expected_income": str(m["amount"].quantize(Decimal("0.01"))),
                "share_percent": m["share"],
            }
            for m in view["mix"]
        ],
        "countries": [{"country": c, "score": s} for c, s in view["countries"]],
    }


def model_out(row: Any) -> dict:
    out = {name: getattr(row, name) for name in netmodel.NETWORK_FIELDS}
    for name in ("start", "eu_funding_end", "formula"):
        out[name] = str(out[name] or "")
    for name in (
        "balance",
        "secretariat_costs",
        "shared_services",
        "eu_funding",
        "contribution_total",
        "eu_probability",
        "contribution_probability",
    ):
        out[name] = str(out[name])
    return out


class NetworkModelIn(Schema):
    """The fields of the site's form; amounts per year in EUR."""

    start: Month
    months: int = Field(ge=0, le=32767)
    balance: Money
    secretariat_costs: Money
    shared_services: Money
    eu_funding: Money
    eu_funding_end: Month = ""
    eu_probability: Share
    formula: Annotated[str, one_of(Formula)]
    contribution_total: Money
    contribution_probability: Share
    stopping_hubs: int = Field(0, ge=0, le=2_147_483_647)


@router.get("/continuity/network/model", response=NetworkModelOut, auth=auth)
def get_network_model(request):
    _coordinator(request)
    return model_out(netmodel.current())


@router.put("/continuity/network/model", response=NetworkModelOut, auth=auth)
def put_network_model(request, payload: NetworkModelIn):
    """Checked by the site's form, then saved (and audited) by the same service."""
    _coordinator(request)
    data = {k: "" if v is None else str(v) for k, v in payload.dict().items()}
    form = NetworkModelForm(data, instance=netmodel.current())
    if not form.is_valid():
        field, messages = next(iter(form.errors.items()))
        raise RuleViolation(str(messages[0]), None if field == "__all__" else field)
    fields = {n: form.cleaned_data[n] for n in netmodel.NETWORK_FIELDS}
    saved = netmodel.save_network_model(actor=request.user, **fields)
    saved.refresh_from_db()  # the stored precision, as GET answers it
    return model_out(saved)


def comparison_out(rows: list[dict]) -> list[dict]:
    return [
        {
            "name": r["name"],
            "runway": r["runway"],
            "runway_delta": r.get("runway_delta", 0),
            "cliff": r["cliff"],
            "coverage_24": r["coverage_24"],
            "gap": str(r["gap"]),
            "gap_delta": str(r.get("gap_delta", Decimal("0"))),
        }
        for r in rows
    ]


@router.get(
    "/continuity/network/projection",
    response={200: NetworkProjectionOut, 400: ErrorOut},
    auth=auth,
)
def get_network_projection(
    request,
    runs: int = Query(compute.PAGE_RUNS, ge=1, le=MAX_RUNS),
    seed: int = Query(compute.PAGE_SEED, ge=0, le=2**32 - 1),
):
    """The baseline month by month, the Monte Carlo (coverage and fan) with ``runs`` and ``seed``,
    and the page's comparison of the model with its "N hubs stop" what-if (10,000 runs, seed 1).
    A model that cannot be built (e.g. more hubs stopping than contribute) is a 400 naming the
    field."""
    _coordinator(request)
    row = netmodel.current()
    named, _errors = netmodel.named_models(row, netmodel.this_month())
    model = named[0][1]
    baseline = compute.projection(model)
    sim = compute.simulation(model, runs=runs, seed=seed)
    return {
        "currency": "EUR",
        "hubs": netmodel.contributing_hubs(model),
        "runs": sim.runs,
        "seed": seed,
        "months": [
            {
                "month": format_month(r.month),
                "income": str(r.income),
                "costs": str(r.costs),
                "balance": str(r.balance),
            }
            for r in baseline.months
        ],
        "cliff": None if baseline.cliff is None else format_month(baseline.cliff),
        "runway_months": baseline.runway_months,
        "coverage": {str(h): sim.coverage.get(h) for h in (12, 24, 36)},
        "fan": [
            {
                "month": format_month(f.month),
                "p10": str(f.p10),
                "p50": str(f.p50),
                "p90": str(f.p90),
            }
            for f in sim.fan
        ],
        "comparison": comparison_out(compute.comparison(named[: 2 if row.stopping_hubs else 1])),
    }


class NetworkScenarioIn(Schema):
    name: str = Field(max_length=200)
    description: str = Field("", max_length=services.MAX_TEXT)
    changes: list[dict] = Field([], max_length=50)
    stopping_hubs: int = Field(0, ge=0, le=netmodel.MAX_STOPPING)


def scenario_out(s: NetworkScenario) -> dict:
    changes = s.changes if isinstance(s.changes, list) else []
    return {
        "id": s.pk,
        "name": s.name,
        "description": s.description,
        "changes": [c for c in changes if isinstance(c, dict)],
        "stopping_hubs": s.stopping_hubs,
    }


@router.get(
    "/continuity/network/scenarios/compare",
    response={200: NetworkCompareOut, 400: ErrorOut},
    auth=auth,
)
def compare_network_scenarios(request):
    """The page's table: the model, its "N hubs stop" what-if and every network scenario side by
    side; a scenario that no longer applies is listed under ``errors`` instead of a row."""
    _coordinator(request)
    named, errors = netmodel.named_models(netmodel.current(), netmodel.this_month())
    return {
        "rows": comparison_out(compute.comparison(named)),
        "errors": [
            {"name": name, "field": exc.field, "message": exc.message} for name, exc in errors
        ],
    }


@router.get("/continuity/network/scenarios", response=page_of(NetworkScenarioOut), auth=auth)
def list_network_scenarios(request, limit: int = 50, offset: int = 0):
    _coordinator(request)
    return paginate(NetworkScenario.objects.all(), limit, offset, scenario_out)


@router.post("/continuity/network/scenarios", response={201: NetworkScenarioOut}, auth=auth)
def create_network_scenario(request, payload: NetworkScenarioIn):
    _coordinator(request)
    row = netmodel.save_network_scenario(
        actor=request.user, month=netmodel.this_month(), **payload.dict()
    )
    return Status(201, scenario_out(row))


@router.get("/continuity/network/scenarios/{pk}", response=NetworkScenarioOut, auth=auth)
def get_network_scenario(request, pk: int = Path(..., ge=1, le=MAX_ID)):
    _coordinator(request)
    return scenario_out(get_object_or_404(NetworkScenario, pk=pk))


@router.put("/continuity/network/scenarios/{pk}", response=NetworkScenarioOut, auth=auth)
def update_network_scenario(
    request, payload: NetworkScenarioIn, pk: int = Path(..., ge=1, le=MAX_ID)
):
    _coordinator(request)
    row = get_object_or_404(NetworkScenario, pk=pk)
    row = netmodel.save_network_scenario(
        actor=request.user, month=netmodel.this_month(), obj=row, **payload.dict()
    )
    return scenario_out(row)


@router.delete("/continuity/network/scenarios/{pk}", response={204: None}, auth=auth)
def delete_network_scenario(request, pk: int = Path(..., ge=1, le=MAX_ID)):
    _coordinator(request)
    netmodel.delete_network_scenario(
        actor=request.user, obj=get_object_or_404(NetworkScenario, pk=pk)
    )
    return Status(204, None)


def rate_out(r: EurRate) -> dict:
    return {
        "currency": r.currency,
        "units_per_eur": str(r.units_per_eur),
        "updated_at": r.updated_at.isoformat(),
    }


class RateIn(Schema):
    units_per_eur: Decimal = Field(max_digits=18, decimal_places=8)


@router.get("/continuity/rates", response=page_of(RateOut), auth=auth)
def list_rates(request, limit: int = 100, offset: int = 0):
    """The EUR rate table (units per euro); any signed-in caller may read it."""
    return paginate(EurRate.objects.order_by("currency"), limit, offset, rate_out)


@router.put("/continuity/rates/{currency}", response=RateOut, auth=auth)
def put_rate(request, payload: RateIn, currency: str = Path(..., max_length=3)):
    """Add or change the rate of a currency (network coordinators; audited, revertible)."""
    _coordinator(request)
    saved = netmodel.save_rate(actor=request.user, currency=currency, **payload.dict())
    saved.refresh_from_db()  # the stored precision, as GET answers it
    return rate_out(saved)


@router.delete("/continuity/rates/{currency}", response={204: None}, auth=auth)
def delete_rate(request, currency: str = Path(..., max_length=3)):
    """Remove the rate of a currency (network coordinators; audited, revertible)."""
    _coordinator(request)
    netmodel.delete_rate(actor=request.user, currency=currency)
    return Status(204, None)
