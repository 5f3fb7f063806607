"""Background work of core: account e-mails (the nightly retention run is in ``site.tasks``)."""

from huey.contrib.djhuey import db_task

from echos.core.models import User


@db_task(retries=3, retry_delay=60)
def send_account_email(user_id: int, kind: str) -> bool:
    """Tell an account's owner that their second factor changed (see core.twofactor)."""
    # cycle: core.twofactor queues this task (it imports this module)
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
    # cycle: core.passwords queues this task (it imports this module)
    from echos.core.passwords import send_reset_now

    send_reset_now(email, language)


@db_task(retries=3, retry_delay=60)
def send_token_email(user_id: int, kind: str, name: str, prefix: str) -> bool:
    """Tell an account's owner that one of their API tokens was created or revoked."""
    # cycle: core.tokens queues this task (it imports this module)
    from echos.core.tokens import send_token_email_now

    user = User.objects.filter(pk=user_id).first()
    if user is None or not user.email:
        return False
    send_token_email_now(user, kind, name, prefix)
    return True
