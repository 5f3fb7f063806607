"""Background jobs of the batch matcher: a token holder's batch too large for one request."""

import logging
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from echos.synergies import batch
from echos.synergies.models import MatchJob
from echos.synergies.tasks import run_match_job

logger = logging.getLogger(__name__)

# A job still unfinished after this long is taken for lost (a worker stopped): it no longer counts
# against its owner's number of unfinished jobs.
STALE_AFTER = timedelta(hours=6)


class TooManyJobs(Exception):
    """The owner already has ``ECHOS_MATCH_JOB_MAX_ACTIVE`` unfinished jobs."""


def start_match_job(*, owner, request: dict) -> MatchJob:
    """Store a checked batch and queue it once the transaction commits; old finished jobs go."""
    unfinished = MatchJob.objects.active().filter(
        owner=owner, created_at__gte=timezone.now() - STALE_AFTER
    )
    if unfinished.count() >= settings.ECHOS_MATCH_JOB_MAX_ACTIVE:
        raise TooManyJobs
    keep = timezone.now() - timedelta(days=settings.ECHOS_MATCH_JOB_KEEP_DAYS)
    MatchJob.objects.filter(created_at__lt=keep).delete()
    job = MatchJob.objects.create(
        owner=owner,
        request=request,
        total=len(request["initiatives"]) + len(request["activities"]),
    )
    job_id = str(job.pk)
    transaction.on_commit(lambda: run_match_job(job_id))
    return job


def run(job_id: str) -> bool:
    """Match a queued job's batch, telling its progress; False if it is gone or already taken."""
    if not MatchJob.objects.filter(pk=job_id, status=MatchJob.Status.QUEUED).update(
        status=MatchJob.Status.RUNNING
    ):
        return False
    jobs = MatchJob.objects.filter(pk=job_id)
    data = jobs.get().request
    try:
        result = batch.run(
            batch.initiatives(data["initiatives"]),
            batch.activities(data["activities"]),
            top=data["top"],
            mode=data["mode"],
            explain=data["explain"],
            progress=lambda done: jobs.update(done=done),
        )
    except batch.BatchError as exc:
        jobs.update(
            status=MatchJob.Status.FAILED, error=str(exc), request={}, finished_at=timezone.now()
        )
        return False
    except Exception:
        logger.exception("matching job %s failed", job_id)
        jobs.update(
            status=MatchJob.Status.FAILED,
            error=_("The matching failed; please try again later."),
            request={},
            finished_at=timezone.now(),
        )
        return False
    jobs.update(status=MatchJob.Status.DONE, result=result, request={}, finished_at=timezone.now())
    return True


def job_url(job: MatchJob) -> str:
    return reverse("api:synergies_match_job", args=[job.pk])


def job_out(job: MatchJob) -> dict:
    """Status and progress of a job; its result (the synchronous answer) once done."""
    out = {
        "id": str(job.pk),
        "status": job.status,
        "url": job_url(job),
        "progress": {"done": job.done, "total": job.total, "percent": job.percent},
        "created_at": job.created_at.isoformat(),
        "finished_at": job.finished_at.isoformat() if job.finished_at else None,
    }
    if job.status == MatchJob.Status.DONE:
        out["result"] = job.result
    elif job.status == MatchJob.Status.FAILED:
        out["error"] = job.error
    return out
