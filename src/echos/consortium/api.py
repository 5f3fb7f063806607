"""The consortium over JSON: everything public to read (risks to the secretariat and partners'
staff), writes for network coordinators. Every refusal names its field; the writes call the same
service as the administration, so the same checks hold (months within the project, task and
deliverable numbers in their work package, a period ending before it starts...)."""

from datetime import date

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Path, Query, Router, Status

from echos.consortium import permissions as perms
from echos.consortium import progress, services
from echos.consortium.models import (
    Fact,
    Output,
    OutputKind,
    OutputStatus,
    Partner,
    PartnerRole,
    Project,
    ReportingPeriod,
    Risk,
    RiskStatus,
    Source,
    Task,
    WorkPackage,
)
from echos.consortium.schemas import (
    MAX_ID,
    ConsortiumProgressOut,
    FactIn,
    FactOut,
    OutputIn,
    OutputOut,
    OutputPatch,
    PartnerIn,
    PartnerOut,
    PartnerPatch,
    PeriodIn,
    PeriodOut,
    PeriodPatch,
    ProjectOut,
    ProjectRiskIn,
    ProjectRiskOut,
    ProjectRiskPatch,
    SourceIn,
    SourceOut,
    TaskIn,
    TaskOut,
    TaskPatch,
    WorkPackageIn,
    WorkPackageOut,
    WorkPackagePatch,
)
from echos.consortium.services import M
from echos.core.api import MAX_LIMIT, ErrorOut, TokenAuth, page_of, paginate
from echos.core.exceptions import RuleViolation
from echos.hubs.models import Organisation
from echos.library.models import Resource

router = Router(tags=["consortium"])
auth = TokenAuth()
PK = Path(..., ge=1, le=MAX_ID)


def _project() -> Project:
    project = Project.objects.order_by("pk").first()
    if project is None:
        raise Http404
    return project


def _key(source: Source | None) -> str | None:
    return source.key if source else None


# Serialisers ---------------------------------------------------------------------------------


def source_out(s: Source) -> dict:
    return {f: getattr(s, f) for f in ("key", "title", "publisher", "url", "checked", "note")}


def fact_out(f: Fact) -> dict:
    return {"id": f.pk, "key": f.key, "value": f.value, "source": f.source.key, "note": f.note}


def partner_out(p: Partner) -> dict:
    return {
        "id": p.pk,
        "organisation": p.organisation_id,
        "organisation_name": p.organisation.name,
        "country": p.organisation.country_id,
        "role": p.role,
        "affiliated_to": p.affiliated_to_id,
        "source": _key(p.source),
        "note": p.note,
        "is_demo": p.is_demo,
    }


def task_out(t: Task) -> dict:
    return {
        "id": t.pk,
        "number": t.number,
        "title": t.title,
        "lead": t.lead_id,
        "contributors": sorted(c.pk for c in t.contributors.all()),
        "start_month": t.start_month,
        "end_month": t.end_month,
        "source": _key(t.source),
        "is_demo": t.is_demo,
    }


def wp_out(w: WorkPackage) -> dict:
    return {
        "id": w.pk,
        "number": w.number,
        "title": w.title,
        "lead": w.lead_id,
        "start_month": w.start_month,
        "end_month": w.end_month,
        "source": _key(w.source),
        "is_demo": w.is_demo,
        "tasks": [task_out(t) for t in w.tasks.all()],
    }


def output_out(o: Output, project: Project, month: int) -> dict:
    return {
        "id": o.pk,
        "kind": o.kind,
        "number": o.number,
        "title": o.title,
        "work_package": o.work_package.number,
        "due_month": o.due_month,
        "due_date": project.month_end(o.due_month),
        "dissemination": o.dissemination,
        "status": o.status,
        "overdue": o.is_overdue(month),
        "submitted_on": o.submitted_on,
        "resource": o.resource_id,
        "source": _key(o.source),
        "is_demo": o.is_demo,
    }


