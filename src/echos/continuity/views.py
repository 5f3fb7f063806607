"""Pages of the continuity capability: a hub's model, canvas, scenarios, risks and score; the
network view, the network operations model and the EUR rate table."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from echos.continuity import analysis, charts, compute, exports, services
from echos.continuity import network as netmodel
from echos.continuity import permissions as perms
from echos.continuity.engine.months import format_month
from echos.continuity.forms import (
    CanvasForm,
    CostForm,
    NetworkModelForm,
    NetworkScenarioForm,
    RateForm,
    RiskForm,
    ScenarioForm,
    SettingsForm,
    StreamForm,
)
from echos.continuity.models import (
    CanvasVersion,
    CostLine,
    EurRate,
    FundingStream,
    HubModel,
    NetworkScenario,
    Risk,
    Scenario,
    SourceType,
)
from echos.continuity.panels import flags
from echos.core.exceptions import RuleViolation
from echos.hubs.models import Hub

FORMS: dict[str, tuple[Any, Any, str]] = {
    "stream": (FundingStream, StreamForm, "continuity:hub"),
    "cost": (CostLine, CostForm, "continuity:hub"),
    "risk": (Risk, RiskForm, "continuity:risks"),
    "scenario": (Scenario, ScenarioForm, "continuity:scenarios"),
}


def _hub(request, hub_id: int, *, edit: bool = False) -> Hub:
    """The hub if the user may see (or, with ``edit``, change) its model; else 403."""
    hub = get_object_or_404(Hub.objects.select_related("country"), pk=hub_id)
    allowed = perms.can_edit_model if edit else perms.can_view_model
    if not allowed(request.user, hub):
        raise PermissionDenied
    return hub


def _figures(hub: Hub) -> dict:
    """Projection, Monte Carlo and their chart specs, or the error naming what is missing."""
    try:
        model = compute.hub_model(hub)
    except RuleViolation as exc:
        return {"model_error": exc}
    baseline = compute.projection(model)
    sim = compute.simulation(model)
    rows = [
        {
            "month": format_month(r.month),
            "income": float(r.income),
            "costs": float(r.costs),
            "balance": float(r.balance),
        }
        for r in baseline.months
    ]
    fan = [
        {
            "month": format_month(f.month),
            "p10": float(f.p10),
            "p50": float(f.p50),
            "p90": float(f.p90),
        }
        for f in sim.fan
    ]
    names = dict(hub.funding_streams.values_list("pk", "name"))
    importance = [
        {
            "name": names.get(int(i.stream), i.stream),
            "with": i.coverage_with,
            "without": i.coverage_without,
            "difference": i.difference,
        }
        for i in sim.importance
    ]
    return {
        "model": model,
        "baseline": baseline,
        "cliff": format_month(baseline.cliff) if baseline.cliff is not None else None,
        "rows": rows,
        "fan": fan,
        "coverage": sorted(sim.coverage.items()),
        "runs": sim.runs,
        "importance": importance,
        "projection_spec": charts.projection_spec(rows),
        "fan_spec": charts.fan_spec(fan),
    }


def hub_model(request, hub_id: int):
    """The hub's streams, costs, settings, projection, fan chart and coverage."""
    hub = _hub(request, hub_id)
    settings = HubModel.objects.filter(hub=hub).first() or HubModel(hub=hub)
    can_edit = perms.can_edit_model(request.user, hub)
    form = SettingsForm(initial={f: getattr(settings, f) for f in services.SETTINGS_FIELDS})
    status = 200
    if request.method == "POST":
        if not can_edit:
            raise PermissionDenied
        form = SettingsForm(request.POST)
        if form.is_valid():
            try:
                services.save_settings(actor=request.user, hub=hub, **form.cleaned_data)
            except RuleViolation as exc:
                form.add_rule_violation(exc)
            else:
                messages.success(request, _("Settings saved."))
                return redirect("continuity:hub", hub.pk)
        status = 422
    context = {
        "hub": hub,
        "settings": settings,
        "streams": hub.funding_streams.select_related("funder"),
        "costs": hub.cost_lines.all(),
        "form": form,
        "can_edit": can_edit,
        **_figures(hub),
    }
    return render(request, "continuity/hub.html", context, status=status)


