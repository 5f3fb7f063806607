"""`echos worker`: run queued and periodic background tasks (production, with REDIS_URL)."""

from typing import Any, cast

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from huey.contrib.djhuey import HUEY


class Command(BaseCommand):
    help = "Run the background worker: queued tasks (e-mails...) and periodic ones (offers, reminders, retention)."

    def add_arguments(self, parser):
        parser.add_argument("--threads", type=int, default=None, help="Worker threads (default 2).")

    def handle(self, *args, threads, **options):
        if HUEY.immediate:
            raise CommandError(
                "Tasks run in-process here (no REDIS_URL): there is nothing for a worker to do. "
                "Set REDIS_URL to queue tasks in Redis."
            )
        huey = cast(dict[str, Any], settings.HUEY)  # a dict in settings.py
        workers = threads or huey.get("consumer", {}).get("workers", 2)
        call_command("run_huey", workers=workers, worker_type="thread")
