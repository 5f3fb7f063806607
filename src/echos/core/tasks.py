"""Background work shared by every capability: the daily retention run."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task


@db_periodic_task(crontab(hour="3", minute="17"))
def apply_retention() -> list[dict]:
    """Apply the retention rules every night (the same as `echos privacy retention --apply`)."""
    from echos.core.privacy import run_retention

    return run_retention(apply=True)
