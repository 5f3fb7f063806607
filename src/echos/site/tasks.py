"""Background work of the site: the nightly retention run over every app's rules."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from echos.site.privacy import run_retention


@db_periodic_task(crontab(hour="3", minute="17"))
def apply_retention() -> list[dict]:
    """Apply the retention rules every night (the same as `echos privacy retention --apply`)."""
    return run_retention(apply=True)