def period_out(p: ReportingPeriod, project: Project) -> dict:
    return {
        "id": p.pk,
        "number": p.number,
        "start_month": p.start_month,
        "end_month": p.end_month,
        "start": project.month_start(p.start_month),
        "end": project.month_end(p.end_month),
        "source": _key(p.source),
        "is_demo": p.is_demo,
    }


def risk_out(r: Risk) -> dict:
    return {
        "id": r.pk,
        "number": r.number,
        "description": r.description,
        "likelihood": r.likelihood,
        "impact": r.impact,
        "level": r.level,
        "mitigation": r.mitigation,
        "status": r.status,
        "work_package": r.work_package.number if r.work_package else None,
        "is_demo": r.is_demo,
    }


# References in payloads ----------------------------------------------------------------------


def _resolve(project: Project, data: dict) -> dict:
    """Turn the payload's references (source key, ids, work package numbers) into objects."""
    out = dict(data)
    lookups = {
        "source": lambda v: Source.objects.filter(key=v).first(),
        "organisation": lambda v: Organisation.objects.filter(pk=v).first(),
        "lead": lambda v: Partner.objects.filter(project=project, pk=v).first(),
        "affiliated_to": lambda v: Partner.objects.filter(project=project, pk=v).first(),
        "work_package": lambda v: WorkPackage.objects.filter(project=project, number=v).first(),
        "resource": lambda v: Resource.objects.filter(pk=v).first(),
    }
    for name, find in lookups.items():
        if name in out and out[name] is not None:
            found = find(out[name])
            if found is None:
                raise RuleViolation(f"No such {name.replace('_', ' ')}: {out[name]}.", name)
            out[name] = found
    return out


def _save(request, obj: M, data: dict, project: Project) -> M:
    """Apply a payload through the service (many-to-many contributors after the save)."""
    data = _resolve(project, data)
    contributors = data.pop("contributors", None)
    saved = services.save_record(actor=request.user, obj=obj, changes=data)
    if contributors is not None:
        found = list(Partner.objects.filter(project=project, pk__in=contributors))
        if len(found) != len(set(contributors)):
            raise RuleViolation("A contributor is not a partner of this project.", "contributors")
        saved.contributors.set(found)  # type: ignore[attr-defined]  # only tasks have them
    return saved


def _changes(payload) -> dict:
    return payload.dict(exclude_unset=True)


# Reads ---------------------------------------------------------------------------------------


@router.get(
    "/consortium/project",
    response={200: ProjectOut, 404: ErrorOut},
    summary="The project and its sourced facts (404 until the reference data is loaded)",
)
def get_project(request):
    project = _project()
    summary = progress.summary(timezone.localdate(), project)
    assert summary is not None  # the project exists
    facts = [
        {
            "key": f.key,
            "label": f.label,
            "disputed": f.disputed,
            "values": [
                {
                    "value": v.value,
                    "sources": v.sources,
                }
                for v in f.values
            ],
        }
        for f in summary.facts
    ]
    return {
        "acronym": project.acronym,
        "title": project.title,
        "start": project.start,
        "months": project.months,
        "calendar_note": project.calendar_note,
        "project_month": summary.project_month,
        "facts": facts,
    }


@router.get(
    "/consortium/progress", response=ConsortiumProgressOut, summary="Progress on a day (reports)"
)
def get_progress(request, on: date | None = Query(None, description="YYYY-MM-DD; today if empty")):
    summary = progress.summary(on or timezone.localdate(), _project())
    return summary.__dict__ if summary else None


@router.get("/consortium/sources", response=list[SourceOut])
def list_sources(request):
    return [source_out(s) for s in Source.objects.all()[:MAX_LIMIT]]


@router.get("/consortium/facts", response=page_of(FactOut))
def list_facts(
    request,
    key: str = Query("", max_length=30),
    limit: int = Query(100, ge=1, le=MAX_LIMIT),
    offset: int = Query(0, ge=0, le=MAX_ID),
):
    qs = Fact.objects.filter(project=_project()).select_related("source")
    if key:
        qs = qs.filter(key=key)
    return paginate(qs, limit, offset, fact_out)


