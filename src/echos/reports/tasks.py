"""Background work of the reports: report jobs, the nightly open-data dump, expired files."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from echos.reports import opendata_dump


@db_task()
def run_report_job(job_id: str) -> bool:
    """Write a queued report (``reports.jobs.start_job``)."""
    # cycle: reports.jobs queues this task (it imports this module)
    from echos.reports import jobs

    return jobs.run(job_id)


@db_task()
def build_open_data() -> int:
    """Build the published dump now (the first download when no nightly build exists yet)."""
    return len(opendata_dump.build_published()["resources"])


@db_periodic_task(crontab(hour="2", minute="40"))
def nightly_open_data() -> int:
    """Regenerate the published open-data dump and its zip; delete expired report files."""
    # cycle: reports.jobs imports this module to queue report jobs
    from echos.reports import jobs

    descriptor = opendata_dump.build_published()
    jobs.purge_expired()
    return len(descriptor["resources"])
