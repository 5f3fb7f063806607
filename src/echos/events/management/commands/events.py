"""`echos events tick`: pass expired waitlist offers on and send reminders (cron, or the worker)."""

from django.core.management.base import BaseCommand

from echos.events import services


class Command(BaseCommand):
    help = "Event housekeeping: `tick` expires offers, passes places on and sends reminders."

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["tick"])

    def handle(self, *args, action, **options):
        processed = services.process_all()
        reminders = services.send_reminders()
        self.stdout.write(
            f"{processed} offers or registrations expired; {reminders} reminders sent."
        )
