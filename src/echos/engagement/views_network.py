"""Pages of the network map (a hub's, the whole network's), its exports and snapshots, and the
multistakeholder use cases. The rules are in ``network_views`` and ``usecases``."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from echos.core.exceptions import RuleViolation
from echos.core.models import Term
from echos.engagement import graph, usecases
from echos.engagement import network_store as store
from echos.engagement import network_views as nv
from echos.engagement.coverage import last_twelve_months
from echos.engagement.forms_network import (
    CompareForm,
    NetworkFilterForm,
    PeriodForm,
    SnapshotForm,
    UseCaseForm,
)
from echos.engagement.models import UseCase
from echos.hubs.models import Hub

MAX_DRAWN_NODES = store.MAX_DRAWN_NODES
TABLE_ROWS = store.TABLE_ROWS


def _hub(hub_id: int | None) -> Hub | None:
    return get_object_or_404(Hub.objects.select_related("country"), pk=hub_id) if hub_id else None


def _filters(form) -> nv.Filters | None:
    """The validated filters of a bound form (errors land on the form), or the defaults."""
    today = timezone.localdate()
    if not form.is_bound:
        return nv.parse_filters(today=today)
    if not form.is_valid():
        return None
    data = {
        k: v for k, v in form.cleaned_data.items() if k in ("start", "end", "group", "objective")
    }
    try:
        return nv.parse_filters(today=today, **data)
    except RuleViolation as exc:
        form.add_rule_violation(exc)
        return None


def network_map(request, hub_id: int | None = None):
    """Public: the network of a hub (or of the whole network), drawn with a table beside it.

    A selection too large to compute in a request is answered from its stored result (with its
    age), and its computation is queued in the background (``network_store``)."""
    hub = _hub(hub_id)
    if not nv.can_view_network(request.user, hub):
        raise PermissionDenied
    form = NetworkFilterForm(request.GET if request.GET else None)
    filters = _filters(form)
    context: dict = {"hub": hub, "form": form, "max_drawn": MAX_DRAWN_NODES}
    if filters is None:
        return render(request, "engagement/network.html", context, status=400)
    with_register = nv.sees_register(request.user, hub)
    context.update(filters=filters, query=request.GET.urlencode())
    if store.too_large(hub, filters, with_register=with_register):
        stored = store.stored(hub, filters, with_register=with_register)
        context.update(stored=stored, retry_after=store.RETRY_AFTER)
        payload = stored.payload if stored.computed_at else None
    else:
        payload = store.page_payload(
            nv.measured_map(hub=hub, filters=filters, with_register=with_register)
        )
    if payload is None:
        return render(request, "engagement/network.html", context)
    context.update(
        payload,
        map={"with_register": payload["with_register"]},
        can_snapshot=nv.can_snapshot(request.user, hub),
        snapshot_form=SnapshotForm(
            initial={"start": filters.start, "end": filters.end, **filters.as_dict()}
        ),
        groups={t.code: t.display for t in Term.objects.of(Term.Vocabulary.STAKEHOLDER_GROUPS)},
    )
    return render(request, "engagement/network.html", context)


def network_export(request, fmt: str, hub_id: int | None = None):
    """The map as GEXF or GraphML for Gephi, Kumu or yEd (what the viewer may see); a large
    selection's file is the one the background job wrote, streamed (503 until it exists)."""
    hub = _hub(hub_id)
    if fmt not in graph.EXPORT_FORMATS:
        return HttpResponseBadRequest(_("Unknown format: choose gexf or graphml."))
    form = NetworkFilterForm(request.GET if request.GET else None)
    filters = _filters(form)
    if filters is None:
        errors = "; ".join(f"{k}: {' '.join(str(e) for e in v)}" for k, v in form.errors.items())
        return HttpResponseBadRequest(errors, content_type="text/plain; charset=utf-8")
    name = f"echos-network-{f'hub{hub.pk}' if hub else 'all'}-{filters.start}-{filters.end}.{fmt}"
    with_register = nv.sees_register(request.user, hub)
    if store.too_large(hub, filters, with_register=with_register):
        path = store.export_file(store.stored(hub, filters, with_register=with_register), fmt)
        if path is None:
            response = HttpResponse(
                _(
                    "This network is large: its file is being prepared; please try again in a minute."
                ),
                status=503,
                content_type="text/plain; charset=utf-8",
            )
            response["Retry-After"] = str(store.RETRY_AFTER)
            return response
        return FileResponse(
            path.open("rb"),
            as_attachment=True,
            filename=name,
            content_type=graph.EXPORT_FORMATS[fmt],
        )
    m = nv.measured_map(hub=hub, filters=filters, with_register=with_register)
    response = HttpResponse(m.export(fmt), content_type=graph.EXPORT_FORMATS[fmt])
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
@require_POST
def snapshot_create(request, hub_id: int | None = None):
    """Keep the figures of the period shown on the map."""
    hub = _hub(hub_id)
    if not nv.can_snapshot(request.user, hub):
        raise PermissionDenied
    form = SnapshotForm(request.POST)
    back = (
        reverse("engagement:network_hub", args=[hub.pk]) if hub else reverse("engagement:network")
    )
    try:
        if not form.is_valid():
            raise RuleViolation(_("The snapshot's period is missing."), "start")
        data = form.cleaned_data
        filters = nv.parse_filters(
            start=data["start"],
            end=data["end"],
            group=data["group"],
            objective=data["objective"],
            today=timezone.localdate(),
        )
        store.save_snapshot(actor=request.user, hub=hub, filters=filters, label=data["label"])
    except RuleViolation as exc:
        messages.error(request, exc.message)
        return redirect(back)
    messages.success(request, _("Snapshot saved."))
    compare = "engagement:network_compare_hub" if hub else "engagement:network_compare"
    return redirect(reverse(compare, args=[hub.pk] if hub else []))


