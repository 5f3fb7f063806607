"""The continuity API under /api/v1/continuity/: a hub's streams, costs, risks, scenarios and
canvas (team writes, network reads), its projection, simulation and score, and the stateless
``POST /continuity/project`` that answers like ``echos continuity project``."""

from datetime import date
from decimal import Decimal
from typing import Annotated, Any

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from ninja import Body, Path, Query, Router, Schema, Status
from pydantic import Field

from echos.continuity import analysis, compute, network_api, services
from echos.continuity import permissions as perms
from echos.continuity.engine.errors import ModelInvalid
from echos.continuity.engine.model import MAX_SLIP, parse_model
from echos.continuity.engine.montecarlo import MAX_RUNS, check_runs
from echos.continuity.engine.months import format_month
from echos.continuity.engine.report import report
from echos.continuity.models import (
    CostCategory,
    CostLine,
    FundingStream,
    HubModel,
    Period,
    Risk,
    RiskCategory,
    RiskStatus,
    Scenario,
    SourceType,
)
from echos.continuity.schemas import (
    CanvasOut,
    CostOut,
    ProjectionOut,
    ReportOut,
    RiskOut,
    ScenarioOut,
    ScoreOut,
    SimulationOut,
    StreamOut,
)
from echos.core.api import TokenAuth, api_user, one_of, page_of, paginate
from echos.core.exceptions import RuleViolation
from echos.hubs.models import Hub

router = Router(tags=["continuity"])
auth = TokenAuth()
router.add_router("", network_api.router)
MAX_ID = 2**63 - 1
Money = Annotated[Decimal, Field(max_digits=16, decimal_places=2)]
Month = Annotated[str, Field(max_length=7, description="YYYY-MM")]


def _hub(request, hub_id: int, *, edit: bool = False) -> Hub:
    hub = get_object_or_404(Hub, pk=hub_id)
    allowed = perms.can_edit_model if edit else perms.can_view_model
    if not allowed(request.user, hub):
        raise PermissionDenied
    return hub


def _s(value: Any) -> str | None:
    return None if value in (None, "") else str(value)


def stream_out(s: FundingStream) -> dict:
    return {
        "id": s.pk,
        "hub": s.hub_id,
        "name": s.name,
        "source_type": s.source_type,
        "funder": s.funder_id,
        "amount": str(s.amount),
        "currency": s.currency,
        "period": s.period,
        "start": s.start,
        "end": _s(s.end),
        "probability": str(s.probability),
        "slip_months": s.slip_months,
        "restrictions": s.restrictions,
    }


def cost_out(c: CostLine) -> dict:
    return {
        "id": c.pk,
        "hub": c.hub_id,
        "name": c.name,
        "category": c.category,
        "role": c.role,
        "fte": _s(c.fte),
        "amount": str(c.amount),
        "currency": c.currency,
        "period": c.period,
        "start": c.start,
        "end": _s(c.end),
    }


def risk_out(r: Risk) -> dict:
    return {
        "id": r.pk,
        "hub": r.hub_id,
        "title": r.title,
        "category": r.category,
        "likelihood": r.likelihood,
        "impact": r.impact,
        "score": r.score,
        "high": r.is_high,
        "owner": r.owner,
        "mitigation": r.mitigation,
        "status": r.status,
        "review_date": r.review_date.isoformat() if r.review_date else None,
    }


def scenario_out(s: Scenario) -> dict:
    changes = s.changes if isinstance(s.changes, list) else []
    return {
        "id": s.pk,
        "hub": s.hub_id,
        "name": s.name,
        "description": s.description,
        "changes": [c for c in changes if isinstance(c, dict)],
    }


class StreamIn(Schema):
    name: str = Field(max_length=200)
    source_type: Annotated[str, one_of(SourceType)]
    funder: int | None = Field(None, ge=1, le=MAX_ID)
    amount: Money
    currency: str = Field("EUR", max_length=3)
    period: Annotated[str, one_of(Period)]
    start: Month
    end: Month | None = None
    probability: Decimal = Field(Decimal("1"), max_digits=6, decimal_places=3)
    slip_months: int = Field(0, ge=0, le=MAX_SLIP)
    restrictions: str = Field("", max_length=services.MAX_TEXT)


class CostIn(Schema):
    name: str = Field(max_length=200)
    category: Annotated[str, one_of(CostCategory)]
    role: str = Field("", max_length=200)
    fte: Decimal | None = Field(None, max_digits=6, decimal_places=2)
    amount: Money
    currency: str = Field("EUR", max_length=3)
    period: Annotated[str, one_of(Period)]
    start: Month
    end: Month | None = None