@login_required
def line_edit(request, kind: str, hub_id: int | None = None, pk: int | None = None):
    """Create (``hub_id``) or change (``pk``) a stream, cost, risk or scenario of a hub."""
    if kind not in FORMS:
        raise Http404
    model, form_class, back = FORMS[kind]
    obj = get_object_or_404(model.objects.select_related("hub"), pk=pk) if pk else None
    hub = _hub(request, obj.hub_id if obj else hub_id, edit=True)  # type: ignore[arg-type]
    status = 200
    if request.method == "POST":
        form = form_class(request.POST, hub=hub)
        if form.is_valid():
            try:
                services.save_line(
                    actor=request.user, kind=kind, hub=hub, obj=obj, **form.service_fields()
                )
            except RuleViolation as exc:
                form.add_rule_violation(exc)
            else:
                messages.success(request, _("Saved."))
                return redirect(back, hub.pk)
        status = 422
    else:
        initial = {n: getattr(obj, n) for n in form_class.field_names} if obj else {}
        if obj is not None and kind == "scenario":
            initial["changes"] = obj.changes
        if obj is None and kind == "scenario":
            initial["changes"] = []
        form = form_class(initial=initial, hub=hub)
    return render(
        request,
        "continuity/line_form.html",
        {"form": form, "hub": hub, "obj": obj, "kind": kind, "back": back},
        status=status,
    )


@login_required
@require_POST
def line_delete(request, kind: str, pk: int):
    """Delete a stream, cost, risk or scenario (the audit entry keeps it for a revert)."""
    if kind not in FORMS:
        raise Http404
    model, _form, back = FORMS[kind]
    obj = get_object_or_404(model.objects.select_related("hub"), pk=pk)
    _hub(request, obj.hub_id, edit=True)
    services.delete_line(actor=request.user, kind=kind, obj=obj)
    messages.success(request, _("Deleted."))
    return redirect(back, obj.hub_id)


def canvas(request, hub_id: int, number: int | None = None):
    """The canvas (latest or one version), printable on one page; public once published."""
    hub = get_object_or_404(Hub.objects.select_related("country"), pk=hub_id)
    settings = HubModel.objects.filter(hub=hub).first()
    published = bool(settings and settings.canvas_published)
    if not perms.can_view_canvas(request.user, hub, published=published):
        raise PermissionDenied
    versions = hub.canvas_versions.all()
    version = (
        get_object_or_404(versions, number=number)
        if number
        else versions.order_by("-number").first()
    )
    can_view_model = perms.can_view_model(request.user, hub)
    return render(
        request,
        "continuity/canvas.html",
        {
            "hub": hub,
            "version": version,
            # The public sees the published canvas only, not the earlier drafts.
            "versions": versions if can_view_model else [],
            "can_edit": perms.can_edit_model(request.user, hub),
            "published": published,
        },
    )


@login_required
def canvas_edit(request, hub_id: int):
    """Save the canvas as a new version."""
    hub = _hub(request, hub_id, edit=True)
    status = 200
    if request.method == "POST":
        form = CanvasForm(request.POST, hub=hub)
        if form.is_valid():
            try:
                services.save_canvas(actor=request.user, hub=hub, **form.service_fields())
            except RuleViolation as exc:
                form.add_rule_violation(exc)
            else:
                messages.success(request, _("A new version of the canvas was saved."))
                return redirect("continuity:canvas", hub.pk)
        status = 422
    else:
        current: CanvasVersion | None = services.current_canvas(hub)
        initial: dict[str, Any] = {}
        if current is not None:
            initial = {n: getattr(current, n) for n in services.CANVAS_TEXT}
            initial["stakeholder_segments"] = [t.code for t in current.stakeholder_segments.all()]
            initial["key_partners"] = [str(o.pk) for o in current.key_partners.all()]
        form = CanvasForm(initial=initial, hub=hub)
    return render(request, "continuity/canvas_form.html", {"form": form, "hub": hub}, status=status)


