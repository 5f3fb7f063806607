"""Background work of the events capability (see settings.HUEY): e-mails, offers and reminders."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from echos.events import services
from echos.events.models import EventMessage, Registration
from echos.events.services import messaging


@db_task(retries=3, retry_delay=60)
def send_registration_email(registration_id: int, kind: str) -> bool:
    """Send one registration e-mail; retried when the mail server is unavailable."""
    registration = Registration.objects.select_related("event").filter(pk=registration_id).first()
    if registration is None:  # erased or deleted meanwhile
        return False
    services.send_email_now(registration, kind)
    return True


@db_periodic_task(crontab(minute="*/5"))
def tick() -> dict:
    """Pass expired waitlist offers on and send reminders (also: `echos events tick`)."""
    return {"processed": services.process_all(), "reminders": services.send_reminders()}


@db_task(retries=3, retry_delay=60)
def send_event_message(message_id: int, registration_id: int) -> bool:
    """Send an organisers' message to one registrant; retried when the mail server is unavailable."""
    message = EventMessage.objects.filter(pk=message_id).first()
    registration = Registration.objects.select_related("event").filter(pk=registration_id).first()
    if message is None or registration is None:  # erased or deleted meanwhile
        return False
    return messaging.send_message_now(message, registration)
