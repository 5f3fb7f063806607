"""Pages of a hub's impact model: the logic model (public), its editing (the hub's team)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from echos.core.charts import vega_lite_base
from echos.core.exceptions import RuleViolation
from echos.engagement import exports_impact, impact, indicators
from echos.engagement.forms_impact import ElementForm, IndicatorForm, ValueForm
from echos.engagement.models import Indicator, IndicatorValue, LogicElement
from echos.hubs.models import Hub


def progress_spec(model: impact.ImpactModel) -> dict:
    """% of the way from baseline to target per period, one line per indicator with a target: of the
    running total for cumulative indicators, of each period's figure for per-period ones (the
    current quarter of a per-period computed indicator is left out: it is not complete)."""
    rows = [
        {"indicator": view.indicator.name, "period": p.end.isoformat(), "percent": p.percent}
        for view in model.with_target
        for p in view.periods
        if p.percent is not None and (p.is_complete or p is view.current)
    ]
    spec = vega_lite_base(rows)
    x = {"field": "period", "type": "temporal", "title": _("End of period")}
    spec.update(
        height=280,
        layer=[
            {
                "mark": {"type": "line", "point": True},
                "encoding": {
                    "x": x,
                    "y": {
                        "field": "percent",
                        "type": "quantitative",
                        "title": _("Progress from baseline to target"),
                    },
                    "color": {
                        "field": "indicator",
                        "type": "nominal",
                        "title": _("Indicator"),
                        "legend": {"orient": "bottom", "columns": 1, "labelLimit": 320},
                    },
                    "tooltip": [
                        {"field": "indicator", "title": _("Indicator")},
                        {"field": "period", "type": "temporal", "title": _("End of period")},
                        {"field": "percent", "title": _("Progress to target (per cent)")},
                    ],
                },
            },
            {"mark": {"type": "rule", "color": "#2a7d2a"}, "encoding": {"y": {"datum": 100}}},
        ],
    )
    return spec


def impact_page(request, hub_id: int):
    """Public: the five columns with their indicators, progress charted with its table."""
    hub = get_object_or_404(Hub.objects.select_related("country"), pk=hub_id)
    if not impact.can_view_impact(request.user, hub):
        raise PermissionDenied
    model = impact.impact_model(hub)
    return render(
        request,
        "engagement/impact.html",
        {
            "hub": hub,
            "model": model,
            "spec": progress_spec(model) if model.with_target else None,
            "can_edit": impact.can_edit_impact(request.user, hub),
            "computations": indicators.COMPUTATIONS.values(),
            "quarters": impact.QUARTERS,
        },
    )


def impact_export(request, hub_id: int, fmt: str):
    """Public like the page: the indicators per period as CSV or XLSX."""
    if fmt not in exports_impact.CONTENT_TYPES:
        raise Http404
    hub = get_object_or_404(Hub, pk=hub_id)
    if not impact.can_view_impact(request.user, hub):
        raise PermissionDenied
    response = HttpResponse(
        exports_impact.export(hub, fmt), content_type=exports_impact.CONTENT_TYPES[fmt]
    )
    response["Content-Disposition"] = f'attachment; filename="{exports_impact.filename(hub, fmt)}"'
    return response


def _form_page(request, form, save, *, hub, title: str, back: str):
    """Validate, call the service, put a RuleViolation on its field, redirect to the model."""
    if request.method == "POST" and form.is_valid():
        try:
            save(form)
        except RuleViolation as exc:
            form.add_rule_violation(exc)
        else:
            messages.success(request, _("The impact model is saved."))
            return redirect(back)
    status = 422 if request.method == "POST" else 200
    context = {"form": form, "hub": hub, "title": title, "back": back}
    return render(request, "engagement/impact_form.html", context, status=status)


def _team(request, hub: Hub) -> None:
    if not impact.can_edit_impact(request.user, hub):
        raise PermissionDenied


def _back(hub: Hub) -> str:
    return reverse("engagement:impact", args=[hub.pk])


@login_required
def element_edit(request, hub_id: int | None = None, pk: int | None = None):
    """Add (``hub_id``) or change (``pk``) an element of the logic model."""
    element = get_object_or_404(LogicElement.objects.select_related("hub"), pk=pk) if pk else None
    hub = element.hub if element else get_object_or_404(Hub, pk=hub_id)
    _team(request, hub)
    initial = (
        {k: getattr(element, k) for k in ("stage", "title", "description", "position")}
        if element
        else {"stage": request.GET.get("stage", "")}
    )
    form = ElementForm(request.POST or None, initial=initial)

    def save(f):
        impact.save_element(actor=request.user, hub=hub, element=element, **f.cleaned_data)

    title = _("Change an element") if element else _("Add an element to the impact model")
    return _form_page(request, form, save, hub=hub, title=title, back=_back(hub))


@login_required
def indicator_edit(request, element_id: int | None = None, pk: int | None = None):
    """Add an indicator to an element (``element_id``) or change one (``pk``)."""
    indicator = (
        get_object_or_404(Indicator.objects.select_related("element__hub"), pk=pk) if pk else None
    )
    element = (
        indicator.element
        if indicator
        else get_object_or_404(LogicElement.objects.select_related("hub"), pk=element_id)
    )
    _team(request, element.hub)
    fields = (
        "name",
        "unit",
        "baseline",
        "target",
        "target_date",
        "accumulation",
        "baseline_date",
        "computation",
        "parameter",
    )
    initial = {k: getattr(indicator, k) for k in (*fields, "position")} if indicator else {}
    form = IndicatorForm(request.POST or None, initial=initial)

    def save(f):
        impact.save_indicator(
            actor=request.user, element=element, indicator=indicator, **f.service_fields()
        )

    title = (
        _("Change the indicator %(name)s") % {"name": indicator.name}
        if indicator
        else _("Add an indicator to %(element)s") % {"element": element.title}
    )
    return _form_page(request, form, save, hub=element.hub, title=title, back=_back(element.hub))


@login_required
def value_create(request, indicator_id: int):
    """Enter the actual value of a hand-entered indicator for one period."""
    indicator = get_object_or_404(Indicator.objects.select_related("element__hub"), pk=indicator_id)
    hub = indicator.element.hub
    _team(request, hub)
    form = ValueForm(request.POST or None)

    def save(f):
        impact.save_value(actor=request.user, indicator=indicator, **f.cleaned_data)

    title = _("Enter a value of %(name)s") % {"name": indicator.name}
    return _form_page(request, form, save, hub=hub, title=title, back=_back(hub))


def _delete(request, obj, hub: Hub, service, kwarg: str):
    _team(request, hub)
    service(actor=request.user, **{kwarg: obj})
    messages.success(request, _("Deleted from the impact model."))
    return redirect(_back(hub))


@login_required
@require_POST
def element_delete(request, pk: int):
    element = get_object_or_404(LogicElement.objects.select_related("hub"), pk=pk)
    return _delete(request, element, element.hub, impact.delete_element, "element")


@login_required
@require_POST
def indicator_delete(request, pk: int):
    indicator = get_object_or_404(Indicator.objects.select_related("element__hub"), pk=pk)
    return _delete(request, indicator, indicator.element.hub, impact.delete_indicator, "indicator")


@login_required
@require_POST
def value_delete(request, pk: int):
    value = get_object_or_404(
        IndicatorValue.objects.select_related("indicator__element__hub"), pk=pk
    )
    return _delete(request, value, value.indicator.element.hub, impact.delete_value, "value")
