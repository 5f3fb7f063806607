"""Background work shared by every capability: the daily retention run and account e-mails."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task


@db_periodic_task(crontab(hour="3", minute="17"))
def apply_retention() -> list[dict]:
    """Apply the retention rules every night (the same as `echos privacy retention --apply`)."""
    from echos.core.privacy import run_retention

    return run_retention(apply=True)


@db_task(retries=3, retry_delay=60)
def send_account_email(user_id: int, kind: str) -> bool:
    """Tell an account's owner that their second factor changed (see core.twofactor)."""
    from echos.core.models import User
    from echos.core.twofactor import send_account_email_now

    user = User.objects.filter(pk=user_id).first()
    if user is None or not user.email:
        return False
    send_account_email_now(user, kind)
    return True


@db_task(retries=3, retry_delay=60)
def send_password_reset_email(email: str, language: str) -> None:
    """Send the reset link to the accounts of ``email``, off the request so that its timing does
    not tell whether the address has an account (see core.passwords)."""
    from echos.core.passwords import send_reset_now

    send_reset_now(email, language)
