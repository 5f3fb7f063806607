"""Report jobs (issue #15 item 4): check a request, queue it, write the file, hand it out.

Who may ask for and download what:

- the network report: network coordinators;
- a hub's report: network coordinators and the hub's team (its coordinators and editors, and the
  coordinators of the hubs above it: ``hubs.permissions.can_edit_hub``); anyone else gets 403;
- a finished file: its requester, and anyone who may ask for the same report.

Files live under ``DATA_DIR/reports/`` and are deleted when their job expires (nightly).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from echos.core import kpis
from echos.core.roles import is_network_coordinator
from echos.hubs.models import Hub
from echos.hubs.permissions import can_edit_hub
from echos.reports import content, pdf, xlsx
from echos.reports.models import ReportJob

logger = logging.getLogger(__name__)

# Unfinished jobs a person may have at once; older unfinished ones count as lost.
MAX_ACTIVE = 3
STALE_AFTER = timedelta(hours=2)


class ReportError(ValueError):
    """A request that cannot be served; ``field`` names the offending parameter."""

    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field
        self.message = message


@dataclass(frozen=True)
class Request:
    kind: str
    hub: Hub | None
    format: str
    start: date
    end: date
    language: str


def languages() -> list[str]:
    return [code for code, _name in settings.LANGUAGES]


def parse_period(value: str | None, *, field: str = "period") -> tuple[date, date]:
    """``2026-01:2026-06`` as the period's first and last day; the default is the last 12 months.

    Refused, naming ``field``: not two months ``YYYY-MM:YYYY-MM``, an end before the start or in
    the future, more than ``kpis.MAX_MONTHS`` months.
    """
    if not value:
        return kpis.default_period()
    parts = str(value).split(":")
    if len(parts) != 2:
        raise ReportError(
            field,
            _("%(field)s: give two months as YYYY-MM:YYYY-MM, e.g. 2026-01:2026-06.")
            % {"field": field},
        )
    try:
        return kpis.parse_period(parts[0], parts[1], start_field=field, end_field=field)
    except kpis.PeriodError as exc:
        raise ReportError(field, exc.message) from None


def can_request(user, kind: str, hub: Hub | None) -> bool:
    """Network report: network coordinators; a hub's: also the hub's team (see the module)."""
    if kind == ReportJob.Kind.NETWORK:
        return is_network_coordinator(user)
    return hub is not None and getattr(user, "is_authenticated", False) and can_edit_hub(user, hub)


def can_download(user, job: ReportJob) -> bool:
    """The requester, and whoever may ask for the same report."""
    if not getattr(user, "is_authenticated", False):
        return False
    return job.requester_id == user.pk or can_request(user, job.kind, job.hub)


def check_request(
    user,
    *,
    kind: str,
    hub_id: int | str | None,
    format: str,
    period: str | None,
    language: str | None,
) -> Request:
    """A checked request; ``ReportError`` naming the parameter, ``PermissionDenied`` (403)."""
    if kind not in ReportJob.Kind.values:
        raise ReportError("kind", _("kind: choose network or hub."))
    if format not in ReportJob.Format.values:
        raise ReportError("format", _("format: choose pdf or xlsx."))
    language = language or translation_default()
    if language not in languages():
        raise ReportError(
            "language",
            _("language: %(code)s is not one of the platform's languages (%(codes)s).")
            % {"code": language, "codes": ", ".join(languages())},
        )
    hub = None
    if kind == ReportJob.Kind.HUB:
        try:
            hub = Hub.objects.get(pk=int(hub_id))  # type: ignore[arg-type]
        except (TypeError, ValueError, Hub.DoesNotExist):
            raise ReportError("hub", _("hub: no hub with this identifier.")) from None
    elif hub_id not in (None, ""):
        raise ReportError("hub", _("hub: the network report covers every hub; give no hub."))
    start, end = parse_period(period)
    if not can_request(user, kind, hub):
        raise PermissionDenied(_("You may not ask for this report."))
    return Request(kind, hub, format, start, end, language)


def translation_default() -> str:
    return settings.LANGUAGE_CODE


def start_job(*, requester, request: Request) -> ReportJob:
    """Store the job and queue it once the transaction commits; expired jobs go first."""
    purge_expired()
    unfinished = ReportJob.objects.active().filter(
        requester=requester, created_at__gte=timezone.now() - STALE_AFTER
    )
    if unfinished.count() >= MAX_ACTIVE:
        raise ReportError(
            "kind",
            _("You already have %(n)s reports being written; wait until one is done.")
            % {"n": MAX_ACTIVE},
        )
    job = ReportJob.objects.create(
        requester=requester,
        kind=request.kind,
        hub=request.hub,
        format=request.format,
        start=request.start,
        end=request.end,
        language=request.language,
    )
    job_id = str(job.pk)
    # cycle: tasks.run_report_job calls run() below
    from echos.reports.tasks import run_report_job

    transaction.on_commit(lambda: run_report_job(job_id))
    return job


def reports_dir() -> Path:
    path = Path(settings.DATA_DIR) / "reports"
    path.mkdir(parents=True, exist_ok=True)
    return path


def spec_of(job: ReportJob) -> content.ReportSpec:
    return content.ReportSpec(
        kind=job.kind,
        hub_id=job.hub_id,
        start=job.start,
        end=job.end,
        language=job.language,
        format=job.format,
    )


def write(
    spec: content.ReportSpec, target: Path, progress: Callable[[int], object] | None = None
) -> Path:
    """Compute the report and write it as PDF or XLSX into ``target`` (the CLI's path too)."""
    tell = progress or (lambda percent: None)
    report = content.build(spec, charts=spec.format == "pdf", progress=tell)
    tmp = target.with_name(f".{target.name}.part")
    try:
        if spec.format == "pdf":
            pdf.write(report, tmp)
        else:
            xlsx.write(report, tmp)
        tmp.replace(target)
    finally:
        tmp.unlink(missing_ok=True)
    tell(100)
    return target


def run(job_id: str) -> bool:
    """Write a queued job's report, telling its progress; False if gone, taken or failed."""
    if not ReportJob.objects.filter(pk=job_id, status=ReportJob.Status.QUEUED).update(
        status=ReportJob.Status.RUNNING, percent=1
    ):
        return False
    jobs = ReportJob.objects.filter(pk=job_id)
    job = jobs.get()
    target = reports_dir() / f"{job.pk}.{job.format}"
    try:
        write(spec_of(job), target, progress=lambda percent: jobs.update(percent=percent))
    except Exception:
        logger.exception("report job %s failed", job_id)
        jobs.update(
            status=ReportJob.Status.FAILED,
            error=_("The report could not be written; please try again later."),
            finished_at=timezone.now(),
        )
        return False
    jobs.update(
        status=ReportJob.Status.DONE,
        percent=100,
        file=str(target.relative_to(settings.DATA_DIR)),
        size=target.stat().st_size,
        finished_at=timezone.now(),
    )
    return True


def file_path(job: ReportJob) -> Path | None:
    """The finished file, None when not done or gone."""
    if job.status != ReportJob.Status.DONE or not job.file:
        return None
    path = Path(settings.DATA_DIR) / job.file
    return path if path.is_file() else None


def purge_expired(now=None) -> int:
    """Delete expired jobs and their files; how many."""
    expired = list(ReportJob.objects.expired(now))
    for job in expired:
        path = file_path(job)
        if path:
            path.unlink(missing_ok=True)
    ReportJob.objects.filter(pk__in=[j.pk for j in expired]).delete()
    return len(expired)
