"""Batch-matching jobs are personal to their owner: exported, erased with the account, and
deleted by the retention rule after ``ECHOS_MATCH_JOB_KEEP_DAYS``."""

import json
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from echos.site.privacy import run_retention
from echos.synergies.models import MatchJob

pytestmark = pytest.mark.django_db


def run(*args) -> str:
    out = StringIO()
    call_command("privacy", *args, stdout=out, stderr=StringIO())
    return out.getvalue()


@pytest.fixture
def job(personas):
    return MatchJob.objects.create(
        owner=personas["coord_no"],
        status=MatchJob.Status.DONE,
        result=[{"activity": "a1", "matches": []}],
        finished_at=timezone.now(),
    )


def test_a_job_is_in_its_owners_export(personas, job):
    data = json.loads(run("export", "--user", personas["coord_no"].username))
    (exported,) = data["accounts"]["matching_jobs"]
    assert exported["id"] == str(job.pk) and exported["result"] == job.result


def test_erasing_the_owner_deletes_the_job_and_only_theirs(personas, job):
    other = MatchJob.objects.create(owner=personas["coord_pt"])
    assert "Batch-matching jobs deleted" in run("erase", "--user", personas["coord_no"].username)
    run("erase", "--user", personas["coord_no"].username, "--yes")
    assert list(MatchJob.objects.all()) == [other]


def test_retention_deletes_jobs_older_than_the_keep_days(settings, job):
    settings.ECHOS_MATCH_JOB_KEEP_DAYS = 7
    recent = MatchJob.objects.create(owner=job.owner)
    MatchJob.objects.filter(pk=job.pk).update(created_at=timezone.now() - timedelta(days=8))
    counted = {r["rule"]: r["count"] for r in run_retention(apply=False)}
    assert counted["match_jobs"] == 1 and MatchJob.objects.count() == 2
    run_retention(apply=True)
    assert list(MatchJob.objects.all()) == [recent]
