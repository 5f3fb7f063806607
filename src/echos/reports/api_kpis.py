"""API of the KPI catalogue and dashboards (mounted on the reports router).

- ``GET /reports/kpis``: the catalogue (public).
- ``GET /reports/kpis/{code}``: one KPI's definition (public).
- ``GET /reports/kpis/{code}/figures?start=YYYY-MM&end=YYYY-MM[&hub=ID]``: its figures over a
  period (default: the last 12 months) for the network or a hub and the hubs below it.
- ``GET /reports/kpis/{code}/monthly?start=…&end=…[&hub=ID]``: the same month by month.

Who may read figures: ``reports.dashboards.can_read_kpi`` (a public KPI: everyone at network
scope, whoever may see the hub at hub scope; the others: network coordinators, and the hub's team
for its hub). An unknown code answers 404 naming it; a bad period 422 naming ``start`` or ``end``.
The figures are ``core.kpis.compute``'s: the same as the dashboards', the reports' and the open
data's.
"""

from datetime import date

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.urls import reverse
from ninja import Router, Schema
from ninja.errors import AuthenticationError

from echos.core import kpis
from echos.core.api import api_user, page_of, paginate
from echos.core.exceptions import RuleViolation
from echos.hubs.models import Hub
from echos.reports import dashboards

router = Router(tags=["reports"])
MAX_ID = 2**63 - 1


class UnknownKpiCode(RuleViolation):
    """No installed app declares the code (404, naming it)."""

    status = 404


class BadPeriod(RuleViolation):
    """The period cannot be used (422, naming the parameter)."""

    status = 422


class KpiOut(Schema):
    code: str
    name: str
    definition: str
    numerator: str
    denominator: str
    unit: str
    owner: str
    breakdown: str
    scopes: list[str]
    kind: str
    additive: bool
    public: bool
    url: str


class FigureOut(Schema):
    key: str
    label: str
    value: int | float | None


class ResultOut(Schema):
    code: str
    start: date
    end: date
    hub: int | None
    figures: list[FigureOut]
    total: int | float | None


class MonthlyOut(Schema):
    code: str
    hub: int | None
    months: list[ResultOut]


def kpi_out(kpi: kpis.Kpi) -> dict:
    return {
        "code": kpi.code,
        "name": str(kpi.name),
        "definition": str(kpi.definition),
        "numerator": str(kpi.numerator),
        "denominator": str(kpi.denominator),
        "unit": str(kpi.unit),
        "owner": kpi.owner,
        "breakdown": str(kpi.breakdown),
        "scopes": list(kpi.scopes),
        "kind": kpi.kind,
        "additive": kpi.additive,
        "public": kpi.public,
        "url": reverse("reports:kpi", args=[kpi.code]),
    }


def result_out(result: kpis.Result) -> dict:
    return {
        "code": result.kpi.code,
        "start": result.start,
        "end": result.end,
        "hub": result.hub_id,
        "figures": [
            {"key": f.key, "label": f.label, "value": _number(f.value)} for f in result.figures
        ],
        "total": _number(result.total),
    }


def _number(value):
    return float(value) if value is not None and not isinstance(value, int | float) else value


def _kpi(code: str) -> kpis.Kpi:
    try:
        return kpis.get(code)
    except kpis.UnknownKpi:
        raise UnknownKpiCode(f"No KPI has the code {code!r}.", "code") from None


def _period(start: str | None, end: str | None) -> tuple[date, date]:
    if start is None and end is None:
        return kpis.default_period()
    try:
        return kpis.parse_period(start, end)
    except kpis.PeriodError as exc:
        raise BadPeriod(exc.message, exc.field) from None


def _scope(request, kpi: kpis.Kpi, hub_id: int | None) -> Hub | None:
    """The hub asked for (None: the network), once the caller may read the KPI there."""
    if hub_id is not None and not 1 <= hub_id <= MAX_ID:
        raise BadPeriod("hub must be a hub's id.", "hub")
    hub = get_object_or_404(Hub, pk=hub_id) if hub_id is not None else None
    scope = "network" if hub is None else "hub"
    if scope not in kpi.scopes:
        raise RuleViolation(f"{kpi.code} is computed for the network only.", "hub")
    user = api_user(request)
    if not dashboards.can_read_kpi(user, kpi, hub):
        if not user.is_authenticated:
            raise AuthenticationError()
        raise PermissionDenied
    return hub


@router.get("/reports/kpis", response=page_of(KpiOut))
def list_kpis(request, limit: int = 100, offset: int = 0):
    """The KPI catalogue: every installed KPI with its written definition."""
    return paginate(kpis.catalogue(), limit, offset, kpi_out)


@router.get("/reports/kpis/{code}", response=KpiOut)
def get_kpi(request, code: str):
    """One KPI's definition."""
    return kpi_out(_kpi(code))


@router.get("/reports/kpis/{code}/figures", response=ResultOut)
def kpi_figures(
    request, code: str, start: str | None = None, end: str | None = None, hub: int | None = None
):
    """One KPI's figures over a period (whole months, YYYY-MM; default the last 12 months)."""
    kpi = _kpi(code)
    first, last = _period(start, end)
    return result_out(kpis.compute(kpi, first, last, _scope(request, kpi, hub)))


@router.get("/reports/kpis/{code}/monthly", response=MonthlyOut)
def kpi_monthly(
    request, code: str, start: str | None = None, end: str | None = None, hub: int | None = None
):
    """One KPI month by month over a period of at most 36 months."""
    kpi = _kpi(code)
    first, last = _period(start, end)
    scope = _scope(request, kpi, hub)
    months = kpis.monthly(kpi, first, last, scope)
    return {"code": kpi.code, "hub": hub, "months": [result_out(r) for r in months]}