def scenarios(request, hub_id: int):
    """Scenarios compared with the baseline: runway, cliff, coverage at 24 months, gap."""
    hub = _hub(request, hub_id)
    rows, errors = [], []
    try:
        baseline = compute.hub_model(hub)
    except RuleViolation as exc:
        baseline, errors = None, [(_("Baseline"), exc)]
    stored = list(hub.continuity_scenarios.all())
    if baseline is not None:
        named = [(str(_("Baseline")), baseline)]
        for s in stored:
            try:
                named.append((s.name, compute.scenario_model(hub, baseline, s.changes)))
            except RuleViolation as exc:
                errors.append((s.name, exc))
        rows = compute.comparison(named)
    return render(
        request,
        "continuity/scenarios.html",
        {
            "hub": hub,
            "rows": rows,
            "errors": errors,
            "scenarios": stored,
            "spec": charts.scenarios_spec(
                [{"name": r["name"], "runway": r["runway"]} for r in rows]
            ),
            "can_edit": perms.can_edit_model(request.user, hub),
        },
    )


def risks(request, hub_id: int):
    """The risk register, the 5×5 heat map with counts and its table, and the flags."""
    hub = _hub(request, hub_id)
    register = list(hub.continuity_risks.all())
    counts = {(r.likelihood, r.impact): 0 for r in register}
    for r in register:
        if r.status != "closed":
            counts[(r.likelihood, r.impact)] = counts.get((r.likelihood, r.impact), 0) + 1
    cells = [
        {"likelihood": lk, "impact": im, "score": lk * im, "count": counts.get((lk, im), 0)}
        for lk in range(1, 6)
        for im in range(1, 6)
    ]
    grid = [[counts.get((lk, im), 0) for im in range(1, 6)] for lk in range(5, 0, -1)]

    return render(
        request,
        "continuity/risks.html",
        {
            "hub": hub,
            "risks": register,
            "grid": zip(range(5, 0, -1), grid, strict=True),
            "spec": charts.heat_spec(cells),
            "can_edit": perms.can_edit_model(request.user, hub),
            **flags(hub),
        },
    )


def score(request, hub_id: int):
    """The continuity score, component by component, and the single change worth most."""
    hub = _hub(request, hub_id)
    try:
        model = compute.hub_model(hub)
    except RuleViolation as exc:
        return render(request, "continuity/score.html", {"hub": hub, "model_error": exc})
    sim = compute.simulation(model)
    result = analysis.hub_score(hub, model, sim.coverage.get(24))
    return render(request, "continuity/score.html", {"hub": hub, "score": result})