def network_compare(request, hub_id: int | None = None):
    """Two snapshots (the team) or two periods (everyone) side by side."""
    hub = _hub(hub_id)
    allowed = nv.can_snapshot(request.user, hub)
    snapshots = list(nv.snapshots_of(hub)) if allowed else []
    form = CompareForm(request.GET if request.GET else None, snapshots=snapshots)
    result, status, pending = None, 200, False
    if form.is_bound and form.is_valid():
        d = form.cleaned_data
        try:
            if d["a"] or d["b"]:
                if not allowed:
                    raise PermissionDenied
                by_id = {s.pk: s for s in snapshots}
                if d["a"] not in by_id or d["b"] not in by_id:
                    raise RuleViolation(_("Choose two snapshots."), "b")
                result = nv.compare_snapshots(actor=request.user, a=by_id[d["a"]], b=by_id[d["b"]])
            else:
                today = timezone.localdate()
                a = nv.parse_filters(start=d["a_start"], end=d["a_end"], today=today)
                try:
                    b = nv.parse_filters(start=d["b_start"], end=d["b_end"], today=today)
                except RuleViolation as exc:
                    raise RuleViolation(exc.message, f"b_{exc.field}") from exc
                result = store.compare_periods(user=request.user, hub=hub, a=a, b=b)
                if result is None:
                    pending = True
                else:
                    result.update(a_period=a, b_period=b)
        except RuleViolation as exc:
            field = exc.field if exc.field in form.fields else ("a_" + str(exc.field))
            form.add_error(field if field in form.fields else None, exc.message)
            result, status = None, 400
    elif form.is_bound:
        status = 400
    return render(
        request,
        "engagement/network_compare.html",
        {
            "hub": hub,
            "form": form,
            "result": result,
            "pending": pending,
            "snapshots": snapshots,
            "allowed": allowed,
        },
        status=status,
    )


def use_case_list(request):
    cases = UseCase.objects.prefetch_related("groups")
    return render(
        request,
        "engagement/usecase_list.html",
        {"cases": cases, "can_edit": usecases.can_edit_use_cases(request.user)},
    )


def use_case_detail(request, pk: int):
    """The use case and which hubs engage its groups at "involve" or above."""
    case = get_object_or_404(UseCase.objects.prefetch_related("groups"), pk=pk)
    form = PeriodForm(request.GET if request.GET else None)
    start, end = last_twelve_months(timezone.localdate())
    status, table = 200, None
    if form.is_bound and not form.is_valid():
        status = 400
    else:
        if form.is_bound:
            start = form.cleaned_data["start"] or start
            end = form.cleaned_data["end"] or end
        try:
            table = usecases.coverage(case, start=start, end=end)
        except RuleViolation as exc:
            form.add_rule_violation(exc)
            status = 400
    return render(
        request,
        "engagement/usecase.html",
        {
            "case": case,
            "form": form,
            "table": table,
            "labels": {g.code: g.display for g in case.groups.all()},
            "can_edit": usecases.can_edit_use_cases(request.user),
        },
        status=status,
    )


@login_required
def use_case_edit(request, pk: int | None = None):
    """Create or change a use case (network coordinators)."""
    if not usecases.can_edit_use_cases(request.user):
        raise PermissionDenied
    case = get_object_or_404(UseCase, pk=pk) if pk else None
    status = 200
    if request.method == "POST":
        form = UseCaseForm(request.POST)
        if form.is_valid():
            try:
                case = usecases.save_use_case(
                    actor=request.user, use_case=case, **form.cleaned_data
                )
            except RuleViolation as exc:
                form.add_rule_violation(exc)
            else:
                messages.success(request, _("Use case saved."))
                return redirect("engagement:use_case", case.pk)
        status = 422
    else:
        form = UseCaseForm(initial=UseCaseForm.initial_for(case) if case else None)
    return render(
        request, "engagement/usecase_form.html", {"form": form, "case": case}, status=status
    )


@login_required
def use_case_delete(request, pk: int):
    if not usecases.can_edit_use_cases(request.user):
        raise PermissionDenied
    case = get_object_or_404(UseCase, pk=pk)
    if request.method == "POST":
        usecases.delete_use_case(actor=request.user, use_case=case)
        messages.success(request, _("Use case deleted."))
        return redirect("engagement:use_cases")
    return render(request, "engagement/usecase_delete.html", {"case": case})
