"""API of a hub's impact model (mounted on the engagement router): public reads, team writes.

The same services as the pages (``engagement.impact``); computed indicators come with their values
per quarter, computed on read. Errors name the field.
"""

import datetime as dt
from decimal import Decimal
from typing import Annotated, Literal

from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from ninja import Path, Query, Router, Schema, Status
from pydantic import Field

from echos.core.api import TokenAuth, one_of
from echos.engagement import exports_impact, impact, indicators
from echos.engagement.models import (
    Accumulation,
    ImpactStage,
    Indicator,
    IndicatorValue,
    LogicElement,
)
from echos.hubs.models import Hub

router = Router(tags=["engagement"])
auth = TokenAuth()

MAX_ID = 2**63 - 1
Id = Annotated[int, Path(..., ge=1, le=MAX_ID)]
Number = Annotated[Decimal, Field(max_digits=14, decimal_places=2)]
Codes = list(indicators.COMPUTATIONS)


class ValueOut(Schema):
    id: int | None = Field(description="Empty for computed values")
    period_start: dt.date
    period_end: dt.date
    actual: float = Field(description="The figure within the period")
    cumulative: float | None = Field(
        description="Cumulative indicators: the running total at the end of the period since the "
        "baseline date (null before it); per-period indicators: null"
    )
    percent_of_target: int | None = Field(
        description="% of the way from baseline to target of the figure that counts: the running "
        "total (cumulative) or the period's figure (per period)"
    )
    note: str
    is_computed: bool
    is_complete: bool = Field(description="False for the quarter still under way")


class IndicatorOut(Schema):
    id: int
    element: int
    name: str
    unit: str
    baseline: float | None
    target: float | None
    target_date: dt.date | None
    accumulation: str = Field(description='"cumulative" or "per_period"')
    baseline_date: dt.date | None = Field(description="A cumulative indicator counts from it")
    computation: str
    parameter: str
    position: int
    is_demo: bool
    latest: float | None = Field(
        description="The figure compared with the target: the running total now (cumulative), "
        "the latest complete quarter (computed, per period) or the latest entry (entered)"
    )
    latest_period_start: dt.date | None = Field(description="The period of `latest`")
    latest_period_end: dt.date | None
    percent_of_target: int | None
    values: list[ValueOut]


class ElementOut(Schema):
    id: int
    hub: int
    stage: str
    title: str
    description: str
    position: int
    is_demo: bool
    indicators: list[IndicatorOut]


class ImpactModelOut(Schema):
    hub: int
    elements: list[ElementOut]


class ComputationOut(Schema):
    code: str
    label: str
    description: str
    parameter: str = Field(description='"stakeholder_group" or "" (none)')


class ElementIn(Schema):
    stage: Annotated[str, one_of(ImpactStage)]
    title: str = Field(max_length=250)
    description: str = Field("", max_length=impact.MAX_TEXT)
    position: int = Field(0, ge=0, le=1000)


class ElementPatch(Schema):
    stage: Annotated[str, one_of(ImpactStage)] | None = None
    title: str | None = Field(None, max_length=250)
    description: str | None = Field(None, max_length=impact.MAX_TEXT)
    position: int | None = Field(None, ge=0, le=1000)


class IndicatorIn(Schema):
    name: str = Field(max_length=250)
    unit: str = Field("", max_length=60)
    baseline: Number | None = None
    target: Number | None = None
    target_date: dt.date | None = None
    accumulation: Annotated[str, one_of(Accumulation, blank=True)] = Field(
        "",
        description='"cumulative", "per_period" or "" (cumulative when computed, else per period)',
    )
    baseline_date: dt.date | None = None
    computation: Annotated[str, one_of(Codes, blank=True)] = ""
    parameter: str = Field("", max_length=40, description="A stakeholder group code, if needed")
    position: int = Field(0, ge=0, le=1000)


class IndicatorPatch(Schema):
    name: str | None = Field(None, max_length=250)
    unit: str | None = Field(None, max_length=60)
    baseline: Number | None = None
    target: Number | None = None
    target_date: dt.date | None = None
    accumulation: Annotated[str, one_of(Accumulation, blank=True)] | None = None
    baseline_date: dt.date | None = None
    computation: Annotated[str, one_of(Codes, blank=True)] | None = None
    parameter: str | None = Field(None, max_length=40)
    position: int | None = Field(None, ge=0, le=1000)


class ValueIn(Schema):
    period_start: dt.date
    period_end: dt.date
    actual: Number
    note: str = Field("", max_length=300)


# Fields a PATCH may set to null (the others keep their value when null is sent).
NULLABLE = {"baseline", "target", "target_date", "baseline_date"}


def _changes(payload: Schema) -> dict:
    return {
        k: v for k, v in payload.dict(exclude_unset=True).items() if v is not None or k in NULLABLE
    }


