"""Pages of the reports (ask, follow the progress, download) and of the open data."""

from __future__ import annotations

import json

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import resolve, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from echos.core import kpis, opendata
from echos.core.roles import is_network_coordinator
from echos.hubs.models import Hub
from echos.hubs.permissions import editable_hubs
from echos.reports import jobs, opendata_dump, tasks
from echos.reports.models import ReportJob

# A missing dump is queued for building at most once in this many seconds.
BUILD_EVERY = 600


def _job_for(request, pk) -> ReportJob:
    """The job if the user may see it (404 for a job that does not exist, 403 otherwise)."""
    job = get_object_or_404(ReportJob.objects.select_related("hub"), pk=pk)
    if not jobs.can_download(request.user, job):
        raise PermissionDenied
    return job


def _hub_choices(user):
    hubs = Hub.objects.all() if is_network_coordinator(user) else editable_hubs(user)
    return hubs.order_by("country__name", "name_en").only("pk", "name_en")


@login_required
@require_http_methods(["GET", "POST"])
def report_new(request):
    """Ask for a report; the worker writes it and the job's page shows the progress."""
    start, end = kpis.default_period()
    data = {
        "kind": request.POST.get("kind") or request.GET.get("kind") or "network",
        "hub": request.POST.get("hub") or request.GET.get("hub") or "",
        "format": request.POST.get("format") or "pdf",
        "start": request.POST.get("start") or f"{start:%Y-%m}",
        "end": request.POST.get("end") or f"{end:%Y-%m}",
        "language": request.POST.get("language") or request.LANGUAGE_CODE,
    }
    errors: dict[str, str] = {}
    status = 200
    if request.method == "POST":
        try:
            checked = jobs.check_request(
                request.user,
                kind=data["kind"],
                hub_id=data["hub"] if data["kind"] == "hub" else None,
                format=data["format"],
                period=f"{data['start']}:{data['end']}",
                language=data["language"],
            )
            job = jobs.start_job(requester=request.user, request=checked)
            return redirect("reports:report_job", pk=job.pk)
        except jobs.ReportError as exc:
            errors[exc.field] = exc.message
            status = 422
    context = {
        "data": data,
        "errors": errors,
        "hubs": _hub_choices(request.user),
        "may_network": is_network_coordinator(request.user),
        "report_languages": settings.LANGUAGES,
        "recent": ReportJob.objects.filter(requester=request.user).select_related("hub")[:10],
    }
    return render(request, "reports/report_new.html", context, status=status)


@login_required
def report_job(request, pk):
    job = _job_for(request, pk)
    return render(request, "reports/report_job.html", {"job": job})


@login_required
def report_job_status(request, pk):
    """The progress fragment the job page polls (htmx) until the report is written."""
    job = _job_for(request, pk)
    return render(request, "reports/report_status.html", {"job": job})


@login_required
def report_download(request, pk):
    job = _job_for(request, pk)
    path = jobs.file_path(job)
    if path is None:
        raise Http404(_("This report is not ready or has expired."))
    return FileResponse(path.open("rb"), as_attachment=True, filename=job.filename())


# --- open data -------------------------------------------------------------------------------


def open_data(request):
    """What the open data holds, its licence, the download and the API's public read endpoints."""
    descriptor = opendata_dump.published_descriptor()
    context = {
        "descriptor": descriptor,
        "tables": opendata.tables(),
        "rows": {r["path"]: r.get("x_rows") for r in (descriptor or {}).get("resources", [])},
        "zip_size": opendata_dump.zip_path().stat().st_size if descriptor else None,
        "endpoints": public_endpoints(request),
    }
    return render(request, "reports/opendata.html", context)


def open_data_download(request):
    """The zip of the last nightly dump. When none exists yet, the worker builds it (queued once
    per ``BUILD_EVERY`` seconds, whatever the number of requests) and the answer is 503 with
    Retry-After until it is there; without a separate worker the build runs in this request."""
    if opendata_dump.published_descriptor() is None:
        if cache.add("reports:open-data-build", True, BUILD_EVERY):
            tasks.build_open_data()
        if opendata_dump.published_descriptor() is None:
            response = HttpResponse(
                _("The open data is being prepared; please try again in a minute."),
                status=503,
                content_type="text/plain; charset=utf-8",
            )
            response["Retry-After"] = "60"
            return response
    return FileResponse(
        opendata_dump.zip_path().open("rb"), as_attachment=True, filename="echos-open-data.zip"
    )


def open_data_descriptor(request):
    """The ``datapackage.json`` of the last dump (404 before the first one)."""
    path = opendata_dump.dump_dir() / opendata_dump.DESCRIPTOR
    if not path.is_file():
        raise Http404(_("The open data has not been built yet."))
    return FileResponse(path.open("rb"), content_type="application/json")


def public_endpoints(request) -> list[dict]:
    """The API's read endpoints that answer without a token (open data too): path and summary."""
    global _ENDPOINTS
    if _ENDPOINTS is None:
        # The site's NinjaAPI sits in a higher layer: its schema is read through its URL name.
        match = resolve(reverse("api:openapi-json"))
        schema = json.loads(match.func(request, *match.args, **match.kwargs).content)
        _ENDPOINTS = [
            {"path": path, "summary": ops["get"].get("summary", "")}
            for path, ops in sorted(schema.get("paths", {}).items())
            if "get" in ops and not ops["get"].get("security")
        ]
    return _ENDPOINTS


_ENDPOINTS: list[dict] | None = None
