"""Consortium pages: overview with sourced facts, partners, work plan, milestones and deliverables,
timeline, reporting periods and (for the secretariat and partners' staff) risks. Read-only here:
network coordinators edit through the admin and the API."""

from itertools import groupby

from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.shortcuts import render
from django.utils import timezone

from echos.consortium import permissions as perms
from echos.consortium import progress, timeline
from echos.consortium.models import (
    Output,
    OutputKind,
    OutputStatus,
    Partner,
    PartnerRole,
    Project,
    ReportingPeriod,
    Risk,
    WorkPackage,
)
from echos.library.permissions import can_view_resource


def _project() -> Project | None:
    return Project.objects.order_by("pk").first()


def _page(request, template: str, project: Project | None, **context):
    context.update(
        project=project,
        can_edit=perms.can_edit_consortium(request.user),
        can_view_risks=perms.can_view_risks(request.user),
    )
    return render(request, f"consortium/{template}", context)


def _readable(request, resource):
    """The library resource holding an output, when the reader may see it."""
    return resource if resource is not None and can_view_resource(request.user, resource) else None


def index(request):
    """Programme facts with every source; disagreements side by side."""
    project = _project()
    summary = progress.summary(timezone.localdate(), project) if project else None
    return _page(request, "index.html", project, summary=summary)


def partners(request):
    """Partners by country, with role and source; filter by role."""
    project = _project()
    role = request.GET.get("role", "")
    if role not in PartnerRole.values:
        role = ""
    qs = Partner.objects.filter(project=project).select_related(
        "organisation__country", "source", "affiliated_to__organisation"
    )
    if role:
        qs = qs.filter(role=role)
    by_country = [
        (country, list(items))
        for country, items in groupby(qs, key=lambda p: p.organisation.country)
    ]
    return _page(
        request,
        "partners.html",
        project,
        by_country=by_country,
        role=role,
        roles=PartnerRole.choices,
        total=qs.count(),
    )


def workplan(request):
    """Work packages and their tasks with leads and contributors."""
    project = _project()
    wps = (
        WorkPackage.objects.filter(project=project)
        .select_related("lead__organisation", "source")
        .prefetch_related("tasks__lead__organisation", "tasks__contributors__organisation")
        .annotate(n_outputs=Count("outputs"))
    )
    return _page(request, "workplan.html", project, work_packages=wps)


def outputs(request):
    """Milestones and deliverables; filters by kind, status, work package and overdue."""
    project = _project()
    month = project.month_of(timezone.localdate()) if project else 0
    qs = Output.objects.filter(work_package__project=project).select_related(
        "work_package", "resource"
    )
    kind = request.GET.get("kind", "")
    status = request.GET.get("status", "")
    wp = request.GET.get("work_package", "")
    only_overdue = request.GET.get("overdue") == "1"
    if kind in OutputKind.values:
        qs = qs.filter(kind=kind)
    if status in OutputStatus.values:
        qs = qs.filter(status=status)
    if wp.isdigit() and len(wp) < 3:
        qs = qs.filter(work_package__number=int(wp))
    if only_overdue:
        qs = qs.overdue(month)
    rows = (
        [
            (o, o.is_overdue(month), project.month_end(o.due_month), _readable(request, o.resource))
            for o in qs
        ]
        if project
        else []
    )
    return _page(
        request,
        "outputs.html",
        project,
        rows=rows,
        month=month,
        kinds=OutputKind.choices,
        statuses=OutputStatus.choices,
        work_packages=WorkPackage.objects.filter(project=project).values_list("number", flat=True),
        selected={"kind": kind, "status": status, "work_package": wp, "overdue": only_overdue},
    )


def timeline_page(request):
    """The Gantt-like chart and its table."""
    project = _project()
    chart = timeline.build(project, timezone.localdate()) if project else None
    return _page(request, "timeline.html", project, chart=chart)


def periods(request):
    """Reporting periods in months and dates; the one in force marked."""
    project = _project()
    month = project.month_of(timezone.localdate()) if project else 0
    rows = (
        [
            (p, project.month_start(p.start_month), project.month_end(p.end_month))
            for p in ReportingPeriod.objects.filter(project=project)
        ]
        if project
        else []
    )
    return _page(request, "periods.html", project, rows=rows, month=month)


def risks(request):
    """The risk table: network coordinators and partners' staff only."""
    if not perms.can_view_risks(request.user):
        raise PermissionDenied
    project = _project()
    qs = Risk.objects.filter(project=project).select_related("work_package")
    return _page(request, "risks.html", project, risks=qs)