def _num(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


def _indicator_out(view: impact.IndicatorView) -> dict:
    i = view.indicator
    return {
        "id": i.pk,
        "element": i.element_id,
        "name": i.name,
        "unit": i.unit,
        "baseline": _num(i.baseline),
        "target": _num(i.target),
        "target_date": i.target_date,
        "accumulation": i.accumulation,
        "baseline_date": i.baseline_date,
        "computation": i.computation,
        "parameter": i.parameter,
        "position": i.position,
        "is_demo": i.is_demo,
        "latest": _num(view.value),
        "latest_period_start": view.current.start if view.current else None,
        "latest_period_end": view.current.end if view.current else None,
        "percent_of_target": view.percent,
        "values": [
            {
                "id": p.value_id,
                "period_start": p.start,
                "period_end": p.end,
                "actual": float(p.actual),
                "cumulative": _num(p.cumulative),
                "percent_of_target": p.percent,
                "note": p.note,
                "is_computed": p.is_computed,
                "is_complete": p.is_complete,
            }
            for p in view.periods
        ],
    }


def _element_out(view: impact.ElementView) -> dict:
    e = view.element
    return {
        "id": e.pk,
        "hub": e.hub_id,
        "stage": e.stage,
        "title": e.title,
        "description": e.description,
        "position": e.position,
        "is_demo": e.is_demo,
        "indicators": [_indicator_out(i) for i in view.indicators],
    }


def _views(hub: Hub) -> impact.ImpactModel:
    return impact.impact_model(hub)


def _element_view(element: LogicElement) -> dict:
    model = _views(element.hub)
    found = next(v for c in model.columns for v in c.elements if v.element.pk == element.pk)
    return _element_out(found)


def _indicator_view(indicator: Indicator) -> dict:
    model = _views(indicator.element.hub)
    return _indicator_out(next(v for v in model.indicators if v.indicator.pk == indicator.pk))


@router.get(
    "/impact/computations",
    response=list[ComputationOut],
    summary="Computations an indicator may use (public)",
)
def list_computations(request):
    return [
        {
            "code": c.code,
            "label": str(c.label),
            "description": str(c.description),
            "parameter": c.parameter,
        }
        for c in indicators.COMPUTATIONS.values()
    ]


@router.get(
    "/impact/hubs/{hub_id}",
    response=ImpactModelOut,
    summary="A hub's impact model with its indicators and their values (public)",
)
def get_impact_model(request, hub_id: Id):
    hub = get_object_or_404(Hub, pk=hub_id)
    if not impact.can_view_impact(request.user, hub):
        raise PermissionDenied
    model = _views(hub)
    return {
        "hub": hub.pk,
        "elements": [_element_out(v) for c in model.columns for v in c.elements],
    }


@router.get(
    "/impact/hubs/{hub_id}/export",
    response={200: None},
    summary="A hub's indicators per period as CSV or XLSX (public)",
)
def export_impact_model(
    request,
    hub_id: Id,
    format: Literal["csv", "xlsx"] = Query("csv"),  # noqa: A002 - the documented parameter name
):
    hub = get_object_or_404(Hub, pk=hub_id)
    if not impact.can_view_impact(request.user, hub):
        raise PermissionDenied
    response = HttpResponse(
        exports_impact.export(hub, format), content_type=exports_impact.CONTENT_TYPES[format]
    )
    response["Content-Disposition"] = (
        f'attachment; filename="{exports_impact.filename(hub, format)}"'
    )
    return response


@router.post("/impact/hubs/{hub_id}/elements", response={201: ElementOut}, auth=auth)
def create_element(request, hub_id: Id, payload: ElementIn):
    hub = get_object_or_404(Hub, pk=hub_id)
    element = impact.save_element(actor=request.user, hub=hub, **payload.dict())
    return Status(201, _element_view(element))


def _element(pk: int) -> LogicElement:
    return get_object_or_404(LogicElement.objects.select_related("hub"), pk=pk)


def _indicator(pk: int) -> Indicator:
    return get_object_or_404(Indicator.objects.select_related("element__hub"), pk=pk)


@router.patch("/impact/elements/{element_id}", response=ElementOut, auth=auth)
def patch_element(request, element_id: Id, payload: ElementPatch):
    element = impact.save_element(
        actor=request.user, element=_element(element_id), **_changes(payload)
    )
    return _element_view(element)


@router.delete("/impact/elements/{element_id}", response={204: None}, auth=auth)
def delete_element(request, element_id: Id):
    impact.delete_element(actor=request.user, element=_element(element_id))
    return Status(204, None)


@router.post("/impact/elements/{element_id}/indicators", response={201: IndicatorOut}, auth=auth)
def create_indicator(request, element_id: Id, payload: IndicatorIn):
    indicator = impact.save_indicator(
        actor=request.user, element=_element(element_id), **payload.dict()
    )
    return Status(201, _indicator_view(indicator))


@router.patch("/impact/indicators/{indicator_id}", response=IndicatorOut, auth=auth)
def patch_indicator(request, indicator_id: Id, payload: IndicatorPatch):
    indicator = impact.save_indicator(
        actor=request.user, indicator=_indicator(indicator_id), **_changes(payload)
    )
    return _indicator_view(indicator)


@router.delete("/impact/indicators/{indicator_id}", response={204: None}, auth=auth)
def delete_indicator(request, indicator_id: Id):
    impact.delete_indicator(actor=request.user, indicator=_indicator(indicator_id))
    return Status(204, None)


@router.post("/impact/indicators/{indicator_id}/values", response={201: ValueOut}, auth=auth)
def create_value(request, indicator_id: Id, payload: ValueIn):
    value = impact.save_value(
        actor=request.user, indicator=_indicator(indicator_id), **payload.dict()
    )
    view = _indicator_view(value.indicator)
    return Status(201, next(v for v in view["values"] if v["id"] == value.pk))


@router.delete("/impact/values/{value_id}", response={204: None}, auth=auth)
def delete_value(request, value_id: Id):
    value = get_object_or_404(
        IndicatorValue.objects.select_related("indicator__element__hub"), pk=value_id
    )
    impact.delete_value(actor=request.user, value=value)
    return Status(204, None)