@router.get("/consortium/partners", response=page_of(PartnerOut))
def list_partners(
    request,
    role: str = Query("", description=", ".join(PartnerRole.values)),
    country: str = Query("", max_length=2, description="ISO 3166-1 alpha-2"),
    limit: int = Query(100, ge=1, le=MAX_LIMIT),
    offset: int = Query(0, ge=0, le=MAX_ID),
):
    if role and role not in PartnerRole.values:
        raise RuleViolation("Unknown role.", "role")
    qs = Partner.objects.filter(project=_project()).select_related("organisation", "source")
    if role:
        qs = qs.filter(role=role)
    if country:
        qs = qs.filter(organisation__country_id=country.upper())
    return paginate(qs, limit, offset, partner_out)


@router.get("/consortium/work-packages", response=page_of(WorkPackageOut))
def list_work_packages(
    request,
    limit: int = Query(100, ge=1, le=MAX_LIMIT),
    offset: int = Query(0, ge=0, le=MAX_ID),
):
    qs = (
        WorkPackage.objects.filter(project=_project())
        .select_related("source")
        .prefetch_related("tasks__contributors", "tasks__source")
    )
    return paginate(qs, limit, offset, wp_out)


@router.get(
    "/consortium/outputs", response=page_of(OutputOut), summary="Milestones and deliverables"
)
def list_outputs(
    request,
    kind: str = Query("", description=", ".join(OutputKind.values)),
    status: str = Query("", description=", ".join(OutputStatus.values)),
    work_package: int | None = Query(None, ge=1, le=99),
    overdue: bool = Query(False, description="Only the overdue ones"),
    limit: int = Query(100, ge=1, le=MAX_LIMIT),
    offset: int = Query(0, ge=0, le=MAX_ID),
):
    project = _project()
    month = project.month_of(timezone.localdate())
    if kind and kind not in OutputKind.values:
        raise RuleViolation("Unknown kind.", "kind")
    if status and status not in OutputStatus.values:
        raise RuleViolation("Unknown status.", "status")
    qs = Output.objects.filter(work_package__project=project).select_related(
        "work_package", "source"
    )
    if kind:
        qs = qs.filter(kind=kind)
    if status:
        qs = qs.filter(status=status)
    if work_package:
        qs = qs.filter(work_package__number=work_package)
    if overdue:
        qs = qs.overdue(month)
    return paginate(qs, limit, offset, lambda o: output_out(o, project, month))


@router.get("/consortium/reporting-periods", response=page_of(PeriodOut))
def list_periods(
    request,
    limit: int = Query(100, ge=1, le=MAX_LIMIT),
    offset: int = Query(0, ge=0, le=MAX_ID),
):
    project = _project()
    qs = ReportingPeriod.objects.filter(project=project).select_related("source")
    return paginate(qs, limit, offset, lambda p: period_out(p, project))


@router.get("/consortium/risks", response=page_of(ProjectRiskOut), auth=auth)
def list_risks(
    request,
    status: str = Query("", description=", ".join(RiskStatus.values)),
    limit: int = Query(100, ge=1, le=MAX_LIMIT),
    offset: int = Query(0, ge=0, le=MAX_ID),
):
    """The risk table: network coordinators and partners' staff (403 for other accounts)."""
    if not perms.can_view_risks(request.user):
        raise PermissionDenied("Only the secretariat and partners' staff see the risks.")
    qs = Risk.objects.filter(project=_project()).select_related("work_package")
    if status and status not in RiskStatus.values:
        raise RuleViolation("Unknown status.", "status")
    if status:
        qs = qs.filter(status=status)
    return paginate(qs, limit, offset, risk_out)


# Writes (network coordinators) ---------------------------------------------------------------


@router.post("/consortium/sources", response={201: SourceOut}, auth=auth)
def create_source(request, payload: SourceIn):
    s = services.save_record(actor=request.user, obj=Source(), changes=payload.dict())
    return Status(201, source_out(s))


@router.post("/consortium/facts", response={201: FactOut}, auth=auth)
def create_fact(request, payload: FactIn):
    project = _project()
    f = _save(request, Fact(project=project), payload.dict(), project)
    return Status(201, fact_out(f))


