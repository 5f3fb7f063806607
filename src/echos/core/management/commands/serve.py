import os
import sys

from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Run the production server (gunicorn with several worker processes)."

    def add_arguments(self, parser):
        parser.add_argument("--host", default=os.getenv("ECHOS_HOST", "127.0.0.1"))
        parser.add_argument("--port", type=int, default=int(os.getenv("ECHOS_PORT", "8000")))
        parser.add_argument("--workers", type=int, default=int(os.getenv("ECHOS_WORKERS", "2")))
        parser.add_argument("--threads", type=int, default=int(os.getenv("ECHOS_THREADS", "4")))

    def handle(self, *args, host, port, workers, threads, **options):
        argv = [
            sys.executable,
            "-m",
            "gunicorn",
            "echos.wsgi:application",
            "--bind",
            f"{host}:{port}",
            "--workers",
            str(workers),
            "--threads",
            str(threads),
            "--access-logfile",
            "-" if options["verbosity"] > 1 else "/dev/null",
            "--graceful-timeout",
            "10",
        ]
        os.execv(sys.executable, argv)
