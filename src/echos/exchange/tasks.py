"""Background work of the network of support (see settings.HUEY): e-mails and the daily flag of
overdue commitments."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from echos.exchange import notify


@db_task(retries=3, retry_delay=60)
def send_exchange_email(kind: str, pk: int) -> int:
    """Send one e-mail of the network of support; retried when the mail server is unavailable."""
    return notify.send_now(kind, pk)


@db_periodic_task(crontab(hour="7", minute="15"))
def flag_overdue_commitments() -> int:
    """Tell each hub's team about commitments that passed their date (once per commitment)."""
    return notify.flag_overdue()