class RiskIn(Schema):
    title: str = Field(max_length=250)
    category: Annotated[str, one_of(RiskCategory)]
    likelihood: int = Field(ge=1, le=5)
    impact: int = Field(ge=1, le=5)
    owner: str = Field("", max_length=200)
    mitigation: str = Field("", max_length=services.MAX_TEXT)
    status: Annotated[str, one_of(RiskStatus)] = "open"
    review_date: date | None = None


class ScenarioIn(Schema):
    name: str = Field(max_length=200)
    description: str = Field("", max_length=services.MAX_TEXT)
    changes: list[dict] = Field([], max_length=50)


class CanvasIn(Schema):
    value_proposition: str = Field("", max_length=services.MAX_TEXT)
    stakeholder_segments: list[str] = Field([], max_length=50)
    relationships: str = Field("", max_length=services.MAX_TEXT)
    channels: str = Field("", max_length=services.MAX_TEXT)
    key_partners: list[int] = Field([], max_length=500)
    key_activities: str = Field("", max_length=services.MAX_TEXT)
    key_resources: str = Field("", max_length=services.MAX_TEXT)
    cost_structure: str = Field("", max_length=services.MAX_TEXT)
    revenue_streams: str = Field("", max_length=services.MAX_TEXT)


KIND_API: dict[str, tuple[str, Any, Any, Any, Any]] = {
    "stream": ("streams", FundingStream, stream_out, StreamOut, StreamIn),
    "cost": ("costs", CostLine, cost_out, CostOut, CostIn),
    "risk": ("risks", Risk, risk_out, RiskOut, RiskIn),
    "scenario": ("scenarios", Scenario, scenario_out, ScenarioOut, ScenarioIn),
}


def _fields(kind: str, payload: Schema) -> dict:
    data = payload.dict()
    for name in ("end",):
        if name in data and data[name] is None:
            data[name] = ""
    return data


def _crud(kind: str) -> None:
    plural, model, out, schema_out, schema_in = KIND_API[kind]

    @router.get(
        f"/continuity/hubs/{{hub_id}}/{plural}",
        response=page_of(schema_out),
        auth=auth,
        operation_id=f"continuity_list_{plural}",
    )
    def list_lines(
        request, hub_id: int = Path(..., ge=1, le=MAX_ID), limit: int = 50, offset: int = 0
    ):
        hub = _hub(request, hub_id)
        return paginate(model.objects.filter(hub=hub).order_by("pk"), limit, offset, out)

    @router.post(
        f"/continuity/hubs/{{hub_id}}/{plural}",
        response={201: schema_out},
        auth=auth,
        operation_id=f"continuity_create_{kind}",
    )
    def create_line(request, payload: schema_in, hub_id: int = Path(..., ge=1, le=MAX_ID)):  # type: ignore[valid-type]
        hub = _hub(request, hub_id, edit=True)
        row = services.save_line(actor=request.user, kind=kind, hub=hub, **_fields(kind, payload))
        return Status(201, out(row))

    @router.get(
        f"/continuity/{plural}/{{pk}}",
        response=schema_out,
        auth=auth,
        operation_id=f"continuity_get_{kind}",
    )
    def get_line(request, pk: int = Path(..., ge=1, le=MAX_ID)):
        row = get_object_or_404(model, pk=pk)
        _hub(request, row.hub_id)
        return out(row)

    @router.put(
        f"/continuity/{plural}/{{pk}}",
        response=schema_out,
        auth=auth,
        operation_id=f"continuity_update_{kind}",
    )
    def update_line(request, payload: schema_in, pk: int = Path(..., ge=1, le=MAX_ID)):  # type: ignore[valid-type]
        row = get_object_or_404(model, pk=pk)
        _hub(request, row.hub_id, edit=True)
        row = services.save_line(actor=request.user, kind=kind, obj=row, **_fields(kind, payload))
        return out(row)

    @router.delete(
        f"/continuity/{plural}/{{pk}}",
        response={204: None},
        auth=auth,
        operation_id=f"continuity_delete_{kind}",
    )
    def delete_line(request, pk: int = Path(..., ge=1, le=MAX_ID)):
        row = get_object_or_404(model, pk=pk)
        _hub(request, row.hub_id, edit=True)
        services.delete_line(actor=request.user, kind=kind, obj=row)
        return Status(204, None)


for _kind in KIND_API:
    _crud(_kind)


def canvas_out(v) -> dict:
    return {
        "hub": v.hub_id,
        "number": v.number,
        "created_at": v.created_at.isoformat(),
        **{name: getattr(v, name) for name in services.CANVAS_TEXT},
        "stakeholder_segments": [t.code for t in v.stakeholder_segments.all()],
        "key_partners": [o.pk for o in v.key_partners.all()],
    }