@router.delete("/consortium/facts/{fact_id}", response={204: None}, auth=auth)
def delete_fact(request, fact_id: int = PK):
    services.delete_record(actor=request.user, obj=get_object_or_404(Fact, pk=fact_id))
    return Status(204, None)


@router.post("/consortium/partners", response={201: PartnerOut}, auth=auth)
def create_partner(request, payload: PartnerIn):
    project = _project()
    p = _save(request, Partner(project=project), payload.dict(), project)
    return Status(201, partner_out(p))


@router.patch("/consortium/partners/{partner_id}", response=PartnerOut, auth=auth)
def patch_partner(request, payload: PartnerPatch, partner_id: int = PK):
    p = get_object_or_404(Partner, pk=partner_id)
    return partner_out(_save(request, p, _changes(payload), p.project))


@router.post("/consortium/work-packages", response={201: WorkPackageOut}, auth=auth)
def create_work_package(request, payload: WorkPackageIn):
    project = _project()
    w = _save(request, WorkPackage(project=project), payload.dict(), project)
    return Status(201, wp_out(w))


@router.patch("/consortium/work-packages/{wp_id}", response=WorkPackageOut, auth=auth)
def patch_work_package(request, payload: WorkPackagePatch, wp_id: int = PK):
    w = get_object_or_404(WorkPackage, pk=wp_id)
    return wp_out(_save(request, w, _changes(payload), w.project))


@router.post("/consortium/tasks", response={201: TaskOut}, auth=auth)
def create_task(request, payload: TaskIn):
    project = _project()
    t = _save(request, Task(), payload.dict(), project)
    return Status(201, task_out(t))


@router.patch("/consortium/tasks/{task_id}", response=TaskOut, auth=auth)
def patch_task(request, payload: TaskPatch, task_id: int = PK):
    t = get_object_or_404(Task, pk=task_id)
    return task_out(_save(request, t, _changes(payload), t.work_package.project))


@router.post("/consortium/outputs", response={201: OutputOut}, auth=auth)
def create_output(request, payload: OutputIn):
    project = _project()
    o = _save(request, Output(), payload.dict(), project)
    return Status(201, output_out(o, project, project.month_of(timezone.localdate())))


@router.patch("/consortium/outputs/{output_id}", response=OutputOut, auth=auth)
def patch_output(request, payload: OutputPatch, output_id: int = PK):
    o = get_object_or_404(Output.objects.select_related("work_package__project"), pk=output_id)
    project = o.work_package.project
    o = _save(request, o, _changes(payload), project)
    return output_out(o, project, project.month_of(timezone.localdate()))


@router.delete("/consortium/outputs/{output_id}", response={204: None}, auth=auth)
def delete_output(request, output_id: int = PK):
    services.delete_record(actor=request.user, obj=get_object_or_404(Output, pk=output_id))
    return Status(204, None)


@router.post("/consortium/reporting-periods", response={201: PeriodOut}, auth=auth)
def create_period(request, payload: PeriodIn):
    project = _project()
    p = _save(request, ReportingPeriod(project=project), payload.dict(), project)
    return Status(201, period_out(p, project))


@router.patch("/consortium/reporting-periods/{period_id}", response=PeriodOut, auth=auth)
def patch_period(request, payload: PeriodPatch, period_id: int = PK):
    p = get_object_or_404(ReportingPeriod, pk=period_id)
    return period_out(_save(request, p, _changes(payload), p.project), p.project)


@router.post("/consortium/risks", response={201: ProjectRiskOut}, auth=auth)
def create_risk(request, payload: ProjectRiskIn):
    project = _project()
    r = _save(request, Risk(project=project), payload.dict(), project)
    return Status(201, risk_out(r))


@router.patch("/consortium/risks/{risk_id}", response=ProjectRiskOut, auth=auth)
def patch_risk(request, payload: ProjectRiskPatch, risk_id: int = PK):
    r = get_object_or_404(Risk, pk=risk_id)
    return risk_out(_save(request, r, _changes(payload), r.project))
