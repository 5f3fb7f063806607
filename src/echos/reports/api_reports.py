"""API of the reports and the open data (mounted on the reports router).

- ``POST /reports/jobs`` asks for a report (202 with the job; the worker writes it);
- ``GET /reports/jobs/{id}`` its status and progress; ``GET /reports/jobs/{id}/file`` the file;
- ``GET /open-data`` the Data Package of the last dump; ``GET /open-data/download`` its zip.

The same checks as the pages and the command (``reports.jobs``): errors name the parameter (400),
a hub the caller may not report on is 403, another person's job is 403 unless they may see it.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated
from uuid import UUID

from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from ninja import Router, Schema, Status
from pydantic import Field

from echos.core import opendata
from echos.core.api import ErrorOut, TokenAuth, one_of
from echos.core.exceptions import RuleViolation
from echos.reports import jobs, opendata_dump, views_reports
from echos.reports.models import ReportJob

router = Router(tags=["reports"])
auth = TokenAuth()


class ReportJobIn(Schema):
    kind: Annotated[str, one_of(ReportJob.Kind)] = Field(
        description="`network` (network coordinators) or `hub` (the hub's team)"
    )
    hub: int | None = Field(None, description="Hub identifier, for a hub report")
    format: Annotated[str, one_of(ReportJob.Format)] = "pdf"
    period: str | None = Field(
        None,
        max_length=15,
        description="`YYYY-MM:YYYY-MM`, e.g. `2026-01:2026-06`; default the last 12 months",
    )
    language: str | None = Field(None, max_length=8, description="en, de, fr, nb, pl or pt")


class ReportJobOut(Schema):
    id: UUID
    kind: str
    hub: int | None
    format: str
    period: str
    language: str
    status: str
    percent: int
    url: str
    file_url: str | None
    size: int
    error: str
    created_at: datetime
    finished_at: datetime | None
    expires_at: datetime


class OpenDataField(Schema):
    name: str
    type: str
    description: str


class OpenDataResource(Schema):
    name: str
    path: str
    title: str
    description: str
    rows: int | None
    fields: list[OpenDataField]


class OpenDataOut(Schema):
    name: str
    title: str
    licence: str
    created: str | None
    download_url: str
    descriptor_url: str
    resources: list[OpenDataResource]


def job_out(job: ReportJob) -> dict:
    return {
        "id": job.pk,
        "kind": job.kind,
        "hub": job.hub_id,
        "format": job.format,
        "period": job.period,
        "language": job.language,
        "status": job.status,
        "percent": job.percent,
        "url": reverse("api:reports_job", args=[job.pk]),
        "file_url": reverse("api:reports_job_file", args=[job.pk])
        if job.status == ReportJob.Status.DONE
        else None,
        "size": job.size,
        "error": job.error,
        "created_at": job.created_at,
        "finished_at": job.finished_at,
        "expires_at": job.expires_at,
    }


def _job(request, job_id: UUID) -> ReportJob:
    job = get_object_or_404(ReportJob.objects.select_related("hub"), pk=job_id)
    if not jobs.can_download(request.user, job):
        raise PermissionDenied
    return job


@router.post(
    "/reports/jobs",
    response={202: ReportJobOut, 400: ErrorOut, 403: ErrorOut},
    auth=auth,
    summary="Ask for a network or hub report as PDF or XLSX (written in the background)",
    url_name="reports_jobs",
)
def create_job(request, payload: ReportJobIn, response: HttpResponse):
    try:
        checked = jobs.check_request(
            request.user,
            kind=payload.kind,
            hub_id=payload.hub,
            format=payload.format,
            period=payload.period,
            language=payload.language,
        )
        job = jobs.start_job(requester=request.user, request=checked)
    except jobs.ReportError as exc:
        raise RuleViolation(exc.message, exc.field) from None
    response["Location"] = reverse("api:reports_job", args=[job.pk])
    return Status(202, job_out(job))


@router.get(
    "/reports/jobs/{job_id}",
    response={200: ReportJobOut, 403: ErrorOut, 404: ErrorOut},
    auth=auth,
    summary="Status and progress of a report job",
    url_name="reports_job",
)
def get_job(request, job_id: UUID):
    return job_out(_job(request, job_id))


@router.get(
    "/reports/jobs/{job_id}/file",
    response={200: None, 403: ErrorOut, 404: ErrorOut},
    auth=auth,
    summary="The written report (PDF or XLSX)",
    url_name="reports_job_file",
)
def get_job_file(request, job_id: UUID):
    job = _job(request, job_id)
    path = jobs.file_path(job)
    if path is None:
        raise Http404("This report is not ready or has expired.")
    return FileResponse(path.open("rb"), as_attachment=True, filename=job.filename())


@router.get(
    "/open-data",
    response={200: OpenDataOut},
    summary="The open data: tables, fields and types of the last dump (CC BY 4.0)",
    url_name="open_data",
)
def open_data(request):
    descriptor = opendata_dump.published_descriptor() or {}
    rows = {r["path"]: r.get("x_rows") for r in descriptor.get("resources", [])}
    return {
        "name": opendata_dump.PACKAGE_NAME,
        "title": descriptor.get("title", "echos open data"),
        "licence": opendata_dump.LICENCE["name"],
        "created": descriptor.get("created"),
        "download_url": reverse("api:open_data_download"),
        "descriptor_url": reverse("reports:open_data_descriptor"),
        "resources": [
            {
                "name": t.name,
                "path": t.path,
                "title": t.title,
                "description": t.description,
                "rows": rows.get(t.path),
                "fields": [
                    {"name": f.name, "type": f.type, "description": f.description} for f in t.fields
                ],
            }
            for t in opendata.tables()
        ],
    }


@router.get(
    "/open-data/download",
    response={200: None, 503: ErrorOut},
    summary="The open data as a zip: CSV files and datapackage.json (built nightly)",
    url_name="open_data_download",
)
def open_data_download(request):
    return views_reports.open_data_download(request)