def _canvas_hub(request, hub_id: int) -> Hub:
    hub = get_object_or_404(Hub, pk=hub_id)
    request.user = api_user(request)
    settings = HubModel.objects.filter(hub=hub).first()
    if not perms.can_view_canvas(
        request.user, hub, published=bool(settings and settings.canvas_published)
    ):
        raise PermissionDenied
    return hub


@router.get("/continuity/hubs/{hub_id}/canvas", response=CanvasOut)
def get_canvas(request, hub_id: int = Path(..., ge=1, le=MAX_ID)):
    """The latest canvas: public once the hub publishes it."""
    hub = _canvas_hub(request, hub_id)
    return canvas_out(get_object_or_404(hub.canvas_versions.order_by("-number")[:1]))


@router.get("/continuity/hubs/{hub_id}/canvas/versions", response=page_of(CanvasOut), auth=auth)
def list_canvas_versions(
    request, hub_id: int = Path(..., ge=1, le=MAX_ID), limit: int = 50, offset: int = 0
):
    hub = _hub(request, hub_id)
    return paginate(hub.canvas_versions.order_by("-number"), limit, offset, canvas_out)


@router.post("/continuity/hubs/{hub_id}/canvas", response={201: CanvasOut}, auth=auth)
def save_canvas(request, payload: CanvasIn, hub_id: int = Path(..., ge=1, le=MAX_ID)):
    """Save the canvas as a new version."""
    hub = _hub(request, hub_id, edit=True)
    return Status(
        201, canvas_out(services.save_canvas(actor=request.user, hub=hub, **payload.dict()))
    )


@router.get("/continuity/hubs/{hub_id}/projection", response=ProjectionOut, auth=auth)
def get_projection(request, hub_id: int = Path(..., ge=1, le=MAX_ID)):
    hub = _hub(request, hub_id)
    p = compute.projection(compute.hub_model(hub))
    return {
        "hub": hub.pk,
        "currency": "EUR",
        "months": [
            {
                "month": format_month(r.month),
                "income": str(r.income),
                "costs": str(r.costs),
                "balance": str(r.balance),
            }
            for r in p.months
        ],
        "cliff": None if p.cliff is None else format_month(p.cliff),
        "runway_months": p.runway_months,
    }


@router.get("/continuity/hubs/{hub_id}/simulation", response=SimulationOut, auth=auth)
def get_simulation(
    request,
    hub_id: int = Path(..., ge=1, le=MAX_ID),
    runs: int = Query(compute.PAGE_RUNS, ge=1, le=MAX_RUNS),
    seed: int = Query(compute.PAGE_SEED, ge=0, le=2**32 - 1),
):
    hub = _hub(request, hub_id)
    sim = compute.simulation(compute.hub_model(hub), runs=runs, seed=seed)
    return {
        "hub": hub.pk,
        "runs": sim.runs,
        "seed": seed,
        "coverage": {str(h): sim.coverage.get(h) for h in (12, 24, 36)},
        "no_cliff": sim.no_cliff,
        "fan": [
            {
                "month": format_month(f.month),
                "p10": str(f.p10),
                "p50": str(f.p50),
                "p90": str(f.p90),
            }
            for f in sim.fan
        ],
        "importance": [
            {
                "stream": i.stream,
                "coverage_with": i.coverage_with,
                "coverage_without": i.coverage_without,
            }
            for i in sim.importance
        ],
    }


@router.get("/continuity/hubs/{hub_id}/score", response=ScoreOut, auth=auth)
def get_score(request, hub_id: int = Path(..., ge=1, le=MAX_ID)):
    hub = _hub(request, hub_id)
    model = compute.hub_model(hub)
    result = analysis.hub_score(hub, model, compute.simulation(model).coverage.get(24))
    return {
        "hub": hub.pk,
        "total": result.total,
        "best_change": result.best_change,
        "components": [
            {
                "code": c.code,
                "label": str(c.label),
                "value": None if c.value is None else float(c.value),
                "weight": c.weight,
                "points": c.points,
                "explanation": c.explanation,
            }
            for c in result.components
        ],
    }


@router.post("/continuity/project", response=ReportOut)
def project(
    request,
    body: dict = Body(...),  # noqa: B008
    runs: int = Query(10_000),
    seed: int | None = Query(None, ge=0, le=2**32 - 1),
):
    """The body of ``echos continuity project --model``; 400 naming the field on bad input."""
    try:
        check_runs(runs)
        model = parse_model(body)
        return report(model, runs=runs, seed=seed)
    except ModelInvalid as exc:
        raise RuleViolation(exc.message, exc.field) from None