def export(request, hub_id: int):
    """The hub's model as XLSX: one sheet per part, the projection as numbers."""
    hub = _hub(request, hub_id)
    response = HttpResponse(
        exports.hub_workbook(hub),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="continuity-hub-{hub.pk}.xlsx"'
    return response


def network(request):
    """Network coordinators: cliffs within 12 months, single-funder hubs, mix, scores by country."""
    if not perms.can_view_network(request.user):
        raise PermissionDenied
    view = analysis.network_view(netmodel.this_month())
    labels = dict(SourceType.choices)
    mix = [
        {"type": labels.get(m["source_type"], m["source_type"]), "amount": m["amount"],
         "share": m["share"]}
        for m in view["mix"]
    ]  # fmt: skip
    countries = [{"code": c, "country": c, "score": s, "url": ""} for c, s in view["countries"]]
    return render(
        request,
        "continuity/network.html",
        {
            "cliffs": [
                {**r.__dict__, "cliff_month": format_month(r.cliff)} for r in view["cliffs"]
            ],
            "dependent": view["dependent"],
            "mix": mix,
            "countries": countries,
            "map_spec": charts.score_map_spec(countries),
            "hubs_count": len(view["rows"]),
        },
    )


def network_model(request):
    """The network operations model: form, projection, Monte Carlo and "what if N hubs stop"."""
    if not perms.can_view_network(request.user):
        raise PermissionDenied
    row = netmodel.current()
    form = NetworkModelForm(instance=row)
    status = 200
    if request.method == "POST":
        form = NetworkModelForm(request.POST, instance=netmodel.current())
        if form.is_valid():
            fields = {n: form.cleaned_data[n] for n in netmodel.NETWORK_FIELDS}
            try:
                netmodel.save_network_model(actor=request.user, **fields)
            except RuleViolation as exc:
                form.add_rule_violation(exc)
            else:
                messages.success(request, _("Network model saved."))
                return redirect("continuity:network_model")
        status = 422
        row = netmodel.current()
    context: dict[str, Any] = {"form": form}
    try:
        named, errors = netmodel.named_models(row, netmodel.this_month())
        model = named[0][1]
        rows = compute.comparison(named)
        sim = compute.simulation(model)
        fan = [
            {
                "month": format_month(f.month),
                "p10": float(f.p10),
                "p50": float(f.p50),
                "p90": float(f.p90),
            }
            for f in sim.fan
        ]
        context.update(
            rows=rows,
            errors=errors,
            spec=charts.scenarios_spec([{"name": r["name"], "runway": r["runway"]} for r in rows]),
            coverage=sorted(sim.coverage.items()),
            fan=fan,
            fan_spec=charts.fan_spec(fan),
            hubs=netmodel.contributing_hubs(model),
        )
    except RuleViolation as exc:
        context["model_error"] = exc
    context["scenarios"] = NetworkScenario.objects.all()
    context["can_edit"] = perms.can_edit_network(request.user)
    return render(request, "continuity/network_model.html", context, status=status)


def network_scenario_edit(request, pk: int | None = None):
    """Create or change a network scenario (network coordinators)."""
    if not perms.can_edit_network(request.user):
        raise PermissionDenied
    obj = get_object_or_404(NetworkScenario, pk=pk) if pk else None
    status = 200
    if request.method == "POST":
        form = NetworkScenarioForm(request.POST, instance=obj)
        if form.is_valid():
            try:
                netmodel.save_network_scenario(
                    actor=request.user,
                    month=netmodel.this_month(),
                    obj=obj,
                    **form.service_fields(),
                )
            except RuleViolation as exc:
                form.add_rule_violation(exc)
            else:
                messages.success(request, _("Saved."))
                return redirect("continuity:network_model")
        status = 422
    else:
        form = NetworkScenarioForm(instance=obj)
    return render(
        request,
        "continuity/network_scenario_form.html",
        {"form": form, "obj": obj},
        status=status,
    )


@login_required
@require_POST
def network_scenario_delete(request, pk: int):
    """Delete a network scenario (the audit entry keeps it for a revert)."""
    if not perms.can_edit_network(request.user):
        raise PermissionDenied
    netmodel.delete_network_scenario(
        actor=request.user, obj=get_object_or_404(NetworkScenario, pk=pk)
    )
    messages.success(request, _("Deleted."))
    return redirect("continuity:network_model")


def rates(request):
    """The EUR rate table: network coordinators add and change rates."""
    if not perms.can_view_network(request.user):
        raise PermissionDenied
    form = RateForm()
    status = 200
    if request.method == "POST":
        form = RateForm(request.POST)
        if form.is_valid():
            try:
                netmodel.save_rate(actor=request.user, **form.cleaned_data)
            except RuleViolation as exc:
                form.add_rule_violation(exc)
            else:
                messages.success(request, _("Rate saved."))
                return redirect("continuity:rates")
        status = 422
    return render(
        request,
        "continuity/rates.html",
        {"form": form, "rates": EurRate.objects.all()},
        status=status,
    )
